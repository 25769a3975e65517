import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pareto } from '../../../sim/engine/random/pareto.ts';
import {
  assertKolmogorovSmirnov,
  assertMomentsMatch,
  assertRangeError,
  assertReproducible,
  centralFourthFromRaw,
  drawSamples,
} from './sample-statistics.ts';

test('pareto sample mean and variance match the analytic values for shape 5', () => {
  const scale = 2;
  const shape = 5;
  const distribution = pareto(scale, shape);
  assert.is(distribution.mean, 2.5);
  assert.ok(Math.abs(distribution.variance - (4 * 5) / (16 * 3)) < 1e-15);
  // E[X^k] = α·xm^k/(α − k) for k < α
  const raw = (k: number) => (shape * scale ** k) / (shape - k);
  assertMomentsMatch(drawSamples(distribution), distribution, {
    fourthCentral: centralFourthFromRaw(raw(1), raw(2), raw(3), raw(4)),
  });
});

test('pareto samples pass a Kolmogorov–Smirnov test', () => {
  const scale = 0.5;
  const shape = 1.2;
  assertKolmogorovSmirnov(
    drawSamples(pareto(scale, shape)),
    (x) => (x < scale ? 0 : 1 - (scale / x) ** shape),
    'pareto',
  );
});

test('pareto mean is infinite for shape <= 1 and variance for shape <= 2', () => {
  assert.is(pareto(1, 1).mean, Infinity);
  assert.is(pareto(1, 0.5).variance, Infinity);
  assert.is(pareto(1, 2).variance, Infinity);
  assert.is(pareto(1, 2).mean, 2);
});

test('pareto samples never fall below the scale', () => {
  assert.ok(drawSamples(pareto(3, 0.9), 50_000).every((x) => x >= 3));
});

test('pareto draws are reproducible from equal streams', () => {
  assertReproducible(pareto(1, 1.5));
});

test('pareto rejects non-positive scale or shape', () => {
  assertRangeError(() => pareto(0, 1), 'pareto: scale must be > 0, got 0');
  assertRangeError(() => pareto(1, -2), 'pareto: shape must be > 0, got -2');
});

test.run();
