/**
 * Host-mediated copy (the fallback when XCOPY is refused: VMware's software data mover reads each
 * segment and writes it back). References, worked out by hand from the definitions:
 * - every byte crosses front-end ports twice (once read, once written): 2·S port bytes;
 * - with one port as the only bottleneck, the port is work-conserving and never idle until the
 *   end, so the copy takes 2·S / port bandwidth = S / (bandwidth / 2), for a shared or FIFO port;
 * - a host CPU charge of d per segment with one segment in flight adds K·d (serial pipeline).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CopyJob } from '../../../sim/models/array/copy-job.ts';
import { MiB, near, world } from './harness.ts';

const PORT = 1e9; // B/s

for (const sharing of ['shared', 'fifo'] as const) {
  test(`XCOPY off, one ${sharing} port: 2·S bytes cross it and the copy takes 2·S / port bandwidth`, () => {
    const w = world();
    const array = w.array('a', { ports: [{ bandwidthBytesPerS: PORT, sharing }], xcopy: { enabled: false } });
    const source = array.addVolume('src', { capacityBytes: 128 * MiB });
    const target = array.addVolume('dst', { capacityBytes: 128 * MiB });
    const S = 48 * MiB;
    const job = new CopyJob(w.env, { source, target, lengthBytes: S, segmentBytes: 4 * MiB, maxOutstandingSegments: 4 }).start();
    w.env.run();
    assert.is(job.state, 'ok');
    assert.is(job.bytesFallback, S);
    assert.is(job.segmentsFallback, 12);
    assert.is(w.value('a/port0/bytes_B'), 2 * S);
    assert.is(w.value('a/fallback_segments'), 12);
    assert.is(w.value('a/copy_engine/bytes_B'), 0);
    near(job.durationNs, (2 * S * 1e9) / PORT, 48, 'duration (ns)');
    near(w.value('a/port0/utilization_mean'), 1, 1e-6, 'port utilization');
  });
}

test('mode host copies through the host even where XCOPY would be accepted', () => {
  const w = world();
  const array = w.array('a');
  const source = array.addVolume('src', { capacityBytes: 16 * MiB });
  const target = array.addVolume('dst', { capacityBytes: 16 * MiB });
  const job = new CopyJob(w.env, { source, target, lengthBytes: 16 * MiB, mode: 'host' }).start();
  w.env.run();
  assert.is(job.bytesFallback, 16 * MiB);
  assert.is(job.bytesOffloaded, 0);
  assert.is(w.value('a/xcopy_refusals'), 0, 'host mode asks no array to offload');
  assert.is(w.value('a/port0/bytes_B'), 32 * MiB);
});

test('two unlinked arrays with FIFO ports: each port carries S once, and reads on one overlap writes on the other: (K + 1) segment times', () => {
  const w = world();
  const a = w.array('a', { ports: [{ bandwidthBytesPerS: PORT, sharing: 'fifo' }] });
  const b = w.array('b', { ports: [{ bandwidthBytesPerS: PORT, sharing: 'fifo' }] });
  const source = a.addVolume('src', { capacityBytes: 64 * MiB });
  const target = b.addVolume('dst', { capacityBytes: 64 * MiB });
  const S = 32 * MiB;
  const segment = 2 * MiB;
  const job = new CopyJob(w.env, { source, target, lengthBytes: S, segmentBytes: segment, maxOutstandingSegments: 4 }).start();
  w.env.run();
  assert.is(w.value('a/port0/bytes_B'), S);
  assert.is(w.value('b/port0/bytes_B'), S);
  assert.is(w.value('b/fallback_segments'), 16);
  assert.is(w.value('b/xcopy_refusals'), 16);
  // Reads queue at a's port and end every segment time; each write follows its read on b's
  // port, which is then free: the last write ends one segment time after the last read.
  near(job.durationNs, ((S + segment) * 1e9) / PORT, 32, 'duration (ns)');
});

test('the same copy with fair-shared ports: the segments stay in lock step, reads and writes alternate: 2·S / port bandwidth', () => {
  const w = world();
  const a = w.array('a');
  const b = w.array('b');
  const source = a.addVolume('src', { capacityBytes: 64 * MiB });
  const target = b.addVolume('dst', { capacityBytes: 64 * MiB });
  const S = 32 * MiB;
  const job = new CopyJob(w.env, { source, target, lengthBytes: S, segmentBytes: 2 * MiB, maxOutstandingSegments: 4 }).start();
  w.env.run();
  // 4 reads share a's port (4 segment times), then the 4 writes share b's port, and so on.
  near(job.durationNs, (2 * S * 1e9) / PORT, 32, 'duration (ns)');
});

test('a host CPU hook is charged once per host segment, between its read and its write, and the copy waits for it', () => {
  const w = world();
  const array = w.array('a', { xcopy: { enabled: false } });
  const source = array.addVolume('src', { capacityBytes: 16 * MiB });
  const target = array.addVolume('dst', { capacityBytes: 16 * MiB });
  const charged: number[] = [];
  const cpuNs = 300e3;
  const job = new CopyJob(w.env, {
    source,
    target,
    lengthBytes: 8 * MiB,
    segmentBytes: 2 * MiB,
    maxOutstandingSegments: 1,
    hostCpu: (bytes, resume) => {
      charged.push(bytes);
      w.env.schedule(cpuNs, resume, null);
    },
  }).start();
  w.env.run();
  assert.equal(charged, [2 * MiB, 2 * MiB, 2 * MiB, 2 * MiB]);
  // One segment at a time: read 2 MiB, CPU, write 2 MiB, four times.
  near(job.durationNs, 4 * ((2 * 2 * MiB * 1e9) / PORT + cpuNs), 8, 'duration (ns)');
});

test.run();
