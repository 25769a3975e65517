import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { EventQueue, Priority } from '../../sim/engine/event-queue.ts';

const SLOT_LIMIT = 2 ** 22; // slot part of a handle (see event-queue.ts)

/** Pops the next entry the way the environment does, runs its callback, and returns its argument. */
function popAndRun(queue: EventQueue): unknown {
  const fn = queue.pop();
  if (fn === null) return undefined;
  const arg = queue.poppedArg;
  fn(arg);
  return arg;
}

function drain(queue: EventQueue): unknown[] {
  const out: unknown[] = [];
  while (queue.peekTime() !== Infinity) out.push(popAndRun(queue));
  return out;
}

const noop = (): void => {};

test('entries leave in time order, whatever the order they were pushed in', () => {
  const queue = new EventQueue();
  for (const t of [50, 10, 40, 0, 30, 20]) queue.push(t, Priority.NORMAL, noop, `t=${t}`);
  assert.equal(drain(queue), ['t=0', 't=10', 't=20', 't=30', 't=40', 't=50']);
});

test('at equal times a lower priority leaves first, then scheduling order breaks the remaining ties', () => {
  const queue = new EventQueue();
  const log: string[] = [];
  const record = (what: string): void => {
    log.push(what);
  };
  queue.push(7, Priority.NORMAL, record, 'normal A');
  queue.push(7, Priority.MAX, record, 'max');
  queue.push(7, Priority.URGENT, record, 'urgent A');
  queue.push(3, Priority.MAX, record, 'earlier time beats any priority');
  queue.push(7, Priority.NORMAL, record, 'normal B');
  queue.push(7, Priority.URGENT, record, 'urgent B');
  queue.push(7, 2, record, 'priority 2');
  drain(queue);
  assert.equal(log, [
    'earlier time beats any priority',
    'urgent A',
    'urgent B',
    'normal A',
    'normal B',
    'priority 2',
    'max',
  ]);
});

test('peekTime reports the earliest live entry and Infinity when empty; pop returns null when empty', () => {
  const queue = new EventQueue();
  assert.is(queue.peekTime(), Infinity);
  assert.is(queue.pop(), null);
  const early = queue.push(5, Priority.NORMAL, noop, 'early');
  queue.push(9, Priority.NORMAL, noop, 'late');
  assert.is(queue.peekTime(), 5);
  queue.cancel(early);
  assert.is(queue.peekTime(), 9, 'a cancelled entry is not reported');
  assert.is(popAndRun(queue), 'late');
  assert.is(queue.peekTime(), Infinity);
});

test('size counts live entries only and scheduledCount counts every push', () => {
  const queue = new EventQueue();
  const a = queue.push(1, Priority.NORMAL, noop, 'a');
  queue.push(2, Priority.NORMAL, noop, 'b');
  queue.push(3, Priority.NORMAL, noop, 'c');
  assert.is(queue.size, 3);
  queue.cancel(a);
  assert.is(queue.size, 2);
  popAndRun(queue);
  assert.is(queue.size, 1);
  assert.is(queue.scheduledCount, 3);
});

test('cancel removes a pending entry and returns true exactly once', () => {
  const queue = new EventQueue();
  const log: string[] = [];
  const record = (what: string): void => {
    log.push(what);
  };
  queue.push(1, Priority.NORMAL, record, 'kept 1');
  const doomed = queue.push(2, Priority.NORMAL, record, 'cancelled');
  queue.push(3, Priority.NORMAL, record, 'kept 3');
  assert.ok(queue.isPending(doomed));
  assert.is(queue.cancel(doomed), true);
  assert.not.ok(queue.isPending(doomed));
  assert.is(queue.cancel(doomed), false, 'second cancel of the same handle');
  drain(queue);
  assert.equal(log, ['kept 1', 'kept 3']);
  assert.is(queue.cancel(doomed), false, 'cancel after the cancelled entry was dropped');
});

test('cancel returns false for a handle whose entry already ran', () => {
  const queue = new EventQueue();
  const handle = queue.push(1, Priority.NORMAL, noop, 'ran');
  popAndRun(queue);
  assert.not.ok(queue.isPending(handle));
  assert.is(queue.cancel(handle), false);
  assert.is(queue.size, 0);
});

test('an entry that has been popped (its callback not yet run) can no longer be cancelled', () => {
  const queue = new EventQueue();
  const handle = queue.push(1, Priority.NORMAL, noop, 'popped');
  queue.push(2, Priority.NORMAL, noop, 'still pending');
  assert.is(queue.pop(), noop);
  assert.is(queue.poppedArg, 'popped');
  assert.not.ok(queue.isPending(handle), 'a popped entry is not pending');
  assert.is(queue.cancel(handle), false, 'a popped entry has left the queue');
  assert.is(queue.size, 1, 'the live count is unaffected');
  assert.equal(drain(queue), ['still pending']);
  assert.is(queue.size, 0);
});

test('a stale handle does not cancel the new entry that reuses its slot', () => {
  const queue = new EventQueue();
  // Ran, then slot reused.
  const ran = queue.push(1, Priority.NORMAL, noop, 'ran');
  popAndRun(queue);
  const reuser = queue.push(2, Priority.NORMAL, noop, 'reuser');
  assert.is(reuser % SLOT_LIMIT, ran % SLOT_LIMIT, 'precondition: the slot was reused');
  assert.is.not(reuser, ran);
  assert.is(queue.cancel(ran), false);
  assert.ok(queue.isPending(reuser));

  // Cancelled, dropped, then slot reused.
  const cancelled = queue.push(0, Priority.NORMAL, noop, 'cancelled');
  queue.cancel(cancelled);
  queue.peekTime(); // drops the cancelled top and frees its slot
  const reuser2 = queue.push(3, Priority.NORMAL, noop, 'reuser 2');
  assert.is(reuser2 % SLOT_LIMIT, cancelled % SLOT_LIMIT, 'precondition: the slot was reused');
  assert.is(queue.cancel(cancelled), false);
  assert.ok(queue.isPending(reuser2));

  assert.equal(drain(queue), ['reuser', 'reuser 2']);
});

test('compaction after many cancellations keeps the order of the survivors', () => {
  const queue = new EventQueue(16);
  const handles: number[] = [];
  const expected: string[] = [];
  // 600 entries at times scrambled by a multiplicative hash, two priorities.
  for (let i = 0; i < 600; i++) {
    const time = (i * 7919) % 101;
    const priority = i % 3 === 0 ? Priority.URGENT : Priority.NORMAL;
    handles.push(queue.push(time, priority, noop, { i, time, priority }));
  }
  // Cancel all but every fifth entry: far more than half, so the heap is compacted.
  for (let i = 0; i < 600; i++) {
    if (i % 5 !== 0) assert.ok(queue.cancel(handles[i]!));
  }
  assert.is(queue.size, 120);
  for (let i = 0; i < 600; i++) {
    if (i % 5 === 0) {
      const time = (i * 7919) % 101;
      const priority = i % 3 === 0 ? Priority.URGENT : Priority.NORMAL;
      expected.push(`${time}/${priority}/${i}`);
    }
  }
  expected.sort((a, b) => {
    const [ta, pa, ia] = a.split('/').map(Number) as [number, number, number];
    const [tb, pb, ib] = b.split('/').map(Number) as [number, number, number];
    return ta - tb || pa - pb || ia - ib;
  });
  // Entries pushed after the compaction slot in correctly too.
  queue.push(50, Priority.URGENT, noop, { i: 1000, time: 50, priority: Priority.URGENT });
  const at50 = expected.findIndex((e) => {
    const [t, p] = e.split('/').map(Number) as [number, number];
    return t > 50 || (t === 50 && p > Priority.URGENT);
  });
  expected.splice(at50, 0, `50/${Priority.URGENT}/1000`);
  const popped = drain(queue).map((a) => {
    const { i, time, priority } = a as { i: number; time: number; priority: number };
    return `${time}/${priority}/${i}`;
  });
  assert.equal(popped, expected);
  for (let i = 0; i < 600; i++) assert.is(queue.cancel(handles[i]!), false);
});

test('the queue grows past its initial capacity without losing or reordering entries', () => {
  const queue = new EventQueue(16);
  const n = 5000;
  for (let i = n - 1; i >= 0; i--) queue.push(i, Priority.NORMAL, noop, i);
  assert.is(queue.size, n);
  const popped = drain(queue) as number[];
  assert.is(popped.length, n);
  assert.equal(popped, Array.from({ length: n }, (_, i) => i));
});

test('handles stay valid when the queue grows its slot storage', () => {
  const queue = new EventQueue(16);
  // Give slot 0 a non-zero generation: run an entry, then reuse the slot.
  queue.push(0, Priority.NORMAL, noop, 'first');
  popAndRun(queue);
  const reused = queue.push(100, Priority.NORMAL, noop, 'reused slot');
  const stale = queue.push(200, Priority.NORMAL, noop, 'cancelled before growth');
  assert.ok(queue.cancel(stale));
  for (let i = 0; i < 100; i++) queue.push(1 + i, Priority.NORMAL, noop, i); // forces growth
  assert.ok(queue.isPending(reused));
  assert.is(queue.cancel(stale), false);
  assert.is(queue.cancel(reused), true);
  const popped = drain(queue);
  assert.equal(popped, Array.from({ length: 100 }, (_, i) => i));
});

test('callbacks receive the argument stored with their entry', () => {
  const queue = new EventQueue();
  const seen: string[] = [];
  queue.push(2, Priority.NORMAL, (arg: { name: string }) => seen.push(`second got ${arg.name}`), { name: 'b' });
  queue.push(1, Priority.NORMAL, (arg: string) => seen.push(`first got ${arg}`), 'a');
  drain(queue);
  assert.equal(seen, ['first got a', 'second got b']);
});

// `laneMinHeap: 0` sends every same-instant push to the lanes, however small the heap.
test('entries pushed for the instant being processed keep the tie rule against the heap', () => {
  const queue = new EventQueue(16, { laneMinHeap: 0 });
  const log: string[] = [];
  const record = (what: string): void => {
    log.push(what);
  };
  queue.push(5, Priority.NORMAL, record, 'first');
  queue.push(5, Priority.NORMAL, record, 'normal pushed before the instant');
  queue.push(5, 2, record, 'priority 2 pushed before the instant');
  popAndRun(queue); // the queue is now at time 5
  queue.push(6, Priority.URGENT, record, 'next instant');
  queue.push(5, Priority.NORMAL, record, 'normal pushed at the instant');
  const cancelled = queue.push(5, Priority.NORMAL, record, 'cancelled');
  queue.push(5, Priority.URGENT, record, 'urgent pushed at the instant');
  queue.push(5, 2, record, 'priority 2 pushed at the instant');
  assert.ok(queue.cancel(cancelled));
  assert.is(queue.size, 6);
  drain(queue);
  assert.equal(log, [
    'first',
    'urgent pushed at the instant',
    'normal pushed before the instant',
    'normal pushed at the instant',
    'priority 2 pushed before the instant',
    'priority 2 pushed at the instant',
    'next instant',
  ]);
});

test('a burst of same-instant entries larger than a lane keeps its order, cancelled ones skipped', () => {
  const queue = new EventQueue(16, { laneMinHeap: 0 });
  queue.push(1, Priority.NORMAL, noop, 'start');
  popAndRun(queue);
  const expected: number[] = [];
  for (let i = 0; i < 500; i++) {
    const priority = i % 3 === 0 ? Priority.URGENT : Priority.NORMAL;
    const handle = queue.push(1, priority, noop, i);
    if (i % 7 === 0) assert.ok(queue.cancel(handle));
    else expected.push(i);
  }
  expected.sort((a, b) => Number(a % 3 !== 0) - Number(b % 3 !== 0) || a - b);
  assert.is(queue.size, expected.length);
  assert.equal(drain(queue), expected);
});

type Op =
  | { kind: 'push'; time: number; priority: number }
  | { kind: 'pushSoon'; after: number; priority: number }
  | { kind: 'pop' }
  | { kind: 'cancel'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('push' as const), time: fc.integer({ min: 0, max: 30 }), priority: fc.constantFrom(0, 1, 2, 255) }) },
  // Relative to the time last popped, as a simulation schedules: mostly the very instant
  // being processed (the instant lanes), sometimes a little later (the heap).
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('pushSoon' as const), after: fc.constantFrom(0, 0, 0, 1, 2), priority: fc.constantFrom(0, 1, 1, 2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pop' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
);

test('property: pops follow a stable sort by (time, priority, push order) of the entries not cancelled', () => {
  fc.assert(
    // laneMinHeap 0 puts every same-instant push in a lane, 4 mixes lanes and heap at one instant.
    fc.property(fc.array(opArb, { maxLength: 400, size: 'max' }), fc.constantFrom(0, 4, 1e9), (ops, laneMinHeap) => {
      const queue = new EventQueue(16, { laneMinHeap });
      // Reference: every entry ever pushed, with its state.
      interface Ref { id: number; time: number; priority: number; handle: number; state: 'pending' | 'ran' | 'cancelled' }
      const refs: Ref[] = [];
      const ran: number[] = [];
      const record = (id: number): void => {
        ran.push(id);
      };
      let lastPoppedTime = 0;
      for (const op of ops) {
        if (op.kind === 'push' || op.kind === 'pushSoon') {
          const time = op.kind === 'push' ? op.time : lastPoppedTime + op.after;
          const id = refs.length;
          refs.push({ id, time, priority: op.priority, handle: queue.push(time, op.priority, record, id), state: 'pending' });
        } else if (op.kind === 'pop') {
          const live = refs.filter((r) => r.state === 'pending');
          const expected = [...live].sort((a, b) => a.time - b.time || a.priority - b.priority || a.id - b.id)[0];
          assert.is(queue.peekTime(), expected === undefined ? Infinity : expected.time);
          const got = popAndRun(queue);
          assert.is(got, expected?.id);
          if (expected !== undefined) {
            expected.state = 'ran';
            lastPoppedTime = expected.time;
          }
        } else if (refs.length > 0) {
          const target = refs[op.pick % refs.length]!;
          const wasPending = target.state === 'pending';
          assert.is(queue.isPending(target.handle), wasPending);
          assert.is(queue.cancel(target.handle), wasPending);
          if (wasPending) target.state = 'cancelled';
        }
        assert.is(queue.size, refs.filter((r) => r.state === 'pending').length);
      }
      const rest = refs
        .filter((r) => r.state === 'pending')
        .sort((a, b) => a.time - b.time || a.priority - b.priority || a.id - b.id)
        .map((r) => r.id);
      const before = ran.length;
      drain(queue);
      assert.equal(ran.slice(before), rest);
      // Every handle is now dead.
      for (const r of refs) assert.is(queue.cancel(r.handle), false);
    }),
    { numRuns: 200 },
  );
});

test('property: with cancel-heavy workloads (triggering compaction) the order still matches the reference', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ time: fc.integer({ min: 0, max: 10 }), priority: fc.constantFrom(0, 1, 7) }), { minLength: 150, maxLength: 400 }),
      fc.array(fc.boolean(), { minLength: 400, maxLength: 400 }),
      (entries, keepFlags) => {
        const queue = new EventQueue(16);
        const handles = entries.map((e, id) => queue.push(e.time, e.priority, noop, id));
        const kept: number[] = [];
        entries.forEach((_, id) => {
          // Keep roughly one in four so the cancelled entries outnumber the live ones.
          if (keepFlags[id] && keepFlags[(id * 7) % 400]) kept.push(id);
          else assert.ok(queue.cancel(handles[id]!));
        });
        kept.sort((a, b) => entries[a]!.time - entries[b]!.time || entries[a]!.priority - entries[b]!.priority || a - b);
        assert.equal(drain(queue), kept);
      },
    ),
    { numRuns: 100 },
  );
});

test.run();
