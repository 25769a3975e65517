/**
 * Statistical helpers shared by the distribution tests: drawing samples, moment checks with
 * standard-error tolerances, Kolmogorov–Smirnov and chi-square goodness of fit.
 * Every test uses a fixed seed, so each check is deterministic; the tolerances are set so a
 * correct sampler passes with margin while a wrong parameterisation fails.
 */
import * as assert from 'uvu/assert';
import type { Distribution } from '../../../sim/engine/random/distribution.ts';
import { RandomStreams, type RandomStream } from '../../../sim/engine/random/stream.ts';

/** Default sample size for moment and goodness-of-fit checks. */
export const SAMPLE_SIZE = 200_000;

/** A fresh stream for (seed, path). */
export function freshStream(seed = 20240601, path = 'test/distribution'): RandomStream {
  return new RandomStreams(seed).stream(path);
}

/**
 * `count` samples of `distribution` drawn from `rng` (default: a fresh fixed-seed stream
 * named after the distribution kind, so different distributions' checks use different
 * uniforms and their outcomes are not all correlated).
 */
export function drawSamples(
  distribution: Distribution,
  count = SAMPLE_SIZE,
  rng = freshStream(20240601, `test/${distribution.kind}`),
): Float64Array {
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) samples[i] = distribution.sample(rng);
  return samples;
}

/** Sample mean, variance (divisor N) and fourth central moment, by two passes. */
export function sampleMoments(samples: Float64Array): { mean: number; variance: number; fourthCentral: number } {
  let sum = 0;
  for (const x of samples) sum += x;
  const mean = sum / samples.length;
  let second = 0;
  let fourth = 0;
  for (const x of samples) {
    const d2 = (x - mean) * (x - mean);
    second += d2;
    fourth += d2 * d2;
  }
  return { mean, variance: second / samples.length, fourthCentral: fourth / samples.length };
}

/** Central fourth moment from raw moments E[X], E[X²], E[X³], E[X⁴]. */
export function centralFourthFromRaw(m1: number, m2: number, m3: number, m4: number): number {
  return m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4;
}

/**
 * Assert the sample mean is within z·σ/√N of the analytic mean and the sample variance
 * within z·sqrt((μ4 − σ⁴)/N) of the analytic variance. μ4 is the analytic fourth central
 * moment when given, else the sample's own.
 */
export function assertMomentsMatch(
  samples: Float64Array,
  distribution: Distribution,
  options: { fourthCentral?: number; z?: number; label?: string } = {},
): void {
  const z = options.z ?? 4;
  const label = options.label ?? distribution.kind;
  const n = samples.length;
  const observed = sampleMoments(samples);
  const meanTolerance = (z * Math.sqrt(distribution.variance)) / Math.sqrt(n);
  assert.ok(
    Math.abs(observed.mean - distribution.mean) < meanTolerance,
    `${label}: sample mean ${observed.mean} vs analytic ${distribution.mean} (tolerance ${meanTolerance})`,
  );
  const mu4 = options.fourthCentral ?? observed.fourthCentral;
  const varianceTolerance = z * Math.sqrt((mu4 - distribution.variance ** 2) / n);
  assert.ok(
    Math.abs(observed.variance - distribution.variance) < varianceTolerance,
    `${label}: sample variance ${observed.variance} vs analytic ${distribution.variance} ` +
      `(tolerance ${varianceTolerance})`,
  );
}

/** Kolmogorov–Smirnov statistic D = sup |F_n(x) − F(x)| of the samples against `cdf`. */
export function kolmogorovSmirnov(samples: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/** Assert the KS test does not reject at level 0.001 (critical value ≈ 1.949/√N). */
export function assertKolmogorovSmirnov(samples: Float64Array, cdf: (x: number) => number, label: string): void {
  const d = kolmogorovSmirnov(samples, cdf);
  const critical = 1.949 / Math.sqrt(samples.length);
  assert.ok(d < critical, `${label}: KS statistic ${d} >= critical ${critical}`);
}

/** Pearson's chi-square statistic of observed counts against expected counts. */
export function chiSquare(observed: ArrayLike<number>, expected: ArrayLike<number>): number {
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = expected[i]!;
    statistic += ((observed[i]! - e) * (observed[i]! - e)) / e;
  }
  return statistic;
}

/** Upper 0.001 quantile of chi-square with `df` degrees of freedom (Wilson–Hilferty). */
export function chiSquareCritical(df: number): number {
  const z = 3.0902; // standard normal 0.999 quantile
  const c = 2 / (9 * df);
  return df * (1 - c + z * Math.sqrt(c)) ** 3;
}

/** Assert a chi-square goodness-of-fit test does not reject at level 0.001. */
export function assertChiSquare(observed: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  const statistic = chiSquare(observed, expected);
  const critical = chiSquareCritical(observed.length - 1);
  assert.ok(statistic < critical, `${label}: chi-square ${statistic} >= critical ${critical}`);
}

/** Standard normal CDF via the Chebyshev-fitted erfc of Numerical Recipes (relative error < 1.2e-7). */
export function standardNormalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Assert two distributions sampled from equal streams give identical arrays. */
export function assertReproducible(distribution: Distribution, count = 1000): void {
  const first = drawSamples(distribution, count, freshStream(99, 'repro'));
  const second = drawSamples(distribution, count, freshStream(99, 'repro'));
  assert.equal(Array.from(first), Array.from(second));
}

/** Assert `fn` throws a RangeError whose message contains `fragment`. */
export function assertRangeError(fn: () => unknown, fragment: string): void {
  try {
    fn();
  } catch (error) {
    assert.instance(error, RangeError);
    const message = (error as Error).message;
    assert.ok(message.includes(fragment), `message "${message}" lacks "${fragment}"`);
    return;
  }
  assert.unreachable(`expected a RangeError mentioning "${fragment}"`);
}
