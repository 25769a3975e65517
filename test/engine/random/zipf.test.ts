import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generalizedHarmonicOrders } from '../../../sim/engine/random/harmonic.ts';
import { zipf } from '../../../sim/engine/random/zipf.ts';
import {
  assertChiSquare,
  assertMomentsMatch,
  assertRangeError,
  assertReproducible,
  centralFourthFromRaw,
  drawSamples,
} from './sample-statistics.ts';

/**
 * Chi-square test of the frequencies of ranks 1..ranks (plus one bucket for every higher
 * rank when ranks < n) against the exact pmf k^(−s)/H(n, s).
 */
function assertRankFrequencies(n: number, s: number, ranks: number): void {
  const samples = drawSamples(zipf(n, s));
  const [norm] = generalizedHarmonicOrders(n, s, 1) as [number];
  const buckets = ranks < n ? ranks + 1 : ranks;
  const observed = new Array<number>(buckets).fill(0);
  for (const k of samples) observed[Math.min(k, buckets) - 1]!++;
  const expected = new Array<number>(buckets).fill(0);
  let head = 0;
  for (let k = 1; k <= ranks; k++) {
    const p = k ** -s / norm;
    expected[k - 1] = p * samples.length;
    head += p;
  }
  if (ranks < n) expected[ranks] = (1 - head) * samples.length;
  assertChiSquare(observed, expected, `zipf(n=${n}, s=${s}) ranks 1..${ranks}`);
}

/** Analytic fourth central moment from E[K^j] = H(n, s − j)/H(n, s). */
function fourthCentral(n: number, s: number): number {
  const sums = generalizedHarmonicOrders(n, s, 5);
  const raw = (j: number) => sums[j]! / sums[0]!;
  return centralFourthFromRaw(raw(1), raw(2), raw(3), raw(4));
}

test('zipf(n=1e6, s=1.1) gives ranks 1..10 with their exact probabilities', () => {
  assertRankFrequencies(1_000_000, 1.1, 10);
});

test('zipf(n=1e6, s=1) gives ranks 1..10 with their exact probabilities', () => {
  assertRankFrequencies(1_000_000, 1, 10);
});

test('zipf with s = 0 is uniform over 1..n', () => {
  assertRankFrequencies(10, 0, 10);
});

test('zipf(n=10, s=2) matches the exact pmf on every rank', () => {
  assertRankFrequencies(10, 2, 10);
});

test('zipf(n=1e12, s=0.8) matches the exact pmf on ranks 1..10 (Euler–Maclaurin normaliser)', () => {
  assertRankFrequencies(1e12, 0.8, 10);
});

for (const [n, s] of [
  [1000, 1.2],
  [100, 0],
  [10, 2],
  [50_000, 0.5],
] as const) {
  test(`zipf(n=${n}, s=${s}) sample mean and variance match the harmonic-number formulas`, () => {
    const distribution = zipf(n, s);
    assertMomentsMatch(drawSamples(distribution), distribution, { fourthCentral: fourthCentral(n, s) });
  });
}

test('zipf(n=1e9, s=1) sample mean and variance match the Euler–Maclaurin moments', () => {
  const n = 1e9;
  const distribution = zipf(n, 1);
  assertMomentsMatch(drawSamples(distribution), distribution, { fourthCentral: fourthCentral(n, 1) });
});

test('zipf with s = 0 has the closed-form uniform moments, exactly and asymptotically', () => {
  for (const n of [100, 10_000_000]) {
    const distribution = zipf(n, 0);
    assert.ok(Math.abs(distribution.mean / ((n + 1) / 2) - 1) < 1e-13, `mean at n=${n}`);
    assert.ok(Math.abs(distribution.variance / ((n * n - 1) / 12) - 1) < 1e-12, `variance at n=${n}`);
  }
});

test('zipf samples are integers in [1, n]', () => {
  const n = 37;
  const samples = drawSamples(zipf(n, 0.9), 50_000);
  assert.ok(samples.every((k) => Number.isInteger(k) && k >= 1 && k <= n));
  assert.ok(samples.includes(1) && samples.includes(n));
});

test('zipf reaches ranks beyond 2^32 when n is in the billions', () => {
  const n = 5e9;
  const samples = drawSamples(zipf(n, 1), 20_000);
  const beyond = samples.filter((k) => k > 2 ** 32).length;
  // P(K > 2^32) = (H(n,1) − H(2^32,1))/H(n,1) ≈ 0.0068
  assert.ok(beyond > 70 && beyond < 210, `${beyond} samples above 2^32`);
  assert.ok(samples.every((k) => Number.isInteger(k) && k >= 1 && k <= n));
});

test('zipf with a single rank always yields 1', () => {
  const distribution = zipf(1, 1.5);
  assert.ok(drawSamples(distribution, 100).every((k) => k === 1));
  assert.is(distribution.mean, 1);
  assert.is(distribution.variance, 0);
});

test('zipf draws are reproducible from equal streams', () => {
  assertReproducible(zipf(10_000_000, 1));
});

test('zipf rejects invalid n or exponent', () => {
  assertRangeError(() => zipf(0, 1), 'zipf: n must be an integer >= 1, got 0');
  assertRangeError(() => zipf(10.5, 1), 'zipf: n must be an integer >= 1');
  assertRangeError(() => zipf(10, -0.5), 'zipf: exponent must be >= 0, got -0.5');
  assertRangeError(() => zipf(10, NaN), 'zipf: exponent must be a finite number');
});

test.run();
