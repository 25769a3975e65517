import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runsCsv, timeseriesCsv } from '../../sim/output/results-csv.ts';
import { defaultWorkerCount, runAll, type RunOutcome } from '../../sim/run/run-all.ts';
import type { RunResult } from '../../sim/run/execute-run.ts';
import type { PlannedRun } from '../../sim/scenario/load.ts';
import type { UnitParser } from '../../sim/scenario/units.ts';
import { deterministicQueue, loadRuns, smallSweep, writeScenarios, type ScenarioDir } from './scenario-files.ts';

let files: ScenarioDir;
let runs: PlannedRun[];
let units: UnitParser;

test.before(async () => {
  files = writeScenarios({
    // the first run is the longest, so with two workers the others finish before it
    'a-long.json': { ...smallSweep('long', 20000), sweep: { replications: 1 } },
    'b-sweep.json': smallSweep('sweep', 2000),
    // the runaway guard stops this one after 10 events
    'c-runaway.json': deterministicQueue('runaway', { extra: { stop: { at: '100s', maxEvents: 10 } } }),
    'd-after.json': deterministicQueue('after', { serviceS: 0.75, extra: { metrics: { interval: '10s' } } }),
  });
  ({ runs, units } = await loadRuns([files.dir]));
});
test.after(() => files.remove());

/** Fails (rather than hangs) when a pool of workers never reports back. */
function within<T>(seconds: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`runAll did not finish within ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function results(outcomes: readonly RunOutcome[]): RunResult[] {
  return outcomes.flatMap((o) => ('result' in o ? [o.result] : []));
}

function check(outcomes: readonly RunOutcome[]): void {
  assert.is(outcomes.length, runs.length);
  outcomes.forEach((outcome, i) => assert.is(outcome.run, runs[i], `outcome ${i} belongs to run ${runs[i]!.id}`));
  const failed = outcomes.filter((o) => 'error' in o);
  assert.equal(failed.map((o) => o.run.id), ['runaway/v0/r0'], 'only the runaway run fails');
  const error = (failed[0] as { error: string }).error;
  assert.match(error, /maxEvents/, 'the error says which guard stopped the run');
  for (const o of outcomes) if ('result' in o) assert.is(o.result.run, o.run);
}

test('the runs cover several scenarios, sweeps and replications', () => {
  assert.equal(
    runs.map((r) => r.id),
    ['long/v0/r0', 'sweep/v0/r0', 'sweep/v0/r1', 'sweep/v1/r0', 'sweep/v1/r1', 'runaway/v0/r0', 'after/v0/r0'],
  );
  assert.ok(defaultWorkerCount() >= 1);
});

test('in this thread: outcomes in run-list order, a run that throws is an error outcome and the others complete', async () => {
  const done: number[] = [];
  const outcomes = await runAll(runs, units, { workers: 1, onDone: (_o, n, total) => done.push(n * 100 + total) });
  check(outcomes);
  assert.equal(done, runs.map((_, i) => (i + 1) * 100 + runs.length), 'onDone counts every run once');
});

test('on two workers: outcomes in run-list order whatever order they finish in, the runaway run is an error outcome', async () => {
  const finished: string[] = [];
  const outcomes = await within(30, runAll(runs, units, { workers: 2, onDone: (o) => finished.push(o.run.id) }));
  check(outcomes);
  assert.equal([...finished].sort(), runs.map((r) => r.id).sort(), 'onDone saw every run once');
});

test('one worker and two workers give identical runs.csv and timeseries.csv (and a pool without onDone finishes)', async () => {
  const here = await runAll(runs, units, { workers: 1 });
  const workers = await within(30, runAll(runs, units, { workers: 2 }));
  const one = results(here);
  const two = results(workers);
  assert.is(one.length, runs.length - 1);
  assert.ok(one.some((r) => r.series.length > 0), 'some run has a time series');
  assert.is(runsCsv(two), runsCsv(one));
  assert.is(timeseriesCsv(two), timeseriesCsv(one));
});

test('more workers than runs, and an empty run list, are fine', async () => {
  const some = runs.slice(1, 3);
  const outcomes = await within(30, runAll(some, units, { workers: 8 }));
  assert.equal(outcomes.map((o) => o.run.id), some.map((r) => r.id));
  assert.is(runsCsv(results(outcomes)), runsCsv(results(await runAll(some, units, { workers: 1 }))));
  assert.equal(await runAll([], units, { workers: 2 }), []);
});

test.run();
