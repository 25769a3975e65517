/**
 * Named statistics of a histogram, and a window onto the values recorded in the latest interval.
 *
 * Summaries report statistics of everything recorded since the last reset; time series report
 * the same statistics over each sampling interval. A {@link HistogramWindow} provides the latter
 * without touching the recording path: it keeps a copy of the bucket counts taken at the start
 * of the interval and reads the differences, so `record` stays O(1) and allocation-free.
 *
 * Sampled (see {@link HistogramSource}), a histogram reports chosen statistics of the values
 * recorded in each sampling interval, in series named `<path>_<stat>[_<unit>]`.
 */
import { quantileRank, type LatencyHistogram } from './histogram.ts';
import type { SampleSource } from './time-series.ts';
import { toDisplay, type DisplayUnit } from './units.ts';

/** The statistics a histogram can report, in their fixed output order. */
export const HISTOGRAM_STATS = ['count', 'mean', 'p50', 'p95', 'p99', 'p999', 'max'] as const;

/** One named histogram statistic: `count`, `mean`, `p50`, `p95`, `p99`, `p999` or `max`. */
export type HistogramStat = (typeof HISTOGRAM_STATS)[number];

/** The quantile each `pNN` statistic stands for. */
export const STAT_QUANTILE: Readonly<Record<'p50' | 'p95' | 'p99' | 'p999', number>> = {
  p50: 0.5,
  p95: 0.95,
  p99: 0.99,
  p999: 0.999,
};

/** What a statistic can be read from: a whole histogram or a window of it. */
export interface HistogramView {
  /** Number of values. */
  readonly count: number;
  /** Mean value; NaN when empty. */
  readonly mean: number;
  /** Largest value; NaN when empty. */
  readonly max: number;
  /** Nearest-rank q-quantile estimate; NaN when empty. */
  quantile(q: number): number;
}

/** True when `stat` names a histogram statistic. */
export function isHistogramStat(stat: string): stat is HistogramStat {
  return (HISTOGRAM_STATS as readonly string[]).includes(stat);
}

/** Reads one named statistic (raw units; `count` is dimensionless). */
export function readHistogramStat(view: HistogramView, stat: HistogramStat): number {
  switch (stat) {
    case 'count':
      return view.count;
    case 'mean':
      return view.mean;
    case 'max':
      return view.max;
    default:
      return view.quantile(STAT_QUANTILE[stat]);
  }
}

/**
 * The values recorded into a histogram since the window's last {@link HistogramWindow.roll}
 * (or its creation). `count` and `mean` are exact; quantiles have the histogram's error bound
 * (lower bucket bound, x (1 − 2^-k) < Q ≤ x), and so does `max`, which is the top quantile.
 * A histogram reset discards the interval's earlier values: the window then covers the values
 * recorded since the reset.
 *
 * Holds one Float64Array the size of the histogram's bucket array. Reading scans only the
 * buckets between the histogram's minimum and maximum.
 */
export class HistogramWindow implements HistogramView {
  private readonly histogram: LatencyHistogram;
  private readonly previous: Float64Array;
  private previousCount = 0;
  private previousSum = 0;
  private epoch: number;

  /** Opens a window on `histogram` starting now. */
  constructor(histogram: LatencyHistogram) {
    this.histogram = histogram;
    this.previous = new Float64Array(histogram.bucketCount);
    this.epoch = histogram.resets;
    this.roll();
  }

  /** Number of values recorded in the window. */
  get count(): number {
    this.sync();
    return this.histogram.count - this.previousCount;
  }

  /** Exact mean of the values recorded in the window; NaN when empty. */
  get mean(): number {
    const n = this.count;
    return n === 0 ? NaN : (this.histogram.sum - this.previousSum) / n;
  }

  /** Largest value in the window, to the bucket resolution; NaN when empty. */
  get max(): number {
    return this.quantile(1);
  }

  /**
   * Nearest-rank q-quantile of the window's values, to the bucket resolution; NaN when empty.
   * @throws RangeError when q is outside [0, 1].
   */
  quantile(q: number): number {
    const n = this.count;
    const rank = quantileRank(q, n);
    if (n === 0) return NaN;
    const h = this.histogram;
    const last = h.bucketIndex(h.max);
    let cumulative = 0;
    for (let i = h.bucketIndex(h.min); i <= last; i++) {
      cumulative += h.bucketCountAt(i) - this.previous[i]!;
      if (cumulative >= rank) return Math.max(h.bucketLowerBound(i), h.min);
    }
    return h.max; // unreachable: the window's values are all in [min, max]
  }

  /** Closes the current window and opens the next one, starting now. */
  roll(): void {
    this.sync();
    const h = this.histogram;
    if (h.count > 0) {
      const last = h.bucketIndex(h.max);
      for (let i = h.bucketIndex(h.min); i <= last; i++) this.previous[i] = h.bucketCountAt(i);
    }
    this.previousCount = h.count;
    this.previousSum = h.sum;
  }

  /** After a histogram reset, the values before it are gone: restart from empty. */
  private sync(): void {
    if (this.histogram.resets === this.epoch) return;
    this.previous.fill(0);
    this.previousCount = 0;
    this.previousSum = 0;
    this.epoch = this.histogram.resets;
  }
}

/**
 * Samples chosen statistics of the values a histogram recorded in each interval: `count` (how
 * many), `mean` (exact), `p50`..`p999` and `max` (to the histogram's bucket resolution). Every
 * statistic but `count` is NaN for an interval with no values.
 */
export class HistogramSource implements SampleSource {
  /** One name per statistic, `<path>_<stat>[_<unit>]`, in the order of `stats`. */
  readonly names: readonly string[];
  private readonly stats: readonly HistogramStat[];
  private readonly window: HistogramWindow;
  private readonly unit: DisplayUnit;

  /**
   * @param names series names, one per statistic; @param stats the statistics;
   * @param histogram the histogram read; @param unit its display unit.
   * @throws Error when names and stats differ in length.
   */
  constructor(names: readonly string[], stats: readonly HistogramStat[], histogram: LatencyHistogram, unit: DisplayUnit) {
    if (names.length !== stats.length) throw new Error('HistogramSource needs one name per statistic');
    this.unit = unit;
    this.names = names.slice();
    this.stats = stats.slice();
    this.window = new HistogramWindow(histogram);
  }

  /** Starts the first interval now. */
  begin(_nowNs: number): void {
    this.window.roll();
  }

  /** Writes each statistic of the interval's values, then starts the next interval. */
  sample(_nowNs: number, out: Float64Array): void {
    for (let i = 0; i < this.stats.length; i++) {
      const stat = this.stats[i]!;
      const raw = readHistogramStat(this.window, stat);
      out[i] = stat === 'count' ? raw : toDisplay(this.unit, raw);
    }
    this.window.roll();
  }
}
