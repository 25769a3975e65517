// Every fault type from a scenario file, through the real loader, against the model it strikes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executeRun, type RunResult } from '../../../sim/run/execute-run.ts';
import { ScenarioError } from '../../../sim/scenario/errors.ts';
import { column, loadRuns, writeScenarios } from '../../run/scenario-files.ts';

const load = { type: 'block-workload', rate: '1000/s', readFraction: 1, size: { dist: 'constant', value: '4KiB' } };
const disk = { type: 'ideal-disk', capacity: '1GiB', sector: '4KiB', latency: '100us', servers: 8 };

const scenarios: Record<string, object> = {
  'disk.json': {
    name: 'disk', seed: 1, stop: { at: '10s' },
    world: { disk },
    workload: { w: { ...load, target: 'disk' } },
    faults: { broken: { type: 'device-failure', target: 'disk', reason: 'head crash', schedule: [{ at: '2s', duration: '1s' }, { at: '5s', duration: '2s' }] } },
  },
  'ssd.json': {
    name: 'ssd', seed: 1, stop: { at: '2s' },
    world: { ssd: { type: 'ssd', geometry: { channels: 2, chipsPerChannel: 1, diesPerChip: 1, planesPerDie: 1, blocksPerPlane: 64, pagesPerBlock: 32, pageSize: '4KiB' } } },
    workload: { w: { ...load, target: 'ssd' } },
    faults: { dead: { type: 'device-failure', target: 'ssd', at: '1s' } },
  },
  'host.json': {
    name: 'host', seed: 1, stop: { at: '4s' },
    world: {
      disk,
      h: { type: 'host', cores: 2, hypervisor: 'kvm' },
      vm: { type: 'vm', host: 'h' },
      vd: { type: 'vm-disk', vm: 'vm', size: '512MiB', path: 'paravirtual', backing: 'disk' },
    },
    workload: { w: { ...load, target: 'vd', rate: '5000/s' } },
    faults: { crash: { type: 'host-crash', target: 'h', random: { meanTimeBetween: '500ms', meanDuration: '100ms' }, restartVms: true } },
  },
  'net.json': {
    name: 'net', seed: 1, stop: { at: '20s' },
    world: { n: { type: 'network', nodes: ['a', 'b'], links: [{ id: 'ab', from: 'a', to: 'b', bandwidth: '1Gbit/s', latency: '1ms' }], onLinkDown: 'fail' } },
    workload: { t: { type: 'network-transfers', target: 'n', pairs: [{ from: 'a', to: 'b' }], size: { dist: 'constant', value: '10MB' }, interarrival: { dist: 'exponential', mean: '200ms' } } },
    faults: { cut: { type: 'link-down', target: 'n', link: 'ab', at: '5s', duration: '5s' } },
  },
  'cloud.json': {
    name: 'cloud', seed: 1, stop: { at: '20s' },
    world: { s3: { type: 'object-store', region: 'eu-west-1', jurisdiction: 'EU', firstByteLatency: { dist: 'constant', value: '20ms' }, aggregateBandwidth: '1Gbit/s' } },
    workload: { o: { type: 'object-workload', store: 's3', interarrival: { dist: 'exponential', mean: '50ms' }, size: { dist: 'constant', value: '1MB' }, getFraction: 0.5 } },
    faults: {
      down: { type: 'cloud-outage', target: 's3', at: '5s', duration: '2s' },
      slow: { type: 'cloud-throttle', target: 's3', factor: 0.001, at: '12s', duration: '3s' },
    },
  },
};

let results: Map<string, RunResult>;

test.before(async () => {
  const dir = writeScenarios(scenarios);
  try {
    const { runs, units } = await loadRuns([dir.dir]);
    results = new Map(runs.map((run) => [run.scenario, executeRun(run, units)]));
  } finally {
    dir.remove();
  }
});

const value = (scenario: string, name: string) => column(results.get(scenario)!, name);

test('device-failure on a disk: requests fail only inside the windows (3 s of 10 at 1000/s)', () => {
  const failed = value('disk', 'w/failed')!;
  assert.ok(Math.abs(failed - 3000) < 4 * Math.sqrt(3000), `failed ${failed}`);
  assert.is(value('disk', 'broken/injections'), 2);
  assert.is(value('disk', 'broken/active_mean'), 0.3);
});

test('device-failure on an SSD for good: every request after 1 s fails', () => {
  const failed = value('ssd', 'w/failed')!;
  const ok = value('ssd', 'w/reads')!;
  assert.ok(Math.abs(failed - 1000) < 4 * Math.sqrt(1000) && Math.abs(ok - 1000) < 4 * Math.sqrt(1000), `ok ${ok}, failed ${failed}`);
  assert.is(value('ssd', 'ssd/failed'), failed);
});

test('host-crash at random: IOs fail with the crash, and the crash count matches the injections', () => {
  assert.ok(value('host', 'crash/injections')! >= 3);
  assert.is(value('host', 'h/crashes'), value('host', 'crash/injections'));
  assert.ok(value('host', 'h/crash_failed_ios')! > 0);
  assert.ok(value('host', 'w/failed')! > 0);
});

test('link-down in fail mode: transfers crossing the link fail while it is down', () => {
  assert.ok(value('net', 'n/failed_flows')! >= 20, `failed ${value('net', 'n/failed_flows')}`);
  assert.ok(value('net', 'n/completed_flows')! > 50);
});

test('cloud-outage and cloud-throttle: the store answers 503s and clients retry', () => {
  assert.ok(value('cloud', 's3/unavailable')! + value('cloud', 's3/failed_in_flight')! > 0);
  assert.ok(value('cloud', 's3/throttled')! > 0);
  assert.ok(value('cloud', 'o/client/retries')! > 0);
});

test('bad fault specs: timing given twice or not at all, a wrong target type, an unknown link', async () => {
  // The loader builds a world only once its schema and references are right, and a build stops at its
  // first error, so each problem gets its own file; all are reported in one pass.
  const world = { disk, n: { type: 'network', nodes: ['a', 'b'], links: [{ id: 'ab', from: 'a', to: 'b', bandwidth: '1Gbit/s', latency: '1ms' }] } };
  const file = (name: string, fault: object) => ({ [`${name}.json`]: { name, stop: { at: '1s' }, world, faults: { [name]: fault } } });
  const bad = writeScenarios({
    ...file('twice', { type: 'device-failure', target: 'disk', at: '1s', random: { meanTimeBetween: '1s', meanDuration: '1s' } }),
    ...file('never', { type: 'device-failure', target: 'disk' }),
    ...file('wrong', { type: 'host-crash', target: 'disk', at: '1s' }),
    ...file('nolink', { type: 'link-down', target: 'n', link: 'zz', at: '1s' }),
  });
  try {
    await loadRuns([bad.dir]);
    assert.unreachable('should have failed');
  } catch (error) {
    assert.instance(error, ScenarioError);
    const text = String((error as Error).message);
    assert.match(text, /\/faults\/twice: give exactly one of "at", "schedule" or "random" \(got "at" and "random"\)/);
    assert.match(text, /\/faults\/never: give exactly one of "at", "schedule" or "random" \(got none\)/);
    assert.match(text, /\/faults\/wrong\/target: "disk" is an? ideal-disk, but an? host is required here/);
    assert.match(text, /\/faults\/nolink: network "n" has no link "zz"/);
  } finally {
    bad.remove();
  }
});

test.run();
