import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nextDown } from '../../../sim/engine/random/next-down.ts';
import { assertRangeError } from './sample-statistics.ts';

test('nextDown returns the adjacent smaller double for positive, negative and zero inputs', () => {
  assert.is(nextDown(1), 1 - Number.EPSILON / 2);
  assert.is(nextDown(-1), -1 - Number.EPSILON);
  assert.is(nextDown(0), -Number.MIN_VALUE);
  assert.is(nextDown(Number.MIN_VALUE), 0);
  assert.is(nextDown(2 ** 53 + 2), 2 ** 53);
});

test('nextDown rejects non-finite input', () => {
  assertRangeError(() => nextDown(Infinity), 'nextDown');
  assertRangeError(() => nextDown(NaN), 'nextDown');
});

test.run();
