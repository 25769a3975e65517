/**
 * The continuous uniform distribution on [min, max).
 */
import type { Distribution } from './distribution.ts';
import { nextDown } from './next-down.ts';
import { requireFinite } from './parameter-checks.ts';
import type { RandomStream } from './stream.ts';

/**
 * Uniform on [min, max). Uses the stream's 53-bit draw (two generator steps) because
 * uniforms are often floored onto fine grids (block numbers, byte offsets) where 32-bit
 * resolution would make some cells measurably more likely than others.
 */
export class UniformDistribution implements Distribution {
  readonly kind = 'uniform';
  /** Inclusive lower bound (caller's units). */
  readonly min: number;
  /** Exclusive upper bound (caller's units). */
  readonly max: number;
  readonly mean: number;
  readonly variance: number;
  private readonly width: number;
  private readonly largestBelowMax: number;

  /**
   * @param min inclusive lower bound, finite
   * @param max exclusive upper bound, finite, > min, with max − min finite
   */
  constructor(min: number, max: number) {
    requireFinite('uniform', 'min', min);
    requireFinite('uniform', 'max', max);
    if (!(max > min)) throw new RangeError(`uniform: max must be > min, got min ${min}, max ${max}`);
    const width = max - min;
    if (!Number.isFinite(width)) {
      throw new RangeError(`uniform: max - min must be finite, got min ${min}, max ${max}`);
    }
    this.min = min;
    this.max = max;
    this.width = width;
    this.largestBelowMax = nextDown(max);
    this.mean = min / 2 + max / 2;
    this.variance = (width * width) / 12;
  }

  sample(rng: RandomStream): number {
    const x = this.min + this.width * rng.nextDouble();
    // Rounding can land exactly on max when max − min is tiny relative to max.
    return x < this.max ? x : this.largestBelowMax;
  }
}

/** Uniform distribution on [min, max) (caller's units). */
export function uniform(min: number, max: number): UniformDistribution {
  return new UniformDistribution(min, max);
}
