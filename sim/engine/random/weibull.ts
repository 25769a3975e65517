/**
 * The Weibull distribution, by inverse transform.
 */
import type { Distribution } from './distribution.ts';
import { logGamma } from './gamma.ts';
import { requirePositive } from './parameter-checks.ts';
import type { RandomStream } from './stream.ts';

/**
 * Weibull with scale lambda and shape k: P(X > x) = exp(−(x/lambda)^k), x >= 0.
 * Sample x = lambda·(−ln(1 − u))^(1/k), one generator step.
 * Mean lambda·Γ(1 + 1/k); variance lambda²·[Γ(1 + 2/k) − Γ(1 + 1/k)²], evaluated as
 * mean²·expm1(lnΓ(1 + 2/k) − 2·lnΓ(1 + 1/k)) so that small k does not overflow the
 * intermediate Γ values and large k does not cancel catastrophically.
 * k = 1 is the exponential with mean lambda.
 */
export class WeibullDistribution implements Distribution {
  readonly kind = 'weibull';
  /** Scale lambda (caller's units). */
  readonly scale: number;
  /** Shape k, dimensionless (< 1: decreasing hazard, > 1: increasing hazard). */
  readonly shape: number;
  readonly mean: number;
  readonly variance: number;
  private readonly inverseShape: number;

  /**
   * @param scale lambda, > 0 (caller's units)
   * @param shape k, > 0
   */
  constructor(scale: number, shape: number) {
    requirePositive('weibull', 'scale', scale);
    requirePositive('weibull', 'shape', shape);
    this.scale = scale;
    this.shape = shape;
    this.inverseShape = 1 / shape;
    const logGammaOne = logGamma(1 + 1 / shape);
    const logGammaTwo = logGamma(1 + 2 / shape);
    this.mean = scale * Math.exp(logGammaOne);
    this.variance = this.mean * this.mean * Math.expm1(logGammaTwo - 2 * logGammaOne);
  }

  sample(rng: RandomStream): number {
    // exp(log(E)/k) rather than Math.pow(E, 1/k): same to a few ulps, ~1.6x faster in V8.
    // E = 0 (u = 0) gives exp(−Infinity) = +0.
    return this.scale * Math.exp(Math.log(0 - Math.log(1 - rng.next())) * this.inverseShape);
  }
}

/** Weibull distribution with scale lambda (> 0, caller's units) and shape k (> 0). */
export function weibull(scale: number, shape: number): WeibullDistribution {
  return new WeibullDistribution(scale, shape);
}
