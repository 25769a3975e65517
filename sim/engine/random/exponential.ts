/**
 * The exponential distribution, by inverse transform.
 */
import type { Distribution } from './distribution.ts';
import { requirePositive } from './parameter-checks.ts';
import type { RandomStream } from './stream.ts';

/**
 * Exponential with the given mean: x = −mean·ln(1 − u), one generator step per sample.
 * With 32-bit uniforms the largest possible sample is ≈ 22.2 × mean (probability 2^-32
 * territory, irrelevant in practice).
 */
export class ExponentialDistribution implements Distribution {
  readonly kind = 'exponential';
  readonly mean: number;
  readonly variance: number;
  /** 1 / mean, events per unit. */
  readonly rate: number;

  /** @param mean mean, > 0 (caller's units, e.g. seconds between arrivals) */
  constructor(mean: number) {
    requirePositive('exponential', 'mean', mean);
    this.mean = mean;
    this.variance = mean * mean;
    this.rate = 1 / mean;
  }

  sample(rng: RandomStream): number {
    // `0 - log` rather than `-log` so u = 0 yields +0, not −0.
    return (0 - Math.log(1 - rng.next())) * this.mean;
  }
}

/** Exponential distribution with the given mean (> 0, caller's units). */
export function exponential(mean: number): ExponentialDistribution {
  return new ExponentialDistribution(mean);
}
