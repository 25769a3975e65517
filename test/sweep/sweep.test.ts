import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlannedRun } from '../../sim/scenario/load.ts';
import { SweepInputError } from '../../sim/sweep/errors.ts';
import { runSweep, type SweepOptions } from '../../sim/sweep/sweep.ts';
import { loadRuns, writeScenarios, type ScenarioDir } from '../run/scenario-files.ts';
import { finishedParts, readResult, referenceFiles, twoScenarios } from './helpers.ts';

// Reference for every byte comparison: what `storsim run` writes for the same scenarios (every
// run executed in this thread in canonical order, through the same loader and CSV writers).

let files: ScenarioDir;
let base = '';
let runs: PlannedRun[];
let reference: { runs: string; timeseries: string; failed: string[] };
const REPLICATIONS = 3; // 9 runs: a/v0..v1 x r0..r2, b/v0/r0..r2
const quiet: Partial<SweepOptions> = { progress: 'none', warn: () => {}, workers: 1 };

function sweep(out: string, options: Partial<SweepOptions> = {}, paths = [files.dir]) {
  return runSweep(paths, { out: join(base, out), replications: REPLICATIONS, ...quiet, ...options });
}

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SweepInputError, `expected SweepInputError, got ${String(error)}`);
    assert.match((error as Error).message, pattern);
    return (error as Error).message;
  }
  assert.unreachable('accepted');
  return '';
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      if (name.isDirectory()) walk(join(d, name.name), `${prefix}${name.name}/`);
      else out[`${prefix}${name.name}`] = readFileSync(join(d, name.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

test.before(async () => {
  files = writeScenarios(twoScenarios());
  base = mkdtempSync(join(tmpdir(), 'storsim-sweep-'));
  ({ runs } = await loadRuns([files.dir], { replications: REPLICATIONS }));
  reference = await referenceFiles([files.dir], { replications: REPLICATIONS });
});
test.after(() => {
  files.remove();
  rmSync(base, { recursive: true, force: true });
});

test('1 and 2 workers write runs.csv and timeseries.csv byte-identical to storsim run, one part per run', async () => {
  assert.is(runs.length, 9);
  assert.ok(reference.timeseries.split('\n').length > 20, 'the reference has a time series');
  for (const workers of [1, 2]) { // 3 workers: test/cli/sweep.test.ts
    const outcome = await sweep(`w${workers}`, { workers });
    const dir = join(base, `w${workers}`);
    assert.is(outcome.executed, 9);
    assert.is(readResult(dir, 'runs.csv'), reference.runs, `runs.csv with ${workers} worker(s)`);
    assert.is(readResult(dir, 'timeseries.csv'), reference.timeseries, `timeseries.csv with ${workers} worker(s)`);
    assert.equal(finishedParts(dir), runs.map((_, i) => `${String(i).padStart(6, '0')}.json`));
    assert.not.ok(existsSync(join(dir, 'failures.csv')));
    assert.equal(readdirSync(join(dir, 'parts')).filter((n) => n.startsWith('.')), [], 'no temporary file left');
  }
});

test('the manifest records the canonical run list, the scenario files with their SHA-256, the shard and the version', () => {
  const manifest = JSON.parse(readResult(join(base, 'w2'), 'manifest.json'));
  assert.equal(manifest.runs, runs.map((r) => ({ id: r.id, seed: r.seed })));
  assert.equal(manifest.scenarios.map((s: { name: string }) => s.name), ['a', 'b']);
  for (const s of manifest.scenarios) assert.is(s.sha256, createHash('sha256').update(readFileSync(s.file)).digest('hex'));
  assert.equal(manifest.shard, { index: 0, count: 1, label: '1/1' });
  assert.equal(manifest.options, { seed: null, replications: REPLICATIONS });
  assert.is(manifest.storsim_version, JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
});

test('resume runs only the runs without a part (damaged parts again), tidies temporary files, and ends byte-identical', async () => {
  const dir = join(base, 'resume');
  cpSync(join(base, 'w2'), dir, { recursive: true });
  for (const f of ['runs.csv', 'timeseries.csv']) rmSync(join(dir, f));
  for (const p of ['000001.json', '000004.json', '000008.json']) rmSync(join(dir, 'parts', p));
  writeFileSync(join(dir, 'parts', '000005.json'), readFileSync(join(dir, 'parts', '000005.json'), 'utf8').slice(0, 100)); // damaged
  const dead = spawnSync(process.execPath, ['-e', '']).pid!; // a process that has exited
  writeFileSync(join(dir, 'parts', `.000001.json.${dead}.tmp`), '{"format":"storsim-sweep-part/1","ind');
  const warnings: string[] = [];
  const outcome = await sweep('resume', { workers: 1, resume: true, warn: (line) => warnings.push(line) });
  assert.is(outcome.executed, 4, '3 missing + 1 damaged');
  assert.is(readResult(dir, 'runs.csv'), reference.runs);
  assert.is(readResult(dir, 'timeseries.csv'), reference.timeseries);
  assert.equal(readdirSync(join(dir, 'parts')).filter((n) => n.startsWith('.')), [], 'the stale temporary file is removed');
  assert.ok(warnings.some((w) => /000005\.json is damaged/.test(w)), warnings.join('\n'));
  // nothing left to do: a second resume runs nothing and writes the same files
  const again = await sweep('resume', { resume: true });
  assert.is(again.executed, 0);
  assert.is(readResult(dir, 'runs.csv'), reference.runs);
});

test('without --resume, a folder holding a sweep is refused and left as it was', async () => {
  const dir = join(base, 'w1');
  const before = snapshot(dir);
  await rejectsWith(sweep('w1', { workers: 1 }), /already holds a sweep.*--resume/);
  assert.equal(snapshot(dir), before);
});

test('resume refuses a changed scenario or another run list, saying what differs, and writes nothing', async () => {
  const dir = join(base, 'w1');
  const before = snapshot(dir);
  const changed = writeScenarios({ ...twoScenarios(), 'b.json': { ...(twoScenarios()['b.json'] as object), description: 'edited' } });
  try {
    const message = await rejectsWith(sweep('w1', { resume: true }, [changed.dir]), /scenario b has different contents/);
    assert.match(message, /cannot resume/);
    assert.not.match(message, /scenario a has/, 'only the changed scenario is named');
  } finally {
    changed.remove();
  }
  await rejectsWith(sweep('w1', { resume: true, replications: 2 }), /run list: 9 runs in the manifest, 6 in this command.*--replications 3.*--replications 2/s);
  assert.equal(snapshot(dir), before);
});

test('--resume on a folder with no sweep starts it; a folder with parts but no manifest is refused', async () => {
  const warnings: string[] = [];
  const outcome = await sweep('fresh', { workers: 1, resume: true, warn: (line) => warnings.push(line) });
  assert.is(outcome.executed, 9);
  assert.match(warnings.join('\n'), /holds no sweep yet; starting it/);
  assert.is(readResult(join(base, 'fresh'), 'runs.csv'), reference.runs);

  mkdirSync(join(base, 'orphan', 'parts'), { recursive: true });
  cpSync(join(base, 'w1', 'parts', '000000.json'), join(base, 'orphan', 'parts', '000000.json'));
  await rejectsWith(sweep('orphan', { resume: true }), /holds part files but .* has no manifest\.json/);
});

test.run();
