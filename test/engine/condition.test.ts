import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Condition, allOf, anyOf, type ConditionValue } from '../../sim/engine/condition.ts';
import { Environment } from '../../sim/engine/environment.ts';
import type { SimEvent } from '../../sim/engine/event.ts';
import { setup } from './who-did-what.ts';

test('allOf fires once every event has been processed; its value maps each event to its value in the given order', () => {
  const { env, log, say } = setup();
  const slow = env.timeout(30, 'slow');
  const fast = env.timeout(10, 'fast');
  const middle = env.timeout(20, 'middle');
  const events = [slow, fast, middle];
  env.process(
    (function* () {
      const value: ConditionValue = yield env.allOf(events);
      say(`all done: ${[...value.values()].join(', ')}`);
      assert.equal([...value.keys()], events, 'keys in the order the events were given');
      assert.is(value.get(fast), 'fast');
    })(),
  );
  env.run();
  assert.equal(log, [[30, 'all done: slow, fast, middle']]);
});

test('anyOf fires at the first processed event; its value holds just the events processed by then', () => {
  const { env, log, say } = setup();
  const slow = env.timeout(30, 'slow');
  const fast = env.timeout(10, 'fast');
  env.process(
    (function* () {
      const value: ConditionValue = yield env.anyOf([slow, fast]);
      say(`first: ${[...value.values()].join(', ')}`);
      assert.equal([...value.keys()], [fast]);
    })(),
  );
  env.run();
  assert.equal(log, [[10, 'first: fast']]);
  assert.is(env.now, 30, 'the other event still happens');
});

test('the value of anyOf is taken when its first event fires: a simultaneous event processed just after is not in it', () => {
  const { env, log, say } = setup();
  const a = env.timeout(5, 'a');
  const b = env.timeout(5, 'b');
  env.process(
    (function* () {
      const value: ConditionValue = yield env.anyOf([b, a]);
      say(`values: ${[...value.values()].join(', ')}`);
    })(),
  );
  env.run();
  // a is processed first and triggers the condition; b is processed at 5 too, before the
  // condition itself, but the value was collected when the condition was triggered
  // (SimPy builds it when the condition is processed and would include b).
  assert.equal(log, [[5, 'values: a']]);
});

test('allOf and anyOf work with processes, giving their return values', () => {
  const { env, log, say } = setup();
  const job = (name: string, time: number): SimEvent<string> =>
    env.process(
      (function* () {
        yield time;
        return `${name} result`;
      })(),
    );
  env.process(
    (function* () {
      const jobs = [job('x', 4), job('y', 2)];
      const first: ConditionValue = yield env.anyOf(jobs);
      say(`any: ${[...first.values()].join(', ')}`);
      const all: ConditionValue = yield env.allOf(jobs);
      say(`all: ${[...all.values()].join(', ')}`);
    })(),
  );
  env.run();
  assert.equal(log, [
    [2, 'any: y result'],
    [4, 'all: x result, y result'],
  ]);
});

test('events already processed when the condition is made count towards it', () => {
  const { env, log, say } = setup();
  const early = env.timeout(1, 'early');
  env.process(
    (function* () {
      yield 5;
      const late = env.timeout(3, 'late');
      const all: ConditionValue = yield env.allOf([early, late]);
      say(`all: ${[...all.values()].join(', ')}`);
      const any: ConditionValue = yield env.anyOf([env.timeout(9), early]);
      say(`any: ${[...any.values()].join(', ')}`);
    })(),
  );
  env.run();
  assert.equal(log, [
    [8, 'all: early, late'],
    [8, 'any: early'],
  ]);
});

test('a failing member fails an allOf at once with its error', () => {
  const { env, log, say } = setup();
  const failing = env.event();
  env.schedule(4, () => failing.fail(new Error('member failed')), null);
  env.process(
    (function* () {
      try {
        yield env.allOf([env.timeout(10), failing]);
        say('not reached');
      } catch (error) {
        say(`caught: ${(error as Error).message}`);
      }
    })(),
  );
  env.run();
  assert.equal(log, [[4, 'caught: member failed']]);
});

test('a failing member fails an anyOf that has not fired yet', () => {
  const { env, log, say } = setup();
  const failing = env.process(
    (function* () {
      yield 2;
      throw new Error('worker crashed');
    })(),
  );
  env.process(
    (function* () {
      try {
        yield env.anyOf([env.timeout(10), failing]);
        say('not reached');
      } catch (error) {
        say(`caught: ${(error as Error).message}`);
      }
    })(),
  );
  env.run();
  assert.equal(log, [[2, 'caught: worker crashed']]);
});

test('an unhandled failed condition stops the run with the member error', () => {
  const { env } = setup();
  const failing = env.event();
  env.allOf([failing, env.timeout(5)]);
  env.schedule(1, () => failing.fail(new Error('nobody listens')), null);
  assert.throws(() => env.run(), /nobody listens/);
  assert.is(env.now, 1);
});

test('a member failing after its anyOf fired is not handled by the condition and stops the run (as in SimPy)', () => {
  const { env, log, say } = setup();
  const failing = env.event();
  env.schedule(5, () => failing.fail(new Error('late failure')), null);
  env.process(
    (function* () {
      yield env.anyOf([env.timeout(1, 'quick'), failing]);
      say('anyOf fired');
    })(),
  );
  assert.throws(() => env.run(), /late failure/);
  assert.equal(log, [[1, 'anyOf fired']]);
  assert.is(env.now, 5);
});

test('allOf and anyOf of an empty list succeed at once with an empty value', () => {
  const { env, log, say } = setup();
  env.process(
    (function* () {
      yield 3;
      const all: ConditionValue = yield env.allOf([]);
      say(`allOf([]) gave ${all.size} entries`);
      const any: ConditionValue = yield env.anyOf([]);
      say(`anyOf([]) gave ${any.size} entries`);
    })(),
  );
  env.run();
  assert.equal(log, [
    [3, 'allOf([]) gave 0 entries'],
    [3, 'anyOf([]) gave 0 entries'],
  ]);
  const empty = allOf(env, []);
  assert.ok(empty.triggered);
  assert.ok(empty.ok);
});

test('conditions nest: allOf of anyOfs', () => {
  const { env, log, say } = setup();
  env.process(
    (function* () {
      const left = env.anyOf([env.timeout(3, 'l3'), env.timeout(8, 'l8')]);
      const right = env.anyOf([env.timeout(6, 'r6'), env.timeout(9, 'r9')]);
      const both: ConditionValue = yield env.allOf([left, right]);
      const inner = [...both.values()].map((v) => [...(v as ConditionValue).values()].join('+'));
      say(`both: ${inner.join(' & ')}`);
    })(),
  );
  env.run();
  assert.equal(log, [[6, 'both: l3 & r6']]);
});

test('a condition can be used through the callback path', () => {
  const { env, log, say } = setup();
  const condition = anyOf(env, [env.timeout(7, 'seven'), env.timeout(9, 'nine')]);
  assert.instance(condition, Condition);
  condition.addCallback((event) => say(`fired with ${[...(event.value as ConditionValue).values()].join(',')}`));
  env.run();
  assert.equal(log, [[7, 'fired with seven']]);
});

test('a condition rejects events from another environment', () => {
  const env = new Environment();
  const other = new Environment();
  assert.throws(() => env.allOf([env.timeout(1), other.timeout(1)]), /cannot mix events of different environments/);
});

test.run();
