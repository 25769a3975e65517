import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  generalizedHarmonic,
  generalizedHarmonicOrders,
  HARMONIC_EXACT_LIMIT,
} from '../../../sim/engine/random/harmonic.ts';
import { assertRangeError } from './sample-statistics.ts';

function naiveSum(n: number, t: number): number {
  let sum = 0;
  for (let k = n; k >= 1; k--) sum += k ** -t;
  return sum;
}

function assertRelativelyClose(actual: number, expected: number, tolerance: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.abs(expected), `${label}: ${actual} vs ${expected}`);
}

test('harmonic numbers match closed forms for orders 0, −1, −2 and small sums', () => {
  assertRelativelyClose(generalizedHarmonic(10, 1), 7381 / 2520, 1e-15, 'H(10,1)');
  for (const n of [1, 10, 1000, 5_000_000, 1e12]) {
    assertRelativelyClose(generalizedHarmonic(n, 0), n, 1e-14, `H(${n},0)`);
    assertRelativelyClose(generalizedHarmonic(n, -1), (n * (n + 1)) / 2, 1e-14, `H(${n},−1)`);
    assertRelativelyClose(generalizedHarmonic(n, -2), (n * (n + 1) * (2 * n + 1)) / 6, 1e-14, `H(${n},−2)`);
  }
});

test('Euler–Maclaurin above the exact limit agrees with direct summation', () => {
  const n = 1_200_000;
  for (const t of [-1.5, -0.9, 0.5, 1, 1.01, 1.1, 3.5]) {
    assertRelativelyClose(generalizedHarmonic(n, t), naiveSum(n, t), 1e-12, `H(${n},${t})`);
  }
});

test('harmonic numbers continue smoothly across the exact/approximate boundary', () => {
  const n = HARMONIC_EXACT_LIMIT;
  for (const t of [0.5, 1, 1.1, 2]) {
    const step = generalizedHarmonic(n + 1, t) - generalizedHarmonic(n, t);
    assertRelativelyClose(step, (n + 1) ** -t, 1e-3, `step at t=${t}`);
  }
});

test('consecutive orders in one pass equal separate evaluations', () => {
  for (const n of [1000, 3_000_000]) {
    const orders = generalizedHarmonicOrders(n, 1.3, 4);
    orders.forEach((sum, j) => assertRelativelyClose(sum, generalizedHarmonic(n, 1.3 - j), 1e-14, `order ${j}`));
  }
});

test('harmonic numbers of order above 1 approach ζ(t)', () => {
  assertRelativelyClose(generalizedHarmonic(1e15, 2), Math.PI ** 2 / 6, 1e-14, 'ζ(2)');
  assertRelativelyClose(generalizedHarmonic(1e15, 4), Math.PI ** 4 / 90, 1e-14, 'ζ(4)');
});

test('harmonic numbers reject invalid arguments', () => {
  assertRangeError(() => generalizedHarmonic(0, 1), 'n must be an integer >= 1');
  assertRangeError(() => generalizedHarmonic(2.5, 1), 'n must be an integer >= 1');
  assertRangeError(() => generalizedHarmonic(10, NaN), 't must be a finite number');
});

test.run();
