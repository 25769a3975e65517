/**
 * `dist-<name>`: draws per second of each main distribution, from the random module's own
 * benchmark (`benchDistributions` in `sim/engine/random/bench.ts`).
 */
import { benchDistributions, lastBenchChecksum } from '../engine/random/bench.ts';
import { round, type BenchResult } from './common.ts';

/** Benchmark names for the rows `benchDistributions` reports today (used by the CLI filter). */
export const DISTRIBUTION_BENCH_NAMES = [
  'dist-uniform',
  'dist-exponential',
  'dist-normal',
  'dist-lognormal',
  'dist-pareto',
  'dist-weibull',
  'dist-zipf',
  'dist-empirical-points',
  'dist-empirical-histogram',
] as const;

/** "zipf(n=1e7, s=1)" → "dist-zipf"; "empirical points (8)" → "dist-empirical-points". */
export function distributionBenchName(label: string): string {
  const base = label.replace(/\(.*$/, '').trim().toLowerCase().replace(/\s+/g, '-');
  return `dist-${base}`;
}

export function benchDistributionRows(drawsPerDistribution = 3_000_000): BenchResult[] {
  const rows = benchDistributions(drawsPerDistribution);
  if (!Number.isFinite(lastBenchChecksum())) throw new Error('distribution bench: non-finite checksum');
  return rows.map((row) => ({
    name: distributionBenchName(row.name),
    events: row.draws,
    wall_s: round(row.wall_s, 4),
    events_per_s: Math.round(row.draws_per_s),
    draws_per_s: Math.round(row.draws_per_s),
    distribution: row.name,
  }));
}
