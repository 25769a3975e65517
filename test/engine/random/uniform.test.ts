import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { uniform } from '../../../sim/engine/random/uniform.ts';
import {
  assertKolmogorovSmirnov,
  assertMomentsMatch,
  assertRangeError,
  assertReproducible,
  drawSamples,
} from './sample-statistics.ts';

test('uniform sample mean and variance match (min+max)/2 and width²/12', () => {
  const distribution = uniform(2, 5);
  assert.is(distribution.mean, 3.5);
  assert.is(distribution.variance, 0.75);
  assertMomentsMatch(drawSamples(distribution), distribution, { fourthCentral: 3 ** 4 / 80 });
});

test('uniform samples pass a Kolmogorov–Smirnov test', () => {
  assertKolmogorovSmirnov(drawSamples(uniform(-1, 3)), (x) => Math.min(1, Math.max(0, (x + 1) / 4)), 'uniform');
});

test('uniform samples stay in [min, max) even when the width is below max’s resolution', () => {
  const min = 1e16;
  const max = 1e16 + 2; // adjacent doubles: only min itself is a legal sample
  const samples = drawSamples(uniform(min, max), 10_000);
  assert.ok(samples.every((x) => x === min));
});

test('uniform uses 53-bit draws, so floored positions over a huge range stay balanced', () => {
  // With 32-bit draws, over 2^40 only multiples of 2^8 would ever appear.
  const samples = drawSamples(uniform(0, 2 ** 40), 10_000);
  const offGrid = samples.filter((x) => Math.floor(x) % 256 !== 0).length;
  assert.ok(offGrid > 9_900, `only ${offGrid} samples off the 2^8 grid`);
});

test('uniform draws are reproducible from equal streams', () => {
  assertReproducible(uniform(0, 10));
});

test('uniform rejects empty or non-finite ranges', () => {
  assertRangeError(() => uniform(1, 1), 'uniform: max must be > min');
  assertRangeError(() => uniform(2, 1), 'uniform: max must be > min');
  assertRangeError(() => uniform(NaN, 1), 'uniform: min must be a finite number');
  assertRangeError(() => uniform(0, Infinity), 'uniform: max must be a finite number');
  assertRangeError(() => uniform(-Number.MAX_VALUE, Number.MAX_VALUE), 'max - min must be finite');
});

test.run();
