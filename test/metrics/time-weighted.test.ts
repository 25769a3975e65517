import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TimeWeighted } from '../../sim/metrics/time-weighted.ts';
import type { FakeClock } from './fakes.ts';

/**
 * Step function used below (value over time, ns):
 *   [0, 10) → 0,  [10, 30) → 2,  [30, 35) → 5,  [35, 100) → 1
 * area = 0·10 + 2·20 + 5·5 + 1·65 = 130, so the mean over [0, 100] is 1.3.
 */
function stepFunction(clock: FakeClock): TimeWeighted {
  const tw = new TimeWeighted(clock);
  clock.now = 10;
  tw.set(2);
  clock.now = 30;
  tw.add(3);
  clock.now = 35;
  tw.set(1);
  clock.now = 100;
  return tw;
}

test('mean() is the time average of a hand-computed step function', () => {
  const clock = { now: 0 };
  const tw = stepFunction(clock);
  assert.is(tw.mean(), 1.3);
  assert.is(tw.integral(), 130);
  assert.is(tw.value, 1);
});

test('max is the largest value held, and value follows set/add', () => {
  const clock = { now: 0 };
  const tw = stepFunction(clock);
  assert.is(tw.max, 5);
  tw.add(-1);
  assert.is(tw.value, 0);
});

test('the current piece counts up to now, without needing another update', () => {
  const clock = { now: 0 };
  const tw = new TimeWeighted(clock, 4);
  clock.now = 50;
  assert.is(tw.mean(), 4);
  tw.set(0);
  clock.now = 100;
  assert.is(tw.mean(), 2);
});

test('several updates at the same instant contribute no area', () => {
  const clock = { now: 0 };
  const tw = new TimeWeighted(clock);
  clock.now = 10;
  tw.set(100);
  tw.set(7);
  tw.set(1);
  clock.now = 20;
  assert.is(tw.integral(), 10);
  assert.is(tw.max, 100);
});

test('over zero elapsed time the mean is the current value', () => {
  const clock = { now: 5 };
  const tw = new TimeWeighted(clock, 3);
  assert.is(tw.mean(), 3);
});

test('reset() excludes the warm-up: mean and max cover only time after it', () => {
  const clock = { now: 0 };
  const tw = stepFunction(clock); // at t=100, value 1, warm-up mean 1.3 and max 5
  tw.reset();
  assert.is(tw.max, 1, 'max restarts at the current value');
  assert.is(tw.value, 1, 'the value is kept');
  clock.now = 150;
  tw.set(3);
  clock.now = 200;
  // after the reset: [100,150) → 1, [150,200) → 3; mean 2
  assert.is(tw.mean(), 2);
  assert.is(tw.max, 3);
});

test('integral() runs from creation and ignores resets', () => {
  const clock = { now: 0 };
  const tw = stepFunction(clock);
  tw.reset();
  clock.now = 110;
  assert.is(tw.integral(), 140);
});

test('a starting time other than zero is respected', () => {
  const clock = { now: 1_000 };
  const tw = new TimeWeighted(clock, 2);
  clock.now = 1_010;
  tw.set(4);
  clock.now = 1_020;
  assert.is(tw.mean(), 3);
});

test('non-finite values are rejected and leave the metric unchanged', () => {
  const clock = { now: 0 };
  const tw = new TimeWeighted(clock, 1);
  assert.throws(() => tw.set(NaN), /must be finite/);
  assert.throws(() => tw.add(Infinity), /must be finite/);
  assert.throws(() => new TimeWeighted(clock, NaN), /not finite/);
  clock.now = 10;
  assert.is(tw.mean(), 1);
});

test.run();
