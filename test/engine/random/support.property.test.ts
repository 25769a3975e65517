/**
 * Property tests: for randomly chosen valid parameters every sample lies in the
 * distribution's support, and invalid parameters are rejected. Fixed fast-check seeds keep
 * the runs deterministic.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { Distribution } from '../../../sim/engine/random/distribution.ts';
import { empiricalFromHistogram } from '../../../sim/engine/random/empirical-histogram.ts';
import { empiricalFromPoints } from '../../../sim/engine/random/empirical-points.ts';
import { exponential } from '../../../sim/engine/random/exponential.ts';
import { lognormal } from '../../../sim/engine/random/lognormal.ts';
import { normal } from '../../../sim/engine/random/normal.ts';
import { pareto } from '../../../sim/engine/random/pareto.ts';
import { RandomStreams } from '../../../sim/engine/random/stream.ts';
import { uniform } from '../../../sim/engine/random/uniform.ts';
import { weibull } from '../../../sim/engine/random/weibull.ts';
import { zipf } from '../../../sim/engine/random/zipf.ts';

const RUNS = { seed: 20240601, numRuns: 150 } as const;
const DRAWS_PER_CASE = 300;

const runSeed = fc.integer({ min: 0, max: 2 ** 31 });
const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** Check `inSupport` on DRAWS_PER_CASE samples drawn from a stream of `seed`. */
function everySampleIn(distribution: Distribution, seed: number, inSupport: (x: number) => boolean): boolean {
  const rng = new RandomStreams(seed).stream('property');
  for (let i = 0; i < DRAWS_PER_CASE; i++) {
    const x = distribution.sample(rng);
    if (!inSupport(x)) throw new Error(`${distribution.kind}: sample ${x} outside the support`);
  }
  return true;
}

test('uniform samples lie in [min, max) for any finite range', () => {
  fc.assert(
    fc.property(finite(-1e300, 1e300), finite(-1e300, 1e300), runSeed, (a, b, seed) => {
      fc.pre(a !== b && Number.isFinite(Math.max(a, b) - Math.min(a, b)));
      const min = Math.min(a, b);
      const max = Math.max(a, b);
      return everySampleIn(uniform(min, max), seed, (x) => x >= min && x < max);
    }),
    RUNS,
  );
});

test('exponential, weibull and pareto samples are finite and within their support', () => {
  fc.assert(
    fc.property(finite(1e-9, 1e9), finite(0.05, 50), runSeed, (scale, shape, seed) => {
      everySampleIn(exponential(scale), seed, (x) => x >= 0 && Number.isFinite(x));
      everySampleIn(weibull(scale, shape), seed, (x) => x >= 0 && Number.isFinite(x));
      return everySampleIn(pareto(scale, shape), seed, (x) => x >= scale);
    }),
    RUNS,
  );
});

test('normal samples are finite and lognormal samples non-negative', () => {
  fc.assert(
    fc.property(
      finite(-1e6, 1e6),
      finite(0, 1e3),
      finite(-5, 5),
      finite(0, 3),
      runSeed,
      (mean, sd, mu, sigma, seed) => {
        everySampleIn(normal(mean, sd), seed, Number.isFinite);
        return everySampleIn(lognormal(mu, sigma), seed, (x) => x >= 0 && Number.isFinite(x));
      },
    ),
    RUNS,
  );
});

test('zipf samples are integers within 1..n for any n up to 2^53 − 1 and exponent in [0, 10]', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
      finite(0, 10),
      runSeed,
      (n, s, seed) => everySampleIn(zipf(n, s), seed, (k) => Number.isInteger(k) && k >= 1 && k <= n),
    ),
    RUNS,
  );
});

test('empirical samples are always one of the points, or inside a drawable histogram bin', () => {
  const bin = fc.record({ low: finite(-1e6, 1e6), width: finite(0, 1e6), weight: finite(0, 100) });
  fc.assert(
    fc.property(
      fc.array(finite(-1e9, 1e9), { minLength: 1, maxLength: 50 }),
      fc.array(bin, { minLength: 1, maxLength: 20 }),
      runSeed,
      (points, rawBins, seed) => {
        everySampleIn(empiricalFromPoints(points), seed, (x) => points.includes(x));
        const bins = rawBins.map(({ low, width, weight }) => ({ low, high: low + width, weight }));
        fc.pre(bins.some((b) => b.weight > 0));
        const drawable = bins.filter((b) => b.weight > 0);
        return everySampleIn(empiricalFromHistogram(bins), seed, (x) =>
          drawable.some((b) => (b.high > b.low ? x >= b.low && x < b.high : x === b.low)),
        );
      },
    ),
    RUNS,
  );
});

test('nextInt returns an integer in [0, n) for any n up to 2^53 − 1', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), runSeed, (n, seed) => {
      const rng = new RandomStreams(seed).stream('ints');
      for (let i = 0; i < DRAWS_PER_CASE; i++) {
        const k = rng.nextInt(n);
        if (!(Number.isInteger(k) && k >= 0 && k < n)) return false;
      }
      return true;
    }),
    RUNS,
  );
});

test('analytic variances are non-negative and means finite wherever defined', () => {
  fc.assert(
    fc.property(
      finite(1e-3, 1e3),
      finite(2.01, 20),
      fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 1e15 })),
      finite(0, 4),
      (scale, shape, n, s) => {
        for (const d of [exponential(scale), weibull(scale, shape), pareto(scale, shape), zipf(n, s)]) {
          assert.ok(Number.isFinite(d.mean) && d.variance >= 0, `${d.kind}: mean ${d.mean}, variance ${d.variance}`);
        }
        return true;
      },
    ),
    { ...RUNS, numRuns: 100 },
  );
});

test('non-positive scale-like parameters are always rejected with a RangeError', () => {
  fc.assert(
    fc.property(finite(-1e9, 0), (bad) => {
      const constructors = [
        () => exponential(bad),
        () => pareto(bad, 1),
        () => weibull(1, bad),
        () => zipf(1, bad - 1e-9),
      ];
      for (const make of constructors) assert.throws(make, (error: unknown) => error instanceof RangeError);
      return true;
    }),
    RUNS,
  );
});

test.run();
