/**
 * The bounded Zipf distribution over the ranks 1..n, sampled by rejection-inversion.
 *
 * Method: W. Hörmann and G. Derflinger, "Rejection-inversion to generate variates from
 * monotone discrete distributions", ACM Transactions on Modeling and Computer Simulation
 * 6(3):169–184, 1996 — in the form Apache Commons RNG's RejectionInversionZipfSampler uses,
 * whose hat integral H(x) = (x^(1−s) − 1)/(1 − s) has a limit at s = 1 (ln x) and also works
 * for s = 0. Each sample costs O(1) expected time (a few log/exp calls, rarely a retry) and
 * the sampler keeps O(1) memory, for any n up to 2^53 − 1.
 */
import type { Distribution } from './distribution.ts';
import { generalizedHarmonicOrders } from './harmonic.ts';
import { requireNonNegative, requireSafeIntegerAtLeast } from './parameter-checks.ts';
import type { RandomStream } from './stream.ts';

/** log1p(y)/y, continuous at y = 0. */
function log1pOverX(y: number): number {
  return Math.abs(y) > 1e-8 ? Math.log1p(y) / y : 1 - y * (1 / 2 - y * (1 / 3 - y / 4));
}

/** expm1(y)/y, continuous at y = 0. */
function expm1OverX(y: number): number {
  return Math.abs(y) > 1e-8 ? Math.expm1(y) / y : 1 + y * (1 / 2) * (1 + y * (1 / 3) * (1 + y / 4));
}

/** Hat function h(x) = x^(−s). */
function hat(x: number, s: number): number {
  return Math.exp(-s * Math.log(x));
}

/** H(x) = ∫_1^x h = (x^(1−s) − 1)/(1 − s), written to stay accurate near s = 1. */
function hatIntegral(x: number, s: number): number {
  const logX = Math.log(x);
  return expm1OverX((1 - s) * logX) * logX;
}

/** Inverse of {@link hatIntegral}. */
function hatIntegralInverse(y: number, s: number): number {
  let t = y * (1 - s);
  if (t < -1) t = -1; // rounding can push t just below its true minimum of −1
  return Math.exp(log1pOverX(t) * y);
}

/**
 * Zipf over the integers 1..n with P(K = k) = k^(−s) / H(n, s): rank 1 is the most likely.
 * Subtract 1 for a 0-based index. s = 0 is uniform over 1..n; s = 1 is classic Zipf.
 *
 * Draws the stream's 53-bit uniform (two generator steps) per attempt, because with n in
 * the billions 32-bit resolution would leave many large ranks unreachable.
 *
 * mean = H(n, s−1)/H(n, s) and variance = H(n, s−2)/H(n, s) − mean², with H computed
 * exactly for n <= 1e6 and by Euler–Maclaurin above (see generalizedHarmonicOrders). They
 * are computed on first access (O(n) for n <= 1e6: tens of ms at 1e6) and cached.
 */
export class ZipfDistribution implements Distribution {
  readonly kind = 'zipf';
  /** Number of ranks; samples are integers in [1, n]. */
  readonly n: number;
  /** Exponent s >= 0 (dimensionless). */
  readonly exponent: number;
  private readonly hatIntegralAtN: number;
  private readonly hatIntegralSpan: number;
  /** Acceptance shortcut: k − x <= this implies acceptance (Theorem 2 of the paper). */
  private readonly squeeze: number;
  private momentsComputed = false;
  private cachedMean = NaN;
  private cachedVariance = NaN;

  /**
   * @param n number of ranks, integer in [1, 2^53 − 1]
   * @param exponent s, finite, >= 0
   */
  constructor(n: number, exponent: number) {
    requireSafeIntegerAtLeast('zipf', 'n', n, 1);
    requireNonNegative('zipf', 'exponent', exponent);
    this.n = n;
    this.exponent = exponent;
    const hatIntegralAtOne = hatIntegral(1.5, exponent) - 1;
    this.hatIntegralAtN = hatIntegral(n + 0.5, exponent);
    this.hatIntegralSpan = hatIntegralAtOne - this.hatIntegralAtN;
    this.squeeze =
      2 - hatIntegralInverse(hatIntegral(2.5, exponent) - hat(2, exponent), exponent);
  }

  /** Mean rank. */
  get mean(): number {
    if (!this.momentsComputed) this.computeMoments();
    return this.cachedMean;
  }

  /** Variance of the rank. */
  get variance(): number {
    if (!this.momentsComputed) this.computeMoments();
    return this.cachedVariance;
  }

  sample(rng: RandomStream): number {
    const s = this.exponent;
    for (;;) {
      // y is uniform on (H(1.5) − 1, H(n + 0.5)].
      const y = this.hatIntegralAtN + rng.nextDouble() * this.hatIntegralSpan;
      const x = hatIntegralInverse(y, s);
      let k = Math.floor(x + 0.5);
      if (k < 1) k = 1;
      else if (k > this.n) k = this.n;
      if (k - x <= this.squeeze || y >= hatIntegral(k + 0.5, s) - hat(k, s)) return k;
    }
  }

  private computeMoments(): void {
    const sums = generalizedHarmonicOrders(this.n, this.exponent, 3);
    const norm = sums[0]!;
    const mean = sums[1]! / norm;
    const secondMoment = sums[2]! / norm;
    this.cachedMean = mean;
    this.cachedVariance = Math.max(0, secondMoment - mean * mean);
    this.momentsComputed = true;
  }
}

/**
 * Bounded Zipf over ranks 1..n with exponent s.
 * @param n number of ranks (e.g. blocks or objects), integer >= 1
 * @param exponent s >= 0
 */
export function zipf(n: number, exponent: number): ZipfDistribution {
  return new ZipfDistribution(n, exponent);
}
