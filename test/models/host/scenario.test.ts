/**
 * The `host`, `vm` and `vm-disk` component types through the real loader, as a user runs
 * them: a block-workload drives a VM disk backed by an ideal disk. References: the boot time
 * of a serial boot worked out by hand; the utilization law (Denning & Buzen 1978); bad input
 * reported with a reason; the same scenario and seed give the same numbers.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executeRun } from '../../../sim/run/execute-run.ts';
import { column, loadRuns, writeScenarios } from '../../run/scenario-files.ts';

function scenario(name: string, world: Record<string, object>, extra: Record<string, unknown> = {}): object {
  return {
    name,
    seed: 3,
    stop: { at: '2s' },
    world,
    workload: {
      load: { type: 'block-workload', target: 'disk1', rate: '20000/s', readFraction: 0.5, size: { dist: 'constant', value: '4KiB' } },
    },
    ...extra,
  };
}

const baseWorld = () => ({
  host1: { type: 'host', cores: 2, hypervisor: 'kvm', pathCosts: { paravirtual: { submit: '8us', complete: '4us' } } },
  dev: { type: 'ideal-disk', capacity: '64GiB', latency: '100us', servers: 64 },
  vm1: { type: 'vm', host: 'host1', memory: '2GiB', boot: { generate: { count: 10, size: '64KiB' } } },
  disk1: { type: 'vm-disk', vm: 'vm1', size: '16GiB', path: 'paravirtual', backing: 'dev', offset: '1GiB' },
});

/** Loads every scenario of `files` in one loader call (loading is the slow part) and returns the runs by scenario name. */
async function loadAll(files: Record<string, object>) {
  const dir = writeScenarios(files);
  try {
    const { runs, units } = await loadRuns([dir.dir]);
    return { units, run: (name: string) => executeRun(runs.find((r) => r.scenario === name)!, units) };
  } finally {
    dir.remove();
  }
}

const missingBootDisk = () => {
  const world = baseWorld() as Record<string, any>;
  world.vm1.boot.disk = 'nope';
  return world;
};

const defaultsWorld = {
  esx: { type: 'host', cores: 1, hypervisor: 'esxi' },
  dev: { type: 'ideal-disk', capacity: '64GiB', latency: '50us' },
  vm1: { type: 'vm', host: 'esx', autoStart: false },
  disk1: { type: 'vm-disk', vm: 'vm1', size: '1GiB', path: 'passthrough', backing: 'dev' },
  disk2: { type: 'vm-disk', vm: 'vm1', size: '1GiB', path: 'emulated', backing: 'dev', offset: '2GiB', thin: true, queueDepth: 4 },
};

const good = loadAll({
  'a.json': scenario('vm-disk-load', baseWorld()),
  'b.json': scenario('defaults', defaultsWorld, { stop: { at: '10ms' } }),
  'c.json': scenario('missing-boot-disk', missingBootDisk()),
});

test('a VM disk as a block-workload target: boot time by hand, CPU utilization by the utilization law, deterministic', async () => {
  const { run } = await good;
  const result = run('vm-disk-load');
  const again = run('vm-disk-load');
  // Serial boot: 10 reads × (8 µs CPU + 100 µs ideal disk + 4 µs CPU), alone on the host.
  assert.is(column(result, 'vm1/boot_time_s'), (10 * 112) / 1e6);
  assert.is(column(result, 'vm1/boots'), 1);
  // Utilization law: U = λ × 12 µs / 2 cores = 0.12 (λ = 20 000/s; 40 000 requests in 2 s, ±0.5 % at 1 sd).
  const u = column(result, 'host1/cpu_utilization_mean')!;
  assert.ok(Math.abs(u - 0.12) / 0.12 < 0.02, `utilization ${u}`);
  assert.is(column(result, 'host1/paravirtual/cpu_per_io_mean_us'), 12);
  assert.ok(column(result, 'vm1/read_latency_mean_us')! >= 112, 'at least CPU + device');
  // Every device completion but the 10 boot reads is a workload request, done or in its completion CPU at the stop.
  const pending = column(result, 'dev/completed')! - 10 - (column(result, 'vm1/reads')! + column(result, 'vm1/writes')!);
  assert.ok(pending >= 0 && pending <= 2, `device completions not yet completed to the VM: ${pending}`);
  assert.equal(result.summary, again.summary, 'same run, same numbers');
});

test('defaults: passthrough defaults to raw and emulated to the native format; a VM that never starts holds its requests', async () => {
  const result = (await good).run('defaults');
  assert.is(column(result, 'vm1/boots'), 0, 'autoStart false: never booted');
  assert.is(column(result, 'vm1/reads'), 0, 'requests wait for a VM that never runs');
  assert.ok(column(result, 'vm1/held_ios')! > 0);
});

test('a vm whose boot disk is missing fails when the world starts, naming the problem', async () => {
  const { run } = await good;
  assert.throws(() => run('missing-boot-disk'), /vm1: boots from "nope", which is not one of its disks/);
});

test('a disk written before its vm loads: the vm is built first', async () => {
  const world = baseWorld() as Record<string, any>;
  const { disk1, vm1, ...rest } = world;
  const dir = writeScenarios({ 'late-vm.json': scenario('late-vm', { ...rest, disk1, vm1 }) });
  try {
    const { runs } = await loadRuns([dir.dir]);
    assert.is(runs.length, 1);
  } finally {
    dir.remove();
  }
});

test('bad input is reported with what is wrong and what is allowed', async () => {
  const cases: [string, (w: Record<string, any>) => void, RegExp][] = [
    ['qcow2 on passthrough', (w) => (w.disk1 = { ...w.disk1, path: 'passthrough', format: 'qcow2' }), /format "qcow2" on a passthrough path.*allowed: raw/],
    ['vhdx on esxi', (w) => ((w.host1.hypervisor = 'esxi'), (w.disk1.format = 'vhdx')), /format "vhdx" cannot be attached by host "host1" \(ESXi-like\); allowed: vmdk, raw/],
    ['backing that does not fit', (w) => (w.disk1.offset = '60GiB'), /does not fit on dev .*allowed: an offset of at most/],
    ['backing of the wrong type', (w) => (w.disk1.backing = 'host1'), /"host1" is a host, but .* is required here/],
    ['both boot reads and a generator', (w) => (w.vm1.boot.reads = [{ offset: '0B', size: '4KiB' }]), /boot: give exactly one of "reads" or "generate"/],
    ['boot read beyond the disk', (w) => (w.vm1.boot = { reads: [{ offset: '16GiB', size: '4KiB' }] }), /boot read 0 .* does not fit boot disk disk1/],
    ['unknown hypervisor', (w) => (w.host1.hypervisor = 'xen'), /must be one of "esxi", "hyperv", "kvm" \(got "xen"\)/],
    ['thinGrain without thin', (w) => (w.disk1.thinGrain = '1MiB'), /"thinGrain" needs "thin": true/],
  ];
  const files: Record<string, object> = {};
  cases.forEach(([, change], i) => {
    const world = baseWorld() as Record<string, any>;
    change(world);
    files[`bad${i}.json`] = scenario(`bad${i}`, world);
  });
  const dir = writeScenarios(files);
  let issues: { file: string; message: string; allowed?: string }[] = [];
  try {
    await loadRuns([dir.dir]);
  } catch (error) {
    issues = (error as { issues?: typeof issues }).issues ?? [];
  } finally {
    dir.remove();
  }
  cases.forEach(([what, , expected], i) => {
    const mine = issues.filter((issue) => issue.file.endsWith(`bad${i}.json`)).map((issue) => `${issue.message}; allowed: ${issue.allowed ?? ''}`);
    assert.ok(mine.some((m) => expected.test(m)), `${what}: ${JSON.stringify(mine)}`);
  });
});

test.run();
