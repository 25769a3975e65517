import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Interrupt, Process, type ProcessBody } from '../../sim/engine/process.ts';
import { Resource } from '../../sim/engine/resources/resource.ts';
import { setup } from './who-did-what.ts';

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

test('a process starts at the current time and resumes after each timeout it yields, receiving its value', () => {
  const { env, log, say } = setup();
  env.process(
    (function* () {
      say('started');
      const v = yield env.timeout(5, 'five');
      say(`woke with ${v}`);
      const w = yield env.timeout(0);
      say(`woke again with ${w}`);
      yield env.timeout(10);
      say('done');
    })(),
  );
  assert.equal(log, [], 'the body does not run before the engine starts it');
  env.run();
  assert.equal(log, [
    [0, 'started'],
    [5, 'woke with five'],
    [5, 'woke again with undefined'],
    [15, 'done'],
  ]);
});

test('a process yielding a number waits that many nanoseconds and receives undefined', () => {
  const { env, log, say } = setup();
  env.process(
    (function* () {
      const v = yield 3;
      say(`after 3: ${v}`);
      yield 0;
      say('after 0');
      yield 1_000;
      say('after 1000');
    })(),
  );
  env.run();
  assert.equal(log, [
    [3, 'after 3: undefined'],
    [3, 'after 0'],
    [1003, 'after 1000'],
  ]);
});

test('processes run interleaved in simulated time', () => {
  const { env, log, say } = setup();
  const clock = function* (name: string, period: number): ProcessBody<void> {
    for (let i = 0; i < 3; i++) {
      say(`${name} tick ${i}`);
      yield period;
    }
  };
  env.process(clock('fast', 2));
  env.process(clock('slow', 3));
  env.run();
  assert.equal(log, [
    [0, 'fast tick 0'],
    [0, 'slow tick 0'],
    [2, 'fast tick 1'],
    [3, 'slow tick 1'],
    [4, 'fast tick 2'],
    [6, 'slow tick 2'],
  ]);
});

test('yielding another process waits for it to end and receives its return value', () => {
  const { env, log, say } = setup();
  const child = env.process(
    (function* () {
      yield 7;
      say('child returns');
      return { bytes: 4096 };
    })(),
    'child',
  );
  env.process(
    (function* () {
      say('parent waits');
      const result = yield child;
      say(`parent got ${JSON.stringify(result)}`);
    })(),
  );
  env.run();
  assert.equal(log, [
    [0, 'parent waits'],
    [7, 'child returns'],
    [7, 'parent got {"bytes":4096}'],
  ]);
  assert.equal(child.value, { bytes: 4096 });
  assert.ok(child.ok);
  assert.not.ok(child.isAlive);
  assert.is(child.name, 'child');
});

test('several processes may wait for the same process and resume in the order they started waiting', () => {
  const { env, log, say } = setup();
  const worker = env.process(
    (function* () {
      yield 4;
      return 42;
    })(),
  );
  for (const name of ['a', 'b', 'c']) {
    env.process(
      (function* () {
        const v = yield worker;
        say(`${name} got ${v}`);
      })(),
    );
  }
  env.run();
  assert.equal(log, [
    [4, 'a got 42'],
    [4, 'b got 42'],
    [4, 'c got 42'],
  ]);
});

test('yielding an already-processed event resumes at once, without a trip through the queue', () => {
  const { env, log, say } = setup();
  const early = env.timeout(1, 'early value');
  const finished = env.process(
    (function* () {
      return 'finished long ago';
    })(),
  );
  env.process(
    (function* () {
      yield 10;
      const processedBefore = env.eventsProcessed;
      const a = yield early;
      const b = yield finished;
      say(`${a} / ${b}; events processed meanwhile: ${env.eventsProcessed - processedBefore}`);
    })(),
  );
  env.run();
  assert.equal(log, [[10, 'early value / finished long ago; events processed meanwhile: 0']]);
});

test('a process can yield already-processed events any number of times without growing the stack', () => {
  const { env, log, say } = setup();
  const done = env.timeout(0, 1);
  env.process(
    (function* () {
      yield 1;
      let sum = 0;
      for (let i = 0; i < 200_000; i++) sum += yield done;
      say(`sum ${sum}`);
    })(),
  );
  env.run();
  assert.equal(log, [[1, 'sum 200000']]);
});

test('a process that throws fails its event, and a process waiting on it receives the error and can catch it', () => {
  const { env, log, say } = setup();
  const failing = env.process(
    (function* () {
      yield 3;
      throw new Error('checksum mismatch');
    })(),
  );
  env.process(
    (function* () {
      try {
        yield failing;
        say('not reached');
      } catch (error) {
        say(`caught ${message(error)}`);
      }
      yield 1;
      say('carries on');
    })(),
  );
  env.run();
  assert.equal(log, [
    [3, 'caught Error: checksum mismatch'],
    [4, 'carries on'],
  ]);
  assert.not.ok(failing.ok);
  assert.not.ok(failing.isAlive);
  assert.is((failing.value as unknown as Error).message, 'checksum mismatch');
});

test('yielding an event that already failed throws its error into the process', () => {
  const { env, log, say } = setup();
  const failed = env.event();
  failed.fail(new Error('old failure'));
  failed.defused = true; // handled here, so processing it does not stop the run
  env.process(
    (function* () {
      yield 5;
      try {
        yield failed;
      } catch (error) {
        say(`caught ${message(error)}`);
      }
    })(),
  );
  env.run();
  assert.equal(log, [[5, 'caught Error: old failure']]);
});

test('an unhandled process failure stops run() with the error at the time of the failure', () => {
  const { env, log, say } = setup();
  const boom = new Error('unhandled');
  env.process(
    (function* () {
      yield 2;
      throw boom;
    })(),
  );
  env.schedule(3, () => say('later event'), null);
  let caught: unknown;
  try {
    env.run();
  } catch (error) {
    caught = error;
  }
  assert.is(caught, boom);
  assert.is(env.now, 2);
  assert.equal(log, [], 'events after the failure are not processed');
});

test('an interrupt throws an Interrupt carrying the cause into a process waiting on a timeout, which stops waiting', () => {
  const { env, log, say } = setup();
  const victim = env.process(
    (function* () {
      try {
        yield env.timeout(10);
        say('timeout fired (should not happen)');
      } catch (error) {
        assert.instance(error, Interrupt);
        say(`interrupted, cause ${JSON.stringify((error as Interrupt).cause)}`);
      }
      yield 1;
      say('recovered');
    })(),
  );
  env.process(
    (function* () {
      yield 3;
      victim.interrupt({ reason: 'power loss' });
      say('interrupter sent the interrupt');
    })(),
  );
  env.run();
  assert.equal(log, [
    [3, 'interrupter sent the interrupt'],
    [3, 'interrupted, cause {"reason":"power loss"}'],
    [4, 'recovered'],
  ]);
  assert.is(env.now, 10, 'the abandoned timeout is still processed, with nobody waiting');
});

test('an Interrupt says why in its message and has the name Interrupt', () => {
  const interrupt = new Interrupt('scrub started');
  assert.is(interrupt.name, 'Interrupt');
  assert.is(interrupt.cause, 'scrub started');
  assert.match(interrupt.message, /interrupted: scrub started/);
  assert.match(new Interrupt({ a: 1 }).message, /\{"a":1\}/);
  assert.instance(interrupt, Error);
});

test('an interrupt of a process waiting on a delay cancels the delay', () => {
  const { env, log, say } = setup();
  const victim = env.process(
    (function* () {
      try {
        yield 100;
        say('delay elapsed (should not happen)');
      } catch (error) {
        say(`interrupted: ${(error as Interrupt).cause}`);
      }
    })(),
  );
  env.schedule(30, () => victim.interrupt('stop'), null);
  env.run();
  assert.equal(log, [[30, 'interrupted: stop']]);
  assert.is(env.now, 30, 'the cancelled delay leaves nothing on the queue');
  assert.not.ok(victim.isAlive);
});

test('an interrupt after a delay has elapsed stops the wait on the next event (the old timer is forgotten)', () => {
  const { env, log, say } = setup();
  const victim = env.process(
    (function* () {
      yield 5; // a plain delay first
      say('delay elapsed');
      try {
        yield env.timeout(100);
        say('timeout fired (should not happen)');
      } catch (error) {
        say(`interrupted: ${(error as Interrupt).cause}`);
      }
      yield 200;
      say('slept after the interrupt');
    })(),
  );
  env.schedule(10, () => victim.interrupt('now'), null);
  env.run();
  assert.equal(log, [
    [5, 'delay elapsed'],
    [10, 'interrupted: now'],
    [210, 'slept after the interrupt'],
  ]);
});

test('interrupts are delivered at the current time before ordinary events at that time', () => {
  const { env, log, say } = setup();
  const victim = env.process(
    (function* () {
      try {
        yield env.timeout(5);
        say('victim timeout (should not happen)');
      } catch (error) {
        say(`victim interrupted: ${(error as Interrupt).cause}`);
      }
    })(),
  );
  env.schedule(5, () => {
    say('interrupter');
    victim.interrupt('now');
  }, null);
  env.schedule(5, () => say('bystander scheduled before the interrupt'), null);
  env.run();
  assert.equal(log, [
    [5, 'interrupter'],
    [5, 'victim interrupted: now'],
    [5, 'bystander scheduled before the interrupt'],
  ]);
});

test('an interrupted process waiting for a resource can withdraw its request; the unit goes to the next in line', () => {
  const { env, log, say } = setup();
  const disk = new Resource(env, { capacity: 1, name: 'disk' });
  const user = (name: string, hold: number): ProcessBody<void> =>
    (function* () {
      const request = disk.request();
      try {
        yield request;
      } catch (error) {
        disk.release(request);
        say(`${name} gave up: ${(error as Interrupt).cause}`);
        return;
      }
      say(`${name} got the disk`);
      yield hold;
      disk.release(request);
      say(`${name} released the disk`);
    })();
  env.process(user('holder', 10));
  const impatient = env.process(user('impatient', 1));
  env.process(user('patient', 1));
  env.schedule(4, () => impatient.interrupt('timed out'), null);
  env.run();
  assert.equal(log, [
    [0, 'holder got the disk'],
    [4, 'impatient gave up: timed out'],
    [10, 'holder released the disk'],
    [10, 'patient got the disk'],
    [11, 'patient released the disk'],
  ]);
  assert.is(disk.inUse, 0);
  assert.is(disk.queueLength, 0);
});

test('a process may be interrupted again after it handled an interrupt', () => {
  const { env, log, say } = setup();
  const victim = env.process(
    (function* () {
      for (;;) {
        try {
          yield 100;
          say('slept');
          return;
        } catch (error) {
          say(`interrupt ${(error as Interrupt).cause}`);
        }
      }
    })(),
  );
  env.schedule(1, () => victim.interrupt('one'), null);
  env.schedule(2, () => {
    victim.interrupt('two');
    victim.interrupt('three');
  }, null);
  env.run();
  assert.equal(log, [
    [1, 'interrupt one'],
    [2, 'interrupt two'],
    [2, 'interrupt three'],
    [102, 'slept'],
  ]);
});

test('an interrupt left unhandled fails the process with the Interrupt', () => {
  const { env, log, say } = setup();
  const victim = env.process(
    (function* () {
      yield 50;
    })(),
  );
  env.process(
    (function* () {
      yield 5;
      victim.interrupt('kill');
      try {
        yield victim;
      } catch (error) {
        say(`victim failed with ${message(error)}`);
      }
    })(),
  );
  env.run();
  assert.equal(log, [[5, 'victim failed with Interrupt: interrupted: kill']]);
});

test('interrupting a process that has terminated throws', () => {
  const { env } = setup();
  const done = env.process(
    (function* () {
      yield 1;
      return 'ok';
    })(),
    'short job',
  );
  env.run();
  assert.throws(() => done.interrupt('too late'), /cannot interrupt short job: it has already terminated/);
});

test('an interrupt sent to a process that ends before it arrives is dropped', () => {
  const { env, log, say } = setup();
  const quick = env.process(
    (function* () {
      say('ran to completion');
      return 'done';
    })(),
  );
  quick.interrupt('arrives after the end'); // queued behind the start
  env.run();
  assert.equal(log, [[0, 'ran to completion']]);
  assert.ok(quick.ok);
  assert.is(quick.value, 'done');
});

test('a process cannot interrupt itself', () => {
  const { env, log, say } = setup();
  const self: { p: Process<void> | null } = { p: null };
  self.p = env.process(
    (function* () {
      yield 1;
      try {
        self.p!.interrupt('me');
      } catch (error) {
        say(`refused: ${(error as Error).message}`);
      }
    })(),
    'narcissus',
  );
  env.run();
  assert.equal(log, [[1, 'refused: narcissus cannot interrupt itself']]);
});

test('yielding something that is neither an event nor a delay throws a TypeError into the process', () => {
  const { env, log, say } = setup();
  env.process(
    (function* () {
      try {
        yield 'a string' as never;
      } catch (error) {
        say(`${message(error)}`);
      }
      try {
        yield { not: 'an event' } as never;
      } catch (error) {
        say(`${(error as Error).name} for an object`);
      }
      yield 2;
      say('still alive');
    })(),
    'confused',
  );
  env.run();
  assert.equal(log, [
    [0, 'TypeError: confused yielded a string; a process may yield an event or a delay in nanoseconds'],
    [0, 'TypeError for an object'],
    [2, 'still alive'],
  ]);
});

test('yielding a negative, NaN or infinite delay throws a RangeError into the process', () => {
  const { env, log, say } = setup();
  env.process(
    (function* () {
      for (const bad of [-1, NaN, Infinity]) {
        try {
          yield bad;
        } catch (error) {
          say(`${(error as Error).name}: ${(error as Error).message}`);
        }
      }
    })(),
    'p',
  );
  env.run();
  assert.equal(log, [
    [0, 'RangeError: p yielded a delay of -1 ns; a delay must be finite and >= 0'],
    [0, 'RangeError: p yielded a delay of NaN ns; a delay must be finite and >= 0'],
    [0, 'RangeError: p yielded a delay of Infinity ns; a delay must be finite and >= 0'],
  ]);
});

test('activeProcess is the process whose body is running, and null outside any process', () => {
  const { env, log, say } = setup();
  const seen: Array<[number, string, boolean]> = [];
  const a: { p: Process<void> | null } = { p: null };
  a.p = env.process(
    (function* () {
      seen.push([env.now, 'a before yield', env.activeProcess === a.p]);
      yield 2;
      seen.push([env.now, 'a after yield', env.activeProcess === a.p]);
    })(),
  );
  const b: { p: Process<void> | null } = { p: null };
  b.p = env.process(
    (function* () {
      seen.push([env.now, 'b', env.activeProcess === b.p]);
      yield 1;
    })(),
  );
  env.schedule(1, () => say(`in a callback: ${env.activeProcess}`), null);
  assert.is(env.activeProcess, null);
  env.run();
  assert.is(env.activeProcess, null);
  assert.equal(seen, [
    [0, 'a before yield', true],
    [0, 'b', true],
    [2, 'a after yield', true],
  ]);
  assert.equal(log, [[1, 'in a callback: null']]);
});

test('activeProcess is restored after a process fails', () => {
  const { env } = setup();
  env.process(
    (function* () {
      yield 1;
      throw new Error('x');
    })(),
  );
  assert.throws(() => env.run(), /x/);
  assert.is(env.activeProcess, null);
});

test('waitingOn names the event a process waits for, and is null while it waits on a plain delay', () => {
  const { env } = setup();
  const timeout = env.timeout(5);
  const p = env.process(
    (function* () {
      yield timeout;
      yield 5;
    })(),
  );
  env.step(); // start
  assert.is(p.waitingOn, timeout);
  env.step(); // timeout
  assert.is(p.waitingOn, null);
  assert.ok(p.isAlive);
  env.run();
  assert.not.ok(p.isAlive);
});

test.run();
