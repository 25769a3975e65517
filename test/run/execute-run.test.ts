import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executeRun } from '../../sim/run/execute-run.ts';
import { column, deterministicQueue, loadRuns, writeScenarios, type ScenarioDir } from './scenario-files.ts';

// Jobs arrive at 1 s, 2 s, ..., 99 s (the one due at 100 s is at the stop time and stays pending)
// and each is served at once for `serviceS`, so counts and time averages follow by hand.
const S = 1e9;
let files: ScenarioDir;

test.before(() => {
  files = writeScenarios({
    'no-warmup.json': deterministicQueue('no-warmup', { serviceS: 0.5 }),
    'warmup.json': deterministicQueue('warmup', { serviceS: 0.5, extra: { metrics: { warmup: '10.25s' } } }),
    'sampled.json': deterministicQueue('sampled', { serviceS: 0.25, extra: { metrics: { interval: '12.3s' } } }),
    'sampled-server.json': deterministicQueue('sampled-server', { serviceS: 0.25, extra: { metrics: { interval: '12.3s', series: ['server'] } } }),
    'sampled-to-stop.json': deterministicQueue('sampled-to-stop', { serviceS: 0.5, extra: { metrics: { interval: '20s', warmup: '20s', series: ['server/completed'] } } }),
  });
});
test.after(() => files.remove());

async function runOf(file: string) {
  const { runs, units } = await loadRuns([files.path(file)]);
  assert.is(runs.length, 1);
  return executeRun(runs[0]!, units);
}

test('without warm-up every job counts: 99 arrivals and 99 completions in 100 s', async () => {
  const result = await runOf('no-warmup.json');
  assert.is(column(result, 'arrivals/jobs'), 99);
  assert.is(column(result, 'server/completed'), 99);
  assert.is(column(result, 'server/response_time_count'), 99);
  assert.ok(Math.abs(column(result, 'server/utilization_mean')! - (99 * 0.5) / 100) < 1e-12);
});

test('the warm-up resets every kind of metric when it ends: only what happens after 10.25 s is counted', async () => {
  const without = await runOf('no-warmup.json');
  const withWarmup = await runOf('warmup.json');
  // departures at 10.5 .. 99.5 s; arrivals and service starts at 11 .. 99 s
  assert.is(column(withWarmup, 'server/completed'), 90);
  assert.is(column(withWarmup, 'server/response_time_count'), 90);
  assert.is(column(withWarmup, 'server/wait_time_count'), 89);
  assert.is(column(withWarmup, 'arrivals/jobs'), 89);
  assert.ok(column(withWarmup, 'server/completed')! < column(without, 'server/completed')!);
  // time-weighted: busy 0.25 s of the job in service at the reset, then 89 jobs of 0.5 s, over 89.75 s
  const utilization = column(withWarmup, 'server/utilization_mean')!;
  assert.ok(Math.abs(utilization - (0.25 + 89 * 0.5) / 89.75) < 1e-12, `utilization ${utilization}`);
  // the run itself is not cut short: same end time, one extra event (the reset)
  assert.is(column(withWarmup, 'engine/end_time_s'), 100);
  assert.is(column(withWarmup, 'engine/events'), column(without, 'engine/events')! + 1);
});

test('engine/events and engine/end_time_s are in the summary, which is sorted by column name', async () => {
  const result = await runOf('no-warmup.json');
  assert.is(column(result, 'engine/end_time_s'), 100);
  assert.is(column(result, 'engine/events'), 99 + 99); // one arrival and one departure per job
  const names = result.summary.map((c) => c.column);
  assert.equal(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  assert.is(new Set(names).size, names.length);
  assert.is(result.series.length, 0, 'no interval, no time series');
});

test('the time series is sampled every interval and each sample describes its interval', async () => {
  const result = await runOf('sampled.json');
  const interval = 12.3 * S;
  const times = [...new Set(result.series.map((r) => r.timeNs))];
  // samples at 12.3 s, 24.6 s, ... up to the stop at 100 s (the next would be at 110.7 s)
  assert.equal(times, Array.from({ length: Math.floor(100 / 12.3) }, (_, i) => Math.round((i + 1) * interval)));
  const namesAt = (t: number) => result.series.filter((r) => r.timeNs === t).map((r) => r.metric);
  for (const t of times) assert.equal(namesAt(t), namesAt(times[0]!), 'the same series at every sample time');
  assert.ok(namesAt(times[0]!).includes('arrivals/jobs'));

  const value = (t: number, metric: string) => result.series.find((r) => r.timeNs === t && r.metric === metric)?.value;
  let previous = 0;
  for (const t of times) {
    const seconds = t / S;
    // counters are cumulative: arrivals at whole seconds, departures 0.25 s later
    assert.is(value(t, 'arrivals/jobs'), Math.floor(seconds), `arrivals by ${seconds} s`);
    assert.is(value(t, 'server/completed'), Math.floor(seconds - 0.25), `departures by ${seconds} s`);
    // time-weighted: the busy fraction of this interval only
    let busy = 0;
    for (let k = 1; k < 100; k++) busy += Math.max(0, Math.min(k + 0.25, seconds) - Math.max(k, previous));
    const utilization = value(t, 'server/utilization_mean')!;
    assert.ok(Math.abs(utilization - busy / (seconds - previous)) < 1e-9, `utilization at ${seconds} s: ${utilization}`);
    previous = seconds;
  }
});

test('metrics.series limits the time series to the chosen paths', async () => {
  const result = await runOf('sampled-server.json');
  assert.ok(result.series.length > 0);
  assert.ok(result.series.every((r) => r.metric.startsWith('server/')), 'only server/* series');
  const all = await runOf('sampled.json');
  assert.equal(
    result.series,
    all.series.filter((r) => r.metric.startsWith('server/')),
    'choosing series does not change the values sampled',
  );
});

test('the same run executed twice gives the same result', async () => {
  const { runs, units } = await loadRuns([files.path('sampled.json')]);
  assert.equal(executeRun(runs[0]!, units), executeRun(runs[0]!, units));
});


test('the interval that ends exactly at stop.at is sampled, and the sample at the end of the warm-up describes the warm-up', async () => {
  const result = await runOf('sampled-to-stop.json');
  const rows = result.series.map((r) => [r.timeNs / S, r.value]);
  // departures at 1.5, 2.5, ...: 19 by 20 s (the warm-up, sampled before its reset), then
  // 20 per 20 s after the reset at 20 s (cumulative), the last sample at the stop time 100 s.
  assert.equal(rows, [[20, 19], [40, 20], [60, 40], [80, 60], [100, 80]]);
});

test.run();
