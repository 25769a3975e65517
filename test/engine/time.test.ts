import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NS_PER_MS, NS_PER_S, NS_PER_US, nsToSeconds, secondsToNs } from '../../sim/engine/time.ts';

test('the unit constants are powers of a thousand nanoseconds', () => {
  assert.is(NS_PER_US, 1_000);
  assert.is(NS_PER_MS, 1_000_000);
  assert.is(NS_PER_S, 1_000_000_000);
});

test('secondsToNs gives integer nanoseconds, rounding to the nearest', () => {
  assert.is(secondsToNs(1), 1_000_000_000);
  assert.is(secondsToNs(1.5e-6), 1_500);
  assert.is(secondsToNs(0.1 + 0.2), 300_000_000, 'float noise is rounded away');
  assert.is(secondsToNs(1.4e-9), 1);
  assert.is(secondsToNs(1.6e-9), 2);
  assert.ok(Number.isInteger(secondsToNs(123.456789012345)));
});

test('nsToSeconds converts back', () => {
  assert.is(nsToSeconds(2_500_000_000), 2.5);
  assert.is(nsToSeconds(secondsToNs(42.125)), 42.125);
});

test.run();
