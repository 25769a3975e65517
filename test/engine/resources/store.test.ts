import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Environment } from '../../../sim/engine/environment.ts';
import { Store, StoreGet, StorePut } from '../../../sim/engine/resources/store.ts';
import { setup } from '../who-did-what.ts';

interface Packet {
  id: number;
  kind: 'read' | 'write';
}

test('items leave in the order they were put', () => {
  const { env, log, say } = setup();
  const store = new Store<string>(env);
  env.process(
    (function* () {
      for (const item of ['a', 'b', 'c']) {
        yield store.put(item);
        say(`put ${item}`);
        yield 1;
      }
    })(),
  );
  env.process(
    (function* () {
      yield 10;
      for (let i = 0; i < 3; i++) say(`got ${yield store.get()}`);
    })(),
  );
  env.run();
  assert.equal(log, [
    [0, 'put a'],
    [1, 'put b'],
    [2, 'put c'],
    [10, 'got a'],
    [10, 'got b'],
    [10, 'got c'],
  ]);
});

test('a get on an empty store waits for the next put; waiting gets are served in the order they were made', () => {
  const { env, log, say } = setup();
  const store = new Store<string>(env);
  for (const name of ['consumer 1', 'consumer 2']) {
    env.process(
      (function* () {
        const item = yield store.get();
        say(`${name} got ${item}`);
      })(),
    );
  }
  env.schedule(4, () => store.put('x'), null);
  env.schedule(6, () => store.put('y'), null);
  env.run();
  assert.equal(log, [
    [4, 'consumer 1 got x'],
    [6, 'consumer 2 got y'],
  ]);
});

test('with a capacity, a put waits until a get makes room, and waiting puts enter in order', () => {
  const { env, log, say } = setup();
  const store = new Store<string>(env, { capacity: 2 });
  env.process(
    (function* () {
      for (const item of ['a', 'b', 'c', 'd']) {
        yield store.put(item);
        say(`put ${item} (${store.items.length} held)`);
      }
    })(),
  );
  env.process(
    (function* () {
      yield 5;
      say(`got ${yield store.get()}`);
      yield 5;
      say(`got ${yield store.get()}`);
    })(),
  );
  env.run();
  assert.equal(log, [
    [0, 'put a (1 held)'],
    [0, 'put b (2 held)'],
    [5, 'got a'],
    [5, 'put c (2 held)'],
    [10, 'got b'],
    [10, 'put d (2 held)'],
  ]);
  assert.equal(store.items, ['c', 'd']);
});

test('a filtered get takes the oldest matching item and leaves the others in order', () => {
  const { env, log, say } = setup();
  const store = new Store<Packet>(env);
  for (const [id, kind] of [[1, 'read'], [2, 'write'], [3, 'read'], [4, 'write']] as const) store.put({ id, kind });
  env.process(
    (function* () {
      const w: Packet = yield store.get((p) => p.kind === 'write');
      say(`filtered get took ${w.id}`);
      const any: Packet = yield store.get();
      say(`plain get took ${any.id}`);
    })(),
  );
  env.run();
  assert.equal(log, [
    [0, 'filtered get took 2'],
    [0, 'plain get took 1'],
  ]);
  assert.equal(store.items.map((p) => p.id), [3, 4]);
});

test('a filtered get that matches nothing does not block the gets behind it', () => {
  const { env, log, say } = setup();
  const store = new Store<Packet>(env);
  env.process(
    (function* () {
      const p: Packet = yield store.get((x) => x.kind === 'write');
      say(`write consumer got ${p.id}`);
    })(),
  );
  env.process(
    (function* () {
      const p: Packet = yield store.get();
      say(`any consumer got ${p.id}`);
      const q: Packet = yield store.get();
      say(`any consumer got ${q.id}`);
    })(),
  );
  env.schedule(1, () => store.put({ id: 1, kind: 'read' }), null);
  env.schedule(2, () => store.put({ id: 2, kind: 'write' }), null);
  env.schedule(3, () => store.put({ id: 3, kind: 'read' }), null);
  env.run();
  assert.equal(log, [
    [1, 'any consumer got 1'],
    [2, 'write consumer got 2'],
    [3, 'any consumer got 3'],
  ]);
});

test('an earlier get has the first pick of an item both could take', () => {
  const { env, log, say } = setup();
  const store = new Store<Packet>(env);
  env.process(
    (function* () {
      const p: Packet = yield store.get((x) => x.kind === 'read');
      say(`read consumer got ${p.id}`);
    })(),
  );
  env.process(
    (function* () {
      const p: Packet = yield store.get();
      say(`any consumer got ${p.id}`);
    })(),
  );
  env.schedule(1, () => store.put({ id: 7, kind: 'read' }), null);
  env.schedule(2, () => store.put({ id: 8, kind: 'read' }), null);
  env.run();
  assert.equal(log, [
    [1, 'read consumer got 7'],
    [2, 'any consumer got 8'],
  ]);
});

test('cancel withdraws a waiting get or put, and returns false once it was served', () => {
  const { env, log, say } = setup();
  const store = new Store<string>(env, { capacity: 1 });
  const cancelledGet = store.get();
  cancelledGet.addCallback(() => say('cancelled get served (should not happen)'));
  const laterGet = store.get();
  laterGet.addCallback((e) => say(`later get got ${e.value}`));
  assert.instance(cancelledGet, StoreGet);
  assert.ok(store.cancel(cancelledGet));
  assert.not.ok(store.cancel(cancelledGet), 'already withdrawn');
  env.schedule(1, () => {
    const first = store.put('one'); // taken at once by the waiting get
    assert.instance(first, StorePut);
    const second = store.put('two'); // fills the store
    const blocked = store.put('three');
    blocked.addCallback(() => say('cancelled put went in (should not happen)'));
    assert.not.ok(store.cancel(second), 'a put that went in cannot be withdrawn');
    assert.ok(store.cancel(blocked));
  }, null);
  env.schedule(2, () => store.get().addCallback((e) => say(`get at 2 got ${e.value}`)), null);
  env.run();
  assert.equal(log, [
    [1, 'later get got one'],
    [2, 'get at 2 got two'],
  ]);
  assert.equal(store.items, [], 'the withdrawn put never entered');
});

test('the capacity must be at least 1', () => {
  const env = new Environment();
  for (const capacity of [0, -3, NaN]) assert.throws(() => new Store(env, { capacity }), /store capacity must be >= 1/);
  assert.is(new Store(env).capacity, Infinity);
});

test.run();
