import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Environment, RunawayError } from '../../sim/engine/environment.ts';
import { Priority } from '../../sim/engine/event-queue.ts';

type Log = Array<[number, string]>;

function throwsWith(fn: () => unknown, type: new (...args: any[]) => Error, pattern: RegExp): Error {
  try {
    fn();
  } catch (error) {
    assert.instance(error, type);
    assert.match((error as Error).message, pattern);
    return error as Error;
  }
  assert.unreachable(`expected a ${type.name} matching ${pattern}`);
  throw new Error('unreachable');
}

test('a new environment starts at time 0 (or startNs) with nothing pending', () => {
  const env = new Environment();
  assert.is(env.now, 0);
  assert.is(env.pendingCount, 0);
  assert.is(env.eventsProcessed, 0);
  assert.is(env.activeProcess, null);
  assert.is(new Environment({ startNs: 1_000 }).now, 1_000);
});

test('scheduled callbacks run at their times with their arguments, time advancing to each', () => {
  const env = new Environment();
  const log: Log = [];
  const say = (what: string): void => {
    log.push([env.now, what]);
  };
  env.schedule(30, say, 'third');
  env.schedule(10, say, 'first');
  env.schedule(20, say, 'second');
  env.schedule(0, say, 'at once');
  assert.is(env.run(), undefined);
  assert.equal(log, [
    [0, 'at once'],
    [10, 'first'],
    [20, 'second'],
    [30, 'third'],
  ]);
  assert.is(env.now, 30, 'run() ends at the time of the last event');
  assert.is(env.pendingCount, 0);
  assert.is(env.eventsProcessed, 4);
});

test('callbacks at the same time run by priority, then in scheduling order', () => {
  const env = new Environment();
  const log: string[] = [];
  const say = (what: string): void => {
    log.push(what);
  };
  env.schedule(5, say, 'normal 1');
  env.schedule(5, say, 'late priority', 9);
  env.schedule(5, say, 'urgent', Priority.URGENT);
  env.schedule(5, say, 'normal 2');
  env.run();
  assert.equal(log, ['urgent', 'normal 1', 'normal 2', 'late priority']);
});

test('callbacks may schedule more callbacks, including at the current time', () => {
  const env = new Environment();
  const log: Log = [];
  env.schedule(
    2,
    (n: number) => {
      log.push([env.now, `tick ${n}`]);
      env.schedule(0, () => log.push([env.now, `same-time follow-up of ${n}`]), null);
      if (n < 3) env.schedule(2, (m: number) => {
        log.push([env.now, `tick ${m}`]);
      }, n + 1);
    },
    1,
  );
  env.run();
  assert.equal(log, [
    [2, 'tick 1'],
    [2, 'same-time follow-up of 1'],
    [4, 'tick 2'],
  ]);
});

test('a cancelled callback never runs and is not counted as processed; cancel reports whether it took effect', () => {
  const env = new Environment();
  const log: Log = [];
  const say = (what: string): void => {
    log.push([env.now, what]);
  };
  const a = env.schedule(1, say, 'a');
  const b = env.schedule(2, say, 'b (cancelled)');
  const c = env.schedule(3, say, 'c');
  assert.ok(env.isPending(b));
  assert.is(env.cancel(b), true);
  assert.is(env.cancel(b), false, 'already cancelled');
  assert.not.ok(env.isPending(b));
  assert.is(env.pendingCount, 2);
  env.schedule(2, () => {
    log.push([env.now, 'cancels c from inside the run']);
    assert.is(env.cancel(c), true);
  }, null);
  env.run();
  assert.equal(log, [
    [1, 'a'],
    [2, 'cancels c from inside the run'],
  ]);
  assert.is(env.cancel(a), false, 'already ran');
  assert.is(env.eventsProcessed, 2);
  assert.is(env.now, 2, 'the clock does not advance to a cancelled entry');
});

test('a callback cannot cancel itself while running (it has already left the queue)', () => {
  const env = new Environment();
  let handle = -1;
  let result: boolean | undefined;
  handle = env.schedule(1, () => {
    result = env.cancel(handle);
  }, null);
  env.run();
  assert.is(result, false);
  assert.is(env.pendingCount, 0);
});

test('run({until: t}) processes events strictly before t, leaves events at t pending, and ends at t', () => {
  const env = new Environment();
  const log: Log = [];
  const say = (what: string): void => {
    log.push([env.now, what]);
  };
  env.schedule(5, say, 'at 5');
  env.schedule(9, say, 'at 9');
  env.schedule(10, say, 'at 10');
  env.schedule(12, say, 'at 12');
  assert.is(env.run({ until: 10 }), undefined);
  assert.equal(log, [
    [5, 'at 5'],
    [9, 'at 9'],
  ]);
  assert.is(env.now, 10);
  assert.is(env.pendingCount, 2);
  env.run();
  assert.equal(log.slice(2), [
    [10, 'at 10'],
    [12, 'at 12'],
  ]);
});

test('run({until: t}) advances the clock to t even when the queue empties first', () => {
  const env = new Environment();
  env.schedule(3, () => {}, null);
  env.run({ until: 100 });
  assert.is(env.now, 100);
  env.run({ until: 100 });
  assert.is(env.now, 100, 'until equal to now is allowed and does nothing');
  assert.is(env.eventsProcessed, 1);
});

test('run({until: t}) with t equal to now leaves events at now pending', () => {
  const env = new Environment();
  const log: Log = [];
  env.schedule(0, () => log.push([env.now, 'at 0']), null);
  env.run({ until: 0 });
  assert.equal(log, []);
  env.run({ until: 1 });
  assert.equal(log, [[0, 'at 0']]);
});

test('run({until: t}) rejects a time in the past', () => {
  const env = new Environment();
  env.run({ until: 50 });
  throwsWith(() => env.run({ until: 49 }), RangeError, /until must be an integer number of ns >= the current time \(50 ns\), got 49/);
  throwsWith(() => env.run({ until: NaN }), RangeError, /until/);
});

test('run({until: t}) rejects a time that is not a whole number of nanoseconds', () => {
  const env = new Environment();
  throwsWith(() => env.run({ until: 2.5 }), RangeError, /got 2\.5/);
  assert.is(env.now, 0);
});

test('schedule rejects a priority outside the integers 0..255', () => {
  const env = new Environment();
  for (const priority of [-1, 256, 1.5, NaN]) {
    throwsWith(() => env.schedule(1, () => {}, null, priority), RangeError, /priority must be an integer in \[0, 255\]/);
  }
  env.schedule(1, () => {}, null, 255);
  assert.is(env.pendingCount, 1);
});

test('run({until: event}) returns the event value as soon as it is processed, leaving later events pending', () => {
  const env = new Environment();
  const log: Log = [];
  const done = env.timeout(7, 'the answer');
  env.schedule(7, () => log.push([env.now, 'same time, scheduled after the timeout']), null);
  env.schedule(8, () => log.push([env.now, 'later']), null);
  const value = env.run({ until: done });
  assert.is(value, 'the answer');
  assert.is(env.now, 7);
  assert.equal(log, [], 'the run stops right after the event');
  assert.is(env.pendingCount, 2);
  assert.is(env.run({ until: done }), 'the answer', 'an already-processed event returns at once');
  assert.is(env.pendingCount, 2);
});

test('run({until: event}) returns the return value of a process', () => {
  const env = new Environment();
  const worker = env.process(
    (function* () {
      yield 12;
      return 'finished';
    })(),
  );
  env.schedule(100, () => {}, null);
  assert.is(env.run({ until: worker }), 'finished');
  assert.is(env.now, 12);
});

test('run({until: event}) throws the error of an event that failed', () => {
  const env = new Environment();
  const failing = env.event<string>();
  const boom = new Error('disk on fire');
  env.schedule(4, () => failing.fail(boom), null);
  const thrown = throwsWith(() => env.run({ until: failing }), Error, /disk on fire/);
  assert.is(thrown, boom);
  assert.is(env.now, 4);
  // Asking again for an event that already failed throws again.
  assert.is(throwsWith(() => env.run({ until: failing }), Error, /disk on fire/), boom);
});

test('run({until: event}) throws its error also when the failure was caught by a waiting process', () => {
  const env = new Environment();
  const failing = env.event();
  const log: Log = [];
  env.process(
    (function* () {
      try {
        yield failing;
      } catch (error) {
        log.push([env.now, `process caught ${(error as Error).message}`]);
      }
    })(),
  );
  env.schedule(2, () => failing.fail(new Error('bad block')), null);
  throwsWith(() => env.run({ until: failing }), Error, /bad block/);
  assert.equal(log, [[2, 'process caught bad block']]);
});

test('run({until: event}) throws when the queue runs out before the event happens', () => {
  const env = new Environment();
  const never = env.event();
  env.schedule(6, () => {}, null);
  throwsWith(() => env.run({ until: never }), Error, /ran out of events at 6 ns before the "until" event happened/);
  assert.is(env.now, 6);
});

test('the maxEvents guard allows exactly that many events and throws a RunawayError naming the limit on the next', () => {
  const exact = new Environment();
  for (let i = 1; i <= 5; i++) exact.schedule(i, () => {}, null);
  exact.run({ maxEvents: 5 });
  assert.is(exact.eventsProcessed, 5);

  const env = new Environment();
  const tick = (): void => {
    env.schedule(10, tick, null); // never settles
  };
  env.schedule(0, tick, null);
  const error = throwsWith(() => env.run({ maxEvents: 5 }), RunawayError, /maxEvents = 5/);
  assert.is(error.name, 'RunawayError');
  assert.match(error.message, /after 5 events at 40 ns/);
  assert.is(env.eventsProcessed, 5);
  assert.is(env.now, 40);

  // The guard counts from the start of each run.
  throwsWith(() => env.run({ maxEvents: 3 }), RunawayError, /maxEvents = 3/);
  assert.is(env.eventsProcessed, 8);
});

test('the maxTimeNs guard processes events up to the limit and throws a RunawayError naming it rather than pass it', () => {
  const env = new Environment();
  const log: number[] = [];
  const tick = (): void => {
    log.push(env.now);
    env.schedule(30, tick, null);
  };
  env.schedule(0, tick, null);
  const error = throwsWith(() => env.run({ maxTimeNs: 90 }), RunawayError, /maxTimeNs = 90 ns/);
  assert.match(error.message, /next event is at 120 ns/);
  assert.equal(log, [0, 30, 60, 90], 'an event exactly at the limit is still processed');
  assert.is(env.now, 90);
});

test('delays are rounded to the nearest integer nanosecond', () => {
  const env = new Environment();
  const log: Log = [];
  const say = (what: string): void => {
    log.push([env.now, what]);
  };
  env.schedule(1.4, say, 'schedule 1.4');
  env.schedule(1.5, say, 'schedule 1.5');
  env.schedule(0.49, say, 'schedule 0.49');
  env.timeout(2.6).addCallback(() => log.push([env.now, 'timeout 2.6']));
  env.process(
    (function* () {
      yield 3.7;
      log.push([env.now, 'process yielded 3.7']);
    })(),
  );
  env.run();
  assert.equal(log, [
    [0, 'schedule 0.49'],
    [1, 'schedule 1.4'],
    [2, 'schedule 1.5'],
    [3, 'timeout 2.6'],
    [4, 'process yielded 3.7'],
  ]);
  for (const [t] of log) assert.ok(Number.isInteger(t));
});

test('negative, NaN and infinite delays are rejected with a RangeError', () => {
  const env = new Environment();
  for (const bad of [-1, -0.6, NaN, Infinity]) {
    throwsWith(() => env.schedule(bad, () => {}, null), RangeError, /delay must be a finite number of nanoseconds >= 0/);
    throwsWith(() => env.timeout(bad), RangeError, /delay must be/);
  }
  assert.is(env.pendingCount, 0);
});

test('scheduleAt runs a callback at an absolute time and rejects times in the past', () => {
  const env = new Environment({ startNs: 100 });
  const log: Log = [];
  env.scheduleAt(250, (what: string) => log.push([env.now, what]), 'at 250');
  env.scheduleAt(100, (what: string) => log.push([env.now, what]), 'at 100 (now)');
  throwsWith(() => env.scheduleAt(99, () => {}, null), RangeError, /delay/);
  env.run();
  assert.equal(log, [
    [100, 'at 100 (now)'],
    [250, 'at 250'],
  ]);
});

test('step() processes exactly one entry and returns false when nothing is pending; peek() shows the next time', () => {
  const env = new Environment();
  const log: Log = [];
  const say = (what: string): void => {
    log.push([env.now, what]);
  };
  assert.is(env.peek(), Infinity);
  assert.is(env.step(), false);
  env.schedule(4, say, 'a');
  const cancelled = env.schedule(2, say, 'cancelled');
  env.schedule(4, say, 'b');
  env.cancel(cancelled);
  assert.is(env.peek(), 4, 'peek skips cancelled entries');
  assert.is(env.now, 0, 'peek does not advance the clock');
  assert.is(env.step(), true);
  assert.equal(log, [[4, 'a']]);
  assert.is(env.now, 4);
  assert.is(env.step(), true);
  assert.equal(log, [
    [4, 'a'],
    [4, 'b'],
  ]);
  assert.is(env.step(), false);
  assert.is(env.peek(), Infinity);
  assert.is(env.eventsProcessed, 2);
});

test('an exception thrown by a callback stops the run; the remaining events stay pending and the run can resume', () => {
  const env = new Environment();
  const log: Log = [];
  env.schedule(1, () => {
    throw new Error('callback bug');
  }, null);
  env.schedule(2, () => log.push([env.now, 'after']), null);
  throwsWith(() => env.run(), Error, /callback bug/);
  assert.is(env.now, 1);
  assert.equal(log, []);
  env.run();
  assert.equal(log, [[2, 'after']]);
});

test.run();
