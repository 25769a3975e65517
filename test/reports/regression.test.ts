/**
 * The comparison logic of `storsim check` on hand-written runs.csv pairs. The reference is the
 * rule as the issue and README state it: within tolerance iff |current − baseline| ≤
 * tolerance × |baseline| (or the absolute floor), empty equals empty, runs matched by run_id and
 * columns by name; property tests check the rule against exact integer arithmetic (BigInt).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import {
  compareRunsFiles,
  differencesCsv,
  formatChange,
  formatDifferenceTable,
  globToRegExp,
  parsePerMetricFile,
  parseRunsFile,
  parseTolerance,
  RegressionInputError,
  summarizeDifferences,
  toleranceFor,
  unusedRules,
  withinTolerance,
  type Difference,
  type TolerancePlan,
} from '../../reports/regression.ts';
import { ResultsFileError } from '../../reports/runs-table.ts';

const plan = (relative: number, rules: TolerancePlan['rules'] = []): TolerancePlan => ({ default: { relative, floor: 0 }, rules });
const HEAD = 'run_id,scenario,variant,policy.queue-discipline,seed';

/** A runs.csv with the given metric columns and rows `[run_id, ...metric cells]` (describing columns filled in). */
function runs(metrics: string[], rows: string[][], seed = '1'): string {
  const lines = [[HEAD, ...metrics].join(',')];
  for (const [id, ...cells] of rows) lines.push([id, 's', 'v0', 'fifo', seed, ...cells].join(','));
  return `${lines.join('\n')}\n`;
}

function compare(baseline: string, current: string, p: TolerancePlan = plan(0.02)) {
  return compareRunsFiles(parseRunsFile(baseline, 'baseline.csv'), parseRunsFile(current, 'current.csv'), p);
}

/** The differences as compact tuples [kind, run, column]. */
const kinds = (ds: readonly Difference[]) => ds.map((d) => [d.kind, d.runId, d.column]);

test('within tolerance passes, just outside fails, in both directions, with the change in percent', () => {
  const base = runs(['a/x', 'a/y', 'a/z'], [['s/v0/r0', '100', '100', '100']]);
  const ok = compare(base, runs(['a/x', 'a/y', 'a/z'], [['s/v0/r0', '102', '98', '100']]));
  assert.equal(ok.differences, [], '±2% of 100 is within 2%');
  assert.is(ok.runsCompared, 1);
  assert.is(ok.metricsCompared, 3);
  assert.is(ok.valuesCompared, 3);

  const moved = compare(base, runs(['a/x', 'a/y', 'a/z'], [['s/v0/r0', '102.01', '97.99', '100']]));
  assert.equal(kinds(moved.differences), [['moved', 's/v0/r0', 'a/x'], ['moved', 's/v0/r0', 'a/y']]);
  const [x, y] = moved.differences as [Difference, Difference];
  assert.is(x.direction, 'up');
  assert.is(y.direction, 'down');
  assert.ok(Math.abs(x.changePercent - 2.01) < 1e-9, String(x.changePercent));
  assert.ok(Math.abs(y.changePercent + 2.01) < 1e-9, String(y.changePercent));
  assert.equal(x.tolerance, { relative: 0.02, floor: 0 });
  assert.is(x.baseline, '100');
  assert.is(x.current, '102.01');
});

test('the boundary is inclusive even where floating point rounds it (1.02 - 1 > 0.02 in doubles)', () => {
  assert.ok(1.02 - 1 > 0.02, 'the premise: the subtraction rounds up');
  assert.ok(withinTolerance(1, 1.02, { relative: 0.02, floor: 0 }));
  assert.ok(withinTolerance(-1, -0.98, { relative: 0.02, floor: 0 }), 'relative to |baseline|');
  assert.not.ok(withinTolerance(1, 1.0200001, { relative: 0.02, floor: 0 }));
  assert.ok(withinTolerance(123456789, 123456789, { relative: 0, floor: 0 }), 'tolerance 0 accepts only equality');
  assert.not.ok(withinTolerance(123456789, 123456790, { relative: 0, floor: 0 }), 'a 9th-digit change is seen at tolerance 0');
});

test('a zero baseline must stay exactly zero, unless a floor allows some absolute change', () => {
  const base = runs(['q/wait_s', 'q/drops'], [['s/v0/r0', '0', '0']]);
  assert.equal(compare(base, runs(['q/wait_s', 'q/drops'], [['s/v0/r0', '0', '-0']])).differences, [], '-0 equals 0');
  const moved = compare(base, runs(['q/wait_s', 'q/drops'], [['s/v0/r0', '1e-9', '-3']]), plan(10));
  assert.equal(kinds(moved.differences), [['moved', 's/v0/r0', 'q/drops'], ['moved', 's/v0/r0', 'q/wait_s']], 'even 1000% allows nothing at 0');
  assert.ok(moved.differences.every((d) => Number.isNaN(d.changePercent)), 'no relative change from 0');
  assert.equal(moved.differences.map((d) => d.direction), ['down', 'up']);
  const rules = parsePerMetricFile('metric,tolerance,floor\nq/wait_s,0,1e-6\n', 'pm.csv');
  assert.equal(kinds(compare(base, runs(['q/wait_s', 'q/drops'], [['s/v0/r0', '1e-9', '0']]), plan(0, rules)).differences), [], 'floor 1e-6 absorbs 1e-9');
  assert.equal(kinds(compare(base, runs(['q/wait_s', 'q/drops'], [['s/v0/r0', '2e-6', '0']]), plan(0, rules)).differences), [['moved', 's/v0/r0', 'q/wait_s']]);
});

test('empty (a missing value) equals empty; empty against a number is a difference either way; inf equals inf', () => {
  const m = ['a/p99_us', 'a/p50_us', 'a/max_us', 'a/min_us'];
  const base = runs(m, [['s/v0/r0', '', '', '5', 'inf']]);
  assert.equal(compare(base, runs(m, [['s/v0/r0', '', '', '5', 'inf']])).differences, []);
  const diff = compare(base, runs(m, [['s/v0/r0', '7', '', '', '1e308']]));
  assert.equal(kinds(diff.differences), [['value-gone', 's/v0/r0', 'a/max_us'], ['moved', 's/v0/r0', 'a/min_us'], ['value-new', 's/v0/r0', 'a/p99_us']]);
  assert.equal(diff.differences.map((d) => d.direction), ['', 'down', '']);
});

test('runs and columns on one side only are named as such; matching is by run_id and column name, not position', () => {
  const base = runs(['a/x', 'a/y'], [['s/v0/r0', '1', '2'], ['s/v0/r1', '3', '4']]);
  // columns reordered, a/y gone, a/z new; run r1 gone, r2 new
  const current = `${HEAD},a/z,a/x\ns/v0/r2,s,v0,fifo,1,9,9\ns/v0/r0,s,v0,fifo,1,0,1\n`;
  const report = compare(base, current);
  assert.equal(kinds(report.differences), [
    ['column-missing', '', 'a/y'],
    ['column-new', '', 'a/z'],
    ['run-missing', 's/v0/r1', ''],
    ['run-new', 's/v0/r2', ''],
  ], 'a/x of r0 is 1 on both sides');
  assert.is(report.valuesCompared, 1);
  const table = formatDifferenceTable(report.differences);
  assert.match(table, /\(all runs\)\s+a\/y\s+metric missing from the current results/);
  assert.match(table, /\(all runs\)\s+a\/z\s+metric new, not in the baseline/);
  assert.match(table, /s\/v0\/r1\s+\(all\)\s+run missing from the current results/);
  assert.match(table, /s\/v0\/r2\s+\(all\)\s+new run, not in the baseline/);
  assert.is(summarizeDifferences(report.differences), '1 run(s) missing from the current results, 1 new run(s), 1 column(s) missing from the current results, 1 new column(s)');
});

test('a column only the missing or new runs use is explained by those runs, not reported again', () => {
  // t/v0/r0 is the only run with b/y; it is gone, and so is b/y: one difference, the run
  const base = runs(['a/x', 'b/y'], [['s/v0/r0', '1', ''], ['t/v0/r0', '', '2']]);
  assert.equal(kinds(compare(base, runs(['a/x'], [['s/v0/r0', '1']])).differences), [['run-missing', 't/v0/r0', '']]);
  // the other way round: a new run brings a new column
  assert.equal(kinds(compare(runs(['a/x'], [['s/v0/r0', '1']]), base).differences), [['run-new', 't/v0/r0', '']]);
  // but a column a common run has a value in is reported
  const both = runs(['a/x', 'b/y'], [['s/v0/r0', '1', '3'], ['t/v0/r0', '', '2']]);
  assert.equal(kinds(compare(both, runs(['a/x'], [['s/v0/r0', '1']])).differences), [['column-missing', '', 'b/y'], ['run-missing', 't/v0/r0', '']]);
});

test('a run whose describing columns changed (seed, policy) is reported as changed, compared as text', () => {
  const base = runs(['a/x'], [['s/v0/r0', '1']], '1');
  const report = compare(base, runs(['a/x'], [['s/v0/r0', '1']], '2'));
  assert.equal(kinds(report.differences), [['changed', 's/v0/r0', 'seed']]);
  assert.equal([report.differences[0]!.baseline, report.differences[0]!.current], ['1', '2']);
  const policy = compare(base, runs(['a/x'], [['s/v0/r0', '1']]).replace(',fifo,', ',sjf,'));
  assert.equal(policy.differences.map((d) => [d.kind, d.column, d.baseline, d.current]), [['changed', 'policy.queue-discipline', 'fifo', 'sjf']]);
  const newParam = compare(base, `run_id,scenario,variant,workload.rate,policy.queue-discipline,seed,a/x\ns/v0/r0,s,v0,5,fifo,1,1\n`);
  assert.equal(newParam.differences.map((d) => [d.kind, d.column, d.note]), [['column-new', 'workload.rate', 'describing column']]);
});

test('a missing run carries the note the command gives it (why it is missing)', () => {
  const base = parseRunsFile(runs(['a/x'], [['s/v0/r0', '1']]), 'b');
  const current = parseRunsFile(runs(['a/x'], []), 'c');
  const report = compareRunsFiles(base, current, plan(0), new Map([['s/v0/r0', 'run failed: boom']]));
  assert.match(formatDifferenceTable(report.differences), /run missing from the current results \(run failed: boom\)/);
});

test('per-metric rules: globs over the column name, first match wins, others get the default', () => {
  const rules = parsePerMetricFile([
    '# latency percentiles are noisy',
    '',
    'metric,tolerance,floor',
    '*/read_latency_p99_us,10%',
    '*/read_latency_*,5%,0.5',
    'engine/events,0',
    'vm?/cost.USD,1%',
  ].join('\n'), 'pm.csv');
  const p = plan(0.02, rules);
  assert.equal(toleranceFor('vm1/read_latency_p99_us', p), rules[0]);
  assert.equal(toleranceFor('host/vm1/read_latency_p99_us', p), rules[0], '* crosses "/"');
  assert.equal(toleranceFor('vm1/read_latency_p99_us_x', p), rules[1], 'anchored: a longer name is not a match of rule 1');
  assert.equal(toleranceFor('vm1/read_latency_p50_us', p), rules[1]);
  assert.equal(toleranceFor('engine/events', p), rules[2]);
  assert.equal(toleranceFor('vm2/cost.USD', p), rules[3]);
  assert.equal(toleranceFor('vm2/costXUSD', p), p.default, '"." is literal');
  assert.equal(toleranceFor('vm12/cost.USD', p), p.default, '? is exactly one character');
  assert.equal(toleranceFor('ssd/write_amplification', p), p.default);
  assert.equal(rules.map((r) => [r.relative, r.floor, r.line]), [[0.1, 0, 4], [0.05, 0.5, 5], [0, 0, 6], [0.01, 0, 7]]);

  const m = ['vm1/read_latency_p99_us', 'vm1/read_latency_p50_us', 'engine/events'];
  const base = runs(m, [['s/v0/r0', '100', '1', '1000']]);
  // +9% (rule 1: 10%), +0.4 absolute (rule 2: floor 0.5), +1 event (rule 3: exact)
  const report = compare(base, runs(m, [['s/v0/r0', '109', '1.4', '1001']]), p);
  assert.equal(kinds(report.differences), [['moved', 's/v0/r0', 'engine/events']]);
  assert.equal(report.differences[0]!.tolerance, rules[2]);
  assert.equal(unusedRules(p, m).map((r) => r.pattern), ['vm?/cost.USD']);
});

test('per-metric files and tolerances: bad input is rejected with the line and what is allowed', () => {
  for (const [text, pattern] of [
    ['', /empty per-metric file/],
    ['metric;tolerance\n', /pm\.csv:1: the header must be/],
    ['metric,tolerance\n*,abc\n', /pm\.csv:2: tolerance "abc"/],
    ['metric,tolerance\n*,-1%\n', /pm\.csv:2: tolerance "-1%"/],
    ['metric,tolerance\n*\n', /pm\.csv:2: expected "metric,tolerance", got 1 cell/],
    ['metric,tolerance\n*,1%,2\n', /pm\.csv:2: expected "metric,tolerance", got 3 cell/],
    ['metric,tolerance,floor\n*,1%,1%\n', /pm\.csv:2: floor "1%" must be a number >= 0/],
    ['metric,tolerance\n,1%\n', /pm\.csv:2: empty metric pattern/],
  ] as const) {
    assert.throws(() => parsePerMetricFile(text, 'pm.csv'), (e: unknown) => e instanceof RegressionInputError && pattern.test(e.message), text);
  }
  assert.is(parseTolerance('2%'), 0.02);
  assert.is(parseTolerance(' 2 % '), 0.02);
  assert.is(parseTolerance('0.02'), 0.02);
  assert.is(parseTolerance('0'), 0);
  assert.is(parseTolerance('0%'), 0);
  assert.is(parseTolerance('1e-3'), 0.001);
  assert.is(parseTolerance('150%'), 1.5);
  for (const bad of ['', 'abc', '-1%', '2%%', 'inf', '2 percent', '0x10', '1/2']) {
    assert.throws(() => parseTolerance(bad), (e: unknown) => e instanceof RegressionInputError, bad);
  }
  assert.ok(globToRegExp('a(b)+[c]').test('a(b)+[c]'), 'regex characters are literal');
});

test('a file that is not a storsim runs.csv is rejected by the shared reader, saying why', () => {
  for (const [text, pattern] of [
    ['', /the file is empty/],
    ['a,b\n1,2\n', /not a storsim runs\.csv: the header must start with run_id,scenario,variant/],
    ['run_id,scenario,variant,x/y\nr,s,v,1\n', /no seed column/],
    ['run_id,scenario,variant,seed,a/x,a/x\nr,s,v,1,1,1\n', /column "a\/x" appears twice/],
    ['run_id,scenario,variant,seed,a/x\nr,s,v,1,1\nr,s,v,1,2\n', /run r appears twice/],
    ['run_id,scenario,variant,seed,a/x\nr,s,v,1\n', /4 field\(s\), but the header has 5 columns/],
    ['run_id,scenario,variant,seed,a/x\nr,s,v,1,12ms\n', /"12ms" is not a number/],
  ] as const) {
    assert.throws(() => parseRunsFile(text, 'b.csv'), (e: unknown) => e instanceof ResultsFileError && e.message.startsWith('b.csv') && pattern.test(e.message), text);
  }
});

test('a real storsim runs.csv (a golden file) parses, and equals itself at tolerance 0', () => {
  const text = readFileSync(new URL('../golden/expected/mm1-disciplines/runs.csv', import.meta.url), 'utf8');
  const file = parseRunsFile(text, 'golden');
  assert.equal(file.describing, ['run_id', 'scenario', 'variant', 'policy.queue-discipline', 'seed']);
  assert.ok(file.metrics.includes('engine/events'));
  const report = compareRunsFiles(file, parseRunsFile(text, 'again'), plan(0));
  assert.equal(report.differences, []);
  assert.is(report.valuesCompared, (text.trim().split('\n').length - 1) * file.metrics.length);
});

test('property: the report does not depend on the order of rows or columns in either file', () => {
  const cell = fc.oneof(fc.constant(''), fc.constant('inf'), fc.integer({ min: -5, max: 5 }).map(String));
  const file = fc.record({
    metrics: fc.uniqueArray(fc.constantFrom('a/x', 'a/y', 'b/z', 'c/w'), { minLength: 1 }),
    ids: fc.uniqueArray(fc.constantFrom('s/v0/r0', 's/v0/r1', 's/v1/r0', 't/v0/r0'), { minLength: 0 }),
  }).chain((shape) => fc.tuple(fc.constant(shape), fc.array(fc.array(cell, { minLength: shape.metrics.length, maxLength: shape.metrics.length }), { minLength: shape.ids.length, maxLength: shape.ids.length })));
  const write = (metrics: string[], ids: string[], cells: string[][], reverse: boolean) => {
    const rows = ids.map((id, r) => [id, ...cells[r]!]);
    if (!reverse) return runs(metrics, rows);
    return runs([...metrics].reverse(), rows.map(([id, ...cs]) => [id!, ...cs.reverse()]).reverse());
  };
  fc.assert(fc.property(file, file, ([b, bc], [c, cc]) => {
    const straight = compare(write(b.metrics, b.ids, bc, false), write(c.metrics, c.ids, cc, false), plan(0.1));
    const shuffled = compare(write(b.metrics, b.ids, bc, true), write(c.metrics, c.ids, cc, true), plan(0.1));
    assert.equal(shuffled, straight);
    assert.equal(differencesCsv(shuffled.differences), differencesCsv(straight.differences));
  }), { numRuns: 200 });
});

test('property: within tolerance agrees with exact integer arithmetic, |c - b| * 100 <= p * |b| (BigInt)', () => {
  fc.assert(fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 300 }), (b, c, p) => {
    const exact = BigInt(Math.abs(c - b)) * 100n <= BigInt(p) * BigInt(Math.abs(b));
    assert.is(withinTolerance(b, c, { relative: p / 100, floor: 0 }), exact, `b=${b} c=${c} p=${p}%`);
  }), { numRuns: 2000 });
  // and near the boundary, where rounding matters most
  fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: -2, max: 2 }), (b, p, step) => {
    const c = b + Math.floor((p * b) / 100) + step;
    const exact = BigInt(Math.abs(c - b)) * 100n <= BigInt(p) * BigInt(b);
    assert.is(withinTolerance(b, c, { relative: p / 100, floor: 0 }), exact, `b=${b} c=${c} p=${p}%`);
  }), { numRuns: 2000 });
});

test('the table: one line per difference with baseline, current, change, arrow and tolerance; sorted by run then metric', () => {
  const m = ['b/y', 'a/x'];
  const base = runs(m, [['s/v1/r0', '10', '10'], ['s/v0/r0', '10', '0']]);
  const report = compare(base, runs(m, [['s/v0/r0', '10', '0.5'], ['s/v1/r0', '5', '20']]));
  const lines = formatDifferenceTable(report.differences).split('\n');
  assert.equal(lines[0]!.split(/\s+/), ['run_id', 'metric', 'baseline', 'current', 'change', 'dir', 'tolerance', 'what']);
  assert.equal(lines.slice(1).map((l) => l.split(/\s{2,}/)), [
    ['s/v0/r0', 'a/x', '0', '0.5', 'n/a', '↑', '2%', 'moved beyond tolerance'],
    ['s/v1/r0', 'a/x', '10', '20', '+100%', '↑', '2%', 'moved beyond tolerance'],
    ['s/v1/r0', 'b/y', '10', '5', '-50%', '↓', '2%', 'moved beyond tolerance'],
  ]);
  assert.is(formatChange(1 / 3), '+0.333%');
  assert.is(formatChange(-0.00001234), '-0.0000123%');
  const csv = differencesCsv(report.differences).split('\n');
  assert.is(csv[0], 'run_id,metric,kind,baseline,current,change_pct,direction,tolerance,floor,note');
  assert.is(csv[1], 's/v0/r0,a/x,moved,0,0.5,,up,0.02,0,');
  assert.is(csv[3], 's/v1/r0,b/y,moved,10,5,-50,down,0.02,0,');
});

test.run();
