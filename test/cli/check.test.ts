/**
 * `storsim check` end to end, as CI would use it: a child process per command on a tiny
 * deterministic scenario written to a temporary directory. The baseline is written by --update and
 * must be byte-identical to what `storsim run` writes; a changed service time in the scenario file
 * must fail the check (exit 1) and the table must name the moved metrics; bad input exits 2 and
 * writes nothing. Independent commands run concurrently; the cases that need no separate process
 * (more bad inputs, per-metric rules, a missing run, a second --update) call the command's
 * function in this process, with the same arguments, while the children run, to keep the file fast.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCommand, type CheckCommandOptions } from '../../sim/cli/check-command.ts';
import { storsim, type CliResult } from '../golden/cli.ts';
import { deterministicQueue, writeScenarios, type ScenarioDir } from '../run/scenario-files.ts';

// One server, a job every second, constant service: response time = service time, no waiting.
// Two replications, so there are two runs (and something for --workers 2 to share out).
const tiny = (serviceS: number) => deterministicQueue('tiny', { serviceS, stopS: 50, extra: { sweep: { replications: 2 } } });

let scratch = '';
let dirs: ScenarioDir[] = [];
let base = '';
let changed = '';
let invalid = '';
let failing = '';
const at = (name: string) => join(scratch, name);
let done: Record<string, CliResult> = {};

async function runAllOf(commands: Record<string, string[]>): Promise<void> {
  const names = Object.keys(commands);
  const results = await Promise.all(names.map((name) => storsim(commands[name]!)));
  for (const [i, name] of names.entries()) done[name] = results[i]!;
}

/** `checkCommand` in this process, its console output captured as a child's would be. */
async function inProcess(name: string, scenario: string, options: CheckCommandOptions): Promise<void> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...args: unknown[]) => out.push(`${args.join(' ')}\n`);
  console.error = (...args: unknown[]) => err.push(`${args.join(' ')}\n`);
  try {
    const code = await checkCommand([scenario], { workers: 1, ...options });
    done[name] = { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    Object.assign(console, { log, error });
  }
}

test.before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'storsim-cli-check-'));
  const a = writeScenarios({ 'tiny.json': tiny(0.5) });
  const b = writeScenarios({ 'tiny.json': tiny(0.6) }); // the same scenario, a slower server
  const c = writeScenarios({ 'tiny.json': { ...tiny(0.5), world: { server: { type: 'queue-station', servers: 0 } } } });
  // the event guard stops every run part-way: each run fails (a run error, not bad input)
  const d = writeScenarios({ 'tiny.json': { ...tiny(0.5), stop: { at: '50s', maxEvents: 5 } } });
  dirs = [a, b, c, d];
  [base, changed, invalid, failing] = [a.dir, b.dir, c.dir, d.dir];
  writeFileSync(at('not-runs.csv'), 'name,value\nx,1\n');
  writeFileSync(at('per-metric.csv'), '# the slower server moves these by 20%\nmetric,tolerance\nserver/*,25%\n');
  writeFileSync(at('bad-per-metric.csv'), 'metric,tolerance\nserver/*,lots\n');

  await runAllOf({
    update: ['check', base, '--baseline', at('baseline/runs.csv'), '--update', '--workers', '1'],
    run: ['run', base, '--out', at('run-out'), '--quiet'],
  });
  copyFileSync(at('baseline/runs.csv'), at('kept.csv'));
  copyFileSync(at('baseline/runs.csv'), at('to-update.csv'));
  copyFileSync(at('baseline/runs.csv'), at('not-updated.csv'));
  // The children run on the other cores while this process does the in-process cases.
  const children = runAllOf({
    pass: ['check', base, '--baseline', at('baseline/runs.csv'), '--workers', '2'],
    moved: ['check', changed, '--baseline', at('baseline/runs.csv'), '--workers', '1', '--out', at('moved-out')],
    badTolerance: ['check', base, '--baseline', at('baseline/runs.csv'), '--tolerance', '-2%', '--out', at('out-bad-tolerance')],
    noBaselineOption: ['check', base],
  });
  const baseline = at('baseline/runs.csv');
  await inProcess('perMetric', changed, { baseline, perMetric: at('per-metric.csv') });
  await inProcess('fewer', base, { baseline, replications: 1 });
  await inProcess('reUpdate', changed, { baseline: at('to-update.csv'), update: true });
  await inProcess('notRuns', base, { baseline: at('not-runs.csv'), out: at('out-not-runs') });
  await inProcess('noBaseline', base, { baseline: at('missing.csv'), out: at('out-no-baseline') });
  await inProcess('badPerMetric', base, { baseline, perMetric: at('bad-per-metric.csv'), out: at('out-bad-per-metric') });
  await inProcess('badScenario', invalid, { baseline: at('kept.csv'), update: true });
  await inProcess('outOverBaseline', base, { baseline, out: at('baseline') });
  await inProcess('runsFail', failing, { baseline });
  await inProcess('runsFailUpdate', failing, { baseline: at('not-updated.csv'), update: true });
  await children;
});

test.after(() => {
  for (const dir of dirs) dir.remove();
  rmSync(scratch, { recursive: true, force: true });
});

const explain = (r: CliResult) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

test('--update writes the baseline: exactly the runs.csv of `storsim run`, and says what it wrote', () => {
  const r = done.update!;
  assert.is(r.code, 0, explain(r));
  assert.is(r.stderr, '');
  const baseline = readFileSync(at('baseline/runs.csv'), 'utf8');
  assert.is(baseline, readFileSync(at('run-out/runs.csv'), 'utf8'));
  const header = baseline.split('\n')[0]!.split(',');
  const metrics = header.length - header.indexOf('seed') - 1; // the columns after seed
  assert.is(r.stdout, `storsim check: wrote baseline ${at('baseline/runs.csv')}: 2 run(s) × ${metrics} metric(s), ${2 * metrics} value(s)\n`);
  assert.equal(readdirSync(at('baseline')), ['runs.csv'], 'no temporary file left behind');
});

test('the unchanged scenario passes with exit 0 and one summary line, also on 2 workers', () => {
  const r = done.pass!;
  assert.is(r.code, 0, explain(r));
  assert.is(r.stderr, '');
  assert.is(r.stdout.split('\n').filter(Boolean).length, 1, r.stdout);
  assert.match(r.stdout, /^storsim check: ok, 2 run\(s\) × \d+ metric\(s\) \(\d+ values\) within tolerance 2% of /);
});

test('a slower server in the scenario file fails with exit 1 and a table naming what moved, up, by 20%', () => {
  const r = done.moved!;
  assert.is(r.code, 1, explain(r));
  const rows = r.stdout.split('\n').filter((line) => /^tiny\/v0\/r\d /.test(line)).map((line) => line.split(/\s{2,}/));
  const moved = new Map(rows.map((cells) => [`${cells[0]} ${cells[1]}`, cells]));
  // response time = service time (no waiting at 1 job/s): 0.5 s -> 0.6 s in both runs
  for (const run of ['tiny/v0/r0', 'tiny/v0/r1']) {
    for (const metric of ['server/response_time_mean_s', 'server/response_time_max_s', 'server/response_time_p50_s']) {
      assert.equal(moved.get(`${run} ${metric}`), [run, metric, '0.5', '0.6', '+20%', '↑', '2%', 'moved beyond tolerance'], `${run} ${metric}\n${r.stdout}`);
    }
    assert.ok(moved.has(`${run} server/utilization_mean`), 'utilization moved');
    assert.not.ok(moved.has(`${run} server/wait_time_mean_s`), 'no waiting before or after: not moved');
  }
  assert.match(r.stdout, /^run_id\s+metric\s+baseline\s+current\s+change\s+dir\s+tolerance\s+what$/m);
  assert.match(r.stdout, new RegExp(`storsim check: FAILED against .*: ${rows.length} metric value\\(s\\) moved; \\d+ value\\(s\\) compared; wrote .*check\\.csv\\n$`));
  // --out: the current results and every difference as CSV
  const check = readFileSync(at('moved-out/check.csv'), 'utf8').trim().split('\n');
  assert.is(check[0], 'run_id,metric,kind,baseline,current,change_pct,direction,tolerance,floor,note');
  assert.is(check.length - 1, rows.length);
  assert.ok(check.includes('tiny/v0/r0,server/response_time_mean_s,moved,0.5,0.6,20,up,0.02,0,'), check.join('\n'));
  assert.equal(readdirSync(at('moved-out')).sort(), ['check.csv', 'runs.csv', 'timeseries.csv']);
});

test('a per-metric file can allow the move (server/*: 25%) and the check passes', () => {
  const r = done.perMetric!;
  assert.is(r.code, 0, explain(r));
  assert.match(r.stdout, /within tolerance 2% \(1 per-metric rule\(s\)\)/);
});

test('a run missing from the current results fails the check and is named', () => {
  const r = done.fewer!;
  assert.is(r.code, 1, explain(r));
  assert.match(r.stdout, /^tiny\/v0\/r1\s+\(all\)\s+run missing from the current results$/m);
  assert.match(r.stdout, /1 run\(s\) missing from the current results/);
});

test('runs that fail are errors (exit 1), named in the table as missing with their error; --update then keeps the old baseline', () => {
  const r = done.runsFail!;
  assert.is(r.code, 1, explain(r));
  for (const run of ['tiny/v0/r0', 'tiny/v0/r1']) {
    assert.match(r.stdout, new RegExp(`^${run}\\s+\\(all\\)\\s+run missing from the current results \\(run failed: .*5.*\\)$`, 'm'));
    assert.match(r.stderr, new RegExp(`^storsim check: run ${run} failed `, 'm'));
  }
  assert.match(r.stdout, /FAILED against .*: 2 run\(s\) failed; 2 run\(s\) missing from the current results/);
  const u = done.runsFailUpdate!;
  assert.is(u.code, 1, explain(u));
  assert.match(u.stderr, /2 run\(s\) failed; the baseline .*not-updated\.csv was not updated/);
  assert.is(readFileSync(at('not-updated.csv'), 'utf8'), readFileSync(at('baseline/runs.csv'), 'utf8'));
});

test('--update on purpose replaces a baseline and says how much changed', () => {
  const r = done.reUpdate!;
  assert.is(r.code, 0, explain(r));
  assert.match(r.stdout, /replaced a baseline with \d+ difference\(s\), \d+ of them beyond tolerance/);
  assert.is(readFileSync(at('to-update.csv'), 'utf8'), readFileSync(at('moved-out/runs.csv'), 'utf8'), 'the new baseline is the changed scenario\'s runs.csv');
});

test('bad input exits 2, says what is wrong, and writes nothing', () => {
  const cases: [string, RegExp, string?][] = [
    ['badTolerance', /tolerance "-2%" is not a dimensionless quantity >= 0/, 'out-bad-tolerance'],
    ['notRuns', /not-runs\.csv:1: not a storsim runs\.csv: the header must start with run_id,scenario,variant/, 'out-not-runs'],
    ['noBaseline', /missing\.csv: cannot read the baseline: no such file \(create it with --update\)/, 'out-no-baseline'],
    ['badPerMetric', /bad-per-metric\.csv:2: tolerance "lots"/, 'out-bad-per-metric'],
    ['badScenario', /tiny\.json:\d+:\d+ \/world\/server\/servers/],
    ['noBaselineOption', /required option '-b, --baseline <file>' not specified/],
    ['outOverBaseline', /--out .*baseline would overwrite the baseline .*runs\.csv with its runs\.csv/],
  ];
  for (const [name, message, out] of cases) {
    const r = done[name]!;
    assert.is(r.code, 2, `${name}: ${explain(r)}`);
    assert.match(r.stderr, message, name);
    assert.is(r.stdout, '', name);
    if (out !== undefined) assert.not.ok(existsSync(at(out)), `${name} created ${out}`);
  }
  assert.not.ok(existsSync(at('missing.csv')), 'a missing baseline is not created');
  assert.is(readFileSync(at('kept.csv'), 'utf8'), readFileSync(at('baseline/runs.csv'), 'utf8'), '--update with a bad scenario leaves the baseline as it was');
  assert.equal(readdirSync(scratch).filter((n) => n.endsWith('.tmp')), [], 'no temporary files');
});

test.run();
