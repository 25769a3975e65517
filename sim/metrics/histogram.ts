/**
 * Log-linear latency histogram (HdrHistogram-style) with a stated quantile error bound.
 *
 * Bucketing. A value v ≥ 2^-32 is split as a binary float, v = 2^e × (1 + f) with 0 ≤ f < 1:
 * the exponent e picks an octave [2^e, 2^(e+1)) and the top k bits of the fraction f pick one
 * of 2^k equal-width linear sub-buckets in it (k = `subBucketBits`, default 7). Bucket bounds
 * are therefore [2^e (1 + j/2^k), 2^e (1 + (j+1)/2^k)) — a width of at most 2^-k of any value
 * inside. Octaves cover [2^-32, 2^64) (values up to 1.8e19, far past 2^53); 0 and values below
 * 2^-32 share one extra bucket. The bucket index comes straight from the IEEE-754 bits (one
 * store to a shared scratch Float64Array, one 32-bit read), so `record` is O(1) and allocates
 * nothing. Counts live in one Float64Array (exact up to 2^53 records per bucket, no overflow)
 * allocated in the constructor: 96 × 2^k + 1 buckets (12 289 = 96 KiB for k = 7).
 *
 * Reported value of a bucket: its LOWER bound, raised to the recorded minimum if that is larger
 * (the minimum lies in or below every non-empty bucket, so this never overshoots). The maximum
 * rank reports the exact recorded maximum.
 *
 * Quantile definition and error bound. `quantile(q)` estimates the nearest-rank sample quantile
 * x = sorted[r − 1] with r = max(1, ⌈q·n⌉) ({@link quantileRank}). The bucket holding x is the
 * first whose cumulative count reaches r, and x lies at most one bucket width above its lower
 * bound, so for x ≥ 2^-32 the reported value Q satisfies
 *
 *     x · (1 − 2^-k) < Q ≤ x        (k = 7: relative error < 2^-7 = 0.78125 %, always low)
 *
 * and Q = x exactly when x = 0, when x is the minimum or maximum, and when x has at most k + 1
 * significant bits — in particular every integer below 2^(k+1) (0..255 for k = 7), the linear
 * region where buckets are one unit wide or narrower. Positive values below 2^-32 are below
 * resolution and reported as 0 (or as the minimum), outside the bound.
 *
 * `mean` is exact: a running sum divided by the count (exact for integer values while the sum
 * stays below 2^53). `min` and `max` are the exact recorded extremes.
 */

const MIN_EXPONENT = -32;
const MAX_EXPONENT = 64;
/** Smallest value with relative-error resolution; positive values below it count as 0. */
export const HISTOGRAM_MIN_RESOLVED = 2 ** MIN_EXPONENT;
/** Values must be below this (2^64); larger ones are rejected. */
export const HISTOGRAM_MAX_VALUE = 2 ** MAX_EXPONENT;
/** Default sub-bucket bits k: relative quantile error < 2^-7 = 0.78 %. */
export const DEFAULT_SUB_BUCKET_BITS = 7;

/** Shared scratch to read a double's bits: the exponent and top fraction bits sit in one 32-bit word. */
const SCRATCH = new Float64Array(1);
const WORDS = new Uint32Array(SCRATCH.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Options of a {@link LatencyHistogram}. */
export interface HistogramOptions {
  /** k: linear sub-buckets per octave = 2^k; quantile relative error < 2^-k. Integer 1..12, default 7. */
  subBucketBits?: number;
}

/** One point of a histogram's cumulative distribution. */
export interface CdfPoint {
  /** Exclusive upper bound of a non-empty bucket. */
  readonly upperBound: number;
  /** Fraction of recorded values below `upperBound` (that bucket and all lower ones). */
  readonly fraction: number;
}

/**
 * Rank (1-based) of the nearest-rank q-quantile among n sorted samples: max(1, ⌈q·n⌉).
 * @throws RangeError when q is outside [0, 1].
 */
export function quantileRank(q: number, n: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`Quantile ${q} is outside [0, 1]`);
  return Math.max(1, Math.ceil(q * n));
}

/** Histogram of non-negative values with O(1) allocation-free recording and bounded-error quantiles. */
export class LatencyHistogram {
  /** k: sub-bucket bits; quantiles are within a factor (1 − 2^-k, 1] of the sample quantile. */
  readonly subBucketBits: number;
  /** Number of buckets (including the zero bucket, index 0). */
  readonly bucketCount: number;
  private readonly counts: Float64Array;
  private readonly shift: number;
  private readonly mask: number;
  private n = 0;
  private total = 0;
  private minValue = Infinity;
  private maxValue = -Infinity;
  private resetCount = 0;

  /** @throws RangeError when `subBucketBits` is not an integer in 1..12. */
  constructor(options: HistogramOptions = {}) {
    const k = options.subBucketBits ?? DEFAULT_SUB_BUCKET_BITS;
    if (!(Number.isInteger(k) && k >= 1 && k <= 12)) {
      throw new RangeError(`subBucketBits ${k} must be an integer in 1..12`);
    }
    this.subBucketBits = k;
    this.shift = 20 - k;
    this.mask = (1 << k) - 1;
    this.bucketCount = 1 + ((MAX_EXPONENT - MIN_EXPONENT) << k);
    this.counts = new Float64Array(this.bucketCount);
  }

  /**
   * Records one value. O(1), no allocation.
   * @throws RangeError when v is negative, NaN, or ≥ 2^64.
   */
  record(v: number): void {
    if (!(v >= 0 && v < HISTOGRAM_MAX_VALUE)) {
      throw new RangeError(`LatencyHistogram.record(${v}): values must be in [0, 2^64)`);
    }
    const i = this.bucketIndex(v);
    this.counts[i] = this.counts[i]! + 1;
    this.n++;
    this.total += v;
    if (v < this.minValue) this.minValue = v;
    if (v > this.maxValue) this.maxValue = v;
  }

  /** Number of values recorded since creation or the last reset. */
  get count(): number {
    return this.n;
  }

  /** Running sum of the recorded values. */
  get sum(): number {
    return this.total;
  }

  /** Exact mean of the recorded values; NaN when empty. */
  get mean(): number {
    return this.n === 0 ? NaN : this.total / this.n;
  }

  /** Smallest recorded value (exact); NaN when empty. */
  get min(): number {
    return this.n === 0 ? NaN : this.minValue;
  }

  /** Largest recorded value (exact); NaN when empty. */
  get max(): number {
    return this.n === 0 ? NaN : this.maxValue;
  }

  /** How many times {@link reset} has run; lets interval readers notice a reset. */
  get resets(): number {
    return this.resetCount;
  }

  /**
   * Estimate of the nearest-rank q-quantile, within the bound stated in the file comment
   * (e.g. p99 = quantile(0.99)). NaN when empty.
   * @throws RangeError when q is outside [0, 1].
   */
  quantile(q: number): number {
    const rank = quantileRank(q, this.n);
    if (this.n === 0) return NaN;
    if (rank >= this.n) return this.maxValue;
    const last = this.bucketIndex(this.maxValue);
    let cumulative = 0;
    for (let i = this.bucketIndex(this.minValue); i <= last; i++) {
      cumulative += this.counts[i]!;
      if (cumulative >= rank) return Math.max(this.bucketLowerBound(i), this.minValue);
    }
    return this.maxValue; // unreachable: the last bucket holds the maximum
  }

  /**
   * The cumulative distribution: one point per non-empty bucket, ascending, the last with
   * fraction 1. Empty when nothing is recorded. Allocates; meant for reports, not hot paths.
   */
  cdf(): CdfPoint[] {
    const points: CdfPoint[] = [];
    if (this.n === 0) return points;
    const last = this.bucketIndex(this.maxValue);
    let cumulative = 0;
    for (let i = this.bucketIndex(this.minValue); i <= last; i++) {
      const c = this.counts[i]!;
      if (c === 0) continue;
      cumulative += c;
      points.push({ upperBound: this.bucketUpperBound(i), fraction: cumulative / this.n });
    }
    return points;
  }

  /** Forgets every recorded value (e.g. after a warm-up period). */
  reset(): void {
    if (this.n > 0) this.counts.fill(0, this.bucketIndex(this.minValue), this.bucketIndex(this.maxValue) + 1);
    this.n = 0;
    this.total = 0;
    this.minValue = Infinity;
    this.maxValue = -Infinity;
    this.resetCount++;
  }

  /** Index of the bucket holding v (v in [0, 2^64)); monotone non-decreasing in v. */
  bucketIndex(v: number): number {
    if (v < HISTOGRAM_MIN_RESOLVED) return 0;
    SCRATCH[0] = v;
    const high = WORDS[HIGH_WORD]!;
    const exponent = (high >>> 20) - 1023;
    return 1 + ((exponent - MIN_EXPONENT) << this.subBucketBits) + ((high >>> this.shift) & this.mask);
  }

  /** Inclusive lower bound of bucket i (0 for the zero bucket); the value it reports. */
  bucketLowerBound(i: number): number {
    if (i <= 0) return 0;
    const j = i - 1;
    const exponent = MIN_EXPONENT + (j >>> this.subBucketBits);
    return ((1 << this.subBucketBits) + (j & this.mask)) * 2 ** (exponent - this.subBucketBits);
  }

  /** Exclusive upper bound of bucket i (2^-32 for the zero bucket). */
  bucketUpperBound(i: number): number {
    if (i <= 0) return HISTOGRAM_MIN_RESOLVED;
    const j = i - 1;
    const exponent = MIN_EXPONENT + (j >>> this.subBucketBits);
    return ((1 << this.subBucketBits) + (j & this.mask) + 1) * 2 ** (exponent - this.subBucketBits);
  }

  /** Number of values recorded in bucket i since the last reset. */
  bucketCountAt(i: number): number {
    return this.counts[i] ?? 0;
  }
}
