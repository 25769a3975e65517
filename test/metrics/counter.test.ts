import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Counter } from '../../sim/metrics/counter.ts';

test('a new counter is zero', () => {
  assert.is(new Counter().value, 0);
});

test('add() counts one by default and adds the given amount otherwise', () => {
  const c = new Counter();
  c.add();
  c.add();
  c.add(4096);
  c.add(0.5);
  assert.is(c.value, 4098.5);
});

test('a counter only goes up: negative, NaN and infinite increments are rejected', () => {
  const c = new Counter();
  c.add(3);
  assert.throws(() => c.add(-1), /finite and >= 0/);
  assert.throws(() => c.add(NaN), /finite and >= 0/);
  assert.throws(() => c.add(Infinity), /finite and >= 0/);
  assert.is(c.value, 3);
});

test('reset() restarts the count at zero', () => {
  const c = new Counter();
  c.add(10);
  c.reset();
  c.add(2);
  assert.is(c.value, 2);
});

test.run();
