import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  concatRunsTables,
  csvRecords,
  metricValue,
  parseCsvNumber,
  parseRunsCsv,
  policyLabel,
  readRunsTable,
  readRunsTables,
  ResultsFileError,
  variantKey,
  variantText,
} from '../../reports/runs-table.ts';
import { formatNumber } from '../../sim/output/csv.ts';
import { EXPECTED_DIR } from '../golden/cli.ts';

const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

/** The error message of `f`, which must throw a ResultsFileError. */
function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    assert.instance(error, ResultsFileError);
    return (error as Error).message;
  }
  assert.unreachable('expected a ResultsFileError');
  return '';
}

async function asyncErrorOf(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (error) {
    assert.instance(error, ResultsFileError);
    return (error as Error).message;
  }
  assert.unreachable('expected a ResultsFileError');
  return '';
}

// The layout written by sim/output/results-csv.ts: run_id, scenario, variant, parameters, policies, seed, metrics.
const SAMPLE = lines(
  'run_id,scenario,variant,workload.w.rate,policies.gc-victim.params.d,policy.gc-victim,policy.nvme-arbitration,seed,ssd/iops,ssd/read_latency_p99_us,ssd/write_amplification',
  's/v0/r0,s,v0,100/s,,greedy,round-robin,1,1500,120.5,2',
  's/v0/r1,s,v0,100/s,,greedy,round-robin,2,1600,,inf',
  's/v1/r0,s,v1,100/s,,cost-benefit,round-robin,1,1700,1e-7,-inf',
  's/v2/r0,s,v2,"200/s, bursty",,greedy,round-robin,1,-0.5,3.25e3,1.5',
);

test('columns are classified by position: parameters, policies, seed, metrics', () => {
  const table = parseRunsCsv(SAMPLE, 'runs.csv');
  assert.equal(table.paramColumns, ['workload.w.rate', 'policies.gc-victim.params.d']);
  assert.equal(table.policyColumns, ['policy.gc-victim', 'policy.nvme-arbitration']);
  assert.equal(table.metricColumns, ['ssd/iops', 'ssd/read_latency_p99_us', 'ssd/write_amplification']);
  assert.equal(table.files, ['runs.csv']);
  assert.is(table.rows.length, 4);
});

test('cells are typed: seeds and metrics are numbers, empty metric cells NaN, inf/-inf infinite, empty text cells absent', () => {
  const [a, b, c, d] = parseRunsCsv(SAMPLE, 'runs.csv').rows;
  assert.equal([a!.runId, a!.scenario, a!.variant, a!.seed], ['s/v0/r0', 's', 'v0', 1]);
  assert.equal(a!.params, { 'workload.w.rate': '100/s' });
  assert.equal(a!.policies, { 'policy.gc-victim': 'greedy', 'policy.nvme-arbitration': 'round-robin' });
  assert.equal(a!.metrics, { 'ssd/iops': 1500, 'ssd/read_latency_p99_us': 120.5, 'ssd/write_amplification': 2 });
  assert.ok(Number.isNaN(b!.metrics['ssd/read_latency_p99_us']!));
  assert.is(b!.metrics['ssd/write_amplification'], Infinity);
  assert.is(c!.metrics['ssd/write_amplification'], -Infinity);
  assert.is(c!.metrics['ssd/read_latency_p99_us'], 1e-7);
  assert.equal(d!.params, { 'workload.w.rate': '200/s, bursty' });
  assert.is(d!.metrics['ssd/read_latency_p99_us'], 3250);
  assert.is(d!.metrics['ssd/iops'], -0.5);
  assert.is(metricValue(a!, 'ssd/iops'), 1500);
  assert.ok(Number.isNaN(metricValue(a!, 'no/such_metric')));
  assert.equal([a!.line, d!.line], [2, 5]);
});

test('parseCsvNumber reads back every form formatNumber writes, and nothing else', () => {
  for (const x of [0, 1, -3, 0.1 + 0.2, 1 / 3, 1e-7, -1.5e-12, 1e21, 2 ** 53 + 2, 123456789.123, Infinity, -Infinity]) {
    const text = formatNumber(x);
    assert.is(parseCsvNumber(text), Number(x.toPrecision(9)) || x, text);
  }
  assert.ok(Number.isNaN(parseCsvNumber('')!));
  for (const bad of ['abc', ' 1', '1,5', '0x10', 'Infinity', 'NaN', '1e', '--1', '.']) assert.is(parseCsvNumber(bad), undefined, bad);
});

test('csvRecords gives each record the line it starts on, past quoted line breaks and blank lines', () => {
  const records = csvRecords('a,b\n"x\ny",1\n\n"p\r\nq",2\r\nlast,3\n');
  assert.equal(records.map((r) => [r.fields[0], r.line]), [['a', 1], ['x\ny', 2], ['p\r\nq', 5], ['last', 7]]);
});

test('errors name the file, the line and what is wrong', () => {
  assert.match(errorOf(() => parseRunsCsv('', 'r.csv')), /^r\.csv: the file is empty/);
  assert.match(errorOf(() => parseRunsCsv('run_id,time_s,metric,value\n', 'r.csv')), /^r\.csv:1: not a storsim runs\.csv: the header must start with run_id,scenario,variant, found "run_id,time_s,metric"/);
  assert.match(errorOf(() => parseRunsCsv('run_id,scenario,variant,x/y\n', 'r.csv')), /^r\.csv:1: not a storsim runs\.csv: there is no seed column/);
  assert.match(errorOf(() => parseRunsCsv('run_id,scenario,variant,seed,m,m\n', 'r.csv')), /column "m" appears twice/);
  assert.match(errorOf(() => parseRunsCsv('run_id,scenario,variant,policy.a,x,seed\n', 'r.csv')), /column "x" lies between the policy\.\* columns and seed/);
  const header = 'run_id,scenario,variant,seed,m/x_s';
  assert.match(errorOf(() => parseRunsCsv(lines(header, 'a,s,v0,1,2', 'b,s,v0,2'), 'r.csv')), /^r\.csv:3: 4 field\(s\), but the header has 5 columns/);
  assert.match(errorOf(() => parseRunsCsv(lines(header, 'a,s,v0,1,fast'), 'r.csv')), /^r\.csv:2: column "m\/x_s" \(run a\): "fast" is not a number/);
  assert.match(errorOf(() => parseRunsCsv(lines(header, 'a,s,v0,-1,2'), 'r.csv')), /^r\.csv:2: seed "-1" is not a non-negative integer/);
  assert.match(errorOf(() => parseRunsCsv(lines(header, 'a,s,v0,,2'), 'r.csv')), /^r\.csv:2: seed "" is not/);
  assert.match(errorOf(() => parseRunsCsv(lines(header, ',s,v0,1,2'), 'r.csv')), /^r\.csv:2: run_id is empty/);
  assert.match(errorOf(() => parseRunsCsv(lines(header, 'a,,v0,1,2'), 'r.csv')), /^r\.csv:2: scenario is empty/);
  assert.match(errorOf(() => parseRunsCsv(lines(header, 'a,s,v0,1,2', 'a,s,v0,2,2'), 'r.csv')), /^r\.csv:3: run a appears twice \(also on line 2\)/);
});

test('a header-only runs.csv (every run failed) is a table with no rows', () => {
  const table = parseRunsCsv('run_id,scenario,variant,seed\n', 'r.csv');
  assert.equal([table.rows.length, table.metricColumns.length], [0, 0]);
});

test('policy label: only the decision points that vary within the scenario, joined with +', () => {
  const table = parseRunsCsv(lines(
    'run_id,scenario,variant,policy.a,policy.b,policy.c,seed,m',
    'x/v0/r0,x,v0,p1,q1,r1,1,1',
    'x/v1/r0,x,v1,p2,q1,r2,1,1',
    'x/v2/r0,x,v2,p2,q1,r1,1,1',
    // scenario y: nothing varies, so the label is all of its policies; it has no policy.c
    'y/v0/r0,y,v0,p1,q2,,1,1',
    'y/v0/r1,y,v0,p1,q2,,2,1',
  ), 'r.csv');
  assert.equal(table.rows.map((r) => policyLabel(table, r)), ['p1+r1', 'p2+r2', 'p2+r1', 'p1+q2', 'p1+q2']);
});

test('variant key: scenario and non-policy parameters; policies.* parameters and the variant name are not part of it', () => {
  const table = parseRunsCsv(SAMPLE, 'runs.csv');
  const [a, b, c, d] = table.rows;
  assert.is(variantKey(table, a!), variantKey(table, b!));
  assert.is(variantKey(table, a!), variantKey(table, c!), 'v0 and v1 differ only by policy');
  assert.is.not(variantKey(table, a!), variantKey(table, d!), 'v2 has another rate');
  assert.is(variantText(table, a!), 'workload.w.rate=100/s');
  assert.is(variantText(table, d!), 'workload.w.rate=200/s, bursty');
  const other = parseRunsCsv(lines('run_id,scenario,variant,seed,m', 'a,s1,v0,1,1', 'b,s2,v0,1,1'), 'r.csv');
  assert.is.not(variantKey(other, other.rows[0]!), variantKey(other, other.rows[1]!), 'scenarios never share a key');
  assert.is(variantText(other, other.rows[0]!), '');
});

test('runs with one label but different sweep variants in one variant key (hidden policy parameters) are told apart', () => {
  // runs.csv leaves out policies.* assignments, so d = 5 and d = 10 both show as d-choices
  const table = parseRunsCsv(lines(
    'run_id,scenario,variant,policy.gc-victim,seed,m',
    's/v0/r0,s,v0,greedy,1,1',
    's/v1/r0,s,d5,d-choices,1,2',
    's/v2/r0,s,d10,d-choices,1,3',
    's/v2/r1,s,d10,d-choices,2,3',
  ), 'r.csv');
  assert.equal(table.rows.map((r) => policyLabel(table, r)), ['greedy', 'd-choices [d5]', 'd-choices [d10]', 'd-choices [d10]']);
});

test('several tables concatenate: rows in order, columns by first appearance, duplicate runs and role clashes refused', () => {
  const one = parseRunsCsv(lines('run_id,scenario,variant,p.x,policy.a,seed,m/1,m/2', 'a/v0/r0,a,v0,1,f,1,1,2'), 'one.csv');
  const two = parseRunsCsv(lines('run_id,scenario,variant,p.y,policy.b,seed,m/2,m/3', 'b/v0/r0,b,v0,2,g,1,3,4'), 'two.csv');
  const both = concatRunsTables([one, two]);
  assert.equal(both.files, ['one.csv', 'two.csv']);
  assert.equal(both.paramColumns, ['p.x', 'p.y']);
  assert.equal(both.policyColumns, ['policy.a', 'policy.b']);
  assert.equal(both.metricColumns, ['m/1', 'm/2', 'm/3']);
  assert.equal(both.rows.map((r) => r.runId), ['a/v0/r0', 'b/v0/r0']);
  assert.ok(Number.isNaN(metricValue(both.rows[1]!, 'm/1')));
  const again = parseRunsCsv(lines('run_id,scenario,variant,seed,m/1', 'x,a,v0,1,1', 'a/v0/r0,a,v0,2,1'), 'three.csv');
  assert.match(errorOf(() => concatRunsTables([one, again])), /run a\/v0\/r0 appears twice: one\.csv:2 and three\.csv:3/);
  const clash = parseRunsCsv(lines('run_id,scenario,variant,m/1,seed', 'z,a,v0,1,1'), 'four.csv');
  assert.match(errorOf(() => concatRunsTables([one, clash])), /column "m\/1" is a parameter column here but a metric column/);
});

test('reading: a results folder or a runs.csv path; clear errors for a missing file or folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'storsim-runs-table-'));
  try {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'a', 'runs.csv'), lines('run_id,scenario,variant,seed,m', 'r1,s,v0,1,5'));
    writeFileSync(join(dir, 'b.csv'), lines('run_id,scenario,variant,seed,m', 'r2,s,v0,2,6'));
    const fromFolder = await readRunsTable(join(dir, 'a'));
    assert.equal(fromFolder.files, [join(dir, 'a', 'runs.csv')]);
    assert.equal(fromFolder.rows[0]!.file, join(dir, 'a', 'runs.csv'));
    const both = await readRunsTables([join(dir, 'a'), join(dir, 'b.csv')]);
    assert.equal(both.rows.map((r) => [r.runId, r.metrics.m]), [['r1', 5], ['r2', 6]]);
    assert.match(await asyncErrorOf(() => readRunsTable(join(dir, 'nope'))), /nope: no such file or folder/);
    assert.match(await asyncErrorOf(() => readRunsTable(join(dir, 'empty'))), /empty: this folder has no runs\.csv/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('real output: the golden mm1-disciplines runs.csv reads back cell for cell', async () => {
  const path = join(EXPECTED_DIR, 'mm1-disciplines', 'runs.csv');
  const table = await readRunsTable(path);
  const text = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => l.split(','));
  const header = text[0]!;
  assert.equal(table.policyColumns, ['policy.queue-discipline']);
  assert.equal(table.metricColumns, header.slice(header.indexOf('seed') + 1));
  assert.is(table.rows.length, text.length - 1);
  for (const [i, row] of table.rows.entries()) {
    const cells = text[i + 1]!;
    assert.is(row.runId, cells[0]);
    assert.is(String(row.seed), cells[header.indexOf('seed')]);
    for (const m of table.metricColumns) assert.is(formatNumber(metricValue(row, m)), cells[header.indexOf(m)], `${row.runId} ${m}`);
    assert.is(policyLabel(table, row), cells[header.indexOf('policy.queue-discipline')]);
  }
});

test.run();
