/**
 * Generalised harmonic numbers H(n, t) = Σ_{k=1..n} k^(−t), for any real t.
 * They normalise the Zipf distribution and give its moments.
 */
import { requireFinite, requireSafeIntegerAtLeast } from './parameter-checks.ts';

/** Up to this n the sum is computed term by term (compensated); above it, Euler–Maclaurin. */
export const HARMONIC_EXACT_LIMIT = 1_000_000;

/** Terms 1..HEAD−1 are always summed directly; Euler–Maclaurin covers HEAD..n. */
const EULER_MACLAURIN_HEAD = 1000;

/**
 * Σ_{k=from..to} k^(j−t) for j = 0..orders−1 in one pass (one exp and one log per k),
 * each Neumaier-compensated so accuracy does not depend on the order of magnitudes.
 */
function directSums(from: number, to: number, t: number, orders: number): number[] {
  const sums = new Float64Array(orders);
  const compensations = new Float64Array(orders);
  for (let k = to; k >= from; k--) {
    let term = Math.exp(-t * Math.log(k));
    for (let j = 0; j < orders; j++) {
      const sum = sums[j]!;
      const next = sum + term;
      compensations[j]! += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
      sums[j] = next;
      term *= k;
    }
  }
  return Array.from(sums, (sum, j) => sum + compensations[j]!);
}

/** expm1(y)/y, continuous at y = 0. */
function expm1OverX(y: number): number {
  return Math.abs(y) > 1e-8 ? Math.expm1(y) / y : 1 + y * (0.5 + y / 6);
}

/**
 * Σ_{k=a..b} k^(−t) by Euler–Maclaurin with three Bernoulli correction terms:
 * ∫_a^b x^(−t) dx + (f(a) + f(b))/2 + Σ_j B_2j/(2j)!·(f^(2j−1)(b) − f^(2j−1)(a)).
 * With a = 1000 the neglected remainder is far below double precision for any t a
 * caller would use (it vanishes entirely for t = 0, −1, −2, the orders Zipf moments need
 * at s = 2).
 */
function eulerMaclaurinSum(a: number, b: number, t: number): number {
  const logRatio = Math.log(b / a);
  // ∫_a^b x^(−t) dx = a^(1−t)·L·expm1((1−t)L)/((1−t)L), L = ln(b/a): stable near t = 1.
  const integral = Math.pow(a, 1 - t) * logRatio * expm1OverX((1 - t) * logRatio);
  const fa = Math.pow(a, -t);
  const fb = Math.pow(b, -t);
  // f'(x) = −t·x^(−t−1); f'''(x) = −t(t+1)(t+2)·x^(−t−3); f^(5)(x) = −t(t+1)…(t+4)·x^(−t−5)
  const c1 = -t;
  const c3 = c1 * (t + 1) * (t + 2);
  const c5 = c3 * (t + 3) * (t + 4);
  const derivativeGap = (c: number, order: number) =>
    c * (Math.pow(b, -t - order) - Math.pow(a, -t - order));
  return (
    integral +
    (fa + fb) / 2 +
    derivativeGap(c1, 1) / 12 -
    derivativeGap(c3, 3) / 720 +
    derivativeGap(c5, 5) / 30240
  );
}

/**
 * H(n, t − j) = Σ_{k=1..n} k^(j−t) for j = 0..orders−1, i.e. the consecutive orders t,
 * t − 1, t − 2, … that normalise a Zipf(n, t) distribution and give its raw moments
 * (E[K^j] = H(n, t − j)/H(n, t)).
 *
 * Exact (compensated summation, O(n)) for n <= {@link HARMONIC_EXACT_LIMIT}; above that
 * the first 999 terms are summed and the rest approximated by Euler–Maclaurin, O(1) and
 * accurate to a few parts in 1e15 (measured against compensated sums up to n = 3e6).
 * May overflow to Infinity for very negative orders and huge n.
 *
 * @param n number of terms, integer >= 1
 * @param t exponent of the first order, any finite real
 * @param orders how many consecutive orders to return, integer >= 1
 */
export function generalizedHarmonicOrders(n: number, t: number, orders: number): number[] {
  requireSafeIntegerAtLeast('generalizedHarmonic', 'n', n, 1);
  requireFinite('generalizedHarmonic', 't', t);
  requireSafeIntegerAtLeast('generalizedHarmonic', 'orders', orders, 1);
  if (n <= HARMONIC_EXACT_LIMIT) return directSums(1, n, t, orders);
  const head = directSums(1, EULER_MACLAURIN_HEAD - 1, t, orders);
  return head.map((sum, j) => sum + eulerMaclaurinSum(EULER_MACLAURIN_HEAD, n, t - j));
}

/**
 * H(n, t) = Σ_{k=1..n} k^(−t): exact for n <= {@link HARMONIC_EXACT_LIMIT}, Euler–Maclaurin
 * above (see {@link generalizedHarmonicOrders}).
 *
 * @param n number of terms, integer >= 1
 * @param t exponent, any finite real (t = 0 gives n; t = −1 gives n(n+1)/2)
 */
export function generalizedHarmonic(n: number, t: number): number {
  return generalizedHarmonicOrders(n, t, 1)[0]!;
}
