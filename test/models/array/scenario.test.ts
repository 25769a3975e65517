/**
 * The array component types through the real loader and runner, as a user's scenario would go:
 * `storage-array`, `array-volume`, `array-copy`. Timings are checked against the same hand
 * computations as the model tests (copy engine: S / bandwidth; host copy through one port:
 * 2·S / port bandwidth); determinism by running the same run twice.
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executeRun } from '../../../sim/run/execute-run.ts';
import { column, loadRuns, writeScenarios } from '../../run/scenario-files.ts';
import { near } from './harness.ts';

const MiB = 1024 * 1024;

const simpleArray = {
  type: 'storage-array',
  backend: { parallelism: 8, readLatency: { dist: 'constant', value: '0s' }, writeLatency: { dist: 'constant', value: '0s' } },
  ports: { count: 1, bandwidth: '1GB/s' },
  copyEngine: { bandwidth: '2GB/s' },
};

function copyScenario(name: string, extra: object = {}): object {
  return {
    name,
    stop: { whenIdle: true },
    world: {
      a: simpleArray,
      src: { type: 'array-volume', array: 'a', size: '256MiB' },
      dst: { type: 'array-volume', array: 'a', size: '256MiB', sectorSize: '4KiB' },
    },
    workload: { copy: { type: 'array-copy', source: 'src', target: 'dst', length: '64MiB', at: '1ms' } },
    sweep: { matrix: { 'workload.copy.mode': ['offload', 'host'] } },
    ...extra,
  };
}

const workloadOnVolume = {
  name: 'workload-on-volume',
  stop: { at: '1s' },
  world: { a: simpleArray, vol: { type: 'array-volume', array: 'a', size: '1GiB' } },
  workload: { w: { type: 'block-workload', target: 'vol', queueDepth: 1, readFraction: 1, size: { dist: 'constant', value: '1MiB' } } },
};

const example = JSON.parse(readFileSync(new URL('./fixtures/xcopy-vs-host.json', import.meta.url), 'utf8'));

/** Loading is the slow part (about a second), so every good scenario is loaded once, together. */
const loaded = (async () => {
  const files = writeScenarios({ 'a.json': copyScenario('copy-modes'), 'b.json': example, 'c.json': workloadOnVolume });
  try {
    return await loadRuns([files.dir]);
  } finally {
    files.remove();
  }
})();

async function results(scenario: string) {
  const { runs, units } = await loaded;
  return runs.filter((r) => r.spec.name === scenario).map((r) => executeRun(r, units));
}

test('array-copy from a scenario: offload takes S / copy-engine bandwidth, host copy 2·S / port bandwidth, through 2·S of port bytes', async () => {
  const [offload, host] = await results('copy-modes');
  const S = 64 * MiB;
  near(column(offload!, 'copy/duration_s'), S / 2e9, 1e-8, 'offload duration');
  assert.is(column(offload!, 'copy/ok'), 1);
  assert.is(column(offload!, 'copy/bytes_offloaded_B'), S);
  assert.is(column(offload!, 'copy/segments_offloaded'), 16);
  assert.is(column(offload!, 'a/port0/bytes_B'), 0);
  assert.is(column(offload!, 'a/copy_engine/bytes_B'), S);
  near(column(host!, 'copy/duration_s'), (2 * S) / 1e9, 1e-8, 'host duration');
  assert.is(column(host!, 'copy/bytes_fallback_B'), S);
  assert.is(column(host!, 'a/port0/bytes_B'), 2 * S);
  assert.is(column(host!, 'a/copy_jobs_ok'), 1);
  for (const name of ['src/read_latency_mean_us', 'dst/write_latency_p99_us', 'dst/writes', 'a/port0/utilization_mean', 'a/backend/utilization_mean', 'a/copy_job_duration_mean_s', 'a/xcopy_segments', 'a/fallback_segments']) {
    assert.ok(column(host!, name) !== undefined, `column ${name}`);
  }
});

test('the example scenario runs: offloading beats the host copy and moves no bytes through the ports; runs are deterministic', async () => {
  const [offload, host] = await results('xcopy-vs-host');
  const [again] = await results('xcopy-vs-host');
  assert.equal(again!.summary, offload!.summary, 'same run, same numbers');
  const portBytes = (r: typeof offload) => ['primary', 'secondary'].flatMap((a) => [0, 1].map((p) => column(r!, `${a}/port${p}/bytes_B`)!)).reduce((x, y) => x + y, 0);
  assert.is(portBytes(offload), 0);
  assert.is(portBytes(host), 4 * 2 * 1024 * MiB, 'two 2 GiB copies, each crossing ports twice');
  assert.is(column(offload!, 'backup-copy/bytes_offloaded_B'), 2048 * MiB, 'the backup goes over the replication link');
  assert.is(column(offload!, 'secondary/link-primary/bytes_B'), 2048 * MiB);
  for (const copy of ['clone-copy', 'backup-copy']) {
    assert.ok(column(offload!, `${copy}/duration_s`)! < column(host!, `${copy}/duration_s`)!, `${copy}: offload faster`);
  }
});

test('a block workload can target an array volume (it is a BlockDevice)', async () => {
  const [result] = await results('workload-on-volume');
  // Closed loop, one IO at a time, each 1 MiB read crossing a 1 GB/s port (backend instant): 1 s / 1.048576 ms.
  near(column(result!, 'vol/reads'), 1e9 / ((MiB * 1e9) / 1e9), 1, 'reads in 1 s');
  assert.is(column(result!, 'vol/failed_ios'), 0);
});

test('a volume written before its array loads: the array is built first', async () => {
  const volumeFirst = copyScenario('order');
  (volumeFirst as any).world = { src: { type: 'array-volume', array: 'a', size: '256MiB' }, a: simpleArray, dst: { type: 'array-volume', array: 'a', size: '256MiB' } };
  const files = writeScenarios({ '1.json': volumeFirst });
  try {
    assert.is((await loadRuns([files.dir])).runs.length, 2);
  } finally {
    files.remove();
  }
});

test('bad array scenarios are rejected before any run, each with what is wrong', async () => {
  const oddSize = copyScenario('odd');
  (oddSize as any).world.dst.size = '1000B';
  const peerOnly = copyScenario('peer');
  (peerOnly as any).world.b = { ...simpleArray, peer: 'a' };
  const notAVolume = copyScenario('ref');
  (notAVolume as any).workload.copy.target = 'a';
  const tooLong = copyScenario('long');
  (tooLong as any).workload.copy.length = '512MiB';
  const badPort = copyScenario('port');
  (badPort as any).world.src.ports = [1];
  const files = writeScenarios({ '2.json': oddSize, '3.json': peerOnly, '4.json': notAVolume, '5.json': tooLong, '6.json': badPort });
  let message = '';
  try {
    await loadRuns([files.dir]);
  } catch (error) {
    message = (error as Error).message;
  } finally {
    files.remove();
  }
  for (const [file, expected] of [
    ['2.json', /volume size 1000 B must be a positive multiple of the sector size 4096 B/],
    ['3.json', /give "peer" and "link" together/],
    ['4.json', /"a" is a storage-array, but an array-volume is required here/],
    ['5.json', /source range \[0, 536870912\) B is outside src/],
    ['6.json', /port 1 does not exist on array "a"/],
  ] as const) {
    const line = message.split('\n').find((l) => l.includes(file));
    assert.ok(line !== undefined, `no error reported for ${file}:\n${message}`);
    assert.match(line!, expected);
  }
});

test.run();
