import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  HISTOGRAM_MAX_VALUE,
  HISTOGRAM_MIN_RESOLVED,
  LatencyHistogram,
} from '../../sim/metrics/histogram.ts';

/** Nearest-rank quantile of the raw samples: sorted[max(1, ceil(q n)) - 1]. */
function exactQuantile(sorted: Float64Array, q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

/** The documented bound: x (1 - 2^-k) < Q <= x, i.e. Q low by less than x * 2^-k (Q = x when x = 0). */
function withinBound(reported: number, exact: number, k: number): boolean {
  if (exact === 0) return reported === 0;
  return reported <= exact && exact - reported < exact * 2 ** -k;
}

const latency = fc.oneof(
  fc.integer({ min: 0, max: 300 }),
  fc.integer({ min: 0, max: 2_000_000_000 }),
  fc.double({ min: 1e-6, max: 1e15, noNaN: true }),
  fc.constantFrom(0, 1, 255, 256, 257, 2 ** 53, 1e15),
);
const samples = fc.array(latency, { minLength: 1, maxLength: 2000 });

test('p50, p95, p99 and p99.9 are within the documented relative error 2^-7 of the exact sample quantiles', () => {
  fc.assert(
    fc.property(samples, (values) => {
      const h = new LatencyHistogram();
      for (const v of values) h.record(v);
      const sorted = Float64Array.from(values).sort();
      for (const q of [0.5, 0.95, 0.99, 0.999]) {
        const reported = h.quantile(q);
        const exact = exactQuantile(sorted, q);
        if (!withinBound(reported, exact, 7)) {
          throw new Error(`q=${q}: reported ${reported}, exact ${exact}`);
        }
      }
    }),
    { seed: 20240611, numRuns: 300 },
  );
});

test('the bound 2^-k holds for any quantile and other sub-bucket counts', () => {
  fc.assert(
    fc.property(samples, fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(1, 3, 5, 10), (values, q, k) => {
      const h = new LatencyHistogram({ subBucketBits: k });
      for (const v of values) h.record(v);
      const sorted = Float64Array.from(values).sort();
      const reported = h.quantile(q);
      const exact = exactQuantile(sorted, q);
      if (!withinBound(reported, exact, k)) throw new Error(`k=${k} q=${q}: reported ${reported}, exact ${exact}`);
    }),
    { seed: 7, numRuns: 300 },
  );
});

test('the default resolution gives a relative error bound of at most 1%', () => {
  const h = new LatencyHistogram();
  assert.is(h.subBucketBits, 7);
  assert.ok(2 ** -h.subBucketBits <= 0.01);
});

test('every value lies in its bucket, whose width is at most 2^-k of its lower bound', () => {
  fc.assert(
    fc.property(fc.double({ min: HISTOGRAM_MIN_RESOLVED, max: 1e19, noNaN: true }), (v) => {
      const h = new LatencyHistogram();
      const i = h.bucketIndex(v);
      const lo = h.bucketLowerBound(i);
      const hi = h.bucketUpperBound(i);
      return lo <= v && v < hi && hi - lo <= lo * 2 ** -7 && h.bucketUpperBound(i - 1) === lo;
    }),
    { seed: 99, numRuns: 2000 },
  );
});

test('integers below 2^k (the linear region; in fact below 2^(k+1)) are reported exactly at every rank', () => {
  const h = new LatencyHistogram();
  const values: number[] = [];
  for (let v = 0; v < 256; v++) for (let copies = 0; copies <= v % 3; copies++) values.push(v);
  for (const v of values) h.record(v);
  const sorted = Float64Array.from(values).sort();
  for (let rank = 1; rank <= values.length; rank++) {
    const q = rank / values.length;
    assert.is(h.quantile(q), exactQuantile(sorted, q), `rank ${rank}`);
  }
});

test('above the linear region a quantile is reported at its bucket lower bound', () => {
  const h = new LatencyHistogram();
  h.record(256);
  for (let i = 0; i < 3; i++) h.record(257); // bucket [256, 258)
  assert.is(h.quantile(0.5), 256); // the exact p50 is 257
});

test('the minimum and maximum ranks report the exact extremes', () => {
  const h = new LatencyHistogram();
  for (const v of [1234.5, 999_999_999, 77_777]) h.record(v);
  assert.is(h.quantile(0), 1234.5);
  assert.is(h.quantile(1), 999_999_999);
  assert.is(h.min, 1234.5);
  assert.is(h.max, 999_999_999);
});

test('the mean is exact, from a running sum', () => {
  const h = new LatencyHistogram();
  const values = [3, 1_000_003, 17, 250_000_000_001, 5];
  for (const v of values) h.record(v);
  assert.is(h.count, 5);
  assert.is(h.sum, 250_001_000_029);
  assert.is(h.mean, 250_001_000_029 / 5);
});

test('huge values (1e15, 2^53, just below 2^64) are recorded and reported within the bound', () => {
  const h = new LatencyHistogram();
  for (const v of [1e15, 1e15, 1e15, 2 ** 53, 1.8e19]) h.record(v);
  assert.ok(withinBound(h.quantile(0.5), 1e15, 7));
  assert.ok(withinBound(h.quantile(0.8), 2 ** 53, 7));
  assert.is(h.quantile(1), 1.8e19);
  assert.is(h.mean, (3e15 + 2 ** 53 + 1.8e19) / 5);
});

test('zero and values below the 2^-32 resolution share the zero bucket', () => {
  const h = new LatencyHistogram();
  h.record(0);
  h.record(0);
  h.record(1e-12);
  h.record(5);
  assert.is(h.bucketIndex(1e-12), 0);
  assert.is(h.quantile(0.5), 0);
  assert.is(h.quantile(0.75), 0, 'below resolution reads as 0');
  assert.is(h.quantile(1), 5);
});

test('an empty histogram reports count 0 and NaN statistics', () => {
  const h = new LatencyHistogram();
  assert.is(h.count, 0);
  assert.ok(Number.isNaN(h.mean));
  assert.ok(Number.isNaN(h.min));
  assert.ok(Number.isNaN(h.max));
  assert.ok(Number.isNaN(h.quantile(0.99)));
  assert.equal(h.cdf(), []);
});

test('negative, NaN, infinite and >= 2^64 values and out-of-range quantiles are rejected', () => {
  const h = new LatencyHistogram();
  assert.throws(() => h.record(-1), /\[0, 2\^64\)/);
  assert.throws(() => h.record(NaN), /\[0, 2\^64\)/);
  assert.throws(() => h.record(Infinity), /\[0, 2\^64\)/);
  assert.throws(() => h.record(HISTOGRAM_MAX_VALUE), /\[0, 2\^64\)/);
  assert.throws(() => h.quantile(1.01), /outside \[0, 1\]/);
  assert.throws(() => h.quantile(-0.1), /outside \[0, 1\]/);
  assert.throws(() => new LatencyHistogram({ subBucketBits: 0 }), /1\.\.12/);
  assert.is(h.count, 0);
});

test('reset() forgets every value', () => {
  const h = new LatencyHistogram();
  for (let v = 1; v <= 1000; v++) h.record(v * 1000);
  h.reset();
  assert.is(h.count, 0);
  assert.is(h.sum, 0);
  h.record(42);
  assert.is(h.quantile(0.5), 42);
  assert.is(h.min, 42);
  assert.equal(h.cdf(), [{ upperBound: 42.25, fraction: 1 }]); // [42, 42 + 2^(5-7))
  assert.is(h.resets, 1);
});

test('cdf() lists non-empty buckets by ascending upper bound with cumulative fractions', () => {
  // bucket width in octave [2^e, 2^(e+1)) is 2^(e-7)
  const h = new LatencyHistogram();
  for (const v of [5, 5, 7, 300, 300, 1000, 0, 5]) h.record(v);
  assert.equal(h.cdf(), [
    { upperBound: HISTOGRAM_MIN_RESOLVED, fraction: 1 / 8 }, // the zero bucket
    { upperBound: 5 + 2 ** -5, fraction: 4 / 8 },
    { upperBound: 7 + 2 ** -5, fraction: 5 / 8 },
    { upperBound: 302, fraction: 7 / 8 }, // [300, 302)
    { upperBound: 1004, fraction: 1 }, // [1000, 1004)
  ]);
});

test.run();
