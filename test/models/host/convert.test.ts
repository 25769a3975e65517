/**
 * Disk format metadata and conversion. References: the published on-disk layouts, worked
 * by hand for one size (QEMU's qcow2_calc_prealloc_size in block/qcow2.c; VMware Virtual
 * Disk Format 1.1; Microsoft [MS-VHDX]); conversion time = bytes / rate (the documented
 * model); a copy conversion over fixed-latency devices timed by hand.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { IoOp } from '../../../sim/models/block/io-request.ts';
import { convertDisk, type ConversionResult } from '../../../sim/models/host/convert.ts';
import { conversionTimeNs, metadataBytes } from '../../../sim/models/host/disk-format.ts';
import { FixedLatencyDevice, oneVmWorld, S, US } from './harness.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

test('metadata of a fully allocated 10 GiB image, worked by hand from each format\'s layout', () => {
  // qcow2, 64 KiB clusters: 163 840 data clusters; L2 tables 163 840 × 8 B = 20 clusters; L1 20 entries,
  // rounded up to one cluster; header 1 cluster: 22 clusters. Refcounts (2 B each) for 163 862 + the
  // refcount clusters themselves: 6 blocks of 32 768 counts + 1 table cluster = 7. Total 29 clusters.
  assert.is(metadataBytes('qcow2', 10 * GiB), 29 * 64 * KiB);
  // VMDK: 320 grain tables of 512 × 4 B (32 MiB each) = 640 KiB, grain directory 320 × 4 B = 1280 B
  // → 3 sectors; both stored twice; plus the 64 KiB header and descriptor area.
  assert.is(metadataBytes('vmdk', 10 * GiB), 64 * KiB + 2 * (640 * KiB + 3 * 512));
  // VHDX: header 1 MiB + log 1 MiB + metadata 1 MiB; BAT (320 blocks + 3 bitmap entries) × 8 B → 1 MiB.
  assert.is(metadataBytes('vhdx', 10 * GiB), 4 * MiB);
  assert.is(metadataBytes('raw', 10 * GiB), 0);
});

test('rate model: conversion time = (data + source metadata + target metadata) / rate', () => {
  const size = 10 * GiB;
  const rate = 400e6;
  const t = conversionTimeNs('vmdk', 'qcow2', size, size, rate);
  assert.is(t, Math.round(((size + metadataBytes('vmdk', size) + metadataBytes('qcow2', size)) / rate) * S));
  assert.is(conversionTimeNs('raw', 'raw', 1e9, 1e9, 1e9), 1 * S, 'raw to raw is a plain copy: size / rate');
});

test('convertDisk at a rate: the process takes the documented time, then the disk is in the new format', () => {
  const w = oneVmWorld({ host: { hypervisor: 'kvm', conversionRateBytesPerS: 250e6 }, format: 'vmdk', disk: { sizeBytes: 4 * GiB } });
  let result: ConversionResult | undefined;
  const p = convertDisk(w.env, w.disk, 'qcow2', { mode: 'rate' });
  p.addCallback(() => (result = p.value));
  w.env.run();
  const expected = Math.round(((4 * GiB + metadataBytes('vmdk', 4 * GiB) + metadataBytes('qcow2', 4 * GiB)) / 250e6) * S);
  assert.is(result?.durationNs, expected);
  assert.is(w.env.now, expected);
  assert.is(w.disk.format, 'qcow2');
});

test('convertDisk of a thin disk at a rate converts only its allocated data', () => {
  const w = oneVmWorld({ format: 'qcow2', disk: { sizeBytes: 1 * GiB, thinGrainBytes: 64 * KiB } });
  w.disk.markAllocated(0, 3 * MiB);
  w.disk.markAllocated(100 * MiB + 1, 1); // one grain
  assert.is(w.disk.allocatedBytes, 3 * MiB + 64 * KiB);
  const p = convertDisk(w.env, w.disk, 'raw', { mode: 'rate', rateBytesPerS: 1e9 });
  w.env.run();
  assert.is(p.value.durationNs, Math.round(((3 * MiB + 64 * KiB + metadataBytes('qcow2', GiB)) / 1e9) * S));
});

test('copy model: serial chunks over fixed-latency devices take n × (read + write), then metadata writes; backing swapped', () => {
  const w = oneVmWorld({ format: 'qcow2', disk: { sizeBytes: 8 * MiB }, deviceLatencyNs: 30 * US });
  const target = new FixedLatencyDevice(w.env, 'target', 70 * US);
  const p = convertDisk(w.env, w.disk, 'vhdx', { mode: 'copy', target, targetOffsetBytes: 1 * MiB, chunkBytes: 1 * MiB });
  w.env.run();
  const metaChunks = metadataBytes('vhdx', 8 * MiB) / MiB; // 4 MiB of VHDX metadata, written in 1 MiB chunks
  assert.is(metaChunks, 4);
  assert.is(p.value.ok, true);
  assert.is(p.value.durationNs, 8 * (30 + 70) * US + metaChunks * 70 * US);
  assert.equal(target.log.slice(0, 8).map((e) => e.offsetBytes), Array.from({ length: 8 }, (_, i) => MiB + i * MiB), 'data lands at the same offsets in the new range');
  assert.is(w.disk.backing, target);
  assert.is(w.disk.backingOffsetBytes, 1 * MiB);
  assert.is(w.disk.format, 'vhdx');
  // Later requests go to the new range.
  w.requester.submit(IoOp.Read, 4096, 4096);
  w.env.run();
  assert.is(target.log.at(-1)!.offsetBytes, 1 * MiB + 4096);
});

test('copy model with depth 4: four chunks in flight at once; duration = ceil(n/4) × (read + write) for the data', () => {
  const w = oneVmWorld({ format: 'qcow2', disk: { sizeBytes: 10 * MiB }, deviceLatencyNs: 10 * US });
  const target = new FixedLatencyDevice(w.env, 'target', 20 * US);
  const p = convertDisk(w.env, w.disk, 'raw', { mode: 'copy', target, chunkBytes: 1 * MiB, depth: 4 });
  w.env.run();
  assert.is(p.value.durationNs, Math.ceil(10 / 4) * 30 * US);
});

test('a failed device read ends the copy conversion with ok false and leaves the disk as it was', () => {
  const w = oneVmWorld({ format: 'qcow2', disk: { sizeBytes: 2 * MiB }, deviceLatencyNs: 10 * US });
  w.device.failWith = 'unrecoverable read error';
  const target = new FixedLatencyDevice(w.env, 'target', 10 * US);
  const p = convertDisk(w.env, w.disk, 'raw', { mode: 'copy', target });
  w.env.run();
  assert.is(p.value.ok, false);
  assert.match(p.value.failure, /unrecoverable read error/);
  assert.is(w.disk.format, 'qcow2');
  assert.is(w.disk.backing, w.device);
});

test('bad conversions are refused with a reason', () => {
  const w = oneVmWorld({ path: 'passthrough' });
  assert.throws(() => convertDisk(w.env, w.disk, 'qcow2', { mode: 'rate' }), /passthrough disk .* stays raw/);
  const v = oneVmWorld({ disk: { sizeBytes: 8 * MiB } });
  const small = new FixedLatencyDevice(v.env, 'small', 0, 8 * MiB);
  assert.throws(() => convertDisk(v.env, v.disk, 'qcow2', { mode: 'copy', target: small }), /needs \[0, \d+\) B on small/);
  assert.throws(() => convertDisk(v.env, v.disk, 'raw', { mode: 'copy', target: small, chunkBytes: 1000 }), /chunk 1000 B must be a positive multiple of 512 B/);
});

test.run();
