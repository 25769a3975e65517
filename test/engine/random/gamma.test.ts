import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { gamma, logGamma } from '../../../sim/engine/random/gamma.ts';

function assertRelativelyClose(actual: number, expected: number, tolerance: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.abs(expected), `${label}: ${actual} vs ${expected}`);
}

test('gamma of positive integers is the factorial of one less', () => {
  let factorial = 1;
  for (let n = 1; n <= 25; n++) {
    assertRelativelyClose(gamma(n), factorial, 1e-14, `Γ(${n})`);
    factorial *= n;
  }
});

test('gamma matches known half-integer and reflected values', () => {
  const sqrtPi = Math.sqrt(Math.PI);
  assertRelativelyClose(gamma(0.5), sqrtPi, 1e-14, 'Γ(1/2)');
  assertRelativelyClose(gamma(1.5), sqrtPi / 2, 1e-14, 'Γ(3/2)');
  assertRelativelyClose(gamma(-0.5), -2 * sqrtPi, 1e-14, 'Γ(−1/2)');
  assertRelativelyClose(gamma(1 / 3), 2.678938534707747633, 1e-14, 'Γ(1/3)');
});

test('gamma stays finite up to its overflow point and is Infinity beyond', () => {
  assertRelativelyClose(gamma(171), 7.257415615307999e306, 1e-12, 'Γ(171)');
  assert.is(gamma(172), Infinity);
  assert.ok(Number.isNaN(gamma(0)) && Number.isNaN(gamma(-3)) && Number.isNaN(gamma(NaN)));
});

test('logGamma matches known values, including near its zeros', () => {
  assertRelativelyClose(logGamma(100), 359.13420536957539878, 1e-14, 'lnΓ(100)');
  assertRelativelyClose(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14, 'lnΓ(1/2)');
  assertRelativelyClose(logGamma(1e6), 12815504.569147612, 1e-14, 'lnΓ(1e6)');
  assert.ok(Math.abs(logGamma(1)) < 1e-14 && Math.abs(logGamma(2)) < 1e-14);
  // lnΓ(x) ≈ −ln x − γx for tiny x
  assertRelativelyClose(logGamma(1e-10), -Math.log(1e-10) - 0.5772156649015329e-10, 1e-14, 'lnΓ(1e-10)');
  assert.is(logGamma(0), Infinity);
  assert.ok(Number.isNaN(logGamma(-1)));
});

test('gamma satisfies Γ(x+1) = xΓ(x) and agrees with exp(lnΓ)', () => {
  fc.assert(
    fc.property(fc.double({ min: 0.01, max: 150, noNaN: true }), (x) => {
      assertRelativelyClose(gamma(x + 1), x * gamma(x), 1e-13, `x = ${x}`);
      assertRelativelyClose(Math.exp(logGamma(x)), gamma(x), 1e-12, `x = ${x}`);
    }),
    { seed: 7, numRuns: 500 },
  );
});

test.run();
