import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normalQuantile, studentTQuantile } from '../../sim/stats/student-t.ts';

// Published two-sided critical values t(p, df), four decimals: Abramowitz & Stegun (1964),
// Table 26.10, and any standard t table (e.g. NIST/SEMATECH e-Handbook, Table 1.4.2.7.3).
const TABLE: Record<string, Record<number, number>> = {
  '0.95': { 1: 6.3138, 2: 2.92, 5: 2.015, 10: 1.8125, 30: 1.6973, 60: 1.6706, 120: 1.6577 },
  '0.975': { 1: 12.7062, 2: 4.3027, 5: 2.5706, 9: 2.2622, 10: 2.2281, 29: 2.0452, 30: 2.0423, 31: 2.0395, 40: 2.0211, 60: 2.0003, 120: 1.9799 },
  '0.99': { 1: 31.8205, 5: 3.3649, 10: 2.7638, 30: 2.4573, 60: 2.3901, 120: 2.3578 },
  '0.995': { 1: 63.6567, 2: 9.9248, 3: 5.8409, 5: 4.0321, 10: 3.1693, 30: 2.75, 31: 2.744, 60: 2.6603, 120: 2.6174 },
};

for (const [p, row] of Object.entries(TABLE)) {
  test(`t quantiles at p = ${p} match the published table to 1e-3 (df ${Object.keys(row).join(', ')})`, () => {
    for (const [df, expected] of Object.entries(row)) {
      const actual = studentTQuantile(Number(p), Number(df));
      assert.ok(Math.abs(actual - expected) <= 1e-3, `t(${p}, ${df}) = ${actual}, table ${expected}`);
    }
  });
}

test('at 0.975 the tabulated values are returned exactly for df <= 30', () => {
  assert.is(studentTQuantile(0.975, 1), 12.7062);
  assert.is(studentTQuantile(0.975, 9), 2.2622);
  assert.is(studentTQuantile(0.975, 30), 2.0423);
});

test('df 1 is the Cauchy distribution: t = tan(pi (p - 1/2))', () => {
  for (const p of [0.6, 0.9, 0.995, 0.9995]) {
    const exact = Math.tan(Math.PI * (p - 0.5));
    assert.ok(Math.abs(studentTQuantile(p, 1) / exact - 1) < 1e-9, `p ${p}`);
  }
});

test('df 2 has the closed form t = (2p - 1) sqrt(2 / (1 - (2p - 1)^2))', () => {
  for (const p of [0.75, 0.95, 0.995]) {
    const a = 2 * p - 1;
    assert.ok(Math.abs(studentTQuantile(p, 2) - a * Math.sqrt(2 / (1 - a * a))) < 1e-9, `p ${p}`);
  }
});

test('quantiles fall with df towards the normal quantile, and rise with p', () => {
  for (const p of [0.9, 0.975, 0.995]) {
    let previous = Infinity;
    for (const df of [1, 2, 3, 5, 10, 20, 30, 31, 60, 120, 1000]) {
      const t = studentTQuantile(p, df);
      assert.ok(t < previous, `p ${p}: t(${df}) = ${t} should be below ${previous}`);
      assert.ok(t > normalQuantile(p));
      previous = t;
    }
    assert.ok(Math.abs(studentTQuantile(p, 1e6) - normalQuantile(p)) < 1e-4);
  }
  for (const df of [1, 7, 30, 45]) assert.ok(studentTQuantile(0.9, df) < studentTQuantile(0.95, df));
});

test('normal quantile: 0.975 -> 1.959964, symmetric, 0.5 -> 0, both tails', () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-6);
  assert.ok(Math.abs(normalQuantile(0.995) - 2.5758293) < 1e-6);
  assert.ok(Math.abs(normalQuantile(0.01) + 2.3263479) < 1e-6, 'lower tail');
  assert.ok(Math.abs(normalQuantile(0.999) - 3.0902323) < 1e-6, 'upper tail');
  assert.is(normalQuantile(0.5), 0);
  assert.ok(Math.abs(normalQuantile(0.2) + normalQuantile(0.8)) < 1e-12);
});

test('out-of-range arguments throw RangeError', () => {
  assert.throws(() => studentTQuantile(0.975, 0), RangeError);
  assert.throws(() => studentTQuantile(0.975, NaN), RangeError);
  assert.throws(() => studentTQuantile(0.5, 5), RangeError);
  assert.throws(() => studentTQuantile(1, 5), RangeError);
  assert.throws(() => normalQuantile(0), RangeError);
  assert.throws(() => normalQuantile(1), RangeError);
});

test.run();
