import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { RequestHeap } from '../../../sim/engine/resources/request-heap.ts';

interface Item {
  readonly priority: number;
  readonly seq: number;
  readonly name: string;
}

/** Makes items with increasing arrival sequence numbers, as a resource does. */
function maker(): (priority: number, name?: string) => Item {
  let seq = 0;
  return (priority, name) => {
    const s = seq++;
    return { priority, seq: s, name: name ?? `p${priority}#${s}` };
  };
}

function drain(heap: RequestHeap<Item>): string[] {
  const out: string[] = [];
  for (let item = heap.pop(); item !== undefined; item = heap.pop()) out.push(item.name);
  return out;
}

/**
 * The documented mode of the heap: a plain FIFO while all waiting entries share one
 * priority, a binary heap after that until it empties. Read from the private flag because
 * the mode is a performance contract with no other observable effect.
 */
function isFifo(heap: RequestHeap<Item>): boolean {
  return (heap as unknown as { fifo: boolean }).fifo;
}

test('an empty heap has size 0 and pops and peeks undefined', () => {
  const heap = new RequestHeap<Item>();
  assert.is(heap.size, 0);
  assert.is(heap.pop(), undefined);
  assert.is(heap.peek(), undefined);
  assert.equal(heap.toArray(), []);
});

test('entries of one priority leave in arrival order', () => {
  const heap = new RequestHeap<Item>();
  const make = maker();
  for (const name of ['a', 'b', 'c', 'd']) heap.push(make(2, name));
  assert.ok(isFifo(heap), 'a single priority stays in FIFO mode');
  assert.is(heap.peek()?.name, 'a');
  assert.equal(drain(heap), ['a', 'b', 'c', 'd']);
});

test('a second priority switches to heap mode: lower priority first, arrival order among equals', () => {
  const heap = new RequestHeap<Item>();
  const make = maker();
  heap.push(make(5, 'first 5'));
  heap.push(make(5, 'second 5'));
  assert.ok(isFifo(heap));
  heap.push(make(1, 'first 1'));
  assert.not.ok(isFifo(heap), 'a different priority turns it into a heap');
  heap.push(make(5, 'third 5'));
  heap.push(make(1, 'second 1'));
  heap.push(make(3, 'only 3'));
  assert.is(heap.peek()?.name, 'first 1');
  assert.equal(
    heap.toArray().map((i) => i.name),
    ['first 1', 'second 1', 'only 3', 'first 5', 'second 5', 'third 5'],
  );
  assert.equal(drain(heap), ['first 1', 'second 1', 'only 3', 'first 5', 'second 5', 'third 5']);
});

test('the switch to heap mode keeps entries left over after FIFO pops', () => {
  const heap = new RequestHeap<Item>();
  const make = maker();
  for (const name of ['a', 'b', 'c']) heap.push(make(4, name));
  assert.is(heap.pop()?.name, 'a');
  heap.push(make(0, 'urgent'));
  assert.equal(drain(heap), ['urgent', 'b', 'c']);
});

test('popping a heap-mode queue empty returns it to FIFO mode', () => {
  const heap = new RequestHeap<Item>();
  const make = maker();
  heap.push(make(2));
  heap.push(make(1));
  assert.not.ok(isFifo(heap));
  drain(heap);
  assert.ok(isFifo(heap), 'emptied by pops');
  heap.push(make(7, 'x'));
  heap.push(make(7, 'y'));
  assert.ok(isFifo(heap));
  assert.equal(drain(heap), ['x', 'y']);
});

test('removing the last entries of a heap-mode queue also returns it to FIFO mode', () => {
  const heap = new RequestHeap<Item>();
  const make = maker();
  const a = make(2);
  const b = make(1);
  heap.push(a);
  heap.push(b);
  assert.not.ok(isFifo(heap));
  assert.ok(heap.remove(a));
  assert.ok(heap.remove(b));
  assert.is(heap.size, 0);
  assert.ok(isFifo(heap), 'emptied by removals');
});

test('remove takes out a waiting entry wherever it is and reports whether it was there', () => {
  const heap = new RequestHeap<Item>();
  const make = maker();
  const items = [make(3, 'a'), make(3, 'b'), make(3, 'c')];
  for (const item of items) heap.push(item);
  assert.ok(heap.remove(items[1]!), 'FIFO mode, middle');
  assert.not.ok(heap.remove(items[1]!), 'already removed');
  assert.is(heap.size, 2);
  const d = make(1, 'd');
  const e = make(2, 'e');
  const f = make(0, 'f');
  heap.push(d);
  heap.push(e);
  heap.push(f);
  assert.ok(heap.remove(d), 'heap mode, inner node');
  assert.ok(heap.remove(f), 'heap mode, top');
  assert.not.ok(heap.remove(make(0, 'stranger')));
  assert.equal(drain(heap), ['e', 'a', 'c']);
  assert.not.ok(heap.remove(items[0]!), 'a popped entry is no longer there');
});

test('removing an inner entry of a heap moves the last entry up when it is better than its new parent', () => {
  // Found by random search against a variant of remove() that only sifted down.
  const heap = new RequestHeap<Item>();
  const make = maker();
  const items: Item[] = [];
  const push = (priority: number): void => {
    const item = make(priority, `#${items.length} (p${priority})`);
    items.push(item);
    heap.push(item);
  };
  const popped: string[] = [];
  push(1); push(1); push(0); push(0);
  popped.push(heap.pop()!.name);
  push(1); push(0); push(1);
  heap.remove(items[3]!);
  push(1); push(0);
  heap.remove(items[6]!);
  popped.push(heap.pop()!.name);
  push(1);
  push(1);
  popped.push(heap.pop()!.name);
  heap.remove(items[4]!);
  push(1);
  popped.push(...drain(heap));
  assert.equal(popped, ['#2 (p0)', '#5 (p0)', '#8 (p0)', '#0 (p1)', '#1 (p1)', '#7 (p1)', '#9 (p1)', '#10 (p1)', '#11 (p1)']);
});

test('a long FIFO run (past the internal compaction threshold) keeps order and size', () => {
  const heap = new RequestHeap<Item>();
  const make = maker();
  const out: string[] = [];
  const expected: string[] = [];
  let next = 0;
  for (let round = 0; round < 3000; round++) {
    const item = make(0, `i${next++}`);
    heap.push(item);
    expected.push(item.name);
    if (round % 3 !== 2) out.push(heap.pop()!.name);
  }
  assert.is(heap.size, expected.length - out.length);
  assert.is(heap.peek()?.name, expected[out.length]);
  out.push(...drain(heap));
  assert.equal(out, expected);
});

type Op = { kind: 'push'; priority: number } | { kind: 'pop' } | { kind: 'remove'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('push' as const), priority: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('pop' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }) },
);

const byKey = (a: Item, b: Item): number => a.priority - b.priority || a.seq - b.seq;

test('property: pushes with few distinct priorities, pops and removes match a reference sorted list', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 300, size: 'max' }), (ops) => {
      const heap = new RequestHeap<Item>();
      const make = maker();
      const all: Item[] = [];
      let reference: Item[] = [];
      for (const op of ops) {
        if (op.kind === 'push') {
          const item = make(op.priority);
          all.push(item);
          heap.push(item);
          reference.push(item);
          reference.sort(byKey);
        } else if (op.kind === 'pop') {
          assert.is(heap.pop(), reference.shift());
        } else if (all.length > 0) {
          const target = all[op.pick % all.length]!;
          const present = reference.includes(target);
          assert.is(heap.remove(target), present);
          reference = reference.filter((i) => i !== target);
        }
        assert.is(heap.size, reference.length);
        assert.is(heap.peek(), reference[0]);
        // FIFO mode only while one priority is waiting; back to FIFO whenever empty.
        if (new Set(reference.map((i) => i.priority)).size > 1) assert.not.ok(isFifo(heap));
        if (reference.length === 0) assert.ok(isFifo(heap), 'an empty queue is back in FIFO mode');
      }
      assert.equal(heap.toArray(), reference);
      assert.equal(drain(heap), reference.map((i) => i.name));
    }),
    { numRuns: 300 },
  );
});

/** Size of the FIFO ring: the memory a queue keeps, read from the private field. */
function ringSlots(heap: RequestHeap<{ priority: number; seq: number }>): number {
  return (heap as unknown as { ring: unknown[] }).ring.length;
}

test('a FIFO queue that keeps emptying reuses its slots instead of growing (memory stays at its longest queue)', () => {
  const heap = new RequestHeap<{ priority: number; seq: number }>();
  let seq = 0;
  for (let round = 0; round < 10_000; round++) {
    for (let k = 0; k < 3; k++) heap.push({ priority: 0, seq: seq++ });
    for (let k = 0; k < 3; k++) assert.is(heap.pop()!.seq, seq - 3 + k);
  }
  assert.is(heap.size, 0);
  assert.ok(ringSlots(heap) <= 4, `ring holds ${ringSlots(heap)} slots after 30,000 pushes of a queue never longer than 3`);
});

test('a FIFO queue that never empties but stays short keeps a small ring (a long busy period)', () => {
  const heap = new RequestHeap<{ priority: number; seq: number }>();
  let seq = 0;
  let expected = 0;
  heap.push({ priority: 0, seq: seq++ });
  for (let round = 0; round < 30_000; round++) {
    heap.push({ priority: 0, seq: seq++ });
    if (round % 2 === 0) heap.push({ priority: 0, seq: seq++ });
    assert.is(heap.pop()!.seq, expected++);
    if (round % 2 === 1) assert.is(heap.pop()!.seq, expected++);
  }
  assert.ok(heap.size > 0 && heap.size <= 3, 'precondition: the queue never emptied and stayed short');
  assert.ok(ringSlots(heap) <= 4, `ring holds ${ringSlots(heap)} slots after 45,000 pushes of a queue never longer than 3`);
});

test.run();
