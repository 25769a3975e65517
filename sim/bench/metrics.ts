/**
 * `metrics-histogram-record` and `metrics-timeweighted-set`: the metrics hot paths, from
 * `runMetricsBench` in `sim/metrics/bench.ts`.
 */
import { runMetricsBench } from '../metrics/bench.ts';
import { round, type BenchResult } from './common.ts';

export const METRICS_BENCH_NAMES = ['metrics-histogram-record', 'metrics-timeweighted-set'] as const;

const NAMES: Record<string, string> = {
  'histogram.record': 'metrics-histogram-record',
  'timeWeighted.set': 'metrics-timeweighted-set',
};

export function benchMetricsRows(ops = 10_000_000): BenchResult[] {
  return runMetricsBench(ops).map((row) => ({
    name: NAMES[row.name] ?? `metrics-${row.name.toLowerCase().replace(/\W+/g, '-')}`,
    events: row.ops,
    wall_s: round(row.wall_s, 4),
    events_per_s: Math.round(row.ops_per_s),
    ops_per_s: Math.round(row.ops_per_s),
  }));
}
