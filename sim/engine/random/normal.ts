/**
 * The normal (Gaussian) distribution, by the Box–Muller transform.
 */
import type { Distribution } from './distribution.ts';
import { requireFinite, requireNonNegative } from './parameter-checks.ts';
import type { RandomStream } from './stream.ts';

const TWO_PI = 2 * Math.PI;

/**
 * One standard normal from exactly two generator steps (Box–Muller, cosine branch; the
 * sine partner is discarded because distributions keep no state between calls). A fixed
 * draw count keeps streams aligned across policies, which rejection methods would not.
 * With 32-bit uniforms |z| ≤ 6.66.
 */
export function standardNormal(rng: RandomStream): number {
  const radius = Math.sqrt(-2 * Math.log(1 - rng.next()));
  return radius * Math.cos(TWO_PI * rng.next());
}

/** Normal with the given mean and standard deviation. */
export class NormalDistribution implements Distribution {
  readonly kind = 'normal';
  readonly mean: number;
  /** Standard deviation (caller's units). */
  readonly stddev: number;
  readonly variance: number;

  /**
   * @param mean mean, finite (caller's units)
   * @param stddev standard deviation, >= 0 (0 gives the constant `mean`)
   */
  constructor(mean: number, stddev: number) {
    requireFinite('normal', 'mean', mean);
    requireNonNegative('normal', 'stddev', stddev);
    this.mean = mean;
    this.stddev = stddev;
    this.variance = stddev * stddev;
  }

  sample(rng: RandomStream): number {
    return this.mean + this.stddev * standardNormal(rng);
  }
}

/** Normal distribution (caller's units); note its support is the whole real line. */
export function normal(mean: number, stddev: number): NormalDistribution {
  return new NormalDistribution(mean, stddev);
}
