/**
 * Empirical distribution given as a weighted histogram: piecewise uniform.
 */
import type { Distribution } from './distribution.ts';
import { nextDown } from './next-down.ts';
import { requireFinite, requireNonNegative } from './parameter-checks.ts';
import type { RandomStream } from './stream.ts';

/** One histogram bin: values in [low, high) carrying relative weight `weight`. */
export interface HistogramBin {
  /** Inclusive lower edge (caller's units). */
  readonly low: number;
  /** Exclusive upper edge (caller's units); equal to `low` for a point mass. */
  readonly high: number;
  /** Relative weight >= 0 (need not be normalised). */
  readonly weight: number;
}

/**
 * Picks a bin with probability weight/Σweight, then a uniform point in [low, high). Both
 * come from one 53-bit uniform by inverting the piecewise-linear CDF (binary search over
 * cumulative weights, O(log bins)), so the sample is monotone in the uniform. Bins need not
 * be sorted and may overlap (the result is then the weighted mixture); a bin with
 * low = high is a point mass at low; zero-weight bins are never drawn.
 *
 * mean = Σ p_i (low_i + high_i)/2; variance = Σ p_i [(high_i − low_i)²/12 + (mid_i − mean)²].
 */
export class EmpiricalHistogramDistribution implements Distribution {
  readonly kind = 'empirical-histogram';
  readonly mean: number;
  readonly variance: number;
  private readonly lows: Float64Array;
  private readonly widths: Float64Array;
  private readonly weights: Float64Array;
  private readonly cumulativeWeights: Float64Array;
  /** Largest value each bin may return (just below high; low for point masses). */
  private readonly maxima: Float64Array;
  private readonly totalWeight: number;
  private readonly lastDrawableBin: number;

  /** @param bins at least one bin, with finite edges, low <= high, and positive total weight */
  constructor(bins: readonly HistogramBin[]) {
    if (!Array.isArray(bins) || bins.length === 0) {
      throw new RangeError('empirical histogram: bins must be a non-empty array');
    }
    const count = bins.length;
    this.lows = new Float64Array(count);
    this.widths = new Float64Array(count);
    this.weights = new Float64Array(count);
    this.cumulativeWeights = new Float64Array(count);
    this.maxima = new Float64Array(count);
    let total = 0;
    let lastDrawable = -1;
    bins.forEach((bin, i) => {
      const name = `bins[${i}]`;
      requireFinite('empirical histogram', `${name}.low`, bin.low);
      requireFinite('empirical histogram', `${name}.high`, bin.high);
      requireNonNegative('empirical histogram', `${name}.weight`, bin.weight);
      if (!(bin.high >= bin.low) || !Number.isFinite(bin.high - bin.low)) {
        throw new RangeError(`empirical histogram: ${name} needs low <= high, got [${bin.low}, ${bin.high})`);
      }
      this.lows[i] = bin.low;
      this.widths[i] = bin.high - bin.low;
      this.weights[i] = bin.weight;
      this.maxima[i] = bin.high > bin.low ? nextDown(bin.high) : bin.low;
      total += bin.weight;
      this.cumulativeWeights[i] = total;
      if (bin.weight > 0) lastDrawable = i;
    });
    if (!(total > 0) || !Number.isFinite(total)) {
      throw new RangeError(`empirical histogram: total weight must be finite and > 0, got ${total}`);
    }
    this.totalWeight = total;
    this.lastDrawableBin = lastDrawable;

    let mean = 0;
    for (const bin of bins) mean += (bin.weight / total) * (bin.low / 2 + bin.high / 2);
    let variance = 0;
    for (const bin of bins) {
      const width = bin.high - bin.low;
      const offset = bin.low / 2 + bin.high / 2 - mean;
      variance += (bin.weight / total) * ((width * width) / 12 + offset * offset);
    }
    this.mean = mean;
    this.variance = variance;
  }

  sample(rng: RandomStream): number {
    const target = rng.nextDouble() * this.totalWeight;
    const cumulative = this.cumulativeWeights;
    // Smallest bin whose cumulative weight exceeds target (zero-weight bins are skipped).
    let lo = 0;
    let hi = this.lastDrawableBin;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (target < cumulative[mid]!) hi = mid;
      else lo = mid + 1;
    }
    const before = lo === 0 ? 0 : cumulative[lo - 1]!;
    const x = this.lows[lo]! + (this.widths[lo]! * (target - before)) / this.weights[lo]!;
    return Math.min(x, this.maxima[lo]!);
  }
}

/**
 * Empirical distribution from a weighted histogram (piecewise uniform).
 * @param bins `{ low, high, weight }` bins in the caller's units
 */
export function empiricalFromHistogram(bins: readonly HistogramBin[]): EmpiricalHistogramDistribution {
  return new EmpiricalHistogramDistribution(bins);
}
