/**
 * The IO path of an array volume, against completion times worked out by hand from the model's
 * definition (port transfer = bytes / port rate; backend = latency, then bytes / internal
 * bandwidth, with `parallelism` slots in FIFO order), and the block IO contract
 * (`sim/models/block/io-request.ts`): exactly one completion per request, never inside `submit`.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { constant } from '../../../sim/engine/random/index.ts';
import { IoOp } from '../../../sim/models/block/io-request.ts';
import { LoggingRequester, world } from './harness.ts';

/** 1 MiB; rates below are in MiB per ms so that every time comes out round. */
const MiB = 1024 * 1024;
const MIB_PER_MS = MiB * 1e3;

function setup(options: { parallelism?: number; sharing?: 'fifo' | 'shared'; ports?: number } = {}) {
  const w = world();
  const array = w.array('a', {
    backend: { parallelism: options.parallelism ?? 4, readLatencyNs: constant(100e3), writeLatencyNs: constant(100e3), bandwidthBytesPerS: 2 * MIB_PER_MS },
    ports: Array.from({ length: options.ports ?? 1 }, () => ({ bandwidthBytesPerS: MIB_PER_MS, sharing: options.sharing ?? 'shared' })),
  });
  const volume = array.addVolume('vol', { capacityBytes: 64 * MiB, contentBlockBytes: 4096 });
  const host = new LoggingRequester(w.env);
  return { ...w, array, volume, host };
}

test('a 1 MiB write: 1 ms across a 1 MiB/ms port, 0.1 ms backend latency, 0.5 ms at 2 MiB/ms inside: done at 1.6 ms', () => {
  const { env, volume, host, value } = setup();
  host.submit(volume, IoOp.Write, 0, MiB);
  env.run();
  assert.equal(host.log.map((c) => [c.atNs, c.ok]), [[1.6e6, true]]);
  assert.is(value('vol/write_latency_mean_us'), 1600);
  assert.is(value('vol/bytes_written_B'), MiB);
  assert.is(value('a/port0/bytes_B'), MiB);
  assert.is(host.completedInsideSubmit, 0);
});

test('a 1 MiB read: backend first (0.1 + 0.5 ms), then the port (1 ms): done at 1.6 ms', () => {
  const { env, volume, host, value } = setup();
  host.submit(volume, IoOp.Read, 0, MiB);
  env.run();
  assert.equal(host.log.map((c) => c.atNs), [1.6e6]);
  assert.is(value('vol/bytes_read_B'), MiB);
  assert.is(value('vol/reads'), 1);
});

test('two 1 MiB writes through one shared port and a one-slot backend: 2 ms at the port each, then 0.6 ms in turn', () => {
  const { env, volume, host } = setup({ parallelism: 1 });
  host.submit(volume, IoOp.Write, 0, MiB, 1);
  host.submit(volume, IoOp.Write, MiB, MiB, 2);
  env.run();
  assert.equal(host.log.map((c) => [c.tag, c.atNs]), [[1, 2.6e6], [2, 3.2e6]]);
});

test('the same two writes through a FIFO port: 1 ms then 2 ms at the port, each 0.6 ms inside', () => {
  const { env, volume, host } = setup({ parallelism: 1, sharing: 'fifo' });
  host.submit(volume, IoOp.Write, 0, MiB, 1);
  host.submit(volume, IoOp.Write, MiB, MiB, 2);
  env.run();
  assert.equal(host.log.map((c) => [c.tag, c.atNs]), [[1, 1.6e6], [2, 2.6e6]]);
});

test('IOs go round-robin over the ports: four writes on two ports put half the bytes on each', () => {
  const { env, volume, host, value } = setup({ ports: 2 });
  for (let i = 0; i < 4; i++) host.submit(volume, IoOp.Write, i * MiB, MiB, i);
  env.run();
  assert.is(value('a/port0/bytes_B'), 2 * MiB);
  assert.is(value('a/port1/bytes_B'), 2 * MiB);
});

test('a trim crosses no port and only takes the backend latency', () => {
  const { env, volume, host, value } = setup();
  host.submit(volume, IoOp.Trim, 0, MiB);
  env.run();
  assert.equal(host.log.map((c) => c.atNs), [100e3]);
  assert.is(value('a/port0/bytes_B'), 0);
  assert.is(value('vol/trims'), 1);
});

test('a misaligned or out-of-range request fails from an engine event with a reason, never inside submit', () => {
  const { env, volume, host, value } = setup();
  host.submit(volume, IoOp.Read, 100, 512, 1);
  host.submit(volume, IoOp.Write, 64 * MiB, 512, 2);
  host.submit(volume, IoOp.Write, 0, 0, 3);
  assert.is(host.log.length, 0, 'nothing completes inside submit');
  env.run();
  assert.equal(host.log.map((c) => [c.tag, c.ok, c.atNs]), [[1, false, 0], [2, false, 0], [3, false, 0]]);
  assert.match(host.log[0]!.failure, /multiples of 512 B/);
  assert.match(host.log[1]!.failure, /outside/);
  assert.match(host.log[2]!.failure, /positive/);
  assert.is(value('vol/failed_ios'), 3);
  assert.is(value('a/failed_ios'), 0, 'malformed requests are not faults of the array');
  assert.is(host.completedInsideSubmit, 0);
});

test('content: a completed write gives fresh ids to the blocks it covers; a read changes nothing', () => {
  const { env, volume, host } = setup();
  const before = volume.content!.ids.slice();
  host.submit(volume, IoOp.Write, 4096, 8192);
  host.submit(volume, IoOp.Read, 0, 4 * 4096);
  env.run();
  const ids = volume.content!.ids;
  assert.is(ids[0], before[0]);
  assert.ok(ids[1] !== before[1] && ids[2] !== before[2] && ids[1] !== ids[2] && ids[1]! > 0);
  assert.is(ids[3], before[3]);
});

test('volume settings the model cannot take are rejected with a message saying what is allowed', () => {
  const { array } = setup();
  assert.throws(() => array.addVolume('v1', { capacityBytes: 1000, sectorBytes: 512 }), /multiple of the sector size 512 B/);
  assert.throws(() => array.addVolume('v2', { capacityBytes: 4096, ports: [3] }), /port 3 does not exist .*ports 0 to 0/);
  assert.throws(() => array.addVolume('v3', { capacityBytes: 8192, contentBlockBytes: 1000 }), /content block size 1000 B/);
});

test.run();
