/**
 * Host crash and recovery. Reference: the block IO contract's invariant — every submitted
 * request completes exactly once, Ok or Failed with a reason, never inside `submit` — checked
 * with fast-check over random crash and recovery times, loads and path settings, with the
 * io-exactly-once checker both above the virtual disk and between it and its device.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Environment } from '../../../sim/engine/index.ts';
import { MetricRegistry } from '../../../sim/metrics/index.ts';
import { IoExactlyOnceChecker } from '../../../sim/checkers/io-exactly-once.ts';
import { IoOp } from '../../../sim/models/block/io-request.ts';
import { BootSet } from '../../../sim/models/host/boot.ts';
import { Host, HOST_CRASHED } from '../../../sim/models/host/host.ts';
import { IO_PATH_KINDS } from '../../../sim/models/host/io-path.ts';
import { VirtualDisk } from '../../../sim/models/host/virtual-disk.ts';
import { VirtualMachine } from '../../../sim/models/host/vm.ts';
import { FixedLatencyDevice, LoggingRequester, oneVmWorld, US } from './harness.ts';

test('crash: requests in every phase fail once with "host crashed"; the VM crashes; counters agree', () => {
  const w = oneVmWorld({ host: { cores: 1, pathCosts: { paravirtual: { submitNs: 10 * US, completeNs: 10 * US } } }, deviceLatencyNs: 100 * US, disk: { queueDepth: 3 } });
  // At 25 µs: #0 at the device (since 10), #1 at the device (since 20), #2 on the core, #3 waiting for a path slot.
  for (let k = 0; k < 4; k++) w.requester.submitAt(0, IoOp.Read, k * 4096, 4096);
  w.env.scheduleAt(25 * US, () => w.host.crash(), null);
  w.env.run();
  assert.is(w.requester.completions.length, 4);
  assert.ok(w.requester.completions.every((c) => !c.ok && c.failure === HOST_CRASHED && c.atNs === 25 * US));
  assert.equal(w.requester.timesCompleted, [1, 1, 1, 1]);
  assert.is(w.vm.state, 'crashed');
  assert.is(w.value('host1/crash_failed_ios'), 4);
  assert.is(w.value('vm1/failed_ios'), 4);
  assert.is(w.value('host1/crashes'), 1);
  assert.is(w.host.cpu.busy, 0);
  assert.is(w.disk.outstanding, 0);
  // The device's late answers (at 110 and 120 µs) are absorbed; nothing completes twice.
  assert.is(w.env.now, 120 * US);
});

test('after a crash, new requests wait; recover(restartVms) boots the VM again and they complete', () => {
  const w = oneVmWorld({ deviceLatencyNs: 10 * US, bootReads: [[0, 4096]] });
  w.env.scheduleAt(100 * US, () => w.host.crash(), null);
  w.requester.submitAt(150 * US, IoOp.Write, 8192, 4096);
  w.env.scheduleAt(200 * US, () => w.host.recover(true), null);
  w.env.run();
  assert.is(w.vm.state, 'running');
  assert.is(w.value('vm1/boots'), 2);
  assert.equal(w.requester.completions.map((c) => c.ok), [true]);
  assert.ok(w.requester.completions[0]!.atNs > 200 * US);
  assert.is(w.value('host1/up_mean')!, 1 - 100 / (w.env.now / US));
});

test('recover without restart leaves the VM crashed; powering on a VM on a down host is refused', () => {
  const w = oneVmWorld();
  w.env.run();
  w.host.crash();
  assert.throws(() => w.vm.powerOn(), /host host1 is down/);
  w.host.recover();
  assert.is(w.vm.state, 'crashed');
  w.vm.powerOn();
  w.env.run();
  assert.is(w.vm.state, 'running');
});

test('property: with random crashes and recoveries every request completes exactly once, and failures are the crash\'s', () => {
  fc.assert(
    fc.property(
      fc.record({
        cores: fc.integer({ min: 1, max: 3 }),
        path: fc.constantFrom(...IO_PATH_KINDS),
        deviceUs: fc.integer({ min: 0, max: 60 }),
        queueDepth: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        bootReads: fc.integer({ min: 0, max: 3 }),
        arrivals: fc.array(fc.tuple(fc.integer({ min: 0, max: 800 }), fc.boolean()), { maxLength: 60 }),
        crashes: fc.array(fc.tuple(fc.integer({ min: 0, max: 800 }), fc.integer({ min: 0, max: 300 })), { minLength: 1, maxLength: 3 }),
      }),
      (p) => {
        const env = new Environment();
        const metrics = new MetricRegistry(env);
        const host = new Host(env, 'h', { cores: p.cores, hypervisor: 'kvm' }, metrics);
        const device = new FixedLatencyDevice(env, 'dev', p.deviceUs * US);
        const below = new IoExactlyOnceChecker(env, device);
        const set = BootSet.fromList(Array.from({ length: p.bootReads }, (_, i) => ({ offsetBytes: i * 4096, sizeBytes: 4096 })));
        const vm = new VirtualMachine(env, 'vm', host, { boot: { set } }, metrics);
        const disk = new VirtualDisk(env, 'd', vm, {
          sizeBytes: 1 << 24,
          format: p.path === 'passthrough' ? 'raw' : 'qcow2',
          path: p.path,
          backing: below,
          ...(p.queueDepth === undefined ? {} : { queueDepth: p.queueDepth }),
        });
        const above = new IoExactlyOnceChecker(env, disk);
        const requester = new LoggingRequester(env, above);
        vm.powerOn();
        for (const [atUs, write] of p.arrivals) requester.submitAt(atUs * US, write ? IoOp.Write : IoOp.Read, 4096 * (atUs % 64), 4096);
        for (const [atUs, downUs] of p.crashes) {
          env.scheduleAt(atUs * US, () => host.crash(), null);
          env.scheduleAt((atUs + downUs) * US, () => host.recover(true), null);
        }
        // Whatever state the last recovery left, make sure the VM ends up running so held requests drain.
        const last = Math.max(...p.crashes.map(([at, down]) => at + down));
        env.scheduleAt((last + 1) * US, () => host.up && vm.powerOn(), null);
        env.run();
        assert.is(requester.submitted, p.arrivals.length);
        assert.ok(requester.timesCompleted.every((n) => n === 1), `completions per request: ${requester.timesCompleted}`);
        const failed = requester.completions.filter((c) => !c.ok);
        assert.ok(failed.every((c) => c.failure === HOST_CRASHED), 'every failure is the crash');
        const column = (name: string) => metrics.summary().find((c) => c.column === name)?.value;
        assert.is(column('h/crash_failed_ios'), failed.length);
        assert.is(column('vm/failed_ios'), failed.length);
        assert.is(column('vm/reads')! + column('vm/writes')!, p.arrivals.length - failed.length);
        for (const checker of [above, below]) {
          const report = checker.finish();
          assert.equal([report.lost.length, report.inFlight.length, report.violations.length], [0, 0, 0]);
        }
        assert.is(host.cpu.busy + host.cpu.waiting, 0);
      },
    ),
    { numRuns: 150, seed: 20240611 },
  );
});

test.run();
