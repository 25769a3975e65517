import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lognormal, lognormalFromMoments } from '../../../sim/engine/random/lognormal.ts';
import {
  assertKolmogorovSmirnov,
  assertMomentsMatch,
  assertRangeError,
  assertReproducible,
  centralFourthFromRaw,
  drawSamples,
  standardNormalCdf,
} from './sample-statistics.ts';

/** E[X^k] = exp(kμ + k²σ²/2). */
function rawMoment(mu: number, sigma: number, k: number): number {
  return Math.exp(k * mu + (k * k * sigma * sigma) / 2);
}

function fourthCentral(mu: number, sigma: number): number {
  const m = (k: number) => rawMoment(mu, sigma, k);
  return centralFourthFromRaw(m(1), m(2), m(3), m(4));
}

test('lognormal sample mean and variance match exp(μ+σ²/2) and (e^σ² − 1)e^(2μ+σ²)', () => {
  const distribution = lognormal(0.5, 0.5);
  assert.ok(Math.abs(distribution.mean - Math.exp(0.625)) < 1e-15);
  assert.ok(Math.abs(distribution.variance - (Math.exp(0.25) - 1) * Math.exp(1.25)) < 1e-14);
  assertMomentsMatch(drawSamples(distribution), distribution, { fourthCentral: fourthCentral(0.5, 0.5) });
});

test('lognormalFromMoments reproduces the requested mean and standard deviation', () => {
  const distribution = lognormalFromMoments(1, 1.5);
  assert.ok(Math.abs(distribution.mean - 1) < 1e-12, `mean ${distribution.mean}`);
  assert.ok(Math.abs(Math.sqrt(distribution.variance) - 1.5) < 1e-12, `sd ${Math.sqrt(distribution.variance)}`);
  const samples = drawSamples(distribution);
  assertMomentsMatch(samples, distribution, {
    fourthCentral: fourthCentral(distribution.mu, distribution.sigma),
    label: 'lognormal(mean 1, cv 1.5)',
  });
});

test('lognormal samples pass a Kolmogorov–Smirnov test', () => {
  const mu = -1;
  const sigma = 0.8;
  assertKolmogorovSmirnov(
    drawSamples(lognormal(mu, sigma)),
    (x) => (x <= 0 ? 0 : standardNormalCdf((Math.log(x) - mu) / sigma)),
    'lognormal',
  );
});

test('lognormal samples are positive', () => {
  assert.ok(drawSamples(lognormalFromMoments(0.001, 0.01), 10_000).every((x) => x > 0));
});

test('lognormal draws are reproducible from equal streams', () => {
  assertReproducible(lognormalFromMoments(2, 1));
});

test('lognormal rejects invalid parameters', () => {
  assertRangeError(() => lognormal(0, -0.1), 'lognormal: sigma must be >= 0');
  assertRangeError(() => lognormal(Infinity, 1), 'lognormal: mu must be a finite number');
  assertRangeError(() => lognormalFromMoments(0, 1), 'lognormal: mean must be > 0, got 0');
  assertRangeError(() => lognormalFromMoments(1, -1), 'lognormal: stddev must be >= 0, got -1');
});

test.run();
