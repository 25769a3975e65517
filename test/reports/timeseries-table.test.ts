import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResultsFileError } from '../../reports/runs-table.ts';
import { parseTimeseriesCsv, readTimeseries, seriesByRun } from '../../reports/timeseries-table.ts';
import { formatNumber } from '../../sim/output/csv.ts';
import { EXPECTED_DIR } from '../golden/cli.ts';

const lines = (...rows: string[]) => `${rows.join('\n')}\n`;
const HEADER = 'run_id,time_s,metric,value';

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

test('rows are typed: time and value numbers, an empty value NaN, inf infinite', () => {
  const rows = parseTimeseriesCsv(lines(HEADER, 'r0,1,disk/queue_length_mean,2.5', 'r0,1,disk/response_time_p99_s,', 'r0,2,x/ratio,inf', 'r1,0.5,disk/queue_length_mean,1e-7'), 't.csv');
  assert.equal(rows.map((r) => [r.runId, r.timeS, r.metric]), [['r0', 1, 'disk/queue_length_mean'], ['r0', 1, 'disk/response_time_p99_s'], ['r0', 2, 'x/ratio'], ['r1', 0.5, 'disk/queue_length_mean']]);
  assert.is(rows[0]!.value, 2.5);
  assert.ok(Number.isNaN(rows[1]!.value));
  assert.is(rows[2]!.value, Infinity);
  assert.is(rows[3]!.value, 1e-7);
});

test('errors name the file, the line and what is wrong', () => {
  assert.match(errorOf(() => parseTimeseriesCsv('', 't.csv')), /^t\.csv: the file is empty/);
  assert.match(errorOf(() => parseTimeseriesCsv('run_id,scenario,variant,seed\n', 't.csv')), /^t\.csv:1: not a storsim timeseries\.csv: the header must be run_id,time_s,metric,value/);
  assert.match(errorOf(() => parseTimeseriesCsv(lines(HEADER, 'r0,1,m,2', 'r0,2,m'), 't.csv')), /^t\.csv:3: 3 field\(s\), but the header has 4 columns/);
  assert.match(errorOf(() => parseTimeseriesCsv(lines(HEADER, 'r0,,m,2'), 't.csv')), /^t\.csv:2: time_s "" is not a finite number/);
  assert.match(errorOf(() => parseTimeseriesCsv(lines(HEADER, 'r0,inf,m,2'), 't.csv')), /^t\.csv:2: time_s "inf" is not a finite number/);
  assert.match(errorOf(() => parseTimeseriesCsv(lines(HEADER, 'r0,1,m,lots'), 't.csv')), /^t\.csv:2: value "lots" is not a number/);
  assert.match(errorOf(() => parseTimeseriesCsv(lines(HEADER, ',1,m,1'), 't.csv')), /^t\.csv:2: run_id is empty/);
  assert.match(errorOf(() => parseTimeseriesCsv(lines(HEADER, 'r0,1,,1'), 't.csv')), /^t\.csv:2: metric is empty/);
});

test('seriesByRun groups by run, then metric, keeping the order of the rows', () => {
  const rows = parseTimeseriesCsv(lines(HEADER, 'b,1,m,1', 'b,1,n,10', 'b,2,m,2', 'a,1,m,5', 'b,3,m,'), 't.csv');
  const runs = seriesByRun(rows);
  assert.equal([...runs.keys()], ['b', 'a']);
  assert.equal([...runs.get('b')!.keys()], ['m', 'n']);
  const m = runs.get('b')!.get('m')!;
  assert.equal(m.timeS, [1, 2, 3]);
  assert.equal(m.value.slice(0, 2), [1, 2]);
  assert.ok(Number.isNaN(m.value[2]!));
  assert.equal(runs.get('a')!.get('m'), { timeS: [1], value: [5] });
});

test('real output: the golden mm1-disciplines timeseries.csv reads back cell for cell', async () => {
  const dir = join(EXPECTED_DIR, 'mm1-disciplines');
  const rows = await readTimeseries(dir);
  const text = readFileSync(join(dir, 'timeseries.csv'), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(','));
  assert.ok(rows.length > 10);
  assert.is(rows.length, text.length);
  for (const [i, row] of rows.entries()) {
    assert.equal([row.runId, formatNumber(row.timeS), row.metric, formatNumber(row.value)], text[i], `line ${i + 2}`);
  }
  const runs = seriesByRun(rows);
  assert.is([...runs.values()].reduce((sum, metrics) => sum + [...metrics.values()].reduce((s, series) => s + series.value.length, 0), 0), rows.length);
});

test.run();
