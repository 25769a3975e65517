import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { csvParse } from 'd3-dsv';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPECTED_DIR, storsim, type CliResult } from '../golden/cli.ts';

// `storsim compare` end to end, as a user runs it: every command is a child process, all started
// together in `before` (they are independent), on runs.csv files written here.

let base = '';
const at = (...parts: string[]) => join(base, ...parts);
let done: Record<string, CliResult> = {};

const lines = (...rows: string[]) => `${rows.join('\n')}\n`;
// baseline greedy [10, 12, 14], cost-benefit [11, 14, 15] on seeds 1..3 (hand-computed below)
const HAND = lines(
  'run_id,scenario,variant,policy.gc-victim,seed,ssd/lat_mean_us,ssd/erases',
  's/v0/r0,s,v0,greedy,1,10,5',
  's/v0/r1,s,v0,greedy,2,12,6',
  's/v0/r2,s,v0,greedy,3,14,7',
  's/v1/r0,s,v1,cost-benefit,1,11,5',
  's/v1/r1,s,v1,cost-benefit,2,14,6',
  's/v1/r2,s,v1,cost-benefit,3,15,7',
);
const OTHER = lines('run_id,scenario,variant,policy.queue-discipline,seed,q/wait_mean_s', 'q/v0/r0,q,v0,fifo,1,2', 'q/v1/r0,q,v1,sjf,1,1');

function folder(name: string, files: Record<string, string>): string {
  mkdirSync(at(name), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(at(name, file), text);
  return at(name);
}

test.before(async () => {
  base = mkdtempSync(join(tmpdir(), 'storsim-cli-compare-'));
  const hand = folder('hand', { 'runs.csv': HAND, 'comparison.csv': 'stale\n' });
  const fileOnly = folder('file-only', { 'mine.csv': HAND });
  const other = folder('other', { 'runs.csv': OTHER });
  const real = folder('real', {});
  copyFileSync(join(EXPECTED_DIR, 'mm1-disciplines', 'runs.csv'), join(real, 'runs.csv'));
  const bad = (name: string) => folder(name, { 'runs.csv': HAND });
  const notRuns = folder('not-runs', { 'runs.csv': lines('run_id,time_s,metric,value', 'r,1,m,2') });
  folder('out-is-file', {});
  writeFileSync(at('out-is-file', 'taken'), 'a file\n');
  const commands: Record<string, string[]> = {
    hand: ['compare', hand],
    fileOnly: ['compare', join(fileOnly, 'mine.csv')],
    chosen: ['compare', join(hand, 'runs.csv'), '--baseline', 'cost-benefit', '--metric', 'ssd/*_us', '--out', at('new', 'nested')],
    two: ['compare', hand, other, '--baseline', 'fifo', '--out', at('two')],
    real: ['compare', real, '--metric', 'server/response_time_mean_s'],
    unknownBaseline: ['compare', bad('bad-baseline'), '--baseline', 'fifo'],
    unknownMetric: ['compare', bad('bad-metric'), '--metric', 'ssd/lat_mean', '--out', at('never-1')],
    notRuns: ['compare', notRuns, '--out', at('never-2')],
    missing: ['compare', at('no-such-folder'), '--out', at('never-3')],
    duplicate: ['compare', bad('dup-a'), bad('dup-b'), '--out', at('never-4')],
    outIsFile: ['compare', bad('bad-out'), '--out', at('out-is-file', 'taken')],
    noArgs: ['compare'],
  };
  const names = Object.keys(commands);
  const results = await Promise.all(names.map((name) => storsim(commands[name]!)));
  done = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
});
test.after(() => rmSync(base, { recursive: true, force: true }));

const near = (actual: string | undefined, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(Number(actual) - expected) <= tolerance && actual !== '', `${what}: ${actual}, expected ${expected} ± ${tolerance}`);
const comparison = (...path: string[]) => csvParse(readFileSync(at(...path, 'comparison.csv'), 'utf8'));

test('exit 0: prints the table and writes comparison.csv into the results folder, replacing an old one', () => {
  const r = done.hand!;
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  assert.match(r.stdout, /^scenario s, baseline greedy\n/);
  assert.ok(r.stdout.trimEnd().endsWith(`storsim: wrote ${at('hand', 'comparison.csv')} (4 row(s))`), r.stdout);
  const rows = comparison('hand');
  assert.equal(rows.map((row) => [row.policy, row.baseline, row.metric]), [
    ['greedy', 'greedy', 'ssd/lat_mean_us'], ['cost-benefit', 'greedy', 'ssd/lat_mean_us'],
    ['greedy', 'greedy', 'ssd/erases'], ['cost-benefit', 'greedy', 'ssd/erases'],
  ]);
  // differences [1, 2, 1]: mean 4/3, s = sqrt(1/3), half 4.302653 * sqrt(1/3) / sqrt(3) = 1.434218
  const cb = rows[1]!;
  near(cb.diff_mean, 4 / 3, 1e-8, 'diff_mean');
  near(cb.diff_ci95_low, -0.100884, 2e-4, 'diff_ci95_low');
  near(cb.diff_ci95_high, 2.767551, 2e-4, 'diff_ci95_high');
  assert.equal([cb.n, cb.n_pairs, cb.significant], ['3', '3', 'false']);
  // erases are equal on every seed: difference 0 with a zero-width interval, not significant
  assert.equal([rows[3]!.diff_mean, rows[3]!.diff_ci95_low, rows[3]!.diff_ci95_high, rows[3]!.significant], ['0', '0', '0', 'false']);
  assert.equal(readdirSync(at('hand')).sort(), ['comparison.csv', 'runs.csv'], 'no temporary file left behind');
});

test('a runs.csv path writes next to it by default', () => {
  assert.is(done.fileOnly!.code, 0, done.fileOnly!.stderr);
  assert.is(comparison('file-only').length, 4);
});

test('--baseline, --metric glob and --out (created): the chosen baseline comes first and the difference flips sign', () => {
  const r = done.chosen!;
  assert.is(r.code, 0, r.stderr);
  const rows = comparison('new', 'nested');
  assert.equal(rows.map((row) => [row.policy, row.baseline, row.metric]), [['cost-benefit', 'cost-benefit', 'ssd/lat_mean_us'], ['greedy', 'cost-benefit', 'ssd/lat_mean_us']]);
  near(rows[1]!.diff_mean, -4 / 3, 1e-8, 'diff_mean');
  near(rows[1]!.rel_change, -0.1, 1e-8, 'rel_change'); // (-4/3) / (40/3)
});

test('several results folders are concatenated; a scenario without the chosen baseline gets a note and no differences', () => {
  assert.is(done.two!.code, 0, done.two!.stderr);
  assert.is(done.two!.stderr, 'storsim: note: s has no policy "fifo", so no differences are computed there\n');
  const rows = comparison('two');
  assert.equal([...new Set(rows.map((r) => r.scenario))], ['s', 'q']);
  assert.ok(rows.filter((r) => r.scenario === 's').every((r) => r.baseline === '' && r.n_pairs === ''));
  const sjf = rows.find((r) => r.policy === 'sjf')!;
  assert.equal([sjf.baseline, sjf.n_pairs, sjf.diff_mean, sjf.diff_ci95_low, sjf.significant], ['fifo', '1', '-1', '', '']);
});

test('real storsim output (golden mm1-disciplines): per-policy means equal the means of the runs.csv cells', () => {
  assert.is(done.real!.code, 0, done.real!.stderr);
  const runs = csvParse(readFileSync(at('real', 'runs.csv'), 'utf8'));
  const rows = comparison('real');
  assert.equal(rows.map((r) => [r.policy, r.baseline]), [['fifo', 'fifo'], ['sjf', 'fifo']]);
  for (const row of rows) {
    const cells = runs.filter((r) => r['policy.queue-discipline'] === row.policy).map((r) => Number(r['server/response_time_mean_s']));
    assert.is(row.n, String(cells.length));
    near(row.mean, cells.reduce((a, b) => a + b, 0) / cells.length, 1e-6 * Math.abs(Number(row.mean)), `${row.policy} mean`);
  }
  // same seeds for both policies (common random numbers): every run pairs
  assert.is(rows[1]!.n_pairs, rows[1]!.n);
});

test('exit 2 and nothing written: unknown baseline (the labels are listed), unknown metric, not a runs.csv, missing folder', () => {
  const expect = (name: string, pattern: RegExp) => {
    const r = done[name]!;
    assert.is(r.code, 2, `${name}: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, /^storsim: invalid input, nothing was written:\n/);
    assert.match(r.stderr, pattern, name);
    assert.is(r.stdout, '', name);
  };
  expect('unknownBaseline', /--baseline "fifo" is not a policy label of these runs; labels: s: "greedy", "cost-benefit"/);
  assert.equal(readdirSync(at('bad-baseline')), ['runs.csv']);
  expect('unknownMetric', /--metric "ssd\/lat_mean" matches no metric column; did you mean "ssd\/lat_mean_us"\?/);
  expect('notRuns', new RegExp(`${at('not-runs', 'runs.csv')}:1: not a storsim runs\\.csv`));
  expect('missing', /no-such-folder: no such file or folder/);
  expect('duplicate', /run s\/v0\/r0 appears twice: .*dup-a\/runs\.csv:2 and .*dup-b\/runs\.csv:2/);
  expect('outIsFile', /--out .*taken: exists and is not a folder/);
  for (let i = 1; i <= 4; i++) assert.not.ok(existsSync(at(`never-${i}`)), `never-${i} was created`);
  for (const dir of ['dup-a', 'dup-b', 'bad-out']) assert.equal(readdirSync(at(dir)), ['runs.csv'], dir);
});

test('exit 2 for a usage error (no results given)', () => {
  assert.is(done.noArgs!.code, 2);
  assert.match(done.noArgs!.stderr, /missing required argument 'results'/);
});

test.run();
