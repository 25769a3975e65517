import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { distributionFromSpec } from '../../sim/scenario/distribution-spec.ts';
import { loadUnits } from '../../sim/scenario/units.ts';

const units = await loadUnits();
const toNs = (value: string | number) => units.quantity(value, 'time');

function close(actual: number, expected: number, relative = 1e-12, message?: string): void {
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), message ?? `${actual} should be within ${relative} (relative) of ${expected}`);
}

/** Every distribution kind, written as in a scenario, with its engine kind, mean and variance in ns. */
const CASES: { spec: Record<string, unknown>; kind: string; mean: number; variance?: number }[] = [
  { spec: { dist: 'constant', value: '3ms' }, kind: 'constant', mean: 3e6, variance: 0 },
  { spec: { dist: 'uniform', min: '1s', max: '3s' }, kind: 'uniform', mean: 2e9, variance: (2e9) ** 2 / 12 },
  { spec: { dist: 'exponential', mean: '1.5s' }, kind: 'exponential', mean: 1.5e9, variance: (1.5e9) ** 2 },
  { spec: { dist: 'normal', mean: '2s', stddev: '100ms' }, kind: 'normal', mean: 2e9, variance: (1e8) ** 2 },
  { spec: { dist: 'lognormal', mean: '1s', stddev: '2s' }, kind: 'lognormal', mean: 1e9, variance: (2e9) ** 2 },
  { spec: { dist: 'pareto', scale: '1s', shape: 3 }, kind: 'pareto', mean: 1.5e9 },
  { spec: { dist: 'weibull', scale: '1s', shape: 1 }, kind: 'weibull', mean: 1e9 },
  { spec: { dist: 'weibull', scale: '2s', shape: 2 }, kind: 'weibull', mean: 2e9 * (Math.sqrt(Math.PI) / 2) },
  { spec: { dist: 'empirical', points: ['1s', '2s', '6s'] }, kind: 'empirical-points', mean: 3e9 },
  {
    spec: { dist: 'empirical', histogram: [{ low: '0s', high: '2s', weight: 1 }, { low: '2s', high: '4s', weight: 3 }] },
    kind: 'empirical-histogram',
    mean: 0.25 * 1e9 + 0.75 * 3e9,
  },
];

for (const { spec, kind, mean, variance } of CASES) {
  test(`${JSON.stringify(spec)} is a ${kind} distribution with mean ${mean} ns`, () => {
    const d = distributionFromSpec(spec, toNs);
    assert.is(d.kind, kind);
    close(d.mean, mean, 1e-9);
    if (variance !== undefined) close(d.variance, variance, 1e-9, `variance ${d.variance} vs ${variance}`);
  });
}

test('every dimensioned parameter goes through the converter; shapes and weights do not', () => {
  const seen: (string | number)[] = [];
  const spy = (value: string | number) => {
    seen.push(value);
    return toNs(value);
  };
  distributionFromSpec({ dist: 'pareto', scale: '1s', shape: 2.5 }, spy);
  distributionFromSpec({ dist: 'weibull', scale: '2s', shape: 1.5 }, spy);
  distributionFromSpec({ dist: 'empirical', histogram: [{ low: '1s', high: '2s', weight: 7 }] }, spy);
  distributionFromSpec({ dist: 'normal', mean: '5s', stddev: '1s' }, spy);
  assert.equal(seen, ['1s', '2s', '1s', '2s', '5s', '1s']);
});

test('the converter decides the unit: the same spec read as a size gives bytes', () => {
  const d = distributionFromSpec({ dist: 'uniform', min: '1KiB', max: '3KiB' }, (v) => units.quantity(v, 'size'));
  assert.is(d.mean, 2048);
});

test('empirical needs exactly one of "points" or "histogram"', () => {
  for (const spec of [
    { dist: 'empirical' },
    { dist: 'empirical', points: ['1s'], histogram: [{ low: '0s', high: '1s', weight: 1 }] },
  ]) {
    assert.throws(() => distributionFromSpec(spec, toNs), (e: Error) => e instanceof RangeError && e.message === 'empirical: give exactly one of "points" or "histogram"');
  }
});

test('parameter ranges the schema cannot express are RangeErrors from the distribution', () => {
  assert.throws(() => distributionFromSpec({ dist: 'uniform', min: '2s', max: '1s' }, toNs), (e: Error) => e instanceof RangeError && /uniform: max must be > min/.test(e.message));
  assert.throws(() => distributionFromSpec({ dist: 'lognormal', mean: '0s', stddev: '1s' }, toNs), (e: Error) => e instanceof RangeError && /lognormal: mean must be > 0/.test(e.message));
  assert.throws(() => distributionFromSpec({ dist: 'exponential', mean: '-1s' }, toNs), RangeError);
});

test('a lognormal or normal with stddev "0s" is the degenerate (constant) distribution, not an error', () => {
  // The engine documents stddev >= 0 (0 gives the constant mean); the scenario layer passes it through.
  const lognormal = distributionFromSpec({ dist: 'lognormal', mean: '1s', stddev: '0s' }, toNs);
  close(lognormal.mean, 1e9);
  assert.is(lognormal.variance, 0);
  assert.is(distributionFromSpec({ dist: 'normal', mean: '1s', stddev: '0s' }, toNs).variance, 0);
});

test('an unknown "dist" is a RangeError naming it', () => {
  assert.throws(() => distributionFromSpec({ dist: 'gamma', shape: 2 }, toNs), (e: Error) => e instanceof RangeError && e.message === 'unknown distribution "gamma"');
});

test.run();
