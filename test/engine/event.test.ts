import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimEvent, Timeout } from '../../sim/engine/event.ts';
import { Priority } from '../../sim/engine/event-queue.ts';
import { setup } from './who-did-what.ts';

test('an event goes pending -> triggered -> processed, and its value is readable once triggered', () => {
  const { env } = setup();
  const event = env.event<string>();
  assert.instance(event, SimEvent);
  assert.not.ok(event.triggered);
  assert.not.ok(event.processed);
  assert.throws(() => event.value, /value of a pending event is not yet available/);
  event.succeed('ready');
  assert.ok(event.triggered);
  assert.not.ok(event.processed, 'processing happens on the queue, not inside succeed');
  assert.is(event.value, 'ready');
  assert.ok(event.ok);
  env.run();
  assert.ok(event.processed);
});

test('callbacks run when the event is processed, at the time it was triggered, in the order they were added', () => {
  const { env, log, say } = setup();
  const event = env.event<number>();
  event.addCallback((e) => say(`first sees ${e.value}`));
  event.addCallback((e) => say(`second sees ${e.value}`));
  event.addCallback({ onEvent: (e) => say(`waiter object sees ${e.value}`) });
  env.schedule(6, () => {
    say('trigger');
    event.succeed(99);
  }, null);
  env.run();
  assert.equal(log, [
    [6, 'trigger'],
    [6, 'first sees 99'],
    [6, 'second sees 99'],
    [6, 'waiter object sees 99'],
  ]);
});

test('a callback added after processing runs at once', () => {
  const { env, log, say } = setup();
  const event = env.event<string>();
  event.succeed('old news');
  env.run();
  event.addCallback((e) => say(`late listener sees ${e.value}`));
  assert.equal(log, [[0, 'late listener sees old news']]);
});

test('removeCallback unregisters a listener that has not run, and reports whether it was found', () => {
  const { env, log, say } = setup();
  const event = env.event();
  const a = (): void => say('a');
  const b = (): void => say('b');
  const c = (): void => say('c');
  event.addCallback(a);
  event.addCallback(b);
  event.addCallback(c);
  assert.is(event.removeCallback(a), true, 'the first listener');
  assert.is(event.removeCallback(c), true, 'a later listener');
  assert.is(event.removeCallback(c), false, 'already removed');
  event.succeed();
  env.run();
  assert.equal(log, [[0, 'b']]);
});

test('listeners added after a removal still run in the order they were added', () => {
  const { env, log, say } = setup();
  const event = env.event();
  const a = (): void => say('a');
  event.addCallback(a);
  event.addCallback(() => say('b'));
  event.addCallback(() => say('c'));
  event.removeCallback(a);
  event.addCallback(() => say('d'));
  event.succeed();
  env.run();
  assert.equal(log, [
    [0, 'b'],
    [0, 'c'],
    [0, 'd'],
  ]);
});

test('an event can be triggered only once', () => {
  const { env } = setup();
  const event = env.event();
  event.succeed(1);
  assert.throws(() => event.succeed(2), /an event can be triggered only once/);
  assert.throws(() => event.fail(new Error('x')), /an event can be triggered only once/);
  assert.is(event.value, 1);
  const timeout = env.timeout(1);
  assert.throws(() => timeout.succeed(), /only once/, 'a timeout is triggered from the start');
});

test('the trigger priority orders processing among events triggered at the same time', () => {
  const { env, log, say } = setup();
  const normal = env.event();
  const urgent = env.event();
  normal.addCallback(() => say('normal'));
  urgent.addCallback(() => say('urgent'));
  normal.succeed();
  urgent.succeed(undefined, Priority.URGENT);
  env.run();
  assert.equal(log, [
    [0, 'urgent'],
    [0, 'normal'],
  ]);
});

test('a failed event that nobody handles stops the run with its error; a defused one does not', () => {
  const { env, log, say } = setup();
  const unhandled = env.event();
  const boom = new Error('lost write');
  unhandled.fail(boom);
  let caught: unknown;
  try {
    env.run();
  } catch (error) {
    caught = error;
  }
  assert.is(caught, boom);
  assert.not.ok(unhandled.ok);
  assert.is(unhandled.value, boom);

  const handled = env.event();
  handled.addCallback((e) => {
    say(`handler saw ${(e.value as Error).message}`);
    e.defused = true;
  });
  handled.fail(new Error('handled failure'));
  env.run();
  assert.equal(log, [[0, 'handler saw handled failure']]);
});

test('a timeout succeeds by itself after its delay with the given value', () => {
  const { env, log, say } = setup();
  const timeout = env.timeout(25, 'payload');
  assert.instance(timeout, Timeout);
  assert.ok(timeout.triggered);
  assert.not.ok(timeout.processed);
  timeout.addCallback((e) => say(`timeout gave ${e.value}`));
  env.run();
  assert.equal(log, [[25, 'timeout gave payload']]);
});

test.run();
