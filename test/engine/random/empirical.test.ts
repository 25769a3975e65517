import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { empiricalFromHistogram } from '../../../sim/engine/random/empirical-histogram.ts';
import { empiricalFromPoints } from '../../../sim/engine/random/empirical-points.ts';
import {
  assertChiSquare,
  assertKolmogorovSmirnov,
  assertMomentsMatch,
  assertRangeError,
  assertReproducible,
  drawSamples,
} from './sample-statistics.ts';

const IO_SIZES = [4096, 4096, 8192, 16384, 4096, 65536, 131072, 1048576];

test('points: mean and variance are those of the points (population variance)', () => {
  const distribution = empiricalFromPoints([1, 2, 2, 10]);
  assert.is(distribution.mean, 3.75);
  assert.is(distribution.variance, (2.75 ** 2 + 1.75 ** 2 * 2 + 6.25 ** 2) / 4);
  assert.is(distribution.size, 4);
});

test('points: sample mean and variance match the analytic values', () => {
  const distribution = empiricalFromPoints(IO_SIZES);
  const mean = distribution.mean;
  const fourthCentral = IO_SIZES.reduce((sum, x) => sum + (x - mean) ** 4, 0) / IO_SIZES.length;
  assertMomentsMatch(drawSamples(distribution), distribution, { fourthCentral });
});

test('points: only the given values are drawn, each with frequency proportional to its count', () => {
  const samples = drawSamples(empiricalFromPoints(IO_SIZES));
  const distinct = [...new Set(IO_SIZES)].sort((a, b) => a - b);
  const observed = distinct.map(() => 0);
  for (const x of samples) {
    const index = distinct.indexOf(x);
    assert.ok(index >= 0, `unexpected value ${x}`);
    observed[index]!++;
  }
  const expected = distinct.map((v) => (IO_SIZES.filter((x) => x === v).length / IO_SIZES.length) * samples.length);
  assertChiSquare(observed, expected, 'empirical points');
});

test('points: the input array is copied, so later edits do not change the distribution', () => {
  const values = [1, 2, 3];
  const distribution = empiricalFromPoints(values);
  values[0] = 1000;
  assert.ok(drawSamples(distribution, 1000).every((x) => x <= 3));
});

test('histogram: mean and variance are those of the piecewise-uniform mixture', () => {
  const distribution = empiricalFromHistogram([
    { low: 0, high: 2, weight: 1 },
    { low: 2, high: 4, weight: 3 },
  ]);
  assert.is(distribution.mean, 0.25 * 1 + 0.75 * 3);
  // Within-bin variance 4/12 plus between-bin variance 0.25·0.75·(3 − 1)²
  assert.ok(Math.abs(distribution.variance - (4 / 12 + 0.25 * 0.75 * 4)) < 1e-15);
});

test('histogram: sample mean and variance match the analytic values', () => {
  const distribution = empiricalFromHistogram([
    { low: 0.001, high: 0.002, weight: 50 },
    { low: 0.002, high: 0.01, weight: 30 },
    { low: 0.01, high: 0.1, weight: 15 },
    { low: 0.1, high: 1, weight: 5 },
  ]);
  assertMomentsMatch(drawSamples(distribution), distribution);
});

test('histogram: samples follow the piecewise-linear CDF (Kolmogorov–Smirnov)', () => {
  const bins = [
    { low: 10, high: 20, weight: 2 },
    { low: 0, high: 10, weight: 1 },
    { low: 20, high: 40, weight: 1 },
  ];
  const cdf = (x: number) => {
    let mass = 0;
    for (const bin of bins) mass += bin.weight * Math.min(1, Math.max(0, (x - bin.low) / (bin.high - bin.low)));
    return mass / 4;
  };
  assertKolmogorovSmirnov(drawSamples(empiricalFromHistogram(bins)), cdf, 'histogram');
});

test('histogram: zero-weight bins are never drawn and point-mass bins return their value', () => {
  const distribution = empiricalFromHistogram([
    { low: 0, high: 1, weight: 0 },
    { low: 4096, high: 4096, weight: 3 },
    { low: 5, high: 6, weight: 1 },
    { low: 100, high: 200, weight: 0 },
  ]);
  const samples = drawSamples(distribution, 50_000);
  const pointMass = samples.filter((x) => x === 4096).length;
  assert.ok(samples.every((x) => x === 4096 || (x >= 5 && x < 6)));
  assert.ok(Math.abs(pointMass - 37_500) < 4 * Math.sqrt(50_000 * 0.75 * 0.25), `point mass ${pointMass}`);
  assert.is(distribution.mean, 0.75 * 4096 + 0.25 * 5.5);
});

test('empirical draws are reproducible from equal streams', () => {
  assertReproducible(empiricalFromPoints(IO_SIZES));
  assertReproducible(empiricalFromHistogram([{ low: 0, high: 1, weight: 1 }, { low: 1, high: 3, weight: 2 }]));
});

test('empirical constructors reject empty, non-finite or weightless input', () => {
  assertRangeError(() => empiricalFromPoints([]), 'empirical: values must be a non-empty array');
  assertRangeError(() => empiricalFromPoints([1, NaN]), 'empirical: values[1] must be a finite number');
  assertRangeError(() => empiricalFromHistogram([]), 'bins must be a non-empty array');
  assertRangeError(() => empiricalFromHistogram([{ low: 2, high: 1, weight: 1 }]), 'bins[0] needs low <= high');
  assertRangeError(() => empiricalFromHistogram([{ low: 0, high: 1, weight: -1 }]), 'bins[0].weight must be >= 0');
  assertRangeError(() => empiricalFromHistogram([{ low: 0, high: 1, weight: 0 }]), 'total weight must be');
  assertRangeError(() => empiricalFromHistogram([{ low: 0, high: Infinity, weight: 1 }]), 'bins[0].high');
});

test.run();
