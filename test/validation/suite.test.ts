// The slow test (about a minute and a half): the whole built-in validation suite, 198 runs on 2 workers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { csvParseRows } from 'd3-dsv';
import { validationCsv } from '../../sim/cli/validation-command.ts';
import { BUILT_IN_SUITE, runValidationSuite, VALIDATION_COLUMNS, type ValidationRow } from '../../sim/validation/suite.ts';

let rows: ValidationRow[] = [];
let failures: string[] = [];
const progress: [number, number][] = [];

test.before(async () => {
  ({ rows, failures } = await runValidationSuite(BUILT_IN_SUITE, { workers: 2, onDone: (done, total) => progress.push([done, total]) }));
});

test('every run of the suite completes, with progress reported for each', () => {
  assert.equal(failures, []);
  assert.is(progress.length, 198);
  assert.equal(progress.at(-1), [198, 198]);
});

const queueRows = () => rows.filter((r) => r.parameters.startsWith('c='));
const ssdRows = () => rows.filter((r) => r.parameters.startsWith('sf='));

test('15 queueing rows: five models at utilizations 0.5, 0.8 and 0.9, ten replications each', () => {
  assert.is(queueRows().length, 15);
  const models = [...new Set(queueRows().map((r) => r.model))];
  assert.is(models.length, 5);
  for (const model of models) {
    const utilizations = queueRows().filter((r) => r.model === model).map((r) => /rho=([\d.]+)/.exec(r.parameters)?.[1]);
    assert.equal(utilizations, ['0.5', '0.8', '0.9'], model);
  }
  assert.ok(queueRows().every((r) => r.parameters.endsWith('n=10')), 'ten replications per row');
  assert.ok(rows.every((r) => r.source.length > 0), 'every row cites its source');
});

test('16 write-amplification rows: greedy and FIFO at spare factors 0.07 to 0.3 and 32 or 128 pages per block', () => {
  assert.is(ssdRows().length, 16);
  for (const model of ['greedy GC write amplification', 'fifo GC write amplification']) {
    const parameters = ssdRows().filter((r) => r.model === model).map((r) => r.parameters);
    const expected = [32, 128].flatMap((b) => [0.07, 0.1, 0.2, 0.3].map((sf) => `sf=${sf} b=${b} n=3`));
    assert.equal(parameters, expected, model);
  }
  // Spot checks of the references: FIFO does not depend on b; greedy beats FIFO and is worse with larger blocks.
  const find = (model: string, p: string) => ssdRows().find((r) => r.model === model && r.parameters.startsWith(p))!.reference;
  assert.is(find('fifo GC write amplification', 'sf=0.1 b=32'), find('fifo GC write amplification', 'sf=0.1 b=128'));
  assert.ok(find('greedy GC write amplification', 'sf=0.1 b=32') < find('greedy GC write amplification', 'sf=0.1 b=128'));
  assert.ok(find('greedy GC write amplification', 'sf=0.1 b=128') < find('fifo GC write amplification', 'sf=0.1 b=128'));
});

test('the references are the closed forms (spot checks by hand: M/M/1 at 0.9 -> 10 s, M/D/1 at 0.5 -> 1.5 s)', () => {
  const find = (model: string, rho: string) => rows.find((r) => r.model === model && r.parameters.includes(`rho=${rho} `))!;
  assert.ok(Math.abs(find('M/M/1', '0.9').reference - 10) < 1e-6);
  assert.ok(Math.abs(find('M/D/1', '0.5').reference - 1.5) < 1e-9);
  assert.ok(Math.abs(find('M/M/2', '0.8').reference - (6.4 / 9 / 0.4 + 1)) < 1e-6);
});

test('every row passes: relative error within tolerance, and a 95% interval narrower than +-2% of the reference', () => {
  for (const r of rows) {
    const tolerance = r.parameters.startsWith('sf=') ? 0.03 : 0.02;
    const what = `${r.model} ${r.parameters}: simulated ${r.simulated}, reference ${r.reference}, ci [${r.ci95_low}, ${r.ci95_high}]`;
    assert.ok(r.pass, `${what} does not pass`);
    assert.is(r.tolerance, tolerance, what);
    assert.ok(r.rel_error <= r.tolerance, `${what}: rel_error ${r.rel_error}`);
    assert.ok(Math.abs(Math.abs(r.simulated - r.reference) / r.reference - r.rel_error) < 1e-12, what);
    assert.ok(r.ci95_low < r.simulated && r.simulated < r.ci95_high, what);
    assert.ok((r.ci95_high - r.ci95_low) / 2 < 0.02 * r.reference, `${what}: the interval is too wide for a pass to mean anything`);
  }
});

test('validation.csv has exactly the documented columns and one line per row', () => {
  const expected = 'model,parameters,reference,simulated,ci95_low,ci95_high,rel_error,tolerance,pass,source';
  assert.is(VALIDATION_COLUMNS.join(','), expected);
  const text = validationCsv(rows);
  assert.ok(text.endsWith('\n'));
  const [header, ...lines] = csvParseRows(text.slice(0, -1));
  assert.is(header!.join(','), expected);
  assert.is(lines.length, 31);
  assert.ok(lines.every((line) => line.length === 10 && line[8] === 'true'));
  assert.equal(lines.map((line) => line[0]), rows.map((r) => r.model));
});

test.run();
