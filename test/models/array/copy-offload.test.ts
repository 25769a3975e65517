/**
 * Copy offload (XCOPY: T10 SPC-4 §6.4 EXTENDED COPY; VMware VAAI Full Copy). References:
 * - time: the copy engine is a work-conserving fair-share server (Kleinrock 1976 vol. II ch. 4),
 *   so S bytes take S / bandwidth of transfer, plus the per-segment overhead whenever the engine
 *   waits on it; with segments in lock-step batches of N that is exactly ceil(K / N) overheads;
 * - concurrency: never more than N segments of a job in flight (the job's definition), observed
 *   from outside at the array's entry point;
 * - sharing: two jobs with the same N share the engine equally (egalitarian processor sharing);
 * - path: offloaded bytes cross no front-end port (VAAI's point: no host, no SAN traffic).
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CopyJob, type CopyJobOptions } from '../../../sim/models/array/copy-job.ts';
import { linkArrays } from '../../../sim/models/array/replication-link.ts';
import type { StorageArray } from '../../../sim/models/array/storage-array.ts';
import { MiB, near, world } from './harness.ts';

const ENGINE = 1e9; // B/s

/** Wraps `array.offload` to track segments in flight from outside the job; returns the peak. */
function watchOutstanding(array: StorageArray) {
  const state = { inFlight: 0, peak: 0 };
  const offload = array.offload.bind(array);
  array.offload = (client, ...rest) => {
    state.inFlight++;
    state.peak = Math.max(state.peak, state.inFlight);
    offload(
      { offloadDone: (ok, reason) => { state.inFlight--; client.offloadDone(ok, reason); } },
      ...rest,
    );
  };
  return state;
}

function copyOnOneArray(options: { lengthBytes: number; segmentBytes: number; maxOutstanding: number; overheadNs: number }) {
  const w = world();
  const array = w.array('a', { copyEngineBytesPerS: ENGINE, xcopy: { segmentOverheadNs: options.overheadNs } });
  const source = array.addVolume('src', { capacityBytes: 256 * MiB });
  const target = array.addVolume('dst', { capacityBytes: 256 * MiB });
  const watched = watchOutstanding(array);
  const job = new CopyJob(w.env, {
    source,
    target,
    lengthBytes: options.lengthBytes,
    segmentBytes: options.segmentBytes,
    maxOutstandingSegments: options.maxOutstanding,
    mode: 'offload',
  });
  job.start();
  w.env.run();
  return { ...w, job, watched };
}

test('64 MiB in 4 MiB segments, 4 at a time, 50 us overhead: S / bandwidth + 4 overheads, no port bytes', () => {
  const S = 64 * MiB;
  const { job, value } = copyOnOneArray({ lengthBytes: S, segmentBytes: 4 * MiB, maxOutstanding: 4, overheadNs: 50e3 });
  assert.is(job.state, 'ok');
  // 16 segments in 4 lock-step batches: each batch = 50 us + 16 MiB / 1 GB/s.
  near(job.durationNs, (S / ENGINE) * 1e9 + 4 * 50e3, 16, 'duration (ns)');
  assert.is(job.bytesOffloaded, S);
  assert.is(job.bytesFallback, 0);
  assert.is(value('a/copy_engine/bytes_B'), S);
  assert.is(value('a/xcopy_segments'), 16);
  assert.is(value('a/fallback_segments'), 0);
  assert.is(value('a/port0/bytes_B'), 0);
  assert.is(value('a/copy_jobs_ok'), 1);
  near(value('a/copy_job_duration_max_s'), S / ENGINE + 4 * 50e-6, 1e-6, 'copy_job_duration');
});

test('property: never more than N segments in flight; with no overhead the copy takes S / bandwidth, with overhead at most K overheads more', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 2048 }).map((k) => k * 32 * 1024), // S: 32 KiB .. 64 MiB
      fc.integer({ min: 1, max: 256 }).map((k) => k * 32 * 1024), // segment: 32 KiB .. 8 MiB
      fc.integer({ min: 1, max: 12 }),
      fc.constantFrom(0, 20e3),
      (S, segment, N, overhead) => {
        const { job, watched } = copyOnOneArray({ lengthBytes: S, segmentBytes: segment, maxOutstanding: N, overheadNs: overhead });
        const K = Math.ceil(S / segment);
        assert.is(job.state, 'ok');
        assert.ok(watched.peak <= N, `peak ${watched.peak} segments in flight > N = ${N}`);
        assert.is(watched.peak, Math.min(N, K), 'the job keeps N segments in flight while it can');
        const transferNs = (S / ENGINE) * 1e9;
        assert.ok(job.durationNs >= transferNs - K, `faster than the engine allows: ${job.durationNs} < ${transferNs}`);
        assert.ok(job.durationNs <= transferNs + K * overhead + K + 1, `slower than S/B + K overheads: ${job.durationNs}`);
      },
    ),
    { numRuns: 60, seed: 11 },
  );
});

test('two equal jobs started together share the copy engine: each takes twice as long as alone', () => {
  const w = world();
  const array = w.array('a', { copyEngineBytesPerS: ENGINE });
  const vols = ['s1', 't1', 's2', 't2'].map((id) => array.addVolume(id, { capacityBytes: 128 * MiB }));
  const S = 32 * MiB;
  const base: Omit<CopyJobOptions, 'source' | 'target'> = { lengthBytes: S, segmentBytes: 4 * MiB, maxOutstandingSegments: 4, mode: 'offload' };
  const a = new CopyJob(w.env, { ...base, source: vols[0]!, target: vols[1]! }).start();
  const b = new CopyJob(w.env, { ...base, source: vols[2]!, target: vols[3]! }).start();
  w.env.run();
  near(a.durationNs, (2 * S * 1e9) / ENGINE, 16, 'job a');
  near(b.durationNs, (2 * S * 1e9) / ENGINE, 16, 'job b');
});

test('a short job and a long one: half the engine each until the short one ends (2S/B), then the long one alone (4S/B for 3S)', () => {
  const w = world();
  const array = w.array('a', { copyEngineBytesPerS: ENGINE });
  const vols = ['s1', 't1', 's2', 't2'].map((id) => array.addVolume(id, { capacityBytes: 128 * MiB }));
  const S = 16 * MiB;
  const base = { segmentBytes: 4 * MiB, maxOutstandingSegments: 2, mode: 'offload' as const };
  const short = new CopyJob(w.env, { ...base, lengthBytes: S, source: vols[0]!, target: vols[1]! }).start();
  const long = new CopyJob(w.env, { ...base, lengthBytes: 3 * S, source: vols[2]!, target: vols[3]! }).start();
  w.env.run();
  near(short.durationNs, (2 * S * 1e9) / ENGINE, 16, 'short job');
  near(long.durationNs, (4 * S * 1e9) / ENGINE, 32, 'long job');
});

test('linked primary and secondary: a cross-array copy is offloaded over the link at its bandwidth, plus its latency per batch', () => {
  const w = world();
  const primary = w.array('p', { xcopy: { segmentOverheadNs: 10e3 } });
  const secondary = w.array('s', { role: 'secondary', xcopy: { segmentOverheadNs: 10e3 } });
  linkArrays(w.env, secondary, primary, { bandwidthBytesPerS: 5e8, latencyNs: 90e3 }, w.metrics);
  const source = primary.addVolume('src', { capacityBytes: 64 * MiB });
  const target = secondary.addVolume('dst', { capacityBytes: 64 * MiB });
  const S = 32 * MiB;
  const job = new CopyJob(w.env, { source, target, lengthBytes: S, segmentBytes: 4 * MiB, maxOutstandingSegments: 8, mode: 'offload' }).start();
  w.env.run();
  assert.is(job.state, 'ok');
  // 8 segments in one batch: 10 us overhead + 90 us latency, then 32 MiB at 0.5 GB/s.
  near(job.durationNs, 100e3 + (S * 1e9) / 5e8, 16, 'duration (ns)');
  assert.is(w.value('s/link-p/bytes_B'), S);
  assert.is(w.value('s/xcopy_segments'), 8, 'the target array is the copy manager');
  assert.is(w.value('p/copy_engine/bytes_B'), 0);
  assert.is(w.value('s/copy_engine/bytes_B'), 0);
  assert.is(w.value('p/port0/bytes_B'), 0);
  assert.is(w.value('s/port0/bytes_B'), 0);
});

test('refusals: auto falls back to the host for every segment the array refuses; offload mode fails the job with the reason', () => {
  const cases: { name: string; setup: (w: ReturnType<typeof world>) => { source: any; target: any }; reason: RegExp }[] = [
    {
      name: 'XCOPY disabled',
      setup: (w) => {
        const a = w.array('a', { xcopy: { enabled: false } });
        return { source: a.addVolume('src', { capacityBytes: 64 * MiB }), target: a.addVolume('dst', { capacityBytes: 64 * MiB }) };
      },
      reason: /XCOPY is disabled on array a/,
    },
    {
      name: 'segment longer than the array accepts',
      setup: (w) => {
        const a = w.array('a', { xcopy: { maxSegmentBytes: 1 * MiB } });
        return { source: a.addVolume('src', { capacityBytes: 64 * MiB }), target: a.addVolume('dst', { capacityBytes: 64 * MiB }) };
      },
      reason: /exceeds the maximum segment length 1048576 B/,
    },
    {
      name: 'misaligned for the array',
      setup: (w) => {
        const a = w.array('a', { xcopy: { alignmentBytes: 1 * MiB } });
        return { source: a.addVolume('src', { capacityBytes: 64 * MiB }), target: a.addVolume('dst', { capacityBytes: 64 * MiB }) };
      },
      reason: /not aligned to 1048576 B/,
    },
    {
      name: 'target on another array that is not linked',
      setup: (w) => {
        const a = w.array('a');
        const b = w.array('b');
        return { source: a.addVolume('src', { capacityBytes: 64 * MiB }), target: b.addVolume('dst', { capacityBytes: 64 * MiB }) };
      },
      reason: /arrays a and b are not linked/,
    },
  ];
  for (const c of cases) {
    const auto = world();
    const { source, target } = c.setup(auto);
    const options = { source, target, sourceOffsetBytes: 512, targetOffsetBytes: 1024, lengthBytes: 8 * MiB, segmentBytes: 2 * MiB };
    const job = new CopyJob(auto.env, { ...options, mode: 'auto' }).start();
    auto.env.run();
    assert.is(job.state, 'ok', c.name);
    assert.is(job.bytesFallback, 8 * MiB, c.name);
    assert.is(job.segmentsFallback, 4, c.name);
    assert.is(auto.value(`${target.array.path}/fallback_segments`), 4, c.name);
    assert.is(auto.value(`${target.array.path}/xcopy_refusals`), 4, c.name);

    const strict = world();
    const again = c.setup(strict);
    const failed = new CopyJob(strict.env, { ...options, source: again.source, target: again.target, mode: 'offload' }).start();
    strict.env.run();
    assert.is(failed.state, 'failed', c.name);
    assert.match(failed.failure, /^offload refused: /, c.name);
    assert.match(failed.failure, c.reason, c.name);
    assert.is(failed.bytesCopied, 0, c.name);
  }
});

test('a copy job rejects ranges it cannot copy, with a message', () => {
  const w = world();
  const array = w.array('a');
  const source = array.addVolume('src', { capacityBytes: 8 * MiB });
  const target = array.addVolume('dst', { capacityBytes: 4 * MiB, sectorBytes: 4096 });
  assert.throws(() => new CopyJob(w.env, { source, target, lengthBytes: 8 * MiB }), /target range \[0, 8388608\) B is outside dst/);
  assert.throws(() => new CopyJob(w.env, { source, target, lengthBytes: 1 * MiB, sourceOffsetBytes: 512 }), /multiple of the sector size 4096 B/);
  assert.throws(() => new CopyJob(w.env, { source, target: source, lengthBytes: 2 * MiB, targetOffsetBytes: 1 * MiB }), /overlap/);
  assert.throws(() => new CopyJob(w.env, { source, target, lengthBytes: 1 * MiB, maxOutstandingSegments: 0 }), /maxOutstandingSegments/);
});

test.run();
