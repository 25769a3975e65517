import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyVariant, expandVariants, runId, withAssignment, type Variant } from '../../sim/scenario/sweep.ts';

/** Deep-freezes a value so any mutation throws in strict mode (ES modules are strict). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

test('a scenario without a sweep has exactly one variant, index 0, unnamed, with no assignments', () => {
  assert.equal(expandVariants(undefined), [{ index: 0, name: '', baseIndex: 0, assignments: [] }]);
});

test('a sweep that only sets replications still has exactly one variant', () => {
  assert.equal(expandVariants({ replications: 5 }), [{ index: 0, name: '', baseIndex: 0, assignments: [] }]);
});

test('named variants keep their listed order and names, and an unnamed variant gets the empty name', () => {
  const variants = expandVariants({
    variants: [{ name: 'b', set: { x: 1 } }, { set: { x: 2 } }, { name: 'a', set: { x: 3, y: 'z' } }],
  });
  assert.equal(variants, [
    { index: 0, name: 'b', baseIndex: 0, assignments: [['x', 1]] },
    { index: 1, name: '', baseIndex: 1, assignments: [['x', 2]] },
    { index: 2, name: 'a', baseIndex: 2, assignments: [['x', 3], ['y', 'z']] },
  ]);
});

test('matrix combinations vary the last key fastest', () => {
  const variants = expandVariants({ matrix: { a: [1, 2], b: ['x', 'y', 'z'] } });
  assert.equal(
    variants.map((v) => v.assignments),
    [
      [['a', 1], ['b', 'x']],
      [['a', 1], ['b', 'y']],
      [['a', 1], ['b', 'z']],
      [['a', 2], ['b', 'x']],
      [['a', 2], ['b', 'y']],
      [['a', 2], ['b', 'z']],
    ],
  );
  assert.equal(variants.map((v) => v.index), [0, 1, 2, 3, 4, 5]);
  assert.ok(variants.every((v) => v.name === ''));
});

test('variants times matrix: each variant in order, crossed with every matrix point, set before matrix', () => {
  const variants = expandVariants({
    variants: [{ name: 'slow', set: { s: 2 } }, { name: 'fast', set: { s: 1 } }],
    matrix: { p: ['fifo', 'sjf'], c: [1, 2] },
  });
  assert.equal(variants.length, 8);
  assert.equal(variants.map((v) => v.baseIndex), [0, 0, 0, 0, 1, 1, 1, 1]);
  const summary = variants.map((v) => `${v.index}:${v.name}:${v.assignments.map(([k, x]) => `${k}=${String(x)}`).join(',')}`);
  assert.equal(summary, [
    '0:slow:s=2,p=fifo,c=1',
    '1:slow:s=2,p=fifo,c=2',
    '2:slow:s=2,p=sjf,c=1',
    '3:slow:s=2,p=sjf,c=2',
    '4:fast:s=1,p=fifo,c=1',
    '5:fast:s=1,p=fifo,c=2',
    '6:fast:s=1,p=sjf,c=1',
    '7:fast:s=1,p=sjf,c=2',
  ]);
});

test('expansion is deterministic: the same sweep gives the same variants', () => {
  const sweep = { variants: [{ name: 'v', set: { a: 1 } }], matrix: { b: [1, 2, 3] } };
  assert.equal(expandVariants(sweep), expandVariants(structuredClone(sweep)));
});

test('withAssignment returns a copy and never mutates the original, even deeply', () => {
  const spec = deepFreeze({ world: { server: { servers: 1, extra: { keep: true } } }, name: 's' });
  const copy = withAssignment(spec, 'world.server.servers', 4);
  assert.is(copy.world.server.servers, 4);
  assert.is(spec.world.server.servers, 1);
  assert.is.not(copy, spec);
  assert.is.not(copy.world, spec.world);
  assert.equal(copy.world.server.extra, { keep: true });
  assert.is.not(copy.world.server.extra, spec.world.server.extra);
  assert.is(copy.name, 's');
});

test('withAssignment creates the missing objects along the path', () => {
  const spec = deepFreeze({ name: 's' }) as Record<string, any>;
  const copy = withAssignment(spec, 'policies.queue-discipline', 'sjf');
  assert.equal(copy, { name: 's', policies: { 'queue-discipline': 'sjf' } });
  const deeper = withAssignment(spec, 'a.b.c.d', 1);
  assert.equal(deeper, { name: 's', a: { b: { c: { d: 1 } } } });
  assert.equal(spec, { name: 's' });
});

test('withAssignment replaces a non-object (or null) found along the path by an object', () => {
  const copy = withAssignment({ a: 'text', n: null } as Record<string, any>, 'a.b', 1);
  assert.equal(copy.a, { b: 1 });
  assert.equal(withAssignment({ n: null } as Record<string, any>, 'n.x', 2).n, { x: 2 });
});

test('withAssignment on a one-key path sets a top-level key', () => {
  assert.equal(withAssignment({ a: 1 }, 'b', [1, 2]), { a: 1, b: [1, 2] });
});

test('withAssignment stores a copy of the value, so later changes to the value do not leak in', () => {
  const value = { dist: 'exponential', mean: '1s' };
  const copy = withAssignment({} as Record<string, any>, 'x', value);
  value.mean = '2s';
  assert.equal(copy.x, { dist: 'exponential', mean: '1s' });
});

test('applyVariant applies assignments in order (a later one wins) and leaves the spec untouched', () => {
  const spec = deepFreeze({ a: { b: 0 }, c: 0 });
  const variant: Variant = { index: 0, name: '', baseIndex: 0, assignments: [['a.b', 1], ['c', 2], ['a.b', 3]] };
  assert.equal(applyVariant(spec, variant), { a: { b: 3 }, c: 2 });
  assert.equal(spec, { a: { b: 0 }, c: 0 });
});

test('applyVariant with no assignments returns an equal spec', () => {
  const spec = { a: 1 };
  assert.equal(applyVariant(spec, { index: 0, name: '', baseIndex: 0, assignments: [] }), { a: 1 });
});

test('runId is <scenario>/v<variant>/r<replication>', () => {
  assert.is(runId('mm1', 0, 0), 'mm1/v0/r0');
  assert.is(runId('mm1-disciplines', 12, 3), 'mm1-disciplines/v12/r3');
});

test.run();
