// Swarm test of the storage stack: random worlds of a block workload → VM disk (paravirtual or
// passthrough) → NVMe function (PF or VF) → NVMe controller → timed SSD, with random geometry,
// GC policy, arbitration and faults (host crash, controller reset, SSD failure), built by the
// scenario builder as a user's file would be. Checkers on: the workload's exactly-once checker
// fails a run on any request served twice or left pending; at the end every issued request must
// have completed (no IO lost) and the FTL mapping must be consistent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { BUILT_IN_POLICIES } from '../../policies/index.ts';
import { assertFtlConsistent } from '../../sim/checkers/ftl-consistency.ts';
import type { Ssd } from '../../sim/models/ssd/ssd.ts';
import { buildWorld } from '../../sim/scenario/build.ts';
import { COMPONENT_TYPES } from '../../sim/scenario/components/index.ts';
import { loadUnits } from '../../sim/scenario/units.ts';

const units = await loadUnits();

const worldArb = fc.record({
  channels: fc.integer({ min: 1, max: 4 }),
  dies: fc.integer({ min: 1, max: 2 }),
  blocksPerPlane: fc.integer({ min: 32, max: 64 }), // the spare pages must exceed the open and reserved blocks
  pagesPerBlock: fc.constantFrom(8, 16, 32),
  spareFactor: fc.constantFrom(0.15, 0.25, 0.4),
  gcVictim: fc.constantFrom('greedy', 'cost-benefit', 'd-choices', 'fifo', 'random'),
  arbitration: fc.constantFrom('round-robin', 'weighted-round-robin'),
  path: fc.constantFrom('paravirtual', 'passthrough'),
  function: fc.constantFrom('pf0', 'vf1'),
  queueDepth: fc.integer({ min: 1, max: 16 }),
  readFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  requests: fc.integer({ min: 200, max: 3000 }),
  faults: fc.array(
    fc.record({ kind: fc.constantFrom('host-crash', 'controller-reset', 'device-failure'), atUs: fc.integer({ min: 0, max: 20_000 }), durationUs: fc.integer({ min: 1, max: 5_000 }) }),
    { maxLength: 3 },
  ),
  seed: fc.integer({ min: 1, max: 1000 }),
});

type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function scenario(w: World): Record<string, any> {
  const faults: Record<string, object> = {};
  w.faults.forEach((f, i) => {
    const target = f.kind === 'host-crash' ? 'h' : f.kind === 'controller-reset' ? 'ctrl' : 'ssd';
    faults[`f${i}`] = { type: f.kind, target, at: `${f.atUs}us`, duration: `${f.durationUs}us`, ...(f.kind === 'host-crash' ? { restartVms: true } : {}) };
  });
  return {
    name: 'swarm',
    stop: { whenIdle: true },
    world: {
      ssd: {
        type: 'ssd',
        geometry: { channels: w.channels, chipsPerChannel: 1, diesPerChip: w.dies, planesPerDie: 1, blocksPerPlane: w.blocksPerPlane, pagesPerBlock: w.pagesPerBlock, pageSize: '4KiB' },
        cellType: 'SLC',
        spareFactor: w.spareFactor,
      },
      ctrl: { type: 'nvme-controller', backend: 'ssd', maxInFlight: 8 },
      pf0: { type: 'nvme-function', controller: 'ctrl', kind: 'pf', queues: { count: 2, depth: 8 } },
      vf1: { type: 'nvme-function', controller: 'ctrl', kind: 'vf', parent: 'pf0', queues: { count: 1, depth: 4 } },
      h: { type: 'host', cores: 2, hypervisor: 'kvm' },
      vm: { type: 'vm', host: 'h' },
      disk: { type: 'vm-disk', vm: 'vm', size: '256KiB', path: w.path, backing: w.function },
    },
    workload: {
      w: {
        type: 'block-workload', target: 'disk', queueDepth: w.queueDepth, readFraction: w.readFraction,
        size: { dist: 'uniform', min: '4KiB', max: '16KiB' }, requestLimit: w.requests, checkExactlyOnce: true,
      },
    },
    faults,
    policies: { 'gc-victim': w.gcVictim, 'nvme-arbitration': w.arbitration },
  };
}

test('random storage stacks with faults: no IO lost or served twice, FTL mapping consistent', () => {
  fc.assert(
    fc.property(worldArb, (w) => {
      const world = buildWorld(scenario(w), w.seed, units, COMPONENT_TYPES, BUILT_IN_POLICIES);
      world.start();
      world.env.run({ maxEvents: 10_000_000 });
      const value = (name: string) => world.metrics.summary().find((c) => c.column === name)?.value ?? NaN;
      const completed = value('w/reads') + value('w/writes') + value('w/failed');
      assert.is(value('w/issued'), w.requests, 'the workload issued all its requests');
      assert.is(completed, w.requests, 'every request completed once (OK or failed)');
      if (w.faults.length === 0) assert.is(value('w/failed'), 0, 'no failure without a fault');
      assertFtlConsistent((world.components.get('ssd') as Ssd).ftl);
    }),
    { numRuns: 40 },
  );
});

test.run();
