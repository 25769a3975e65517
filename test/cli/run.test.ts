import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { csvParse } from 'd3-dsv';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, storsim, type CliResult } from '../golden/cli.ts';

// Every `storsim run` below is a child process, started together in `before` (they are
// independent) so the file costs about one process start-up.
const SCENARIO = 'scenarios/examples/mm1-disciplines.json';
let base = '';
const out = (name: string) => join(base, name);
const read = (dir: string, file: string) => readFileSync(join(out(dir), file), 'utf8');
let done: Record<string, CliResult> = {};

/** The arguments of `npm start`'s first command (the run), with the output directory replaced by `dir`. */
function npmStartArgs(dir: string): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [run, report] = pkg.scripts.start!.split('&&').map((command) => command.trim());
  // The second command writes the HTML report of the same folder (its own tests are in test/reports/).
  assert.match(report ?? '', /^node bin\/storsim\.js report out\b/, `npm start ends by writing out/report.html: "${pkg.scripts.start}"`);
  const words = run!.split(/\s+/);
  assert.equal(words.slice(0, 2), ['node', 'bin/storsim.js'], `npm start is "${pkg.scripts.start}"`);
  const args = words.slice(2);
  const at = args.indexOf('--out');
  assert.ok(at >= 0, 'npm start names an output directory');
  args[at + 1] = dir;
  return args;
}

test.before(async () => {
  base = mkdtempSync(join(tmpdir(), 'storsim-cli-run-'));
  // a stale result file and an unrelated file in one output directory
  mkdirSync(out('start'));
  writeFileSync(join(out('start'), 'runs.csv'), 'stale,contents\n');
  writeFileSync(join(out('start'), 'notes.txt'), 'keep me\n');
  const commands: Record<string, string[]> = {
    first: ['run', SCENARIO, '--seed', '7', '--out', out('first')],
    second: ['run', SCENARIO, '--seed', '7', '--out', out('second')],
    seed8: ['run', SCENARIO, '--seed', '8', '--out', out('seed8')],
    replications: ['run', SCENARIO, '--seed', '7', '--replications', '2', '--out', out('replications')],
    start: npmStartArgs(out('start')),
  };
  const names = Object.keys(commands);
  const results = await Promise.all(names.map((name) => storsim(commands[name]!)));
  done = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
});
test.after(() => rmSync(base, { recursive: true, force: true }));

test('every run exits 0 and prints a "wrote" line naming both files', () => {
  for (const [name, result] of Object.entries(done)) {
    assert.is(result.code, 0, `${name}: exit ${result.code}\n${result.stderr}`);
    assert.is(result.stderr, '', `${name} printed errors`);
    const wrote = result.stdout.split('\n').filter((line) => line.includes('wrote'));
    assert.equal(wrote, [`storsim: wrote ${join(out(name), 'runs.csv')} and ${join(out(name), 'timeseries.csv')}`], name);
  }
});

test('the same scenario and seed twice give byte-identical runs.csv and timeseries.csv', () => {
  for (const file of ['runs.csv', 'timeseries.csv']) {
    assert.ok(read('first', file).split('\n').length > 2, `${file} has rows`);
    assert.is(read('second', file), read('first', file), file);
  }
});

test('--seed 7 and --seed 8 give different results, and the seed column says which', () => {
  assert.is.not(read('seed8', 'runs.csv'), read('first', 'runs.csv'));
  assert.is.not(read('seed8', 'timeseries.csv'), read('first', 'timeseries.csv'));
  const seeds = (dir: string) => csvParse(read(dir, 'runs.csv')).filter((r) => r.run_id!.endsWith('/r0')).map((r) => r.seed);
  assert.ok(seeds('first').every((s) => s === '7'));
  assert.ok(seeds('seed8').every((s) => s === '8'));
});

test('--replications 2 gives two rows per variant, with seeds base and base + 1', () => {
  const rows = csvParse(read('replications', 'runs.csv'));
  const variants = [...new Set(csvParse(read('first', 'runs.csv')).map((r) => r.variant))];
  assert.ok(variants.length >= 2, 'the example sweeps more than one variant');
  assert.equal(
    rows.map((r) => [r.variant, r.run_id!.split('/').pop(), r.seed]),
    variants.flatMap((v) => [[v, 'r0', '7'], [v, 'r1', '8']]),
  );
  // the seed alone decides a run: replication 1 at base 7 is replication 0 at base 8
  const metrics = (r: Record<string, string | undefined>) => JSON.stringify({ ...r, run_id: undefined, seed: undefined });
  const bySeed8 = csvParse(read('seed8', 'runs.csv')).filter((r) => r.run_id!.endsWith('/r0'));
  assert.equal(rows.filter((r) => r.run_id!.endsWith('/r1')).map(metrics), bySeed8.map(metrics));
});

test('output files are written whole: no temporary files left, stale files replaced, other files untouched', () => {
  for (const name of Object.keys(done)) {
    const files = readdirSync(out(name)).sort();
    assert.equal(files, name === 'start' ? ['notes.txt', 'runs.csv', 'timeseries.csv'] : ['runs.csv', 'timeseries.csv'], name);
    for (const file of ['runs.csv', 'timeseries.csv']) {
      const text = read(name, file);
      assert.ok(text.endsWith('\n'), `${name}/${file} ends with a newline`);
      assert.ok(text.startsWith('run_id,'), `${name}/${file} starts with its header`);
    }
  }
  assert.not.match(read('start', 'runs.csv'), 'stale');
  assert.is(readFileSync(join(out('start'), 'notes.txt'), 'utf8'), 'keep me\n');
});

test("npm start's command runs every example scenario", () => {
  const examples = readdirSync(join(ROOT, 'scenarios', 'examples')).filter((n) => n.endsWith('.json'));
  const scenarios = new Set(csvParse(read('start', 'runs.csv')).map((r) => r.scenario));
  assert.is(scenarios.size, examples.length);
  assert.ok(scenarios.has('mm1-disciplines'));
  assert.match(done.start!.stdout, `from ${examples.length} scenario(s)`);
});

test.run();
