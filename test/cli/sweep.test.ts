import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smallSweep, writeScenarios, type ScenarioDir } from '../run/scenario-files.ts';
import { finishedParts, NO_SLURM, readResult, referenceFiles, RUNAWAY, startStorsim, storsimCli, twoScenarios, type Cli } from '../sweep/helpers.ts';

// `storsim sweep` as a user runs it, in child processes. The reference for every byte comparison
// is what `storsim run` writes for the same scenarios (test/sweep/helpers.ts referenceFiles).

let files: ScenarioDir;
let failing: ScenarioDir;
let killable: ScenarioDir;
let base = '';
const out = (name: string) => join(base, name);
let done: Record<string, Cli> = {};

test.before(async () => {
  files = writeScenarios(twoScenarios());
  failing = writeScenarios({ 'a.json': twoScenarios()['a.json']!, 'c-runaway.json': RUNAWAY });
  killable = writeScenarios({ 'k.json': smallSweep('k', 80000) }); // with --replications 6: 2 disciplines x 6 = 12 runs, ~0.1 s each
  base = mkdtempSync(join(tmpdir(), 'storsim-cli-sweep-'));
  const commands: Record<string, { args: string[]; env?: Record<string, string | undefined> }> = {
    lines: { args: ['sweep', files.dir, '--replications', '3', '--out', out('lines'), '--workers', '3', '--progress', 'lines'] },
    failing: { args: ['sweep', failing.dir, '--out', out('failing'), '--workers', '2', '--progress', 'none'] },
    shardZero: { args: ['sweep', files.dir, '--shard', '0/3', '--out', out('shardZero')] },
    shardIndexOnly: { args: ['sweep', files.dir, '--shard-index', '3', '--shard-count', '3', '--out', out('shardIndexOnly')] },
    autoNoSlurm: { args: ['sweep', files.dir, '--shard', 'auto', '--out', out('autoNoSlurm')], env: NO_SLURM },
    badProgress: { args: ['sweep', files.dir, '--progress', 'fancy', '--out', out('badProgress')] },
    outIsFile: { args: ['sweep', files.dir, '--workers', '1', '--out', files.path('a.json')] },
  };
  const names = Object.keys(commands);
  const results = await Promise.all(names.map((name) => storsimCli(commands[name]!.args, commands[name]!.env)));
  done = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
});
test.after(() => {
  files.remove();
  failing.remove();
  killable.remove();
  rmSync(base, { recursive: true, force: true });
});

test('sweep --workers 3 writes runs.csv and timeseries.csv byte-identical to storsim run; progress lines go to stderr only', async () => {
  const result = done.lines!;
  assert.is(result.code, 0, result.stderr);
  const reference = await referenceFiles([files.dir], { replications: 3 });
  assert.is(readResult(out('lines'), 'runs.csv'), reference.runs);
  assert.is(readResult(out('lines'), 'timeseries.csv'), reference.timeseries);
  assert.equal(readdirSync(out('lines')).sort(), ['manifest.json', 'parts', 'runs.csv', 'timeseries.csv']);
  assert.match(result.stderr, /^storsim sweep: 9\/9 runs done, 0 failed, \d+ s elapsed$/m);
  assert.not.match(result.stdout, /storsim sweep:/, 'no progress on stdout');
  assert.match(result.stdout, /sweep of 9 run\(s\) from 2 scenario\(s\)/);
});

test('a run that throws: exit 1, failures.csv names it, the other runs are complete', async () => {
  const result = done.failing!;
  assert.is(result.code, 1, result.stderr);
  assert.match(result.stderr, /run runaway\/v0\/r0 failed \(seed 1\): .*maxEvents/);
  const reference = await referenceFiles([failing.dir]);
  assert.is(readResult(out('failing'), 'runs.csv'), reference.runs);
  assert.is(readResult(out('failing'), 'timeseries.csv'), reference.timeseries);
  assert.match(readResult(out('failing'), 'failures.csv'), /^run_id,error\nrunaway\/v0\/r0,[^\n]*maxEvents[^\n]*\n$/);
  assert.is(finishedParts(out('failing')).length, 5, 'the failed run has its part too: it is finished, and --resume does not redo it');
  // merged, the failure is still there and merge says so with exit 1
  const merged = await storsimCli(['merge', out('failing'), '--out', out('failing-merged')]);
  assert.is(merged.code, 1, merged.stderr);
  assert.match(merged.stderr, /run runaway\/v0\/r0 failed/);
  for (const file of ['runs.csv', 'timeseries.csv', 'failures.csv']) assert.is(readResult(out('failing-merged'), file), readResult(out('failing'), file), file);
});

test('bad shard, progress and --out options: exit 2 with a clear message, nothing written', () => {
  const expectations: Record<string, RegExp> = {
    shardZero: /--shard 0\/3: i must be from 1 to 3/,
    shardIndexOnly: /--shard-index 3 is out of range for --shard-count 3: the index is 0-based, from 0 to 2/,
    autoNoSlurm: /--shard auto: SLURM_ARRAY_TASK_ID is not set/,
    badProgress: /--progress fancy: must be one of auto, bar, lines, none/,
    outIsFile: /--out .*a\.json is a file, not a folder/,
  };
  for (const [name, pattern] of Object.entries(expectations)) {
    const result = done[name]!;
    assert.is(result.code, 2, `${name}: ${result.stderr}`);
    assert.match(result.stderr, pattern, name);
    assert.not.ok(existsSync(out(name)), `${name} wrote nothing`);
    assert.is(result.stdout, '', `${name} printed nothing on stdout`);
  }
});

test('kill -9 part-way, then --resume: no partial part, only missing runs run again, files byte-identical to an uninterrupted sweep', async () => {
  const dir = out('killed');
  const sweepArgs = (workers: number) => ['sweep', killable.dir, '--replications', '6', '--out', dir, '--workers', String(workers), '--progress', 'none'];
  const { child, done: exited } = startStorsim(sweepArgs(2));
  const total = 12;
  // poll until some part is finished, then kill -9 at once
  for (let waitedMs = 0; finishedParts(dir).length === 0; waitedMs += 20) {
    if (waitedMs > 120_000) assert.unreachable('the sweep wrote no part within 2 minutes');
    await new Promise((r) => setTimeout(r, 20));
  }
  process.kill(child.pid!, 'SIGKILL');
  const killed = await exited;
  assert.is(killed.signal, 'SIGKILL', 'the sweep was killed, it did not finish');
  const left = finishedParts(dir);
  assert.ok(left.length > 0 && left.length < total, `killed part-way: ${left.length} of ${total} parts`);
  assert.not.ok(existsSync(join(dir, 'runs.csv')), 'no runs.csv before every run is done');
  // every finished part is whole: it parses and names its run
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  for (const name of left) {
    const part = JSON.parse(readFileSync(join(dir, 'parts', name), 'utf8'));
    assert.is(part.run_id, manifest.runs[Number(name.slice(0, -5))].id, name);
    assert.ok(Array.isArray(part.summary) && part.summary.length > 0, `${name} has its summary`);
  }
  const before = Object.fromEntries(left.map((name) => [name, readFileSync(join(dir, 'parts', name), 'utf8')]));

  const resumed = await storsimCli([...sweepArgs(1), '--resume']);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, new RegExp(`; ${left.length} already done`));
  assert.match(resumed.stdout, new RegExp(`\\(${total - left.length} run now\\)`), `only the missing runs ran: ${resumed.stdout}`);
  assert.equal(finishedParts(dir).length, total);
  assert.equal(readdirSync(join(dir, 'parts')).filter((n) => n.startsWith('.')), [], 'no temporary file left');
  for (const [name, text] of Object.entries(before)) assert.is(readFileSync(join(dir, 'parts', name), 'utf8'), text, `${name} was kept, not redone`);
  const reference = await referenceFiles([killable.dir], { replications: 6 });
  assert.is(readResult(dir, 'runs.csv'), reference.runs);
  assert.is(readResult(dir, 'timeseries.csv'), reference.timeseries);
});

// --resume refusing a changed scenario, another run list or shard: test/sweep/sweep.test.ts (in-process);
// the exit code 2 of every SweepInputError is checked above.

test.run();
