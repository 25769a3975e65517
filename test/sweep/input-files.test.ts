/**
 * A sweep's manifest hashes the files a scenario reads (trace files), not only the scenario,
 * so `--resume` refuses to finish a sweep whose trace was edited in between: the finished
 * parts replayed the old trace, the missing ones would replay the new one.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarios } from '../../sim/scenario/load.ts';
import { SweepInputError } from '../../sim/sweep/errors.ts';
import { runSweep } from '../../sim/sweep/sweep.ts';

const TRACE = 'time_us,op,offset,size\n0,W,0,4096\n100,R,0,4096\n200,W,8192,4096\n';

/** A folder with `scenarios/replay.json` replaying `traces/t.csv` twice (a sweep over speedup). */
function setup(): { root: string; scenarioDir: string; trace: string } {
  const root = mkdtempSync(join(tmpdir(), 'storsim-inputs-'));
  const scenarioDir = join(root, 'scenarios');
  mkdirSync(scenarioDir);
  mkdirSync(join(root, 'traces'));
  const trace = join(root, 'traces', 't.csv');
  writeFileSync(trace, TRACE);
  const spec = {
    name: 'replay',
    seed: 1,
    stop: { whenIdle: true },
    world: { disk: { type: 'ideal-disk', capacity: '1MiB', latency: '100us' } },
    workload: { replay: { type: 'trace-replay', target: 'disk', file: '../traces/t.csv', format: 'csv' } },
    sweep: { matrix: { 'workload.replay.speedup': [1, 2] } },
  };
  writeFileSync(join(scenarioDir, 'replay.json'), JSON.stringify(spec));
  return { root, scenarioDir, trace };
}

test('the loader lists a trace once for all variants, as written in the scenario', async () => {
  const { root, scenarioDir } = setup();
  try {
    const { scenarios } = await loadScenarios([scenarioDir]);
    assert.equal(scenarios[0]!.inputs, ['../traces/t.csv']);
    assert.is(scenarios[0]!.runs.length, 2);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the manifest records the trace hash; --resume refuses an edited trace, naming it, and accepts it restored', async () => {
  const { root, scenarioDir, trace } = setup();
  const out = join(root, 'out');
  const options = { out, progress: 'none' as const, warn: () => {}, workers: 1 };
  try {
    await runSweep([scenarioDir], options);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.equal(manifest.scenarios[0].inputs, [{ path: '../traces/t.csv', sha256: createHash('sha256').update(TRACE).digest('hex') }]);

    writeFileSync(trace, TRACE.replace('200,W', '300,W'));
    try {
      await runSweep([scenarioDir], { ...options, resume: true });
      assert.unreachable('an edited trace was accepted');
    } catch (error) {
      assert.ok(error instanceof SweepInputError, String(error));
      assert.match((error as Error).message, /scenario replay's input \.\.\/traces\/t\.csv has different contents/);
    }

    writeFileSync(trace, TRACE);
    const resumed = await runSweep([scenarioDir], { ...options, resume: true });
    assert.is(resumed.executed, 0, 'with the trace restored the sweep is complete');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
