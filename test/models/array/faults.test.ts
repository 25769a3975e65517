/**
 * Fault hooks. Reference: the block IO contract (`sim/models/block/io-request.ts`) — every request
 * is completed exactly once, never inside `submit` — and the hooks' stated envelopes: `fail()`
 * fails everything in flight once with the array's reason and everything submitted while failed;
 * `recover()` serves again; `portDown(i)` fails only what crosses port i; a copy job fails once,
 * on its first failed segment, without retrying.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { constant } from '../../../sim/engine/random/index.ts';
import { IoOp } from '../../../sim/models/block/io-request.ts';
import { CopyJob } from '../../../sim/models/array/copy-job.ts';
import { linkArrays } from '../../../sim/models/array/replication-link.ts';
import { LoggingRequester, MiB, world } from './harness.ts';

test('property: with a failure and a recovery at random times, every IO completes exactly once; failures carry the reason', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ gapNs: fc.integer({ min: 0, max: 200e3 }), write: fc.boolean(), blocks: fc.integer({ min: 1, max: 64 }), vol: fc.integer({ min: 0, max: 1 }) }), { minLength: 1, maxLength: 80 }),
      fc.integer({ min: 0, max: 3e6 }),
      fc.integer({ min: 0, max: 3e6 }),
      fc.constantFrom<'fifo' | 'shared'>('fifo', 'shared'),
      (ios, failAt, downFor, sharing) => {
        const w = world();
        const array = w.array('a', {
          backend: { parallelism: 2, readLatencyNs: constant(50e3), writeLatencyNs: constant(80e3), bandwidthBytesPerS: 4e9 },
          ports: [{ bandwidthBytesPerS: 1e9, sharing }, { bandwidthBytesPerS: 1e9, sharing }],
        });
        const volumes = [array.addVolume('v0', { capacityBytes: 64 * MiB }), array.addVolume('v1', { capacityBytes: 64 * MiB })];
        const host = new LoggingRequester(w.env);
        const submittedAt: number[] = [];
        let t = 0;
        ios.forEach((io, tag) => {
          t += io.gapNs;
          submittedAt.push(t);
          host.submitAt(t, volumes[io.vol]!, io.write ? IoOp.Write : IoOp.Read, 0, io.blocks * 4096, tag);
        });
        w.env.scheduleAt(failAt, () => array.fail('power'), null);
        w.env.scheduleAt(failAt + downFor, () => array.recover(), null);
        w.env.run();
        assert.is(host.completedInsideSubmit, 0);
        const seen = host.log.map((c) => c.tag).sort((x, y) => x - y);
        assert.equal(seen, ios.map((_, tag) => tag), 'each IO completed exactly once');
        // Ties: submissions and the fault were scheduled before the run, submissions first, so an IO
        // submitted at failAt is in flight when the array fails, and one submitted at the recovery
        // time still finds it failed.
        const recoverAt = failAt + downFor;
        let failed = 0;
        for (const c of host.log) {
          const at = submittedAt[c.tag]!;
          if (c.ok) {
            assert.ok(c.atNs < failAt || at > recoverAt, `IO ${c.tag} (${at} to ${c.atNs} ns) survived the failure [${failAt}, ${recoverAt}]`);
          } else {
            failed++;
            assert.is(c.failure, 'array a failed: power');
            const inFlightThen = at <= failAt && c.atNs === failAt;
            const submittedWhileFailed = at >= failAt && at <= recoverAt && c.atNs === at;
            assert.ok(inFlightThen || submittedWhileFailed, `IO ${c.tag} (${at} to ${c.atNs} ns) failed outside the failure`);
          }
        }
        assert.is(w.value('a/failed_ios'), failed);
        assert.is(array.iosInFlight, 0);
      },
    ),
    { numRuns: 120, seed: 5 },
  );
});

test('an offloaded copy in flight fails once, with each in-flight segment failed once, when its array fails; no retry', () => {
  const w = world();
  const array = w.array('a', { copyEngineBytesPerS: 1e9 });
  const source = array.addVolume('src', { capacityBytes: 64 * MiB });
  const target = array.addVolume('dst', { capacityBytes: 64 * MiB });
  const ends: string[] = [];
  let segmentsSeen = 0;
  const job = new CopyJob(w.env, {
    source,
    target,
    lengthBytes: 64 * MiB,
    segmentBytes: 4 * MiB,
    maxOutstandingSegments: 4,
    onProgress: () => segmentsSeen++,
    onDone: (j) => ends.push(`${j.state} at ${w.env.now}`),
  }).start();
  // 4 segments of 4 MiB share 1 GB/s: the first batch ends at 16.78 ms; fail at 20 ms, mid batch 2.
  w.env.schedule(20e6, () => array.fail(), null);
  w.env.run();
  assert.equal(ends, ['failed at 20000000']);
  assert.is(job.state, 'failed');
  assert.match(job.failure, /segment at source offset \d+ B failed: array a failed$/);
  assert.is(job.bytesCopied, 16 * MiB, 'batch 1 only');
  assert.is(segmentsSeen, 8, '4 done + 4 failed, each reported once');
  assert.is(w.value('a/failed_segments'), 4);
  assert.is(w.value('a/copy_jobs_failed'), 1);
  assert.is(w.value('a/copy_jobs_ok'), 0);
});

test('a failed secondary fails the segments crossing the link from its primary; new jobs fail until it recovers', () => {
  const w = world();
  const primary = w.array('p');
  const secondary = w.array('s', { role: 'secondary' });
  linkArrays(w.env, primary, secondary, { bandwidthBytesPerS: 1e9 }, w.metrics);
  const source = primary.addVolume('src', { capacityBytes: 64 * MiB });
  const target = secondary.addVolume('dst', { capacityBytes: 64 * MiB });
  const first = new CopyJob(w.env, { source, target, lengthBytes: 32 * MiB, mode: 'offload' }).start();
  w.env.schedule(10e6, () => secondary.fail('maintenance'), null);
  let second: CopyJob | undefined;
  let third: CopyJob | undefined;
  w.env.schedule(50e6, () => (second = new CopyJob(w.env, { source, target, lengthBytes: 8 * MiB, mode: 'offload' }).start()), null);
  w.env.schedule(60e6, () => secondary.recover(), null);
  w.env.schedule(70e6, () => (third = new CopyJob(w.env, { source, target, lengthBytes: 8 * MiB, mode: 'offload' }).start()), null);
  w.env.run();
  assert.is(first.state, 'failed');
  assert.match(first.failure, /array s failed: maintenance/);
  assert.is(second!.state, 'failed');
  assert.match(second!.failure, /array s failed: maintenance/);
  assert.is(third!.state, 'ok');
  assert.is(w.value('p/link-s/failed_segments'), 8 + 2, '8 in flight on the link, then 2 refused while failed');
});

test('a host-mediated copy fails once when its source array fails (the read fails)', () => {
  const w = world();
  const a = w.array('a');
  const b = w.array('b');
  const source = a.addVolume('src', { capacityBytes: 64 * MiB });
  const target = b.addVolume('dst', { capacityBytes: 64 * MiB });
  let ended = 0;
  const job = new CopyJob(w.env, { source, target, lengthBytes: 64 * MiB, onDone: () => ended++ }).start();
  w.env.schedule(5e6, () => a.fail(), null);
  w.env.run();
  assert.is(ended, 1);
  assert.is(job.state, 'failed');
  assert.match(job.failure, /read of src failed: array a failed/);
});

test('port down: IOs crossing it fail with the port named, later IOs take the other port; with no port up, IOs fail', () => {
  const w = world();
  const array = w.array('a', { ports: [{ bandwidthBytesPerS: 1e9 }, { bandwidthBytesPerS: 1e9 }] });
  const volume = array.addVolume('vol', { capacityBytes: 64 * MiB });
  const host = new LoggingRequester(w.env);
  host.submit(volume, IoOp.Write, 0, 4 * MiB, 0); // port 0
  host.submit(volume, IoOp.Write, 0, 4 * MiB, 1); // port 1
  w.env.schedule(1e6, () => array.portDown(0), null);
  w.env.schedule(2e6, () => host.submit(volume, IoOp.Write, 0, 1 * MiB, 2), null);
  w.env.schedule(20e6, () => array.portDown(1), null);
  w.env.schedule(21e6, () => host.submit(volume, IoOp.Read, 0, 1 * MiB, 3), null);
  w.env.schedule(22e6, () => array.portUp(0), null);
  w.env.schedule(23e6, () => host.submit(volume, IoOp.Read, 0, 1 * MiB, 4), null);
  w.env.run();
  const byTag = new Map(host.log.map((c) => [c.tag, c]));
  assert.is(host.log.length, 5);
  assert.is(byTag.get(0)!.ok, false);
  assert.is(byTag.get(0)!.failure, 'port 0 of array a went down');
  assert.is(byTag.get(0)!.atNs, 1e6);
  assert.is(byTag.get(1)!.ok, true);
  assert.is(byTag.get(2)!.ok, true);
  assert.is(byTag.get(3)!.ok, false);
  assert.match(byTag.get(3)!.failure, /no front-end port of array a is up for vol/);
  assert.is(byTag.get(4)!.ok, true);
  assert.is(w.value('a/port0/failed_transfers'), 1);
  assert.is(w.value('a/failed_ios'), 2);
});

test('fail() twice is the same as once; IOs waiting in a FIFO port queue and in the backend queue fail too', () => {
  const w = world();
  const array = w.array('a', {
    backend: { parallelism: 1, readLatencyNs: constant(1e6), writeLatencyNs: constant(1e6), bandwidthBytesPerS: Infinity },
    ports: [{ bandwidthBytesPerS: 1e9, sharing: 'fifo' }],
  });
  const volume = array.addVolume('vol', { capacityBytes: 64 * MiB });
  const host = new LoggingRequester(w.env);
  for (let i = 0; i < 3; i++) host.submit(volume, IoOp.Write, 0, 1 * MiB, i); // queued at the port
  for (let i = 3; i < 6; i++) host.submit(volume, IoOp.Read, 0, 4096, i); // queued at the backend
  w.env.schedule(500e3, () => {
    array.fail();
    array.fail();
  }, null);
  w.env.run();
  assert.equal(host.log.map((c) => c.tag).sort(), [0, 1, 2, 3, 4, 5]);
  assert.ok(host.log.every((c) => !c.ok && c.failure === 'array a failed' && c.atNs === 500e3));
  assert.is(w.value('a/failed_ios'), 6);
});

test.run();
