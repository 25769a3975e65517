import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeScenarios, type ScenarioDir } from '../run/scenario-files.ts';
import { finishedParts, NO_SLURM, readResult, referenceCsv, referenceResults, storsimCli, twoScenarios, type Cli } from '../sweep/helpers.ts';

// Shards of one sweep, named the three ways (1-based --shard i/N, 0-based --shard-index/--shard-count,
// Slurm --shard auto), merged by `storsim merge`, compared byte for byte with a single-process sweep
// and with what `storsim run` writes (test/sweep/helpers.ts referenceFiles).

let files: ScenarioDir;
let base = '';
const out = (name: string) => join(base, name);
let sweeps: Record<string, Cli> = {};
let reference: Awaited<ReturnType<typeof referenceResults>>;
const SCENARIO_ARGS = ['--replications', '3', '--workers', '1', '--progress', 'none']; // 9 runs

test.before(async () => {
  files = writeScenarios(twoScenarios());
  base = mkdtempSync(join(tmpdir(), 'storsim-cli-merge-'));
  const commands: Record<string, { args: string[]; env?: Record<string, string | undefined> }> = {
    shard1: { args: ['--shard', '1/3'] },
    shard2: { args: ['--shard-index', '1', '--shard-count', '3'] },
    // a Slurm array --array=1-3: task 3 is the third shard
    shard3: { args: ['--shard', 'auto'], env: { ...NO_SLURM, SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_COUNT: '3' } },
  };
  const names = Object.keys(commands);
  const running = Promise.all(names.map((name) => storsimCli(['sweep', files.dir, ...SCENARIO_ARGS, ...commands[name]!.args, '--out', out(name)], commands[name]!.env)));
  reference = await referenceResults([files.dir], { replications: 3 });
  const results = await running;
  sweeps = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
  for (const [name, result] of Object.entries(sweeps)) assert.is(result.code, 0, `${name}: ${result.stderr}`);
});
test.after(() => {
  files.remove();
  rmSync(base, { recursive: true, force: true });
});

test('shard k of 3 runs the canonical indices k, k+3, k+6 — however the shard is named — and writes its own results', () => {
  const expected: Record<string, number> = { shard1: 0, shard2: 1, shard3: 2 };
  for (const [name, k] of Object.entries(expected)) {
    const manifest = JSON.parse(readResult(out(name), 'manifest.json'));
    assert.equal(manifest.shard, { index: k, count: 3, label: `${k + 1}/3` }, name);
    assert.is(manifest.runs.length, 9, `${name}'s manifest lists the whole sweep`);
    assert.equal(finishedParts(out(name)), [k, k + 3, k + 6].map((i) => `00000${i}.json`), name);
    const expectedFiles = referenceCsv(reference, (i) => i % 3 === k);
    assert.is(readResult(out(name), 'runs.csv'), expectedFiles.runs, `${name} runs.csv`);
    assert.is(readResult(out(name), 'timeseries.csv'), expectedFiles.timeseries, `${name} timeseries.csv`);
    // a run's seed is the run's, never the shard's: every shard lists the same ids and seeds
    assert.equal(manifest.runs, reference.ids.map((id, i) => ({ id, seed: manifest.runs[i].seed })), `${name} run list`);
    assert.equal(manifest.runs, JSON.parse(readResult(out('shard1'), 'manifest.json')).runs, `${name} run list`);
  }
});

test('merge, dirs in any order, writes the files of a single-process run byte for byte', async () => {
  const result = await storsimCli(['merge', out('shard3'), out('shard1'), out('shard2'), '--out', out('merged')]);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /merged 9 run\(s\) from 3 folder\(s\), 0 failed/);
  const expectedFiles = referenceCsv(reference);
  assert.is(readResult(out('merged'), 'runs.csv'), expectedFiles.runs);
  assert.is(readResult(out('merged'), 'timeseries.csv'), expectedFiles.timeseries);
  assert.not.ok(existsSync(join(out('merged'), 'failures.csv')));
  // parts are copied byte for byte, and the manifest is the whole sweep's
  const shardParts = ['shard1', 'shard2', 'shard3'].flatMap((d) => finishedParts(out(d)).map((part) => [part, readFileSync(join(out(d), 'parts', part), 'utf8')]));
  assert.equal(finishedParts(out('merged')), shardParts.map(([part]) => part!).sort());
  for (const [part, text] of shardParts) assert.is(readFileSync(join(out('merged'), 'parts', part!), 'utf8'), text, part);
  const merged = JSON.parse(readResult(out('merged'), 'manifest.json'));
  const shard1 = JSON.parse(readResult(out('shard1'), 'manifest.json'));
  assert.equal({ ...merged, merged_from: undefined }, { ...shard1, shard: { index: 0, count: 1, label: '1/1' }, shard_runs: 9, merged_from: undefined });
  assert.equal(merged.merged_from, [out('shard3'), out('shard1'), out('shard2')]);
  // merging again into the same folder is allowed and gives the same files
  const again = await storsimCli(['merge', out('shard1'), out('shard2'), out('shard3'), '--out', out('merged'), '-q']);
  assert.is(again.code, 0, again.stderr);
  assert.is(readResult(out('merged'), 'runs.csv'), expectedFiles.runs);
});

test('merge with a shard missing: exit 2 naming exactly the missing runs, nothing written', async () => {
  const result = await storsimCli(['merge', out('shard1'), out('shard3'), '--out', out('missing')]);
  assert.is(result.code, 2, result.stderr);
  const shard2Ids = readResult(out('shard2'), 'runs.csv').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
  assert.is(shard2Ids.length, 3);
  assert.match(result.stderr, `missing: ${shard2Ids.join(', ')}\n`);
  assert.not.match(result.stderr, /duplicated/);
  assert.not.ok(existsSync(out('missing')));
});

test('merge with a run in two folders: exit 2 naming the duplicated runs and their folders', async () => {
  cpSync(out('shard2'), out('shard2-copy'), { recursive: true });
  const result = await storsimCli(['merge', out('shard1'), out('shard2'), out('shard3'), out('shard2-copy'), '--out', out('duplicated')]);
  assert.is(result.code, 2, result.stderr);
  assert.match(result.stderr, `duplicated: a/v0/r1 (in ${out('shard2')}, ${out('shard2-copy')}), a/v1/r1 (in ${out('shard2')}, ${out('shard2-copy')}), b/v0/r1 (in ${out('shard2')}, ${out('shard2-copy')})\n`);
  assert.not.match(result.stderr, /missing/);
  assert.not.ok(existsSync(out('duplicated')));
  // both at once
  rmSync(join(out('shard3'), 'parts', '000008.json'));
  try {
    const both = await storsimCli(['merge', out('shard1'), out('shard1'), out('shard2'), out('shard3'), '--out', out('duplicated')]);
    assert.is(both.code, 2);
    assert.match(both.stderr, /missing: b\/v0\/r2; duplicated: a\/v0\/r0 \(in .*shard1, .*shard1\)/);
  } finally {
    cpSync(join(out('shard2-copy'), '..', 'merged', 'parts', '000008.json'), join(out('shard3'), 'parts', '000008.json'));
  }
});

test('merge of folders from different sweeps: exit 2 saying which folder differs and how', async () => {
  cpSync(out('shard2'), out('other'), { recursive: true });
  const manifestPath = join(out('other'), 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.runs[4].seed = 99; // as if made with other seeds
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const result = await storsimCli(['merge', out('shard1'), out('other'), out('shard3'), '--out', out('mixed')]);
  assert.is(result.code, 2, result.stderr);
  assert.match(result.stderr, /do not describe the same sweep/);
  assert.match(result.stderr, `run 4 is a/v1/r1 (seed 6) in ${out('shard1')}, a/v1/r1 (seed 99) in ${out('other')}`);
  assert.not.ok(existsSync(out('mixed')));
  const notSweep = await storsimCli(['merge', out('shard1'), files.dir, '--out', out('mixed')]);
  assert.is(notSweep.code, 2);
  assert.match(notSweep.stderr, /no manifest\.json; storsim merge takes the --out folders of storsim sweep/);
  assert.equal(readdirSync(base).includes('mixed'), false);
});

test.run();
