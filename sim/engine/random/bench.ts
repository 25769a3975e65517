/**
 * Throughput benchmark of the distributions: how many samples per second one stream gives.
 * Wall-clock time is used here only to report speed; it never influences a simulation.
 */
import type { Distribution } from './distribution.ts';
import { empiricalFromHistogram } from './empirical-histogram.ts';
import { empiricalFromPoints } from './empirical-points.ts';
import { exponential } from './exponential.ts';
import { lognormalFromMoments } from './lognormal.ts';
import { normal } from './normal.ts';
import { pareto } from './pareto.ts';
import { RandomStreams } from './stream.ts';
import { uniform } from './uniform.ts';
import { weibull } from './weibull.ts';
import { zipf } from './zipf.ts';

/** One benchmark row. */
export interface DistributionBenchResult {
  /** Distribution and parameters, e.g. "zipf(n=1e7, s=1)". */
  name: string;
  /** Samples drawn. */
  draws: number;
  /** Elapsed wall-clock time, seconds. */
  wall_s: number;
  /** Samples per second. */
  draws_per_s: number;
}

/** Sum of every sample, kept so the JIT cannot discard the sampling work. */
let checksum = 0;

/** The checksum of the last {@link benchDistributions} run (all samples added up). */
export function lastBenchChecksum(): number {
  return checksum;
}

function benchmarkCases(): Array<[string, Distribution]> {
  const ioSizes = [4096, 4096, 8192, 16384, 65536, 131072, 4096, 1048576];
  return [
    ['uniform(0, 1)', uniform(0, 1)],
    ['exponential(mean=1)', exponential(1)],
    ['normal(0, 1)', normal(0, 1)],
    ['lognormal(mean=1, sd=1.5)', lognormalFromMoments(1, 1.5)],
    ['pareto(xm=1, alpha=1.5)', pareto(1, 1.5)],
    ['weibull(lambda=1, k=0.7)', weibull(1, 0.7)],
    ['zipf(n=1e7, s=1)', zipf(10_000_000, 1)],
    ['empirical points (8)', empiricalFromPoints(ioSizes)],
    [
      'empirical histogram (16 bins)',
      empiricalFromHistogram(Array.from({ length: 16 }, (_, i) => ({ low: i, high: i + 1, weight: i + 1 }))),
    ],
  ];
}

/**
 * Time `drawsPerDistribution` samples of each main distribution from one stream.
 * @param drawsPerDistribution samples per distribution (default 3 million)
 */
export function benchDistributions(drawsPerDistribution = 3_000_000): DistributionBenchResult[] {
  const rng = new RandomStreams(1).stream('bench/distributions');
  const results: DistributionBenchResult[] = [];
  checksum = 0;
  const warmUp = Math.min(100_000, drawsPerDistribution);
  for (const [name, distribution] of benchmarkCases()) {
    let sum = 0;
    for (let i = 0; i < warmUp; i++) sum += distribution.sample(rng);
    const start = performance.now(); // wall-clock ok
    for (let i = 0; i < drawsPerDistribution; i++) sum += distribution.sample(rng);
    const wallSeconds = (performance.now() - start) / 1000; // wall-clock ok
    checksum += sum;
    results.push({
      name,
      draws: drawsPerDistribution,
      wall_s: wallSeconds,
      draws_per_s: drawsPerDistribution / wallSeconds,
    });
  }
  return results;
}
