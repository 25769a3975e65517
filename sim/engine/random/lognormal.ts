/**
 * The lognormal distribution: exp of a normal.
 */
import type { Distribution } from './distribution.ts';
import { standardNormal } from './normal.ts';
import { requireFinite, requireNonNegative, requirePositive } from './parameter-checks.ts';
import type { RandomStream } from './stream.ts';

/**
 * X = exp(mu + sigma·Z), Z standard normal (two generator steps per sample).
 * Mean exp(mu + sigma²/2); variance (exp(sigma²) − 1)·exp(2mu + sigma²), which may
 * overflow to Infinity for extreme parameters.
 */
export class LognormalDistribution implements Distribution {
  readonly kind = 'lognormal';
  /** Mean of the underlying normal, i.e. of ln X (log of the caller's units). */
  readonly mu: number;
  /** Standard deviation of ln X (dimensionless). */
  readonly sigma: number;
  readonly mean: number;
  readonly variance: number;

  /**
   * @param mu mean of ln X, finite
   * @param sigma standard deviation of ln X, >= 0
   */
  constructor(mu: number, sigma: number) {
    requireFinite('lognormal', 'mu', mu);
    requireNonNegative('lognormal', 'sigma', sigma);
    this.mu = mu;
    this.sigma = sigma;
    const sigmaSquared = sigma * sigma;
    this.mean = Math.exp(mu + sigmaSquared / 2);
    this.variance = Math.expm1(sigmaSquared) * Math.exp(2 * mu + sigmaSquared);
  }

  sample(rng: RandomStream): number {
    return Math.exp(this.mu + this.sigma * standardNormal(rng));
  }
}

/**
 * Lognormal from the parameters of the underlying normal.
 * @param mu mean of ln X
 * @param sigma standard deviation of ln X, >= 0
 */
export function lognormal(mu: number, sigma: number): LognormalDistribution {
  return new LognormalDistribution(mu, sigma);
}

/**
 * Lognormal with the given mean and standard deviation of X itself (caller's units), e.g.
 * "mean 1 s, cv 1.5" is `lognormalFromMoments(1, 1.5)`. Uses
 * sigma² = ln(1 + (stddev/mean)²) and mu = ln(mean) − sigma²/2.
 * @param mean mean of X, > 0
 * @param stddev standard deviation of X, >= 0
 */
export function lognormalFromMoments(mean: number, stddev: number): LognormalDistribution {
  requirePositive('lognormal', 'mean', mean);
  requireNonNegative('lognormal', 'stddev', stddev);
  const cv = stddev / mean;
  const sigmaSquared = Math.log1p(cv * cv);
  return new LognormalDistribution(Math.log(mean) - sigmaSquared / 2, Math.sqrt(sigmaSquared));
}
