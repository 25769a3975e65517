/**
 * The workload component types through the real loader and runner, as a user's scenario file
 * would go. Loading compiles the whole scenario schema (about a second), so every good
 * scenario is loaded in one call and every bad one in another.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asBlockDevice, BLOCK_DEVICE_TYPES } from '../../../sim/models/workload/block-targets.ts';
import { executeRun, type RunResult } from '../../../sim/run/execute-run.ts';
import { column, loadRuns, writeScenarios, type ScenarioDir } from '../../run/scenario-files.ts';

const disk = { type: 'ideal-disk', capacity: '1GiB', sector: '4KiB', latency: '1ms' };
const root = new URL('../../../', import.meta.url).pathname;

function scenario(name: string, workload: object): object {
  return { name, seed: 1, stop: { at: '10s' }, world: { disk }, workload: { w: { type: 'block-workload', target: 'disk', readFraction: 0.5, size: { dist: 'constant', value: '4KiB' }, ...workload } } };
}

let traceDir: string;
let files: ScenarioDir;
const results = new Map<string, RunResult>();
let badMessage = '';
let workingDirectory = '';

test.before(async () => {
  traceDir = mkdtempSync(join(tmpdir(), 'storsim-trace-scenario-'));
  const trace = join(traceDir, 'small.csv');
  writeFileSync(trace, 'time_ms,op,offset,size\n0,write,0,4096\n2,read,0,4096\n4,trim,8192,4096\n');
  files = writeScenarios({
    'closed.json': scenario('closed', { queueDepth: 4 }),
    'open.json': scenario('open', {
      rate: '2000 IOPS',
      readFraction: 0.7,
      size: { dist: 'empirical', points: ['4KiB', '16KiB'] },
      pattern: 'random',
      skew: { kind: 'hot-cold', hotFraction: 0.1, hotAccessFraction: 0.9 },
      block: '16KiB',
      scatter: true,
      span: { offset: '64MiB', length: '128MiB' },
      phases: { on: { dist: 'constant', value: '1s' }, off: { dist: 'constant', value: '1s' } },
      daily: { hourly: new Array(24).fill(1), startHour: 3 },
      start: '1s',
      byteLimit: '1GiB',
      checkExactlyOnce: true,
    }),
    'plain.json': scenario('plain', { rate: '500 IOPS', readFraction: 0.3 }),
    'checked.json': scenario('checked', { rate: '500 IOPS', readFraction: 0.3, checkExactlyOnce: true }),
    'replay.json': {
      name: 'replay',
      stop: { whenIdle: true },
      world: { disk },
      workload: { r: { type: 'trace-replay', target: 'disk', file: trace, speedup: 2, checkExactlyOnce: true } },
    },
  });
  const bad = writeScenarios({
    'b1.json': { name: 'b1', stop: { at: '1s' }, world: { disk, server: { type: 'queue-station', servers: 1 } }, workload: { w: { type: 'block-workload', target: 'server', readFraction: 0.5, size: { dist: 'constant', value: '4KiB' }, rate: '1/s' } } },
    'b2.json': scenario('b2', {}),
    'b3.json': scenario('b3', { rate: '1/s', queueDepth: 2 }),
    'b4.json': scenario('b4', { rate: '1/s', thinkTime: { dist: 'constant', value: '1ms' } }),
    'b5.json': scenario('b5', { rate: '1/s', span: { offset: '1GiB' } }),
    'b6.json': scenario('b6', { rate: '1/s', block: '1000B' }),
    'b7.json': { name: 'b7', stop: { whenIdle: true }, world: { disk }, workload: { r: { type: 'trace-replay', target: 'disk', file: '/nonexistent/trace.csv' } } },
  });
  workingDirectory = process.cwd();
  process.chdir(root); // the shipped example's trace path is relative to the working directory, as documented
  try {
    const { runs, units } = await loadRuns([files.dir, 'scenarios/traces/replay-msr-synthetic.json']);
    for (const run of runs) results.set(run.scenario, executeRun(run, units));
    try {
      await loadRuns([bad.dir]);
    } catch (error) {
      badMessage = (error as Error).message.replaceAll(`${bad.dir}/`, '');
    }
  } finally {
    bad.remove();
  }
});

test.after(() => {
  process.chdir(workingDirectory);
  files.remove();
  rmSync(traceDir, { recursive: true, force: true });
});

const value = (scenarioName: string, name: string) => column(results.get(scenarioName)!, name);

test('closed loop on an ideal disk from a scenario file: X = 1/S, R = Q·S, N = Q (Little 1961), utilization 1', () => {
  const completed = value('closed', 'w/reads')! + value('closed', 'w/writes')!;
  assert.ok(Math.abs(completed - 10_000) <= 1, `${completed} completions in 10 s at 1 ms each`);
  const meanUs = (value('closed', 'w/read_latency_mean_us')! * value('closed', 'w/read_latency_count')! + value('closed', 'w/write_latency_mean_us')! * value('closed', 'w/write_latency_count')!) / completed;
  assert.ok(Math.abs(meanUs - 4000) < 4, `mean latency ${meanUs} us`);
  assert.is(value('closed', 'w/in_flight_mean'), 4);
  assert.is(value('closed', 'disk/busy_servers_mean'), 1);
  for (const name of ['w/issued', 'w/failed', 'w/read_bytes_B', 'w/write_bytes_B', 'w/read_latency_p99_us', 'w/in_flight_max', 'disk/completed']) {
    assert.ok(value('closed', name) !== undefined, `column ${name}`);
  }
});

test('every key of block-workload is accepted and used: open loop with skew, span, phases and a daily pattern', () => {
  // On for 1 s of every 2 from t = 1 s: [1, 2), [3, 4), ..., [9, 10) is 5 s on before 10 s, so
  // Poisson(10000) arrivals (sd 100); the hourly multipliers are all 1.
  const issued = value('open', 'w/issued')!;
  assert.ok(Math.abs(issued - 10_000) < 400, `issued ${issued}`);
});

test('a trace-replay scenario replays a plain CSV trace (absolute path) with speedup and checker', () => {
  assert.is(value('replay', 'r/writes'), 1);
  assert.is(value('replay', 'r/reads'), 1);
  assert.is(value('replay', 'r/trims'), 1);
  assert.is(value('replay', 'engine/end_time_s'), 0.002 + 0.001, 'last record at 4 ms / 2, served in 1 ms');
});

test('the shipped example scenario replays disk 0 of the shipped trace', () => {
  const issued = value('replay-msr-synthetic', 'replay/issued')!;
  assert.is(issued + value('replay-msr-synthetic', 'replay/records_skipped')!, 4000, 'every record is issued or skipped');
  assert.is(value('replay-msr-synthetic', 'replay/reads')! + value('replay-msr-synthetic', 'replay/writes')!, issued);
});

test('the exactly-once checker changes no result', () => {
  assert.equal(results.get('checked')!.summary, results.get('plain')!.summary);
});

test('bad scenarios: wrong target type, no or two arrival processes, think time without queue depth, span off the device, missing trace', () => {
  const expected = [
    /b1\.json:\d+:\d+ \/workload\/w\/target: "server" is a queue-station, but an ssd or an nvme-function or a vm-disk or an array-volume or an ideal-disk is required here; allowed: "disk"/,
    /b2\.json:\d+:\d+ \/workload\/w: no arrival process given; allowed: exactly one of "rate" or "interarrival" \(open loop\) or "queueDepth" \(closed loop\)/,
    /b3\.json:\d+:\d+ \/workload\/w: give only one of rate, queueDepth/,
    /b4\.json:\d+:\d+ \/workload\/w: "thinkTime" needs a closed loop/,
    /b5\.json:\d+:\d+ \/workload\/w: span \[1073741824, 1073741824\) B must be non-empty and lie within the device's 1073741824 B/,
    /b6\.json:\d+:\d+ \/workload\/w: block 1000 B must be a multiple of the device's 4096 B sector/,
    /b7\.json:\d+:\d+ \/workload\/r: cannot read trace "\/nonexistent\/trace\.csv": ENOENT/,
  ];
  for (const pattern of expected) assert.match(badMessage, pattern);
});

test('asBlockDevice: a built target that lacks the BlockDevice members is refused with a clear message', () => {
  assert.throws(() => asBlockDevice({ capacityBytes: 10 }, 'd1'), /target "d1" is not a block device: it lacks submit\(request\), sectorBytes \(a positive integer\); allowed: a component of type ssd, nvme-function, vm-disk, array-volume, ideal-disk/);
  assert.throws(() => asBlockDevice(undefined, 'd2'), /did not build into an object/);
  const device = { path: 'd', capacityBytes: 4096, sectorBytes: 512, submit() {} };
  assert.is(asBlockDevice(device, 'd'), device);
  assert.ok(BLOCK_DEVICE_TYPES.includes('ideal-disk'));
});

test.run();
