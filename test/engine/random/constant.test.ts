import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { constant } from '../../../sim/engine/random/constant.ts';
import { assertRangeError, drawSamples, freshStream } from './sample-statistics.ts';

test('a constant distribution always yields its value, with zero variance', () => {
  const distribution = constant(4.5);
  assert.is(distribution.mean, 4.5);
  assert.is(distribution.variance, 0);
  assert.ok(drawSamples(distribution, 1000).every((x) => x === 4.5));
});

test('sampling a constant consumes no random numbers', () => {
  const used = freshStream(1, 'c');
  const untouched = freshStream(1, 'c');
  drawSamples(constant(1), 10, used);
  assert.is(used.next(), untouched.next());
});

test('a constant must be finite', () => {
  assertRangeError(() => constant(NaN), 'constant: value must be a finite number');
  assertRangeError(() => constant(Infinity), 'constant: value');
});

test.run();
