/**
 * Empirical distribution that resamples a list of observed values.
 */
import type { Distribution } from './distribution.ts';
import type { RandomStream } from './stream.ts';

/**
 * Draws one of the given points, each with probability 1/N (a bootstrap resample). There
 * is deliberately no interpolation between points: observed values such as I/O sizes
 * (4096, 8192, …) come back exactly and nothing outside the observations is invented.
 * Repeated values are simply more likely. One `nextInt` per sample (exactly uniform index).
 *
 * mean and variance are those of this discrete distribution: the arithmetic mean of the
 * points and their population variance (divisor N, not N − 1).
 */
export class EmpiricalPointsDistribution implements Distribution {
  readonly kind = 'empirical-points';
  readonly mean: number;
  readonly variance: number;
  private readonly points: Float64Array;

  /** @param values the observations, at least one, all finite (copied; caller's units) */
  constructor(values: readonly number[]) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new RangeError('empirical: values must be a non-empty array of numbers');
    }
    const points = Float64Array.from(values);
    points.forEach((value, index) => {
      if (!Number.isFinite(value)) {
        throw new RangeError(`empirical: values[${index}] must be a finite number, got ${String(values[index])}`);
      }
    });
    this.points = points;
    this.mean = compensatedSum(points, (x) => x) / points.length;
    const mean = this.mean;
    this.variance = compensatedSum(points, (x) => (x - mean) * (x - mean)) / points.length;
  }

  /** Number of points. */
  get size(): number {
    return this.points.length;
  }

  sample(rng: RandomStream): number {
    return this.points[rng.nextInt(this.points.length)]!;
  }
}

/** Neumaier-compensated Σ f(x) over `values`. */
function compensatedSum(values: Float64Array, f: (x: number) => number): number {
  let sum = 0;
  let compensation = 0;
  for (const value of values) {
    const term = f(value);
    const next = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
    sum = next;
  }
  return sum + compensation;
}

/**
 * Empirical distribution drawing uniformly among `values` (no interpolation).
 * @param values observed values, non-empty, finite (caller's units)
 */
export function empiricalFromPoints(values: readonly number[]): EmpiricalPointsDistribution {
  return new EmpiricalPointsDistribution(values);
}
