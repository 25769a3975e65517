/**
 * Paired differences: two configurations run on the same seeds (common random numbers, so each
 * pair saw the same workload) compared by the mean of their per-seed differences, with a Student t
 * confidence interval computed from those differences (Law, Simulation Modeling and Analysis,
 * 5th ed., 2015, section 10.2.1, the paired-t confidence interval).
 */
import { meanInterval, type MeanInterval } from './confidence.ts';

/**
 * The mean difference (treatment − baseline) over paired observations, with its interval:
 * `n` is the number of pairs; `mean`, `stddev`, `low`, `high` describe the differences.
 */
export interface PairedDifference extends MeanInterval {
  /** The baseline's mean over the same pairs (NaN without pairs). */
  readonly baselineMean: number;
  /** mean / baselineMean: the relative change (0.05 = 5% higher than the baseline). */
  readonly relativeChange: number;
  /**
   * Whether the interval excludes 0; `undefined` when there is no interval (fewer than two
   * pairs, or a non-finite bound).
   */
  readonly significant: boolean | undefined;
}

/**
 * Pairs `treatment` and `baseline` (values by seed) on the seeds both have, in ascending seed
 * order (so the result does not depend on the maps' order, and swapping the two arguments
 * negates every difference exactly), and returns the mean difference treatment − baseline with
 * its `level` (default 95%) Student t interval. Seeds present in only one map are ignored.
 */
export function pairedDifference(
  treatment: ReadonlyMap<number, number>,
  baseline: ReadonlyMap<number, number>,
  level = 0.95,
): PairedDifference {
  const seeds = [...treatment.keys()].filter((seed) => baseline.has(seed)).sort((a, b) => a - b);
  const differences: number[] = [];
  let baselineSum = 0;
  for (const seed of seeds) {
    const b = baseline.get(seed)!;
    differences.push(treatment.get(seed)! - b);
    baselineSum += b;
  }
  const interval = meanInterval(differences, level);
  const baselineMean = seeds.length === 0 ? NaN : baselineSum / seeds.length;
  return { ...interval, baselineMean, relativeChange: interval.mean / baselineMean, significant: excludesZero(interval) };
}

/** Whether an interval lies wholly above or below 0; `undefined` when it has a NaN or infinite bound. */
export function excludesZero(interval: { readonly low: number; readonly high: number }): boolean | undefined {
  if (!Number.isFinite(interval.low) || !Number.isFinite(interval.high)) return undefined;
  return interval.low > 0 || interval.high < 0;
}
