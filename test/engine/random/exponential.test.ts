import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exponential } from '../../../sim/engine/random/exponential.ts';
import {
  assertKolmogorovSmirnov,
  assertMomentsMatch,
  assertRangeError,
  assertReproducible,
  drawSamples,
} from './sample-statistics.ts';

test('exponential sample mean and variance match mean and mean²', () => {
  const distribution = exponential(2.5);
  assert.is(distribution.mean, 2.5);
  assert.is(distribution.variance, 6.25);
  assert.is(distribution.rate, 0.4);
  assertMomentsMatch(drawSamples(distribution), distribution, { fourthCentral: 9 * 2.5 ** 4 });
});

test('exponential samples pass a Kolmogorov–Smirnov test', () => {
  const mean = 0.003;
  assertKolmogorovSmirnov(drawSamples(exponential(mean)), (x) => 1 - Math.exp(-x / mean), 'exponential');
});

test('exponential samples are non-negative and never −0', () => {
  const samples = drawSamples(exponential(1), 50_000);
  assert.ok(samples.every((x) => x >= 0 && !Object.is(x, -0) && Number.isFinite(x)));
});

test('exponential draws are reproducible from equal streams', () => {
  assertReproducible(exponential(1));
});

test('exponential rejects a non-positive or non-finite mean', () => {
  assertRangeError(() => exponential(-1), 'exponential: mean must be > 0, got -1');
  assertRangeError(() => exponential(0), 'exponential: mean must be > 0, got 0');
  assertRangeError(() => exponential(NaN), 'exponential: mean must be a finite number');
});

test.run();
