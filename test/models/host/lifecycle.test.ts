/**
 * VM lifecycle hooks and virtual disk features. References: hand-worked schedules over
 * fixed-latency devices (which device serves which request, and when), and invariants
 * (requests held while not running complete after, in order; the same inputs give the same
 * outputs).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Environment } from '../../../sim/engine/index.ts';
import { RandomStreams, exponential } from '../../../sim/engine/random/index.ts';
import { MetricRegistry } from '../../../sim/metrics/index.ts';
import { IoOp } from '../../../sim/models/block/io-request.ts';
import { Host } from '../../../sim/models/host/host.ts';
import { VirtualDisk } from '../../../sim/models/host/virtual-disk.ts';
import { VM_STOPPED, VirtualMachine } from '../../../sim/models/host/vm.ts';
import { FixedLatencyDevice, LoggingRequester, MS, oneVmWorld, S, US } from './harness.ts';

const free = { paravirtual: { submitNs: 0, completeNs: 0 } };

test('swapBacking mid-run: requests that enter the path later go to the new device; ones in flight finish on the old', () => {
  const w = oneVmWorld({ host: { pathCosts: free }, deviceLatencyNs: 50 * US });
  const restored = new FixedLatencyDevice(w.env, 'restored', 5 * US);
  for (let k = 0; k < 10; k++) w.requester.submitAt(k * 10 * US, IoOp.Read, k * 4096, 4096);
  w.env.scheduleAt(45 * US, () => w.disk.swapBacking(restored, 1 << 20), null);
  w.env.run();
  assert.equal(w.device.log.map((e) => e.offsetBytes / 4096), [0, 1, 2, 3, 4]);
  assert.equal(restored.log.map((e) => (e.offsetBytes - (1 << 20)) / 4096), [5, 6, 7, 8, 9]);
  const byId = [...w.requester.completions].sort((x, y) => x.id - y.id);
  assert.equal(byId.map((c) => c.latencyNs / US), [50, 50, 50, 50, 50, 5, 5, 5, 5, 5]);
  assert.throws(() => w.disk.swapBacking(new FixedLatencyDevice(w.env, 'tiny', 0, 1 << 20)), /does not fit on tiny/);
});

test('pause / resume: requests wait while paused and their latency includes the wait', () => {
  const w = oneVmWorld({ host: { pathCosts: free }, deviceLatencyNs: 10 * US });
  w.env.scheduleAt(100 * US, () => w.vm.pause(), null);
  w.requester.submitAt(120 * US, IoOp.Read, 0, 4096);
  w.env.scheduleAt(200 * US, () => w.vm.resume(), null);
  w.env.run();
  assert.equal(w.requester.completions.map((c) => [c.atNs / US, c.latencyNs / US]), [[210, 90]]);
  assert.is(w.value('vm1/held_ios'), 1);
  assert.throws(() => {
    w.vm.powerOff();
    w.vm.pause();
  }, /cannot pause a stopped VM/);
});

test('powerOff: requests in the path finish, held ones fail with "vm stopped", later ones wait for the next power-on', () => {
  const w = oneVmWorld({ host: { pathCosts: free }, deviceLatencyNs: 10 * US });
  w.requester.submitAt(1 * US, IoOp.Read, 0, 4096); // in the path at 5 µs
  w.env.scheduleAt(3 * US, () => w.vm.pause(), null);
  w.requester.submitAt(4 * US, IoOp.Read, 4096, 4096); // held
  w.env.scheduleAt(5 * US, () => w.vm.powerOff(), null);
  w.requester.submitAt(6 * US, IoOp.Read, 8192, 4096); // held until the next power-on
  w.env.run();
  assert.equal(w.requester.completions.map((c) => [c.id, c.ok, c.failure]), [[1, false, VM_STOPPED], [0, true, '']]);
  w.vm.powerOn();
  w.env.run();
  assert.equal(w.requester.completions.at(-1)!.id, 2);
  assert.equal(w.requester.timesCompleted, [1, 1, 1]);
});

test('live migration: runs during the copy, then holds, drains, waits the downtime and continues on the target host', () => {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const cost = { paravirtual: { submitNs: 5 * US, completeNs: 0 } };
  const a = new Host(env, 'a', { cores: 1, hypervisor: 'kvm', pathCosts: cost, migrationRateBytesPerS: 1e9 }, metrics);
  const b = new Host(env, 'b', { cores: 1, hypervisor: 'kvm', pathCosts: cost, migrationRateBytesPerS: 2e9, migrationDowntimeNs: 1 * MS }, metrics);
  const device = new FixedLatencyDevice(env, 'dev', 100 * US);
  const vm = new VirtualMachine(env, 'vm', a, { memoryBytes: 1e6 }, metrics);
  const disk = new VirtualDisk(env, 'd', vm, { sizeBytes: 1 << 20, format: 'qcow2', path: 'paravirtual', backing: device });
  const requester = new LoggingRequester(env, disk);
  vm.powerOn();
  let moved: boolean | undefined;
  env.scheduleAt(0, () => vm.migrateTo(b).addCallback((e) => (moved = e.value as boolean)), null);
  // Copy 1e6 B at the slower host's 1e9 B/s: 1 ms. Switchover at 1 ms: a request still in the path (sent at 0.95 ms)
  // drains until 1.055 ms; then 1 ms of downtime; the VM runs on b from 2.055 ms.
  requester.submitAt(0.95 * MS, IoOp.Read, 0, 4096);
  requester.submitAt(1.5 * MS, IoOp.Read, 4096, 4096);
  env.run();
  assert.is(moved, true);
  assert.is(vm.host, b);
  assert.equal(b.vms, [vm]);
  assert.equal(a.vms, []);
  assert.equal(requester.completions.map((c) => c.atNs / US), [1055, 2055 + 5 + 100]);
  assert.is(metrics.summary().find((c) => c.column === 'a/paravirtual/cpu_per_io_count')?.value, 1);
  assert.is(metrics.summary().find((c) => c.column === 'b/paravirtual/cpu_per_io_count')?.value, 1);
});

test('migration rules: cold moves are immediate; formats must suit the target; passthrough cannot live-migrate; a crash abandons', () => {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const kvm = new Host(env, 'kvm', { cores: 1, hypervisor: 'kvm' }, metrics);
  const esxi = new Host(env, 'esxi', { cores: 1, hypervisor: 'esxi' }, metrics);
  const kvm2 = new Host(env, 'kvm2', { cores: 1, hypervisor: 'kvm' }, metrics);
  const device = new FixedLatencyDevice(env, 'dev', 10 * US);
  const vm = new VirtualMachine(env, 'vm', kvm, {}, metrics);
  const disk = new VirtualDisk(env, 'd', vm, { sizeBytes: 1 << 20, format: 'qcow2', path: 'paravirtual', backing: device });
  assert.throws(() => vm.migrateTo(esxi), /d is qcow2, which esxi \(ESXi-like\) cannot attach; allowed: vmdk, raw/);
  disk.format = 'vmdk';
  const cold = vm.migrateTo(esxi);
  assert.is(vm.host, esxi, 'a stopped VM moves at once');
  assert.ok(cold.triggered);
  vm.migrateTo(kvm); // KVM can attach VMDK
  vm.powerOn();
  env.run();
  const live = vm.migrateTo(kvm2, { copyNs: 1 * MS, downtimeNs: 0 });
  let moved: boolean | undefined;
  live.addCallback((e) => (moved = e.value as boolean));
  env.scheduleAt(env.now + 0.5 * MS, () => kvm.crash(), null);
  env.run();
  assert.is(moved, false);
  assert.is(vm.host, kvm);
  assert.is(vm.state, 'crashed');

  const pt = new VirtualMachine(env, 'pt', kvm2, {}, metrics);
  new VirtualDisk(env, 'ptd', pt, { sizeBytes: 1 << 20, format: 'raw', path: 'passthrough', backing: device });
  pt.powerOn();
  env.run();
  assert.throws(() => pt.migrateTo(esxi), /passthrough device, which cannot be live-migrated/);
});

test('thin disk: reads of never-written grains skip the device; writes allocate; trims deallocate whole grains', () => {
  const w = oneVmWorld({ host: { pathCosts: free }, deviceLatencyNs: 10 * US, disk: { thinGrainBytes: 64 * 1024 } });
  w.requester.submitAt(0, IoOp.Read, 0, 4096); // unallocated: zeros, no device read
  w.requester.submitAt(100 * US, IoOp.Write, 0, 4096); // allocates grain 0
  w.requester.submitAt(200 * US, IoOp.Read, 0, 4096); // now from the device
  w.requester.submitAt(300 * US, IoOp.Trim, 0, 64 * 1024); // deallocates grain 0
  w.requester.submitAt(400 * US, IoOp.Read, 4096, 4096); // zeros again
  w.env.run();
  assert.equal(w.device.log.map((e) => [e.op, e.atNs / US]), [[IoOp.Write, 100], [IoOp.Read, 200], [IoOp.Trim, 300]]);
  assert.equal(w.requester.completions.map((c) => c.latencyNs / US), [0, 10, 10, 10, 0]);
  assert.is(w.disk.allocatedBytes, 0);
});

test('bad requests fail from an engine event with a reason and are counted; bad disks are refused', () => {
  const w = oneVmWorld();
  let insideSubmit = true;
  w.requester.onComplete = () => assert.not.ok(insideSubmit, 'completed inside submit');
  w.env.run();
  w.requester.submit(IoOp.Read, 100, 4096);
  insideSubmit = false;
  w.env.run();
  assert.match(w.requester.completions[0]!.failure, /disk1: offset 100 B and size 4096 B must be multiples of 512 B/);
  assert.is(w.value('vm1/failed_ios'), 1);
  assert.throws(() => oneVmWorld({ disk: { backingOffsetBytes: 2 ** 40 } }), /does not fit on dev/);
  assert.throws(() => oneVmWorld({ disk: { sectorBytes: 768, sizeBytes: 768 * 1024 } }), /must be a multiple of dev's 512 B sector/);
  assert.throws(() => oneVmWorld({ host: { cores: 0 } }), /cores must be an integer >= 1/);
  assert.throws(() => oneVmWorld({ host: { pathCosts: { emulated: { copyBytesPerS: 0 } } } }), /copy throughput must be > 0/);
});

test('determinism: the same world and arrivals give the same metrics, twice', () => {
  const run = () => {
    const w = oneVmWorld({ host: { cores: 2 }, path: 'emulated', format: 'qcow2', deviceLatencyNs: 40 * US, bootReads: [[0, 65536], [1 << 20, 4096]] });
    const stream = new RandomStreams(5).stream('arrivals');
    const gap = exponential(20 * US);
    const arrive = () => {
      w.requester.submit(stream.nextDouble() < 0.7 ? IoOp.Read : IoOp.Write, stream.nextInt(1000) * 4096, 4096);
      if (w.env.now < 0.2 * S) w.env.schedule(gap.sample(stream), arrive, null);
    };
    w.env.schedule(0, arrive, null);
    w.env.scheduleAt(0.1 * S, () => w.host.crash(), null);
    w.env.scheduleAt(0.12 * S, () => w.host.recover(true), null);
    w.env.run();
    return JSON.stringify(w.metrics.summary());
  };
  assert.is(run(), run());
});

test.run();
