/**
 * The registry that creates and owns a run's metrics, addressed by component path.
 *
 * Output names (summary columns and sampled series) follow `<path>[_<stat>][_<unit>]`
 * (see `paths.ts`), with the display unit label appended when the metric has one:
 *
 * | kind          | summary columns                                                     | sampled series                |
 * |---------------|---------------------------------------------------------------------|-------------------------------|
 * | counter       | `<path>[_u]` (value since reset)                                    | `<path>[_u]` (cumulative)     |
 * | time-weighted | `<path>_mean[_u]`, `<path>_max[_u]` (since reset)                   | `<path>_mean[_u]` (interval)  |
 * | histogram     | `<path>_count`, `<path>_{mean,p50,p95,p99,p999,max}[_u]` (since reset) | chosen stats (interval)    |
 *
 * e.g. `server/completed`, `ssd0/host_writes_B`, `server/queue_length_mean`,
 * `server/response_time_p99_s`. `summary()` lists columns sorted by name in UTF-16 code-unit
 * order (plain `<` on strings), independent of creation order. Two metrics whose output names
 * would collide (a counter `a_mean` and a time-weighted `a`) are rejected at creation.
 * Undefined statistics (of an empty histogram) are NaN.
 */
import type { Clock, Scheduler } from '../engine/clock.ts';
import { Counter } from './counter.ts';
import { Gauge } from './gauge.ts';
import { isHistogramStat, type HistogramStat } from './histogram-window.ts';
import { LatencyHistogram, type HistogramOptions } from './histogram.ts';
import { DEFAULT_HISTOGRAM_SAMPLE_STATS, outputNames, sampleSourceFor, summaryValues, type MetricEntry } from './outputs.ts';
import { assertMetricPath, compilePathSelector } from './paths.ts';
import { TimeSeriesSampler, type SampleRow, type SamplingOptions } from './time-series.ts';
import { TimeWeighted } from './time-weighted.ts';
import { resolveUnit, sameUnit, type UnitOptions } from './units.ts';

export { DEFAULT_HISTOGRAM_SAMPLE_STATS } from './outputs.ts';

/** The kinds of metric a registry holds. */
export type MetricKind = 'counter' | 'gauge' | 'time-weighted' | 'histogram';

/** Options of {@link MetricRegistry.timeWeighted}. */
export interface TimeWeightedOptions extends UnitOptions {
  /** Value at creation (default 0); ignored when the metric already exists. */
  initial?: number;
}

/** Options of {@link MetricRegistry.histogram}. */
export interface HistogramMetricOptions extends UnitOptions, HistogramOptions {
  /** Statistics sampled per interval when sampling is on; default {@link DEFAULT_HISTOGRAM_SAMPLE_STATS}. */
  sample?: readonly HistogramStat[];
}

/** Options of {@link MetricRegistry.startSampling}. */
export interface StartSamplingOptions extends SamplingOptions {
  /** Path patterns (see `compilePathSelector`) choosing the metrics sampled; default all. */
  include?: readonly string[];
}

/** One summary column. */
export interface SummaryColumn {
  readonly column: string;
  readonly value: number;
}

/** Creates, owns, resets, summarises and samples metrics addressed by component path. */
export class MetricRegistry {
  private readonly clock: Clock;
  private readonly entries: MetricEntry[] = [];
  private readonly byPath = new Map<string, MetricEntry>();
  /** Output name → path of the metric producing it. */
  private readonly outputOwners = new Map<string, string>();
  private sampler: TimeSeriesSampler | undefined;
  private selectForSampling: ((path: string) => boolean) | undefined;

  /** @param clock the simulation clock, read by time-weighted metrics. */
  constructor(clock: Clock) {
    this.clock = clock;
  }

  /**
   * The counter at `path`, created on first use.
   * @throws Error for an invalid path or unit, a path holding another kind or unit, or a name collision.
   */
  counter(path: string, options?: UnitOptions): Counter {
    const existing = this.existing(path, 'counter', options);
    if (existing) return existing.metric as Counter;
    const unit = resolveUnit(options);
    return this.register({ kind: 'counter', path, unit, metric: new Counter() }).metric as Counter;
  }

  /**
   * A gauge at `path`: its value is `read()` whenever reported (summary column `<path>[_u]`,
   * sampled series likewise). For derived values such as ratios; `onReset` is called when the
   * registry resets (end of warm-up). Each path may be a gauge only once.
   * @throws Error as for {@link counter}, or when `path` already holds a gauge.
   */
  gauge(path: string, read: () => number, options?: UnitOptions & { onReset?: () => void }): Gauge {
    if (this.existing(path, 'gauge', options)) throw new Error(`Gauge "${path}" already exists`);
    const unit = resolveUnit(options);
    return this.register({ kind: 'gauge', path, unit, metric: new Gauge(read, options?.onReset) }).metric as Gauge;
  }

  /**
   * The time-weighted metric at `path`, created on first use (starting at `options.initial`).
   * @throws Error as for {@link counter}.
   */
  timeWeighted(path: string, options?: TimeWeightedOptions): TimeWeighted {
    const existing = this.existing(path, 'time-weighted', options);
    if (existing) return existing.metric as TimeWeighted;
    const unit = resolveUnit(options);
    const metric = new TimeWeighted(this.clock, options?.initial ?? 0);
    return this.register({ kind: 'time-weighted', path, unit, metric }).metric as TimeWeighted;
  }

  /**
   * The histogram at `path`, created on first use.
   * @throws Error as for {@link counter}, or when `sample` names an unknown statistic or the
   *   sub-bucket bits differ from the existing histogram's.
   */
  histogram(path: string, options?: HistogramMetricOptions): LatencyHistogram {
    const sampleStats = options?.sample ?? DEFAULT_HISTOGRAM_SAMPLE_STATS;
    for (const stat of sampleStats) {
      if (!isHistogramStat(stat)) throw new Error(`Unknown histogram statistic "${stat}" for ${path}`);
    }
    if (new Set(sampleStats).size !== sampleStats.length) {
      throw new Error(`Histogram "${path}" lists a sampled statistic twice: ${sampleStats.join(', ')}`);
    }
    const existing = this.existing(path, 'histogram', options);
    if (existing && existing.kind === 'histogram') {
      const bits = options?.subBucketBits;
      const sameStats = options?.sample === undefined || sampleStats.join() === existing.sampleStats.join();
      if ((bits !== undefined && bits !== existing.metric.subBucketBits) || !sameStats) {
        throw new Error(`Histogram "${path}" already exists with different options`);
      }
      return existing.metric;
    }
    const unit = resolveUnit(options);
    const metric = new LatencyHistogram(options);
    const entry: MetricEntry = { kind: 'histogram', path, unit, metric, sampleStats: sampleStats.slice() };
    return this.register(entry).metric as LatencyHistogram;
  }

  /** Paths of all metrics, in creation order. */
  paths(): string[] {
    return this.entries.map((entry) => entry.path);
  }

  /** The kind of metric at `path`, or undefined when there is none. */
  kindOf(path: string): MetricKind | undefined {
    return this.byPath.get(path)?.kind;
  }

  /**
   * Restarts every metric from now, e.g. at the end of a warm-up period: counters to 0,
   * time-weighted means and maxima restart at the current value, histograms are cleared.
   * Running samplers are not disturbed (see the sample sources).
   */
  reset(): void {
    for (const entry of this.entries) entry.metric.reset();
  }

  /** The run's summary columns (see the file comment), sorted by column name in code-unit order. */
  summary(): SummaryColumn[] {
    const columns: SummaryColumn[] = [];
    for (const entry of this.entries) {
      const names = outputNames(entry);
      const values = summaryValues(entry);
      for (let i = 0; i < names.length; i++) columns.push({ column: names[i]!, value: values[i]! });
    }
    return columns.sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
  }

  /**
   * Starts sampling every `intervalNs` on `scheduler` the metrics chosen by `options.include`
   * (default: all), in creation order — including matching metrics created later. Once per registry.
   * @throws Error when sampling was already started, or for a bad interval or pattern.
   */
  startSampling(scheduler: Scheduler, intervalNs: number, options: StartSamplingOptions = {}): TimeSeriesSampler {
    if (this.sampler) throw new Error('Sampling was already started on this registry');
    const select = options.include === undefined ? () => true : compilePathSelector(options.include);
    const sampler = new TimeSeriesSampler();
    for (const entry of this.entries) if (select(entry.path)) sampler.add(sampleSourceFor(entry));
    sampler.start(scheduler, intervalNs, options.untilNs === undefined ? {} : { untilNs: options.untilNs });
    this.sampler = sampler;
    this.selectForSampling = select;
    return sampler;
  }

  /** Takes the sample due right now, if any (call after a run that stopped at a sampling instant). */
  flushSampling(): void {
    this.sampler?.flushDue();
  }

  /** Stops sampling (rows taken so far are kept). Does nothing when not sampling. */
  stopSampling(): void {
    this.sampler?.stop();
  }

  /** The sampled rows so far, by time then series order; empty when sampling never started. */
  samples(): SampleRow[] {
    return this.sampler ? this.sampler.rows() : [];
  }

  private existing(path: string, kind: MetricKind, options: UnitOptions | undefined): MetricEntry | undefined {
    assertMetricPath(path);
    const entry = this.byPath.get(path);
    if (!entry) return undefined;
    if (entry.kind !== kind) {
      throw new Error(`Metric "${path}" is already a ${entry.kind}; it cannot also be a ${kind}`);
    }
    if (options !== undefined && (options.unit !== undefined || options.scale !== undefined)) {
      if (!sameUnit(resolveUnit(options), entry.unit)) {
        throw new Error(`Metric "${path}" already exists with unit "${entry.unit.label}" and a different scale or label`);
      }
    }
    return entry;
  }

  private register(entry: MetricEntry): MetricEntry {
    const names = outputNames(entry);
    for (const name of names) {
      const owner = this.outputOwners.get(name);
      if (owner !== undefined) {
        throw new Error(`Metric "${entry.path}" would produce output "${name}", already produced by "${owner}"`);
      }
    }
    for (const name of names) this.outputOwners.set(name, entry.path);
    this.entries.push(entry);
    this.byPath.set(entry.path, entry);
    if (this.sampler?.running && this.selectForSampling?.(entry.path)) this.sampler.add(sampleSourceFor(entry));
    return entry;
  }
}
