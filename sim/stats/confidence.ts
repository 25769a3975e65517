import { studentTQuantile } from './student-t.ts';

/** Mean, sample standard deviation and a two-sided Student t confidence interval. */
export interface MeanInterval {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n - 1 in the denominator); NaN when n < 2. */
  readonly stddev: number;
  readonly low: number;
  readonly high: number;
}

/**
 * The mean of independent observations (one per replication) with its confidence interval
 * at `level` (default 95%). Sums in the given order, so the result is reproducible.
 */
export function meanInterval(values: readonly number[], level = 0.95): MeanInterval {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, stddev: NaN, low: NaN, high: NaN };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n < 2) return { n, mean, stddev: NaN, low: NaN, high: NaN };
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const stddev = Math.sqrt(squares / (n - 1));
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * (stddev / Math.sqrt(n));
  return { n, mean, stddev, low: mean - half, high: mean + half };
}
