import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { meanInterval } from '../../sim/stats/confidence.ts';
import { excludesZero, pairedDifference } from '../../sim/stats/paired.ts';

// References: the paired-t confidence interval (Law, Simulation Modeling and Analysis, 5th ed.,
// section 10.2.1): the one-sample t interval of the per-seed differences. Critical values
// t(0.975, 1) = 12.7062 and t(0.975, 2) = 4.302653 from Abramowitz & Stegun Table 26.10.

const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected} ± ${tolerance}`);

const bySeed = (values: readonly number[], firstSeed = 1) => new Map(values.map((v, i) => [firstSeed + i, v]));

test('baseline [10, 12, 14], policy [11, 14, 15] on seeds 1..3: mean difference 4/3, interval [-0.101, 2.768], not significant', () => {
  // By hand: differences [1, 2, 1]; mean 4/3; squared deviations 1/9 + 4/9 + 1/9 = 2/3;
  // s = sqrt((2/3) / 2) = sqrt(1/3) = 0.577350; half-width 4.302653 * 0.577350 / sqrt(3) = 1.434218;
  // interval [1.333333 - 1.434218, 1.333333 + 1.434218] = [-0.100884, 2.767551]; it holds 0.
  // Baseline mean over the pairs 12, so the relative change is (4/3) / 12 = 0.111111.
  const d = pairedDifference(bySeed([11, 14, 15]), bySeed([10, 12, 14]));
  assert.is(d.n, 3);
  near(d.mean, 4 / 3, 1e-12, 'mean');
  near(d.stddev, 0.57735, 1e-5, 'stddev');
  near(d.low, -0.100884, 2e-4, 'low');
  near(d.high, 2.767551, 2e-4, 'high');
  near(d.baselineMean, 12, 1e-12, 'baseline mean');
  near(d.relativeChange, 0.111111, 1e-6, 'relative change');
  assert.is(d.significant, false);
});

test('differences [1, 1.2, 0.8] are significant although the two samples overlap widely', () => {
  // By hand: mean 1; deviations 0, 0.2, -0.2; s = sqrt(0.08 / 2) = 0.2;
  // half-width 4.302653 * 0.2 / sqrt(3) = 0.496828; interval [0.503172, 1.496828] excludes 0.
  // The unpaired 95% intervals of the means, 12 ± 4.968 and 13 ± 4.968, overlap almost entirely:
  // pairing on seeds is what removes the workload's variation.
  const d = pairedDifference(bySeed([11, 13.2, 14.8]), bySeed([10, 12, 14]));
  near(d.mean, 1, 1e-12, 'mean');
  near(d.stddev, 0.2, 1e-12, 'stddev');
  near(d.low, 0.503172, 2e-4, 'low');
  near(d.high, 1.496828, 2e-4, 'high');
  assert.is(d.significant, true);
  const base = meanInterval([10, 12, 14]);
  const policy = meanInterval([11, 13.2, 14.8]);
  assert.ok(policy.low < base.high && base.low < policy.high, 'unpaired intervals overlap');
});

test('a significant decrease: interval wholly below 0', () => {
  // differences [-2, -3, -4]: mean -3, s 1, half-width 4.302653 / sqrt(3) = 2.484138 → [-5.484, -0.516]
  const d = pairedDifference(bySeed([8, 9, 10]), bySeed([10, 12, 14]));
  near(d.low, -5.484138, 2e-4, 'low');
  near(d.high, -0.515862, 2e-4, 'high');
  assert.is(d.significant, true);
  near(d.relativeChange, -3 / 12, 1e-12, 'relative change');
});

test('seeds present on one side only are ignored; pairs are matched by seed, not by position', () => {
  // treatment seeds 2, 3, 4; baseline seeds 1, 2, 3 (inserted in a different order) → pairs at 2 and 3:
  // differences 13 - 12 = 1 and 16 - 14 = 2; mean 1.5; s = sqrt(0.5) = 0.707107;
  // half-width 12.7062 * 0.707107 / sqrt(2) = 6.3531 → [-4.8531, 7.8531]; baseline mean 13.
  const treatment = new Map([[4, 100], [2, 13], [3, 16]]);
  const baseline = new Map([[3, 14], [1, 10], [2, 12]]);
  const d = pairedDifference(treatment, baseline);
  assert.is(d.n, 2);
  near(d.mean, 1.5, 1e-12, 'mean');
  near(d.low, -4.8531, 1e-3, 'low');
  near(d.high, 7.8531, 1e-3, 'high');
  near(d.baselineMean, 13, 1e-12, 'baseline mean');
  near(d.relativeChange, 1.5 / 13, 1e-12, 'relative change');
});

test('one pair: a mean difference but no interval; no pairs: nothing', () => {
  const one = pairedDifference(new Map([[5, 3]]), new Map([[5, 1], [6, 9]]));
  assert.is(one.n, 1);
  assert.is(one.mean, 2);
  assert.ok(Number.isNaN(one.stddev) && Number.isNaN(one.low) && Number.isNaN(one.high));
  assert.is(one.significant, undefined);
  const none = pairedDifference(new Map([[1, 3]]), new Map([[2, 1]]));
  assert.is(none.n, 0);
  assert.ok([none.mean, none.low, none.high, none.baselineMean, none.relativeChange].every(Number.isNaN));
  assert.is(none.significant, undefined);
});

test('a baseline mean of 0 gives an infinite relative change (or none for a zero difference)', () => {
  assert.is(pairedDifference(bySeed([1, 1]), bySeed([0, 0])).relativeChange, Infinity);
  assert.ok(Number.isNaN(pairedDifference(bySeed([0, 0]), bySeed([0, 0])).relativeChange));
});

test('excludesZero: strict on both sides, undefined for missing or infinite bounds', () => {
  assert.is(excludesZero({ low: 0.1, high: 2 }), true);
  assert.is(excludesZero({ low: -2, high: -0.1 }), true);
  assert.is(excludesZero({ low: 0, high: 2 }), false);
  assert.is(excludesZero({ low: -1, high: 0 }), false);
  assert.is(excludesZero({ low: 0, high: 0 }), false);
  assert.is(excludesZero({ low: NaN, high: NaN }), undefined);
  assert.is(excludesZero({ low: -Infinity, high: 1 }), undefined);
});

// Values by seed, inserted in any order: seeds drawn from a small range so that the two sides overlap partly.
const samples = fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { selector: ([seed]) => seed, maxLength: 12 })
  .map((entries) => new Map(entries));

test('property: the paired interval is the one-sample interval of the differences over common seeds', () => {
  fc.assert(fc.property(samples, samples, (treatment, baseline) => {
    const common = [...treatment.keys()].filter((s) => baseline.has(s)).sort((a, b) => a - b);
    const expected = meanInterval(common.map((s) => treatment.get(s)! - baseline.get(s)!));
    const d = pairedDifference(treatment, baseline);
    assert.equal([d.n, d.mean, d.stddev, d.low, d.high], [expected.n, expected.mean, expected.stddev, expected.low, expected.high]);
  }));
});

test('property: swapping baseline and policy negates the difference and mirrors the interval', () => {
  fc.assert(fc.property(samples, samples, (a, b) => {
    const ab = pairedDifference(a, b);
    const ba = pairedDifference(b, a);
    assert.is(ba.n, ab.n);
    // Object.is distinguishes 0 from -0; compare with === and NaN separately
    const same = (x: number, y: number) => (Number.isNaN(x) ? Number.isNaN(y) : x === y);
    assert.ok(same(ba.mean, -ab.mean), `mean ${ba.mean} vs ${ab.mean}`);
    assert.ok(same(ba.low, -ab.high) && same(ba.high, -ab.low), `[${ba.low}, ${ba.high}] vs [${ab.low}, ${ab.high}]`);
    assert.ok(same(ba.stddev, ab.stddev));
    assert.is(ba.significant, ab.significant);
  }));
});

test('property: a constant integer shift c gives mean c, a zero-width interval, significant iff c is not 0', () => {
  fc.assert(fc.property(
    fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 2, maxLength: 10 }),
    fc.integer({ min: -1000, max: 1000 }),
    (values, c) => {
      const d = pairedDifference(bySeed(values.map((v) => v + c)), bySeed(values));
      assert.is(d.mean, c);
      assert.is(d.stddev, 0);
      assert.equal([d.low, d.high], [c, c]);
      assert.is(d.significant, c !== 0);
    },
  ));
});

test.run();
