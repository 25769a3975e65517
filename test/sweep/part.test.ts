import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { formatNumber } from '../../sim/output/csv.ts';
import { runsCsv, timeseriesCsv } from '../../sim/output/results-csv.ts';
import { executeRun, type RunResult } from '../../sim/run/execute-run.ts';
import type { PlannedRun } from '../../sim/scenario/load.ts';
import { decodeNumber, decodePart, encodeErrorPart, encodeNumber, encodeResultPart, partFileName, partIndexOf } from '../../sim/sweep/part.ts';
import { loadRuns, writeScenarios, type ScenarioDir } from '../run/scenario-files.ts';
import { twoScenarios } from './helpers.ts';

let files: ScenarioDir;
let runs: PlannedRun[];
let results: RunResult[];

test.before(async () => {
  files = writeScenarios(twoScenarios(500));
  const loaded = await loadRuns([files.dir]);
  runs = loaded.runs;
  results = runs.map((run) => executeRun(run, loaded.units));
});
test.after(() => files.remove());

test('property: every double, NaN, ±Infinity and -0 included, reads back as the same double through JSON', () => {
  fc.assert(
    fc.property(fc.double(), (x) => {
      const back = decodeNumber(JSON.parse(JSON.stringify(encodeNumber(x))));
      return Object.is(back, x) && formatNumber(back) === formatNumber(x);
    }),
    { numRuns: 2000 },
  );
  for (const x of [NaN, Infinity, -Infinity, -0, 0, 2 ** 53 + 2, 5e-324, Number.MAX_VALUE]) {
    assert.ok(Object.is(decodeNumber(JSON.parse(JSON.stringify(encodeNumber(x)))), x), String(x));
  }
});

test('a run stored as a part and read back gives the same runs.csv and timeseries.csv as the run itself', () => {
  assert.ok(results.some((r) => r.series.length > 0), 'some run has a time series');
  const back = results.map((result, i) => {
    const outcome = decodePart(encodeResultPart(i, result));
    assert.is(outcome.index, i);
    if (!('result' in outcome)) throw new Error('decoded as a failure');
    return outcome.result;
  });
  assert.is(runsCsv(back), runsCsv(results));
  assert.is(timeseriesCsv(back), timeseriesCsv(results));
});

test('non-finite and negative-zero summary values and series values survive a part', () => {
  const base = results[0]!;
  const odd: RunResult = {
    run: base.run,
    summary: [{ column: 'x/a', value: NaN }, { column: 'x/b', value: Infinity }, { column: 'x/c', value: -Infinity }, { column: 'x/d', value: -0 }, { column: 'x/e', value: 1 / 3 }],
    series: [{ timeNs: 1_000_000_000, metric: 'x/p99_us', value: NaN }, { timeNs: 2_000_000_000, metric: 'x/p99_us', value: 0.1 + 0.2 }],
  };
  const outcome = decodePart(encodeResultPart(0, odd));
  if (!('result' in outcome)) throw new Error('decoded as a failure');
  assert.equal(outcome.result.summary.map((c) => c.column), odd.summary.map((c) => c.column));
  outcome.result.summary.forEach((c, i) => assert.ok(Object.is(c.value, odd.summary[i]!.value), c.column));
  assert.ok(Number.isNaN(outcome.result.series[0]!.value));
  assert.is(outcome.result.series[1]!.value, 0.1 + 0.2);
  assert.is(runsCsv([outcome.result]), runsCsv([odd]));
});

test('a failed run is stored with its error, id and seed', () => {
  const outcome = decodePart(encodeErrorPart(3, runs[3]!, 'boom: "quoted", with comma'));
  assert.ok('error' in outcome);
  if (!('error' in outcome)) return;
  assert.is(outcome.error, 'boom: "quoted", with comma');
  assert.is(outcome.run.id, runs[3]!.id);
  assert.is(outcome.run.seed, runs[3]!.seed);
  assert.is(outcome.index, 3);
});

test('every truncation of a part is rejected, never read as a (shorter) finished run', () => {
  const text = encodeResultPart(0, results[0]!);
  const cuts = new Set([0, 1, 10, Math.floor(text.length / 2), text.length - 3, text.length - 2]);
  for (let i = 0; i < 40; i++) cuts.add(Math.floor((text.length * i) / 40));
  for (const cut of cuts) {
    if (cut >= text.length - 1) continue; // the text ends with "\n" after the closing brace
    assert.throws(() => decodePart(text.slice(0, cut)), undefined, `cut at ${cut} of ${text.length}`);
  }
});

test('part file names: the canonical index zero-padded to at least six digits, read back by partIndexOf', () => {
  assert.is(partFileName(12, 40), '000012.json');
  assert.is(partFileName(12, 2_000_000), '0000012.json');
  assert.is(partIndexOf('000012.json'), 12);
  assert.is(partIndexOf('.000012.json.1234.tmp'), undefined, 'a temporary file is not a finished part');
  assert.is(partIndexOf('notes.txt'), undefined);
});

test.run();
