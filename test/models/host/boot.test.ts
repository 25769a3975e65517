/**
 * The boot phase. References: the given order of the boot working set (an invariant: the
 * device sees exactly those reads, in that order), and the boot time of a serial boot over
 * a fixed-latency device worked out by hand as a sum of per-read times.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RandomStreams } from '../../../sim/engine/random/index.ts';
import { IoOp } from '../../../sim/models/block/io-request.ts';
import { BootSet, generateBootSet } from '../../../sim/models/host/boot.ts';
import { oneVmWorld, US } from './harness.ts';

const KiB = 1024;
const reads: [number, number][] = [
  [1024 * KiB, 64 * KiB],
  [0, 4 * KiB],
  [512 * KiB, 128 * KiB],
  [4096 * KiB, 8 * KiB],
  [64 * KiB, 4 * KiB],
];

test('serial boot: reads reach the device in the given order; boot time is the hand-computed sum; booting → running', () => {
  // Path: 5 µs before the device, 3 µs after, plus a copy at 1 GB/s (1 ns per byte) after reads.
  const cost = { submitNs: 5 * US, completeNs: 3 * US, copyBytesPerS: 1e9 };
  const w = oneVmWorld({
    host: { pathCosts: { emulated: cost } },
    path: 'emulated',
    format: 'qcow2',
    deviceLatencyNs: 50 * US,
    bootReads: reads,
    disk: { backingOffsetBytes: 1 << 20 },
  });
  const states: string[] = [w.vm.state];
  w.vm.onStateChange((_vm, _from, to) => states.push(to));
  w.env.run();
  assert.equal(
    w.device.log.map((e) => [e.op, e.offsetBytes, e.sizeBytes]),
    reads.map(([offset, size]) => [IoOp.Read, (1 << 20) + offset, size]),
    'the device sees the boot reads in order, shifted by the backing offset',
  );
  // Serial: each read takes submit + device + complete + size × 1 ns, one after the other.
  const expected = reads.reduce((sum, [, size]) => sum + 5 * US + 50 * US + 3 * US + size, 0);
  assert.is(w.vm.lastBootTimeNs, expected);
  assert.is(w.value('vm1/boot_time_s'), expected / 1e9);
  assert.equal(states, ['booting', 'running']);
  assert.is(w.value('vm1/boot_reads'), reads.length);
  assert.is(w.value('vm1/reads'), 0, 'boot reads are not workload reads');
  // Reads are issued strictly one after the other: each starts when the previous one is done.
  for (let i = 1; i < reads.length; i++) assert.ok(w.device.log[i]!.atNs > w.device.log[i - 1]!.atNs + 50 * US);
});

test('workload requests submitted during the boot wait until the VM runs, then go in order', () => {
  const w = oneVmWorld({ deviceLatencyNs: 10 * US, bootReads: [[0, 4096], [4096, 4096]], host: { pathCosts: { paravirtual: { submitNs: 0, completeNs: 0 } } } });
  w.requester.submitAt(1 * US, IoOp.Write, 8192, 4096);
  w.requester.submitAt(2 * US, IoOp.Read, 12288, 4096);
  w.env.run();
  // Boot: [0,10) and [10,20) µs; the held requests enter the path at 20 µs.
  assert.equal(w.device.log.map((e) => [e.atNs / US, e.offsetBytes]), [[0, 0], [10, 4096], [20, 8192], [20, 12288]]);
  assert.equal(w.requester.completions.map((c) => c.latencyNs / US), [29, 28]);
  assert.is(w.value('vm1/held_ios'), 2);
});

test('boot concurrency 2 over a device without queueing: reads go in pairs, boot time = ceil(n/2) × latency', () => {
  const n = 7;
  const w = oneVmWorld({
    deviceLatencyNs: 10 * US,
    host: { pathCosts: { paravirtual: { submitNs: 0, completeNs: 0 } } },
    vm: { boot: { set: BootSet.fromList(Array.from({ length: n }, (_, i) => ({ offsetBytes: i * 4096, sizeBytes: 4096 }))), concurrency: 2 } },
  });
  w.env.run();
  assert.is(w.vm.lastBootTimeNs, Math.ceil(n / 2) * 10 * US);
  assert.equal(w.device.log.map((e) => e.offsetBytes / 4096), [0, 1, 2, 3, 4, 5, 6], 'issued in set order');
});

test('generated sets: sequential is adjacent blocks, shuffled is a permutation of them, random stays in the span; same stream, same set', () => {
  const stream = () => new RandomStreams(11).stream('vm1/boot');
  const seq = generateBootSet({ count: 100, sizeBytes: 4096, order: 'sequential', startBytes: 8192 }, stream());
  assert.equal([...seq.offsets], Array.from({ length: 100 }, (_, i) => 8192 + i * 4096));
  const shuffled = generateBootSet({ count: 100, sizeBytes: 4096, order: 'shuffled', startBytes: 8192 }, stream());
  assert.equal([...shuffled.offsets].sort((a, b) => a - b), [...seq.offsets]);
  assert.not.equal([...shuffled.offsets], [...seq.offsets]);
  assert.equal([...generateBootSet({ count: 100, sizeBytes: 4096, order: 'shuffled', startBytes: 8192 }, stream()).offsets], [...shuffled.offsets]);
  const random = generateBootSet({ count: 1000, sizeBytes: 4096, order: 'random', spanBytes: 40 * 4096 }, stream());
  assert.ok([...random.offsets].every((o) => o % 4096 === 0 && o >= 0 && o < 40 * 4096));
  assert.is(random.totalBytes, 1000 * 4096);
});

test('a failed boot read stops the VM and counts a boot failure; requests held meanwhile still wait for a boot', () => {
  const w = oneVmWorld({ deviceLatencyNs: 10 * US, bootReads: [[0, 4096]] });
  w.device.failWith = 'media error';
  w.requester.submitAt(1 * US, IoOp.Read, 0, 4096);
  w.env.run();
  assert.is(w.vm.state, 'stopped');
  assert.is(w.value('vm1/boot_failures'), 1);
  assert.is(w.requester.completions.length, 0);
  assert.is(w.disk.outstanding, 1);
  w.device.failWith = '';
  w.vm.powerOn();
  w.env.run();
  assert.is(w.vm.state, 'running');
  assert.is(w.requester.completions.length, 1);
});

test('a boot disk that does not hold the boot reads is rejected when the disk is attached', () => {
  assert.throws(() => oneVmWorld({ bootReads: [[2 ** 30, 4096]] }), /boot read 0 .* does not fit boot disk disk1/);
  assert.throws(() => oneVmWorld({ bootReads: [[100, 4096]] }), /sector-aligned/);
});

test.run();
