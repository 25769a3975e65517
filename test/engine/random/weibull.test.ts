import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gamma } from '../../../sim/engine/random/gamma.ts';
import { weibull } from '../../../sim/engine/random/weibull.ts';
import {
  assertKolmogorovSmirnov,
  assertMomentsMatch,
  assertRangeError,
  assertReproducible,
  centralFourthFromRaw,
  drawSamples,
} from './sample-statistics.ts';

/** Analytic fourth central moment from E[X^j] = λ^j Γ(1 + j/k). */
function fourthCentral(scale: number, shape: number): number {
  const raw = (j: number) => scale ** j * gamma(1 + j / shape);
  return centralFourthFromRaw(raw(1), raw(2), raw(3), raw(4));
}

for (const [scale, shape] of [
  [2, 1.5],
  [1, 0.7],
  [0.01, 5],
] as const) {
  test(`weibull(λ=${scale}, k=${shape}) sample mean and variance match the gamma-function formulas`, () => {
    const distribution = weibull(scale, shape);
    const mean = scale * gamma(1 + 1 / shape);
    const variance = scale ** 2 * (gamma(1 + 2 / shape) - gamma(1 + 1 / shape) ** 2);
    assert.ok(Math.abs(distribution.mean - mean) < 1e-13 * mean, `mean ${distribution.mean} vs ${mean}`);
    assert.ok(Math.abs(distribution.variance - variance) < 1e-12 * variance, `variance ${distribution.variance}`);
    assertMomentsMatch(drawSamples(distribution), distribution, { fourthCentral: fourthCentral(scale, shape) });
  });
}

test('weibull with shape 1 is the exponential with mean λ', () => {
  const distribution = weibull(3, 1);
  assert.ok(Math.abs(distribution.mean - 3) < 1e-14);
  assert.ok(Math.abs(distribution.variance - 9) < 1e-13);
});

test('weibull variance stays finite and accurate for small and large shapes', () => {
  // k = 0.1: Γ(21) = 20!, Γ(11) = 10!
  const small = weibull(1, 0.1);
  assert.ok(Math.abs(small.variance / (2432902008176640000 - 3628800 ** 2) - 1) < 1e-12);
  // Large k: variance ≈ λ²π²/(6k²)
  const large = weibull(1, 1000);
  assert.ok(Math.abs(large.variance / (Math.PI ** 2 / 6e6) - 1) < 1e-2, `variance ${large.variance}`);
});

test('weibull samples pass a Kolmogorov–Smirnov test', () => {
  const scale = 4;
  const shape = 2.5;
  assertKolmogorovSmirnov(
    drawSamples(weibull(scale, shape)),
    (x) => (x <= 0 ? 0 : 1 - Math.exp(-((x / scale) ** shape))),
    'weibull',
  );
});

test('weibull draws are reproducible from equal streams', () => {
  assertReproducible(weibull(1, 0.5));
});

test('weibull rejects non-positive scale or shape', () => {
  assertRangeError(() => weibull(-1, 1), 'weibull: scale must be > 0, got -1');
  assertRangeError(() => weibull(1, 0), 'weibull: shape must be > 0, got 0');
});

test.run();
