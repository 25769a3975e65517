import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { buildOrder } from '../../sim/scenario/build-order.ts';
import { COMPONENT_TYPES } from '../../sim/scenario/components/index.ts';
import { loadScenarios } from '../../sim/scenario/load.ts';
import { ScenarioError } from '../../sim/scenario/errors.ts';
import { referenceFiles } from '../sweep/helpers.ts';
import { writeScenarios } from '../run/scenario-files.ts';

const order = (spec: Record<string, any>) => buildOrder(spec, COMPONENT_TYPES).map((entry) => entry.id);

const EXAMPLE = JSON.parse(readFileSync(new URL('../../scenarios/examples/vms-sriov-vs-paravirtual.json', import.meta.url), 'utf8'));

/** The example with its world written in reverse: every VM before its host, every disk before its VM. */
function reversedWorld(spec: Record<string, any>): Record<string, any> {
  const { $schema: _, ...rest } = spec;
  return { ...rest, world: Object.fromEntries(Object.entries(spec.world).reverse()) };
}

test('a scenario whose references all point back is built exactly in written order, sections in turn', () => {
  const { $schema: _, ...spec } = EXAMPLE;
  assert.equal(order(spec), [...Object.keys(spec.world), ...Object.keys(spec.workload)]);
});

test('a component written before what it refers to waits for it; the rest keeps written order', () => {
  const spec = reversedWorld(EXAMPLE);
  const built = order(spec);
  assert.equal(built, ['h1', 'vm2', 'vm1', 'ssd0', 'ctrl', 'pf0', 'vf2', 'disk2', 'vf1', 'disk1', 'load1', 'load2']);
  // Every reference points to a component built before it.
  const at = (id: string) => built.indexOf(id);
  for (const [id, component] of Object.entries<Record<string, any>>(spec.world)) {
    for (const key of ['host', 'vm', 'backing', 'controller', 'parent', 'backend']) {
      if (typeof component[key] === 'string') assert.ok(at(component[key]) < at(id), `${id}.${key} = ${component[key]} is built first`);
    }
  }
});

// The build order is also the order components register with shared models (an NVMe
// controller's functions, say), which breaks ties between them, so the numbers may differ
// from the example's; what must hold is that it runs, reports the same metrics, and is
// deterministic.
test('the example written in reverse runs, reports the same columns, and gives the same file twice', async () => {
  const inOrder = writeScenarios({ 'vms.json': (({ $schema: _, ...rest }) => rest)(EXAMPLE) });
  const reversed = writeScenarios({ 'vms.json': reversedWorld(EXAMPLE) });
  try {
    const a = await referenceFiles([inOrder.dir]);
    const b = await referenceFiles([reversed.dir]);
    assert.equal(b.failed, []);
    const lines = (csv: string) => csv.trimEnd().split('\n');
    assert.equal(lines(b.runs)[0]!.split(',').sort(), lines(a.runs)[0]!.split(',').sort(), 'the same columns');
    assert.is(lines(b.runs).length, lines(a.runs).length, 'the same runs');
    assert.is((await referenceFiles([reversed.dir])).runs, b.runs);
  } finally {
    inOrder.remove();
    reversed.remove();
  }
});

test('components that refer to each other in a cycle are refused with exit-2 input errors naming the cycle', async () => {
  const array = (peer: string) => ({
    type: 'storage-array',
    role: 'primary',
    peer,
    link: { bandwidth: '1GB/s' },
    backend: { parallelism: 4, readLatency: { dist: 'constant', value: '100us' }, writeLatency: { dist: 'constant', value: '100us' }, bandwidth: '1GB/s' },
    ports: { count: 1, bandwidth: '1GB/s' },
    copyEngine: { bandwidth: '1GB/s' },
  });
  const files = writeScenarios({ 'cycle.json': { name: 'cycle', stop: { at: '1s' }, world: { a: array('b'), b: array('a') } } });
  try {
    await loadScenarios([files.dir]);
    assert.unreachable('a reference cycle was accepted');
  } catch (error) {
    assert.ok(error instanceof ScenarioError, String(error));
    assert.match((error as Error).message, /\/world\/a.*"b".*cycle/);
  } finally {
    files.remove();
  }
});

test.run();
