import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normal, standardNormal } from '../../../sim/engine/random/normal.ts';
import {
  assertKolmogorovSmirnov,
  assertMomentsMatch,
  assertRangeError,
  assertReproducible,
  drawSamples,
  freshStream,
  standardNormalCdf,
} from './sample-statistics.ts';

test('normal sample mean and variance match the parameters', () => {
  const distribution = normal(10, 3);
  assert.is(distribution.mean, 10);
  assert.is(distribution.variance, 9);
  assertMomentsMatch(drawSamples(distribution), distribution, { fourthCentral: 3 * 3 ** 4 });
});

test('normal samples pass a Kolmogorov–Smirnov test', () => {
  assertKolmogorovSmirnov(drawSamples(normal(-2, 0.5)), (x) => standardNormalCdf((x + 2) / 0.5), 'normal');
});

test('a standard normal consumes exactly two generator steps', () => {
  const sampled = freshStream(3, 'bm');
  const skipped = freshStream(3, 'bm');
  for (let i = 0; i < 100; i++) standardNormal(sampled);
  for (let i = 0; i < 200; i++) skipped.next();
  assert.is(sampled.next(), skipped.next());
});

test('a zero standard deviation always yields the mean', () => {
  assert.ok(drawSamples(normal(7, 0), 100).every((x) => x === 7));
});

test('normal draws are reproducible from equal streams', () => {
  assertReproducible(normal(0, 1));
});

test('normal rejects a negative or non-finite standard deviation', () => {
  assertRangeError(() => normal(0, -1), 'normal: stddev must be >= 0, got -1');
  assertRangeError(() => normal(NaN, 1), 'normal: mean must be a finite number');
});

test.run();
