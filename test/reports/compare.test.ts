import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { csvParse } from 'd3-dsv';
import { COMPARISON_COLUMNS, CompareError, compareRuns, comparisonCsv, formatComparisonTable, selectMetrics, type ComparisonRow } from '../../reports/compare.ts';
import { parseRunsCsv } from '../../reports/runs-table.ts';

// Reference values are computed by hand in the comments (Student t interval of the mean:
// mean ± t(0.975, n − 1) s / sqrt(n), with t(0.975, 1) = 12.7062 and t(0.975, 2) = 4.302653 from
// Abramowitz & Stegun Table 26.10; the paired interval is that of the per-seed differences,
// Law, Simulation Modeling and Analysis, 5th ed., section 10.2.1).

const lines = (...rows: string[]) => `${rows.join('\n')}\n`;
const table = (...rows: string[]) => parseRunsCsv(lines(...rows), 'runs.csv');

const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected} ± ${tolerance}`);
const empty = (x: number, what: string) => assert.ok(Number.isNaN(x), `${what}: ${x}, expected no value`);

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    assert.instance(error, CompareError);
    return (error as Error).message;
  }
  assert.unreachable('expected a CompareError');
  return '';
}

/** The one row for `policy` and `metric` (and scenario/variant when given). */
function rowOf(rows: readonly ComparisonRow[], policy: string, metric: string, where: Partial<ComparisonRow> = {}): ComparisonRow {
  const found = rows.filter((r) => r.policy === policy && r.metric === metric && Object.entries(where).every(([k, v]) => r[k as keyof ComparisonRow] === v));
  assert.is(found.length, 1, `one row for ${policy} ${metric} ${JSON.stringify(where)}`);
  return found[0]!;
}

const HEADER = 'run_id,scenario,variant,policy.gc-victim,seed,ssd/lat_mean_us';
// baseline greedy [10, 12, 14], cost-benefit [11, 14, 15], seeds 1..3
const HAND = [
  HEADER,
  's/v0/r0,s,v0,greedy,1,10',
  's/v0/r1,s,v0,greedy,2,12',
  's/v0/r2,s,v0,greedy,3,14',
  's/v1/r0,s,v1,cost-benefit,1,11',
  's/v1/r1,s,v1,cost-benefit,2,14',
  's/v1/r2,s,v1,cost-benefit,3,15',
];

test('hand-computed: means, sample standard deviations, t intervals, paired difference and relative change', () => {
  const rows = compareRuns(table(...HAND));
  assert.equal(rows.map((r) => [r.scenario, r.variant, r.policy, r.baseline, r.metric]), [
    ['s', '', 'greedy', 'greedy', 'ssd/lat_mean_us'],
    ['s', '', 'cost-benefit', 'greedy', 'ssd/lat_mean_us'],
  ]);
  const [base, policy] = rows as [ComparisonRow, ComparisonRow];
  // greedy: mean 12; deviations -2, 0, 2 → s = sqrt(8 / 2) = 2; half 4.302653 * 2 / sqrt(3) = 4.968275
  assert.is(base.n, 3);
  near(base.mean, 12, 1e-12, 'baseline mean');
  near(base.std, 2, 1e-12, 'baseline std');
  near(base.ci95_low, 7.031725, 2e-4, 'baseline low');
  near(base.ci95_high, 16.968275, 2e-4, 'baseline high');
  assert.is(base.n_pairs, undefined);
  for (const k of ['diff_mean', 'diff_ci95_low', 'diff_ci95_high', 'rel_change'] as const) empty(base[k], k);
  assert.is(base.significant, undefined);
  // cost-benefit: mean 40/3; deviations -7/3, 2/3, 5/3 → squares 78/9, s = sqrt(78/18) = 2.081666;
  // half 4.302653 * 2.081666 / sqrt(3) = 5.171192 → [8.162141, 18.504525]
  assert.is(policy.n, 3);
  near(policy.mean, 40 / 3, 1e-12, 'mean');
  near(policy.std, 2.081666, 1e-6, 'std');
  near(policy.ci95_low, 8.162141, 2e-4, 'low');
  near(policy.ci95_high, 18.504525, 2e-4, 'high');
  // differences [1, 2, 1]: mean 4/3, s = sqrt(1/3) = 0.577350, half 4.302653 * 0.577350 / sqrt(3) = 1.434218
  // → [-0.100884, 2.767551]: holds 0, not significant; relative change (4/3) / 12 = 0.111111
  assert.is(policy.n_pairs, 3);
  near(policy.diff_mean, 4 / 3, 1e-12, 'diff mean');
  near(policy.diff_ci95_low, -0.100884, 2e-4, 'diff low');
  near(policy.diff_ci95_high, 2.767551, 2e-4, 'diff high');
  near(policy.rel_change, 1 / 9, 1e-12, 'relative change');
  assert.is(policy.significant, false);
});

test('--baseline picks the other policy: the difference is negated; by default the first policy in run order is the baseline', () => {
  // differences [-1, -2, -1]: mean -4/3, interval [-2.767551, 0.100884]; relative change (-4/3) / (40/3) = -0.1
  const chosen = compareRuns(table(...HAND), { baseline: 'cost-benefit' });
  assert.equal(chosen.map((r) => [r.policy, r.baseline]), [['cost-benefit', 'cost-benefit'], ['greedy', 'cost-benefit']]);
  const greedy = rowOf(chosen, 'greedy', 'ssd/lat_mean_us');
  near(greedy.diff_mean, -4 / 3, 1e-12, 'diff mean');
  near(greedy.diff_ci95_low, -2.767551, 2e-4, 'diff low');
  near(greedy.diff_ci95_high, 0.100884, 2e-4, 'diff high');
  near(greedy.rel_change, -0.1, 1e-12, 'relative change');
  // the same runs listed cost-benefit first: it becomes the default baseline
  const reordered = compareRuns(table(HEADER, ...HAND.slice(4), ...HAND.slice(1, 4)));
  assert.equal(reordered.map((r) => [r.policy, r.baseline]), [['cost-benefit', 'cost-benefit'], ['greedy', 'cost-benefit']]);
});

test('an unknown --baseline is an error listing the labels of each scenario', () => {
  const message = errorOf(() => compareRuns(table(...HAND), { baseline: 'fifo' }));
  assert.match(message, /--baseline "fifo" is not a policy label of these runs; labels: s: "greedy", "cost-benefit"/);
});

test('a baseline missing from one scenario leaves that scenario without differences', () => {
  const rows = compareRuns(table(...HAND, 't/v0/r0,t,v0,fifo,1,1', 't/v1/r0,t,v1,random,1,2'), { baseline: 'greedy' });
  const t = rows.filter((r) => r.scenario === 't');
  assert.equal(t.map((r) => [r.policy, r.baseline, r.n_pairs]), [['fifo', '', undefined], ['random', '', undefined]]);
  assert.is(rowOf(rows, 'cost-benefit', 'ssd/lat_mean_us').baseline, 'greedy');
});

test('seeds that only one policy ran count in its n but not in the pairs', () => {
  // greedy seeds 1, 2, 3 = [10, 12, 14]; cost-benefit seeds 2, 3, 4 = [13, 16, 100]
  // cost-benefit: n 3, mean 43. Pairs at seeds 2 and 3: differences [1, 2], mean 1.5, s = sqrt(0.5);
  // half 12.7062 * sqrt(0.5) / sqrt(2) = 6.3531 → [-4.8531, 7.8531]; baseline mean over the pairs
  // (12 + 14) / 2 = 13, relative change 1.5 / 13 = 0.115385.
  const rows = compareRuns(table(HEADER, ...HAND.slice(1, 4), 's/v1/r0,s,v1,cost-benefit,2,13', 's/v1/r1,s,v1,cost-benefit,3,16', 's/v1/r2,s,v1,cost-benefit,4,100'));
  const policy = rowOf(rows, 'cost-benefit', 'ssd/lat_mean_us');
  assert.is(policy.n, 3);
  near(policy.mean, 43, 1e-12, 'mean');
  assert.is(policy.n_pairs, 2);
  near(policy.diff_mean, 1.5, 1e-12, 'diff mean');
  near(policy.diff_ci95_low, -4.8531, 1e-3, 'diff low');
  near(policy.diff_ci95_high, 7.8531, 1e-3, 'diff high');
  near(policy.rel_change, 1.5 / 13, 1e-12, 'relative change');
  assert.is(policy.significant, false);
});

test('empty cells: left out of n and of the pairs; fewer than 2 values give no std or interval; all empty gives no row', () => {
  const rows = compareRuns(table(
    'run_id,scenario,variant,policy.gc-victim,seed,a/x_us,b/one_s,c/none_B',
    's/v0/r0,s,v0,greedy,1,10,5,',
    's/v0/r1,s,v0,greedy,2,12,,',
    's/v0/r2,s,v0,greedy,3,16,,',
    's/v1/r0,s,v1,cost-benefit,1,11,,',
    's/v1/r1,s,v1,cost-benefit,2,,,',
    's/v1/r2,s,v1,cost-benefit,3,17,7,',
  ));
  assert.equal([...new Set(rows.map((r) => r.metric))], ['a/x_us', 'b/one_s'], 'c/none_B has no value: no rows');
  // cost-benefit a/x_us: values [11, 17]: n 2, mean 14, s = sqrt(18) = 4.242641,
  // half 12.7062 * 4.242641 / sqrt(2) = 38.1186 → [-24.1186, 52.1186].
  // Pairs at seeds 1 and 3: differences [1, 1]: mean 1, s 0, interval [1, 1], significant;
  // baseline mean over the pairs (10 + 16) / 2 = 13 (not 38/3 over all of its runs): change 1/13.
  const x = rowOf(rows, 'cost-benefit', 'a/x_us');
  assert.equal([x.n, x.mean, x.n_pairs, x.diff_mean, x.diff_ci95_low, x.diff_ci95_high, x.significant], [2, 14, 2, 1, 1, 1, true]);
  near(x.std, Math.sqrt(18), 1e-12, 'std');
  near(x.ci95_low, -24.1186, 1e-3, 'low');
  near(x.ci95_high, 52.1186, 1e-3, 'high');
  near(x.rel_change, 1 / 13, 1e-12, 'relative change');
  // b/one_s: one value each and no common seed
  const one = rowOf(rows, 'greedy', 'b/one_s');
  assert.equal([one.n, one.mean], [1, 5]);
  empty(one.std, 'std');
  empty(one.ci95_low, 'low');
  const other = rowOf(rows, 'cost-benefit', 'b/one_s');
  assert.equal([other.n, other.mean, other.n_pairs, other.significant], [1, 7, 0, undefined]);
  empty(other.diff_mean, 'diff mean');
  // in the CSV those are empty cells, never "NaN"
  const csv = comparisonCsv(rows);
  assert.not.match(csv, /NaN|undefined/);
  assert.ok(csv.includes('\ns,,greedy,greedy,b/one_s,1,5,,,,,,,,,\n'), csv);
  assert.ok(csv.includes('\ns,,cost-benefit,greedy,b/one_s,1,7,,,,0,,,,,\n'), csv);
});

test('one pair: a difference but no interval and no verdict', () => {
  const rows = compareRuns(table(HEADER, 's/v0/r0,s,v0,greedy,1,10', 's/v1/r0,s,v1,cost-benefit,1,13'));
  const policy = rowOf(rows, 'cost-benefit', 'ssd/lat_mean_us');
  assert.equal([policy.n_pairs, policy.diff_mean, policy.significant], [1, 3, undefined]);
  empty(policy.diff_ci95_low, 'diff low');
  near(policy.rel_change, 0.3, 1e-12, 'relative change');
});

test('metric selection: exact names and globs (* crosses /), in the order asked, each once; no match is an error', () => {
  const columns = ['host/cpu_us', 'ssd/erases', 'ssd/read_latency_p99_us', 'ssd/sub/x_us', 'ssd/write_latency_p99_us', 'ssd/erasesXus'];
  assert.equal(selectMetrics(columns, ['ssd/*_us']), ['ssd/read_latency_p99_us', 'ssd/sub/x_us', 'ssd/write_latency_p99_us']);
  assert.equal(selectMetrics(columns, ['ssd/erases', '*_p99_us', 'ssd/*_us']), ['ssd/erases', 'ssd/read_latency_p99_us', 'ssd/write_latency_p99_us', 'ssd/sub/x_us']);
  assert.equal(selectMetrics(columns, ['ssd/?rases']), ['ssd/erases']);
  // regular-expression characters are literal: "." matches only "."
  assert.match(errorOf(() => selectMetrics(columns, ['ssd/erases.u*'])), /--metric "ssd\/erases\.u\*" matches no metric column/);
  assert.match(errorOf(() => selectMetrics(columns, ['ssd/erase'])), /--metric "ssd\/erase" matches no metric column; did you mean "ssd\/erases"\?/);
  // compareRuns applies the selection
  const rows = compareRuns(table('run_id,scenario,variant,seed,a/x_us,b/y_us,c/z_s', 'r,s,v0,1,1,2,3'), { metrics: ['c/*', '*_us'] });
  assert.equal(rows.map((r) => r.metric), ['c/z_s', 'a/x_us', 'b/y_us']);
});

test('several scenarios and variants: groups by scenario and non-policy parameters; pairs never cross a group', () => {
  // Scenario a sweeps rate x policy (matrix order: rate slowest), seeds 1 and 2; scenario b two policies.
  // a, rate 1: p [1, 2], q [2, 4] → differences [1, 2], mean 1.5.
  // a, rate 2: p [10, 20], q [10, 21] → differences [0, 1], mean 0.5.
  // Pairing across rates (p at rate 1 with q at rate 2 on a seed) would give other values.
  const t = table(
    'run_id,scenario,variant,workload.w.rate,policy.q-d,seed,m/v_s',
    'a/v0/r0,a,v0,1/s,p,1,1', 'a/v0/r1,a,v0,1/s,p,2,2',
    'a/v1/r0,a,v1,1/s,q,1,2', 'a/v1/r1,a,v1,1/s,q,2,4',
    'a/v2/r0,a,v2,2/s,p,1,10', 'a/v2/r1,a,v2,2/s,p,2,20',
    'a/v3/r0,a,v3,2/s,q,1,10', 'a/v3/r1,a,v3,2/s,q,2,21',
    'b/v0/r0,b,v0,,y,1,5', 'b/v1/r0,b,v1,,x,1,7',
  );
  const rows = compareRuns(t);
  assert.equal(rows.map((r) => [r.scenario, r.variant, r.policy, r.baseline]), [
    ['a', 'workload.w.rate=1/s', 'p', 'p'], ['a', 'workload.w.rate=1/s', 'q', 'p'],
    ['a', 'workload.w.rate=2/s', 'p', 'p'], ['a', 'workload.w.rate=2/s', 'q', 'p'],
    ['b', '', 'y', 'y'], ['b', '', 'x', 'y'],
  ]);
  assert.is(rowOf(rows, 'q', 'm/v_s', { variant: 'workload.w.rate=1/s' }).diff_mean, 1.5);
  assert.is(rowOf(rows, 'q', 'm/v_s', { variant: 'workload.w.rate=2/s' }).diff_mean, 0.5);
  assert.equal([rowOf(rows, 'x', 'm/v_s').n_pairs, rowOf(rows, 'x', 'm/v_s').diff_mean], [1, 2]);
  // per-policy statistics stay within a group: p at rate 1 has mean 1.5, not (1 + 2 + 10 + 20) / 4
  assert.is(rowOf(rows, 'p', 'm/v_s', { variant: 'workload.w.rate=1/s' }).mean, 1.5);
});

test('runs that nothing in runs.csv tells apart (same scenario, parameters, policy, variant and seed) are refused', () => {
  const message = errorOf(() => compareRuns(table(HEADER, 's/v0/r0,s,v0,greedy,1,10', 's/v0/r9,s,v0,greedy,1,11')));
  assert.match(message, /runs s\/v0\/r0 \(runs\.csv:2\) and s\/v0\/r9 \(runs\.csv:3\) have the same scenario, parameters, policy "greedy" and seed 1/);
});

test('no runs is an error', () => {
  assert.match(errorOf(() => compareRuns(table(HEADER))), /no runs to compare in runs\.csv/);
});

test('comparison.csv: the documented columns, numbers in the fixed format, true/false/empty verdicts', () => {
  const csv = comparisonCsv(compareRuns(table(...HAND)));
  assert.ok(csv.endsWith('\n'));
  const parsed = csvParse(csv);
  assert.equal(parsed.columns, [...COMPARISON_COLUMNS]);
  assert.equal(COMPARISON_COLUMNS.join(','), 'scenario,variant,policy,baseline,metric,n,mean,std,ci95_low,ci95_high,n_pairs,diff_mean,diff_ci95_low,diff_ci95_high,rel_change,significant');
  assert.equal(parsed.map((r) => [r.policy, r.n, r.mean, r.std, r.n_pairs, r.diff_mean, r.rel_change, r.significant]), [
    ['greedy', '3', '12', '2', '', '', '', ''],
    ['cost-benefit', '3', '13.3333333', '2.081666', '3', '1.33333333', '0.111111111', 'false'],
  ]);
  const significant = csvParse(comparisonCsv(compareRuns(table(HEADER, ...HAND.slice(1, 4), 's/v1/r0,s,v1,cost-benefit,1,11', 's/v1/r1,s,v1,cost-benefit,2,13', 's/v1/r2,s,v1,cost-benefit,3,15'))));
  assert.is(significant[1]!.significant, 'true');
});

test('the printed table: one block per scenario and variant, baseline named, difference columns only where there is a difference', () => {
  const text = formatComparisonTable(compareRuns(table(...HAND, 't/v0/r0,t,v0,fifo,1,3')));
  const [first, second] = text.split('\n\n');
  assert.match(first!, /^scenario s, baseline greedy\nmetric +policy +n +mean +95% CI +diff +diff 95% CI +change +significant\n/);
  assert.match(first!, /\nssd\/lat_mean_us +greedy +3 +12 +\[7\.032, 16\.97\]\n/);
  assert.match(first!, /\n +cost-benefit +3 +13\.33 +\[8\.162, 18\.5\] +1\.333 +\[-0\.1009, 2\.768\] +\+11\.1% +no$/);
  assert.is(second, 'scenario t\nmetric           policy  n  mean  95% CI\nssd/lat_mean_us  fifo    1  3     -');
});

test.run();
