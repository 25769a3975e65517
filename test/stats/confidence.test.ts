import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { meanInterval } from '../../sim/stats/confidence.ts';

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-12 * Math.max(1, Math.abs(expected)), `${what}: ${actual}, expected ${expected}`);

// By hand: mean 5; squared deviations 9 1 1 1 0 0 4 16 = 32; s = sqrt(32 / 7);
// t(0.975, 7) = 2.3646 and t(0.995, 7) = 3.4995 (A&S Table 26.10).
const SAMPLE = [2, 4, 4, 4, 5, 5, 7, 9];

test('95% interval of a hand-computed sample: mean 5, s = sqrt(32/7), half-width t(0.975, 7) s / sqrt(8)', () => {
  const ci = meanInterval(SAMPLE);
  assert.is(ci.n, 8);
  assert.is(ci.mean, 5);
  close(ci.stddev, Math.sqrt(32 / 7), 'stddev');
  const half = (2.3646 * Math.sqrt(32 / 7)) / Math.sqrt(8);
  close(ci.low, 5 - half, 'low');
  close(ci.high, 5 + half, 'high');
  assert.ok(Math.abs(ci.low - 3.2125) < 1e-4 && Math.abs(ci.high - 6.7875) < 1e-4);
});

test('99% interval uses t(0.995, 7) = 3.4995 and is wider', () => {
  const ci = meanInterval(SAMPLE, 0.99);
  const half = (3.4995 * Math.sqrt(32 / 7)) / Math.sqrt(8);
  assert.ok(Math.abs(ci.high - ci.mean - half) < 1e-3, `half-width ${ci.high - ci.mean}, expected ${half}`);
  assert.ok(ci.high - ci.low > meanInterval(SAMPLE).high - meanInterval(SAMPLE).low);
});

test('two observations: df 1, half-width 12.7062 s / sqrt(2)', () => {
  const ci = meanInterval([1, 3]);
  assert.is(ci.mean, 2);
  close(ci.stddev, Math.SQRT2, 'stddev');
  close(ci.high - ci.mean, (12.7062 * Math.SQRT2) / Math.SQRT2, 'half-width');
});

test('equal observations give a zero-width interval', () => {
  const ci = meanInterval([4.5, 4.5, 4.5]);
  assert.equal([ci.mean, ci.stddev, ci.low, ci.high], [4.5, 0, 4.5, 4.5]);
});

test('fewer than two observations: no interval (NaN), and no mean without data', () => {
  const one = meanInterval([3]);
  assert.is(one.n, 1);
  assert.is(one.mean, 3);
  assert.ok(Number.isNaN(one.stddev) && Number.isNaN(one.low) && Number.isNaN(one.high));
  const none = meanInterval([]);
  assert.is(none.n, 0);
  assert.ok([none.mean, none.stddev, none.low, none.high].every(Number.isNaN));
});

test('the interval is symmetric about the mean and reproducible', () => {
  const values = [0.1, 0.7, 0.2, 0.9, 0.35];
  const ci = meanInterval(values);
  close(ci.high - ci.mean, ci.mean - ci.low, 'symmetry');
  assert.equal(meanInterval(values), ci);
});

test.run();
