/**
 * The bandwidth channels: fair sharing (processor sharing, Kleinrock 1976 vol. II ch. 4) and FIFO,
 * checked against hand-computed completion times and against the conservation law: the unfinished
 * work of a work-conserving single server does not depend on its order of service (Kleinrock 1976,
 * Queueing Systems vol. II, ch. 3), so the fair-share channel must empty exactly when a FIFO server
 * would, whose completion times follow Lindley's recursion (Lindley 1952).
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Environment } from '../../../sim/engine/index.ts';
import type { Transfer } from '../../../sim/models/array/channel.ts';
import { FairShareChannel } from '../../../sim/models/array/fair-share-channel.ts';
import { FifoChannel } from '../../../sim/models/array/fifo-channel.ts';
import { near } from './harness.ts';

class Logged implements Transfer {
  doneNs = NaN;
  constructor(private readonly env: Environment, readonly name: string, private readonly log: string[]) {}
  transferDone(): void {
    this.doneNs = this.env.now;
    this.log.push(this.name);
  }
}

test('fair share: 1 MB and 3 MB started together at 1 GB/s end at 2 ms and 4 ms (each gets half while both run)', () => {
  const env = new Environment();
  const channel = new FairShareChannel<Logged>(env, 1e9);
  const log: string[] = [];
  const a = new Logged(env, 'a', log);
  const b = new Logged(env, 'b', log);
  channel.start(1e6, a);
  channel.start(3e6, b);
  env.run();
  // a: 1 MB at 0.5 GB/s = 2 ms; b then has 2 MB left at 1 GB/s: 2 ms more.
  assert.is(a.doneNs, 2e6);
  assert.is(b.doneNs, 4e6);
  assert.equal(log, ['a', 'b']);
});

test('fair share: a transfer joining later slows the first from then on', () => {
  const env = new Environment();
  const channel = new FairShareChannel<Logged>(env, 1e9);
  const log: string[] = [];
  const a = new Logged(env, 'a', log);
  const b = new Logged(env, 'b', log);
  channel.start(2e6, a);
  env.schedule(1e6, () => channel.start(2e6, b), null);
  env.run();
  // a: 1 MB alone by 1 ms, then 1 MB at half rate: 3 ms. b: 1 MB by 3 ms, 1 MB alone: 4 ms.
  assert.is(a.doneNs, 3e6);
  assert.is(b.doneNs, 4e6);
});

test('FIFO: transfers go one at a time at the full rate, in arrival order', () => {
  const env = new Environment();
  const channel = new FifoChannel<Logged>(env, 1e9);
  const log: string[] = [];
  const a = new Logged(env, 'a', log);
  const b = new Logged(env, 'b', log);
  const c = new Logged(env, 'c', log);
  channel.start(3e6, a);
  channel.start(1e6, b);
  env.schedule(5e6, () => channel.start(1e6, c), null);
  env.run();
  assert.is(a.doneNs, 3e6);
  assert.is(b.doneNs, 4e6);
  assert.is(c.doneNs, 6e6);
  assert.equal(log, ['a', 'b', 'c']);
});

test('abortAll drops every transfer without completing it and visits them in start order', () => {
  for (const make of [(env: Environment) => new FairShareChannel<Logged>(env, 1e9), (env: Environment) => new FifoChannel<Logged>(env, 1e9)]) {
    const env = new Environment();
    const channel = make(env);
    const log: string[] = [];
    const transfers = ['a', 'b', 'c'].map((name) => new Logged(env, name, log));
    for (const t of transfers) channel.start(1e6, t);
    const visited: string[] = [];
    env.schedule(5e5, () => channel.abortAll((t) => visited.push(t.name)), null);
    env.run();
    assert.equal(visited, ['a', 'b', 'c']);
    assert.equal(log, []);
    assert.is(channel.active, 0);
  }
});

test('property: the fair-share channel empties exactly when FIFO does (work conservation), whatever the arrivals', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ gapNs: fc.integer({ min: 0, max: 5_000_000 }), bytes: fc.integer({ min: 1, max: 4_000_000 }) }), { minLength: 1, maxLength: 25 }),
      fc.integer({ min: 1, max: 8 }).map((k) => k * 2.5e8),
      (arrivals, rate) => {
        const env = new Environment();
        const shared = new FairShareChannel<Logged>(env, rate);
        const log: string[] = [];
        let t = 0;
        let fifoEnd = 0; // Lindley: each job starts at max(arrival, previous end)
        const transfers: Logged[] = [];
        for (const { gapNs, bytes } of arrivals) {
          t += gapNs;
          fifoEnd = Math.max(t, fifoEnd) + (bytes * 1e9) / rate;
          const transfer = new Logged(env, String(transfers.length), log);
          transfers.push(transfer);
          env.scheduleAt(t, () => shared.start(bytes, transfer), null);
        }
        env.run();
        const last = Math.max(...transfers.map((x) => x.doneNs));
        // ns rounding: at most one ns per completion instant.
        near(last, fifoEnd, arrivals.length + 1, 'last completion');
        assert.is(log.length, arrivals.length);
      },
    ),
    { numRuns: 150, seed: 7 },
  );
});

test.run();
