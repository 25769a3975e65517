import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Environment } from '../../../sim/engine/environment.ts';
import { Container, ContainerRequest } from '../../../sim/engine/resources/container.ts';
import { setup } from '../who-did-what.ts';

test('a container starts at its initial level; put and get change the level and succeed with the amount', () => {
  const { env, log, say } = setup();
  const tank = new Container(env, { capacity: 100, initial: 30 });
  assert.is(tank.level, 30);
  env.process(
    (function* () {
      say(`put ${yield tank.put(50)}, level ${tank.level}`);
      say(`got ${yield tank.get(70)}, level ${tank.level}`);
    })(),
  );
  env.run();
  assert.equal(log, [
    [0, 'put 50, level 80'],
    [0, 'got 70, level 10'],
  ]);
});

test('a get waits until the level is high enough', () => {
  const { env, log, say } = setup();
  const tokens = new Container(env, { capacity: 10 });
  env.process(
    (function* () {
      say('wants 6');
      yield tokens.get(6);
      say(`got 6, level ${tokens.level}`);
    })(),
  );
  env.schedule(2, () => tokens.put(4), null);
  env.schedule(5, () => tokens.put(3), null);
  env.run();
  assert.equal(log, [
    [0, 'wants 6'],
    [5, 'got 6, level 1'],
  ]);
});

test('a put waits until there is room', () => {
  const { env, log, say } = setup();
  const space = new Container(env, { capacity: 10, initial: 8 });
  env.process(
    (function* () {
      yield space.put(5);
      say(`put 5, level ${space.level}`);
    })(),
  );
  env.schedule(3, () => space.get(2), null); // level 6: still no room for 5
  env.schedule(7, () => space.get(1), null); // level 5: room
  env.run();
  assert.equal(log, [[7, 'put 5, level 10']]);
});

test('gets are served in strict FIFO order: a large get at the head blocks smaller ones behind it', () => {
  const { env, log, say } = setup();
  const tokens = new Container(env, { capacity: 100 });
  const getter = (name: string, amount: number): void => {
    env.process(
      (function* () {
        yield tokens.get(amount);
        say(`${name} got ${amount}`);
      })(),
    );
  };
  getter('big', 10);
  getter('small', 1);
  getter('medium', 4);
  env.schedule(1, () => tokens.put(5), null); // enough for small and medium, not for big
  env.schedule(2, () => tokens.put(5), null); // big first, then nothing left
  env.schedule(3, () => tokens.put(5), null);
  env.run();
  assert.equal(log, [
    [2, 'big got 10'],
    [3, 'small got 1'],
    [3, 'medium got 4'],
  ]);
  assert.is(tokens.level, 0);
});

test('puts are served in strict FIFO order: a large put at the head blocks smaller ones behind it', () => {
  const { env, log, say } = setup();
  const space = new Container(env, { capacity: 10, initial: 10 });
  const putter = (name: string, amount: number): void => {
    env.process(
      (function* () {
        yield space.put(amount);
        say(`${name} put ${amount}`);
      })(),
    );
  };
  putter('big', 8);
  putter('small', 1);
  env.schedule(1, () => space.get(3), null); // room for small, not for big
  env.schedule(2, () => space.get(5), null); // room 8: big goes in, then small does not fit
  env.schedule(3, () => space.get(1), null);
  env.run();
  assert.equal(log, [
    [2, 'big put 8'],
    [3, 'small put 1'],
  ]);
  assert.is(space.level, 10);
});

test('one get can make room for several waiting puts, and one put can satisfy several waiting gets', () => {
  const { env, log, say } = setup();
  const space = new Container(env, { capacity: 10, initial: 10 });
  for (const [name, amount] of [['p1', 2], ['p2', 2], ['p3', 2]] as const) {
    space.put(amount).addCallback(() => say(`${name} put ${amount}`));
  }
  env.schedule(1, () => space.get(5), null); // level 5: p1 and p2 fit, p3 would make 11
  env.run();
  assert.equal(log, [
    [1, 'p1 put 2'],
    [1, 'p2 put 2'],
  ]);
  assert.is(space.level, 9);

  const tokens = new Container(env, { capacity: 10 });
  const got: string[] = [];
  for (const [name, amount] of [['g1', 1], ['g2', 2], ['g3', 3]] as const) {
    tokens.get(amount).addCallback(() => got.push(name));
  }
  tokens.put(5);
  env.run();
  assert.equal(got, ['g1', 'g2']);
  assert.is(tokens.level, 2);
});

test('a put can release waiting gets and a get can release waiting puts in the same instant', () => {
  const { env, log, say } = setup();
  const buffer = new Container(env, { capacity: 5, initial: 5 });
  env.process(
    (function* () {
      yield buffer.put(3); // waits for room
      say(`put 3, level ${buffer.level}`);
    })(),
  );
  env.process(
    (function* () {
      yield 1;
      yield buffer.get(4);
      say(`got 4, level ${buffer.level}`);
      yield buffer.get(3);
      say(`got 3, level ${buffer.level}`);
    })(),
  );
  env.run();
  // The level changes synchronously in put/get; the processes resume as the events are
  // processed, so the putter sees the level after the second get.
  assert.equal(log, [
    [1, 'got 4, level 4'],
    [1, 'put 3, level 1'],
    [1, 'got 3, level 1'],
  ]);
});

test('cancel withdraws a waiting request and lets the ones behind it proceed', () => {
  const { env, log, say } = setup();
  const tokens = new Container(env, { capacity: 100, initial: 3 });
  const big = tokens.get(50);
  big.addCallback(() => say('big served (should not happen)'));
  const small = tokens.get(2);
  small.addCallback(() => say(`small served, level ${tokens.level}`));
  assert.instance(big, ContainerRequest);
  assert.is(big.amount, 50);
  env.schedule(4, () => {
    assert.ok(tokens.cancel(big));
    assert.not.ok(tokens.cancel(big), 'already withdrawn');
  }, null);
  env.run();
  assert.equal(log, [[4, 'small served, level 1']]);
  assert.not.ok(tokens.cancel(small), 'already served');
});

test('amounts must be positive and at most the capacity; options are checked', () => {
  const env = new Environment();
  const tank = new Container(env, { capacity: 10, name: 'tank' });
  for (const bad of [0, -1, NaN, 11, Infinity]) {
    assert.throws(() => tank.put(bad), /tank: put amount must be in \(0, 10\]/);
    assert.throws(() => tank.get(bad), /tank: get amount must be in \(0, 10\]/);
  }
  assert.throws(() => new Container(env, { capacity: 0 }), /container capacity must be > 0/);
  assert.throws(() => new Container(env, { capacity: 5, initial: 6 }), /initial level must be in \[0, 5\]/);
  assert.throws(() => new Container(env, { initial: -1 }), /initial level/);
  const unbounded = new Container(env);
  assert.is(unbounded.capacity, Infinity);
  assert.is(unbounded.level, 0);
});

test.run();
