import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { csvParseRows } from 'd3-dsv';
import { RUNS_FIXED_COLUMNS, TIMESERIES_COLUMNS, runsCsv, timeseriesCsv } from '../../sim/output/results-csv.ts';
import type { RunResult } from '../../sim/run/execute-run.ts';
import type { Assignment } from '../../sim/scenario/sweep.ts';

interface Fake {
  id: string;
  scenario?: string;
  variant?: { index: number; name: string };
  assignments?: Assignment[];
  policies?: [string, string][];
  seed?: number;
  summary?: Record<string, number>;
  series?: [timeNs: number, metric: string, value: number][];
}

/** A run result as `executeRun` would return it, built by hand. */
function result(f: Fake): RunResult {
  return {
    run: {
      id: f.id,
      scenario: f.scenario ?? 's',
      file: 's.json',
      variant: { index: f.variant?.index ?? 0, name: f.variant?.name ?? '', baseIndex: 0, assignments: f.assignments ?? [] },
      replication: 0,
      seed: f.seed ?? 1,
      spec: {},
      policies: f.policies ?? [],
    },
    summary: Object.entries(f.summary ?? {}).map(([column, value]) => ({ column, value })),
    series: (f.series ?? []).map(([timeNs, metric, value]) => ({ timeNs, metric, value })),
  };
}

/** Header and rows of a CSV text, each row as a column → cell map. */
function parse(text: string): { header: string[]; rows: Record<string, string>[] } {
  assert.ok(text.endsWith('\n'), 'a CSV file ends with a newline');
  const [header, ...rows] = csvParseRows(text.slice(0, -1));
  for (const row of rows) assert.is(row.length, header!.length, 'every row has a cell for every column');
  return { header: header!, rows: rows.map((row) => Object.fromEntries(header!.map((c, i) => [c, row[i]!]))) };
}

const twoScenarios = [
  result({
    id: 'alpha/v0/r0',
    scenario: 'alpha',
    variant: { index: 0, name: 'fast' },
    assignments: [['workload.a.service.mean', '1s'], ['policies.queue-discipline', 'sjf']],
    policies: [['queue-discipline', 'sjf']],
    seed: 7,
    summary: { 'server/wait_time_mean_s': 0.5, 'arrivals/jobs': 10 },
  }),
  result({
    id: 'beta/v3/r0',
    scenario: 'beta',
    variant: { index: 3, name: '' },
    assignments: [['world.server.servers', 2], ['workload.a.service.mean', '2s']],
    policies: [['cache-eviction', 'lru'], ['queue-discipline', 'fifo']],
    seed: 8,
    summary: { 'arrivals/jobs': 12, 'disk/completed': 3 },
  }),
];

test('runs.csv columns: run_id, scenario, variant, parameters, policy.*, seed, metrics, each group in order of first appearance', () => {
  const { header } = parse(runsCsv(twoScenarios));
  assert.equal(header, [
    ...RUNS_FIXED_COLUMNS,
    'workload.a.service.mean',
    'world.server.servers',
    'policy.queue-discipline',
    'policy.cache-eviction',
    'seed',
    'server/wait_time_mean_s',
    'arrivals/jobs',
    'disk/completed',
  ]);
  assert.equal([...RUNS_FIXED_COLUMNS], ['run_id', 'scenario', 'variant']);
});

test('runs.csv: one row per run, in the order given, with the union of columns and empty cells where a run has no value', () => {
  const { rows } = parse(runsCsv(twoScenarios));
  assert.equal(rows, [
    {
      run_id: 'alpha/v0/r0', scenario: 'alpha', variant: 'fast', 'workload.a.service.mean': '1s', 'world.server.servers': '',
      'policy.queue-discipline': 'sjf', 'policy.cache-eviction': '', seed: '7',
      'server/wait_time_mean_s': '0.5', 'arrivals/jobs': '10', 'disk/completed': '',
    },
    {
      run_id: 'beta/v3/r0', scenario: 'beta', variant: 'v3', 'workload.a.service.mean': '2s', 'world.server.servers': '2',
      'policy.queue-discipline': 'fifo', 'policy.cache-eviction': 'lru', seed: '8',
      'server/wait_time_mean_s': '', 'arrivals/jobs': '12', 'disk/completed': '3',
    },
  ]);
});

test('runs.csv: a policies.* assignment shows only in its policy column, never as a parameter', () => {
  const { header, rows } = parse(runsCsv(twoScenarios));
  assert.not.ok(header.some((c) => c.startsWith('policies.')), header.join());
  assert.is(header.filter((c) => c === 'policy.queue-discipline').length, 1);
  assert.is(rows[0]!['policy.queue-discipline'], 'sjf');
});

test('runs.csv: numbers use the fixed CSV format, NaN is empty, non-scalar parameters are JSON (quoted as needed)', () => {
  const text = runsCsv([
    result({
      id: 'x/v0/r0',
      assignments: [['workload.a.classWeights', [0.2, 0.8]], ['world.flag', true]],
      summary: { third: 1 / 3, missing: NaN, big: 1e21, tiny: 1e-7 },
    }),
  ]);
  const { rows } = parse(text);
  assert.equal(rows[0], {
    run_id: 'x/v0/r0', scenario: 's', variant: 'v0', 'workload.a.classWeights': '[0.2,0.8]', 'world.flag': 'true',
    seed: '1', third: '0.333333333', missing: '', big: '1e21', tiny: '1e-7',
  });
  assert.match(text, '"[0.2,0.8]"');
});

test('runs.csv of no runs is the header with the fixed columns and seed', () => {
  assert.is(runsCsv([]), 'run_id,scenario,variant,seed\n');
});

test('timeseries.csv: long form run_id,time_s,metric,value, runs in order, times in seconds, NaN empty', () => {
  const text = timeseriesCsv([
    result({ id: 'a/v0/r0', series: [[1e9, 'server/completed', 3], [1e9, 'server/wait_time_mean_s', NaN], [2.5e9, 'server/completed', 7]] }),
    result({ id: 'a/v1/r0' }),
    result({ id: 'a/v2/r0', series: [[500_000, 'server/completed', 0]] }),
  ]);
  assert.equal([...TIMESERIES_COLUMNS], ['run_id', 'time_s', 'metric', 'value']);
  assert.is(
    text,
    'run_id,time_s,metric,value\n' +
      'a/v0/r0,1,server/completed,3\n' +
      'a/v0/r0,1,server/wait_time_mean_s,\n' +
      'a/v0/r0,2.5,server/completed,7\n' +
      'a/v2/r0,0.0005,server/completed,0\n',
  );
});

test.run();
