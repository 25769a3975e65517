/**
 * Scenario glue of the NVMe model: the `nvme-controller` and `nvme-function` schemas through the
 * real validator, and whole scenarios built by the real builder. The backend and the workload
 * are test-only component types (a fixed-service disk and a closed-loop host), handed to
 * `buildWorld` beside the NVMe types, so these tests do not depend on the SSD model.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NVME_ARBITRATION_POLICIES } from '../../../policies/nvme-arbitration/index.ts';
import { BUILT_IN_POLICIES } from '../../../policies/index.ts';
import { IoOp, type BlockDevice } from '../../../sim/models/block/io-request.ts';
import { NvmeFunction } from '../../../sim/models/nvme/function.ts';
import { buildWorld, BuildError } from '../../../sim/scenario/build.ts';
import type { ComponentType } from '../../../sim/scenario/component-type.ts';
import { COMPONENT_TYPES } from '../../../sim/scenario/components/index.ts';
import { NVME_COMPONENT_TYPES } from '../../../sim/scenario/components/nvme.ts';
import { semanticIssues } from '../../../sim/scenario/semantics.ts';
import { loadUnits } from '../../../sim/scenario/units.ts';
import { createValidator } from '../../../sim/scenario/validator.ts';
import { ClosedLoopHost, FixedServiceBackend, S } from './harness.ts';

const units = await loadUnits();

/** Test-only backend: `ideal-disk` here is the fixed-service double of harness.ts. */
const testDiskType: ComponentType = {
  type: 'ideal-disk',
  section: 'world',
  description: 'test backend',
  properties: {},
  build: (context, id, spec) =>
    new FixedServiceBackend(context.env, id, context.quantity(spec.capacity, 'size'), 512, context.quantity(spec.service, 'time'), spec.parallelism),
};

/** Test-only workload: a closed loop of `depth` reads of `size` on `target` until `stop`. */
const testHostType: ComponentType = {
  type: 'test-host',
  section: 'workload',
  description: 'test workload',
  properties: {},
  build(context, _id, spec) {
    const host = new ClosedLoopHost(context.env, context.component<BlockDevice>(spec.target), spec.depth, context.quantity(spec.stop, 'time'), {
      sizeBytes: context.quantity(spec.size, 'size'),
      op: spec.write ? IoOp.Write : IoOp.Read,
    });
    return { start: () => host.start() };
  },
};

const TYPES = [testDiskType, ...NVME_COMPONENT_TYPES, testHostType];

function scenario(overrides: { world?: object; workload?: object; policies?: object } = {}): Record<string, any> {
  return {
    name: 'nvme-test',
    stop: { at: '50ms' },
    world: overrides.world ?? {
      media: { type: 'ideal-disk', capacity: '64MiB', service: '20us', parallelism: 8 },
      nvme0: {
        type: 'nvme-controller',
        backend: 'media',
        maxInFlight: 8,
        commandOverhead: '2us',
        namespaces: [
          { nsid: 1, size: '16MiB' },
          { nsid: 2, size: '16MiB', lbaSize: '512B' },
          { nsid: 3, start: '48MiB', size: '16MiB' },
        ],
      },
      pf0: { type: 'nvme-function', controller: 'nvme0', kind: 'pf', namespaces: [1], queues: { count: 2, depth: 128 }, priority: 'high' },
      vf1: { type: 'nvme-function', controller: 'nvme0', kind: 'vf', parent: 'pf0', namespaces: [2], priority: 'low', limits: { iops: '20000 IOPS', iopsBurst: 8, bandwidth: '500MB/s' } },
      vf2: { type: 'nvme-function', controller: 'nvme0', kind: 'vf', parent: 'pf0', namespaces: [3], priority: 'urgent', interruptCoalescing: { time: '50us', threshold: 4 } },
    },
    workload: overrides.workload ?? {
      load0: { type: 'test-host', target: 'pf0', depth: 64, size: '4KiB', stop: '1s' },
      load1: { type: 'test-host', target: 'vf1', depth: 64, size: '4KiB', stop: '1s', write: true },
    },
    policies: overrides.policies ?? { 'nvme-arbitration': { name: 'weighted-round-robin', params: { burst: 2, weights: { high: 4, medium: 2, low: 1 } } } },
  };
}

function run(spec: Record<string, any>, seed = 1) {
  const world = buildWorld(spec, seed, units, TYPES, NVME_ARBITRATION_POLICIES);
  world.start();
  world.env.run({ until: units.parse(spec.stop.at, 'time') });
  const summary = world.metrics.summary();
  return { world, summary, value: (c: string) => summary.find((x) => x.column === c)?.value };
}

function buildError(spec: Record<string, any>): BuildError {
  try {
    buildWorld(spec, 1, units, TYPES, NVME_ARBITRATION_POLICIES);
  } catch (error) {
    assert.instance(error, BuildError);
    return error as BuildError;
  }
  throw new Error('expected a BuildError');
}

test('the NVMe types and policies are registered with the scenario layer', () => {
  for (const type of NVME_COMPONENT_TYPES) assert.ok(COMPONENT_TYPES.includes(type), type.type);
  for (const policy of NVME_ARBITRATION_POLICIES) assert.ok(BUILT_IN_POLICIES.includes(policy), policy.name);
});

test('a scenario with a controller, a PF and two VFs builds, runs, and reports its metrics with units', () => {
  const { world, value } = run(scenario());
  assert.ok(world.env.now === 0.05 * S);
  // columns, with their units
  for (const column of ['pf0/read_latency_p99_us', 'pf0/queue_time_mean_us', 'pf0/read_bytes_B', 'vf1/write_latency_mean_us', 'vf1/throttled_time_s', 'vf1/throttled_mean', 'pf0/sq_entries_mean', 'nvme0/in_flight_mean', 'nvme0/fetched']) {
    assert.ok(value(column) !== undefined, column);
  }
  // vf1 is overloaded behind 20 000 IOPS: ρt + σ = 1000 + 8
  const vf1Writes = value('vf1/writes')!;
  assert.ok(vf1Writes <= 1008 && vf1Writes >= 990, `vf1 writes ${vf1Writes}`);
  // pf0 gets the rest of 8 / (20 us + 2 us) = 363 636 IOPS, less vf1's share
  const pf0Reads = value('pf0/reads')!;
  assert.ok(Math.abs(pf0Reads - (8 / 22e-6 - 20000) * 0.05) < 0.01 * pf0Reads, `pf0 reads ${pf0Reads}`);
  assert.is(value('pf0/read_latency_max_us')! >= 22, true);
  const vf1 = world.metrics.paths().filter((p) => p.startsWith('vf1/'));
  assert.ok(vf1.includes('vf1/throttled_time'));
});

test('namespaces default their start to the end of the previous one; a function addresses its first namespace', () => {
  const built = new Map<string, unknown>();
  const types = TYPES.map((t) => ({ ...t, build: (c: any, id: string, s: any) => { const b = t.build(c, id, s); built.set(id, b); return b; } }));
  buildWorld(scenario(), 1, units, types, NVME_ARBITRATION_POLICIES);
  const pf0 = built.get('pf0') as NvmeFunction;
  const vf1 = built.get('vf1') as NvmeFunction;
  const vf2 = built.get('vf2') as NvmeFunction;
  assert.instance(pf0, NvmeFunction);
  assert.equal([pf0.namespaces[0]!.startBytes, vf1.namespaces[0]!.startBytes, vf2.namespaces[0]!.startBytes], [0, 16 * 1048576, 48 * 1048576]);
  assert.equal([pf0.sectorBytes, vf1.sectorBytes], [4096, 512]);
  assert.is(pf0.queueCount, 2);
  assert.is(pf0.queueDepth, 128);
  assert.equal(vf1.parent, pf0);
  assert.equal(pf0.vfs, [vf1, vf2]);
});

test('determinism: the same scenario and seed give the same summary', () => {
  assert.equal(run(scenario()).summary, run(scenario()).summary);
});

test('round robin is the default policy at nvme-arbitration: equal service per SQ, whatever the class (pf0 has 2 SQs, vf1 one)', () => {
  const spec = scenario({ policies: {} });
  delete spec.world.vf1.limits;
  const { value } = run(spec);
  const a = value('pf0/reads')!;
  const b = value('vf1/writes')!;
  assert.ok(Math.abs(a - 2 * b) <= 2 * (8 + 3), `${a} vs 2 × ${b}`);
});

test('the schema accepts the example and rejects bad shapes and units, at their JSON pointers', async () => {
  const validator = await createValidator(units);
  // The registered validator does not know the test-only backend and workload: look at NVMe pointers only.
  const nvmeIssues = (spec: object) => validator.check(spec, 'x.json').filter((i) => !i.pointer.startsWith('/world/media') && !i.pointer.startsWith('/workload'));
  const ok = scenario();
  assert.equal(nvmeIssues(ok), []);
  const cases: [(s: Record<string, any>) => void, string][] = [
    [(s) => (s.world.pf0.kind = 'sf'), '/world/pf0/kind'],
    [(s) => (s.world.pf0.queues.depth = 1), '/world/pf0/queues/depth'],
    [(s) => (s.world.pf0.queues.depth = 65537), '/world/pf0/queues/depth'],
    [(s) => (s.world.pf0.priority = 'admin'), '/world/pf0/priority'],
    [(s) => (s.world.vf1.limits.bandwidth = '500MB'), '/world/vf1/limits/bandwidth'],
    [(s) => (s.world.vf1.limits.iops = '20000'), '/world/vf1/limits/iops'],
    [(s) => (s.world.vf1.limits.extra = 1), '/world/vf1/limits'],
    [(s) => (s.world.nvme0.maxInFlight = 0), '/world/nvme0/maxInFlight'],
    [(s) => (s.world.nvme0.namespaces[0].nsid = 0), '/world/nvme0/namespaces/0/nsid'],
    [(s) => (s.world.nvme0.commandOverhead = '2'), '/world/nvme0/commandOverhead'],
    [(s) => delete s.world.vf2.interruptCoalescing.threshold, '/world/vf2/interruptCoalescing'],
    [(s) => (s.world.pf0.namespaces = [1, 1]), '/world/pf0/namespaces'],
    [(s) => (s.policies['nvme-arbitration'].params.burst = 3), '/policies/nvme-arbitration'],
    [(s) => (s.policies['nvme-arbitration'].params.weights.high = 0), '/policies/nvme-arbitration'],
  ];
  for (const [mutate, pointer] of cases) {
    const spec = structuredClone(ok);
    mutate(spec);
    const issues = nvmeIssues(spec);
    assert.ok(issues.length > 0, `rejected: ${pointer}`);
    assert.ok(issues.some((i) => i.pointer.startsWith(pointer)), `${pointer}: got ${issues.map((i) => `${i.pointer} ${i.message}`).join('; ')}`);
  }
});

test('references: a function must name an nvme-controller, a controller a block device type', () => {
  const spec = scenario();
  spec.world.pf0.controller = 'media';
  spec.world.nvme0.backend = 'pf0';
  const issues = semanticIssues(spec, TYPES);
  assert.ok(issues.some((i) => i.pointer === '/world/pf0/controller' && /nvme-controller is required/.test(i.message)), JSON.stringify(issues));
  assert.ok(issues.some((i) => i.pointer === '/world/nvme0/backend' && /ssd or an array-volume or an ideal-disk/.test(i.message)), JSON.stringify(issues));
});

test('build errors name the component and say what is allowed', () => {
  const cases: [(s: Record<string, any>) => void, string, RegExp][] = [
    [(s) => delete s.world.vf1.parent, '/world/vf1', /a vf needs "parent"/],
    [(s) => (s.world.pf0.parent = 'pf0'), '/world/pf0', /a pf has no "parent"/],
    [(s) => (s.world.vf2.parent = 'vf1'), '/world/vf2', /parent "vf1" is a vf; allowed: a pf/],
    [(s) => (s.world.vf1.namespaces = [9]), '/world/vf1', /no namespace 9 on nvme0; allowed: 1, 2, 3/],
    [(s) => (s.world.nvme0.namespaces[0].lbaSize = '1KiB'), '/world/nvme0', /allowed: 512 B or 4 KiB/],
    [(s) => (s.world.nvme0.namespaces[2].start = '8MiB'), '/world/nvme0', /overlap/],
    [(s) => (s.world.nvme0.namespaces[2].size = '32MiB'), '/world/nvme0', /extends past the backend/],
    [(s) => (s.world.vf1.limits = { iopsBurst: 4 }), '/world/vf1', /iopsBurst needs limits.iops/],
    [(s) => (s.world.vf1.controller = 'pf0'), '/world/vf1', /"pf0" is not an nvme-controller/],
    [(s) => (s.world.vf1.limits = { bandwidth: '0B/s' }), '/world/vf1', /bandwidth must be > 0/],
  ];
  for (const [mutate, pointer, message] of cases) {
    const spec = scenario();
    mutate(spec);
    const error = buildError(spec);
    assert.is(error.pointer, pointer, error.message);
    assert.match(error.message, message);
  }
  // Out of order: a function written before its controller is built after it.
  const { nvme0, ...rest } = scenario().world;
  const reordered = scenario({ world: { media: rest.media, pf0: rest.pf0, nvme0, vf1: rest.vf1, vf2: rest.vf2 } });
  assert.equal([...buildWorld(reordered, 1, units, TYPES, NVME_ARBITRATION_POLICIES).components.keys()].slice(0, 3), ['media', 'nvme0', 'pf0']);
  // A backend that is not a block device.
  const notADisk: ComponentType = { type: 'ideal-disk', section: 'world', description: '', properties: {}, build: () => ({}) };
  try {
    buildWorld(scenario(), 1, units, [notADisk, ...NVME_COMPONENT_TYPES, testHostType], NVME_ARBITRATION_POLICIES);
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /backend "media" is not a block device: it lacks submit\(request\), capacityBytes > 0, sectorBytes/);
  }
});

test.run();
