/**
 * Latency histograms in runs.csv. storsim writes each histogram metric as the columns
 * `<path>_count` and `<path>_{mean,p50,p95,p99,p999,max}_<unit>`; the quantile columns give
 * points (latency, fraction of samples at or below it) of the empirical distribution function,
 * from which the report draws latency CDFs.
 */
import { metricUnit } from './units.ts';

/** The quantiles storsim reports, with their probability (the maximum is probability 1). */
export const QUANTILES: readonly { readonly stat: string; readonly p: number; readonly label: string }[] = [
  { stat: 'p50', p: 0.5, label: 'p50' },
  { stat: 'p95', p: 0.95, label: 'p95' },
  { stat: 'p99', p: 0.99, label: 'p99' },
  { stat: 'p999', p: 0.999, label: 'p99.9' },
  { stat: 'max', p: 1, label: 'max' },
];

/** One latency histogram found among the columns. */
export interface LatencyHistogram {
  /** The metric path (`ssd/write_latency`). */
  readonly path: string;
  /** The unit suffix of its columns (`us`). */
  readonly unit: string;
  /** Its quantile columns, in {@link QUANTILES} order. */
  readonly columns: readonly string[];
}

/**
 * The histograms whose five quantile columns are all among `columns`, in order of their first
 * column. Only time units count as latency (a size histogram is not a latency).
 */
export function findLatencyHistograms(columns: readonly string[]): LatencyHistogram[] {
  const present = new Set(columns);
  const found: LatencyHistogram[] = [];
  const seen = new Set<string>();
  for (const column of columns) {
    const { base, suffix } = metricUnit(column);
    if (!['ns', 'us', 'ms', 's'].includes(suffix)) continue;
    const match = /^(.+)_(p50|p95|p99|p999|max)$/.exec(base);
    if (match === null) continue;
    const path = match[1]!;
    const key = `${path}\u0000${suffix}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const wanted = QUANTILES.map((q) => `${path}_${q.stat}_${suffix}`);
    if (wanted.every((c) => present.has(c))) found.push({ path, unit: suffix, columns: wanted });
  }
  return found;
}
