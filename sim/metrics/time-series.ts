/**
 * Periodic sampling of metrics into a compact time series.
 *
 * A {@link TimeSeriesSampler} started at time t0 with interval Δ wakes at t0 + Δ, t0 + 2Δ, ...
 * on the engine's scheduler and appends one row `{timeNs, metric, value}` per registered series.
 * Each row's value describes the interval that ends at `timeNs`; what exactly it means is
 * declared by the {@link SampleSource} that produced it and spelled out in the series name
 * (`CounterSource`: cumulative value; `TimeWeightedMeanSource`: interval time average;
 * `HistogramSource`: interval count, mean, p99, ...).
 *
 * Sampling only reads metric state: it never changes a metric or a model, so a run with
 * sampling yields the same results as one without (it does add its own wake-up events to the
 * scheduler, which keeps rescheduling itself until {@link TimeSeriesSampler.stop} or `untilNs`).
 *
 * Rows are stored in growable columns (Float64Array times and values, Uint32Array series
 * index) and come out in a fixed order: by time, then by series registration order.
 */
import type { Scheduler } from '../engine/clock.ts';

/** One sampled value. */
export interface SampleRow {
  /** End of the sampled interval, integer nanoseconds. */
  readonly timeNs: number;
  /** Series name, e.g. `server/queue_length_mean`. */
  readonly metric: string;
  /** The value; NaN when undefined for the interval (e.g. a p99 with no values recorded). */
  readonly value: number;
}

/** Produces one or more series; each sample covers the interval since the previous one. */
export interface SampleSource {
  /** Names of the series produced, in output order; unique within a sampler. */
  readonly names: readonly string[];
  /** Starts the first interval at `nowNs` (when sampling of this source starts). */
  begin(nowNs: number): void;
  /**
   * Writes one value per name into `out[0 .. names.length)` for the interval ending at `nowNs`
   * and starts the next interval. Must only read simulation state.
   */
  sample(nowNs: number, out: Float64Array): void;
}

/** Copies of the sampler's storage: row i is (timeNs[i], names[series[i]], value[i]). */
export interface SampleColumns {
  readonly timeNs: Float64Array;
  readonly series: Uint32Array;
  readonly value: Float64Array;
  readonly names: readonly string[];
}

/** Options of {@link TimeSeriesSampler.start}. */
export interface SamplingOptions {
  /** Take no sample after this time (ns); the sampler then stops rescheduling itself. */
  untilNs?: number;
}

const INITIAL_CAPACITY = 256;
/** Samples run before other events at the same time (the engine's URGENT priority). */
const SAMPLE_PRIORITY = 0;

/** Samples registered sources every interval on a scheduler into compact columns. */
export class TimeSeriesSampler {
  private readonly sources: SampleSource[] = [];
  private readonly names: string[] = [];
  private readonly nameSet = new Set<string>();
  private scratch = new Float64Array(4);
  private times = new Float64Array(INITIAL_CAPACITY);
  private seriesIndex = new Uint32Array(INITIAL_CAPACITY);
  private values = new Float64Array(INITIAL_CAPACITY);
  private length = 0;
  private scheduler: Scheduler | undefined;
  private nextDueNs = NaN;
  private interval = 0;
  private until = Infinity;
  private handle: number | undefined;
  private active = false;
  private readonly onTick = (sampler: TimeSeriesSampler): void => sampler.tick();

  /**
   * Registers a source; its series follow all earlier ones in each sample. Added while running,
   * its first interval starts now (and is shorter than the others).
   * @throws Error when one of its names is already registered.
   */
  add(source: SampleSource): void {
    for (const name of source.names) {
      if (this.nameSet.has(name)) throw new Error(`Time series "${name}" is already being sampled`);
    }
    for (const name of source.names) {
      this.nameSet.add(name);
      this.names.push(name);
    }
    this.sources.push(source);
    if (source.names.length > this.scratch.length) this.scratch = new Float64Array(source.names.length);
    if (this.active && this.scheduler) source.begin(this.scheduler.now);
  }

  /**
   * Starts sampling: every source begins an interval now, and samples are taken every
   * `intervalNs` from now on.
   * @throws Error when already running, or when `intervalNs` is not a positive integer.
   */
  start(scheduler: Scheduler, intervalNs: number, options: SamplingOptions = {}): void {
    if (this.active) throw new Error('TimeSeriesSampler is already running');
    if (!(Number.isInteger(intervalNs) && intervalNs > 0)) {
      throw new Error(`Sampling interval ${intervalNs} ns must be a positive integer`);
    }
    const until = options.untilNs ?? Infinity;
    if (Number.isNaN(until)) throw new Error('Sampling untilNs is NaN');
    this.scheduler = scheduler;
    this.interval = intervalNs;
    this.until = until;
    const now = scheduler.now;
    for (const source of this.sources) source.begin(now);
    this.active = true;
    this.scheduleNext(now);
  }

  /** Stops sampling; rows taken so far are kept. Does nothing when not running. */
  stop(): void {
    if (this.scheduler && this.handle !== undefined) this.scheduler.cancel(this.handle);
    this.active = false;
    this.handle = undefined;
  }

  /** True between {@link start} and {@link stop} (or the last sample before `untilNs`). */
  get running(): boolean {
    return this.active;
  }

  /** Number of rows sampled so far. */
  get rowCount(): number {
    return this.length;
  }

  /** Names of all registered series, in registration order. */
  get seriesNames(): readonly string[] {
    return this.names;
  }

  /** All rows, ordered by time, then by series registration order. */
  rows(): SampleRow[] {
    const rows: SampleRow[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) {
      rows[i] = { timeNs: this.times[i]!, metric: this.names[this.seriesIndex[i]!]!, value: this.values[i]! };
    }
    return rows;
  }

  /** The rows as columns (copies), in the same order as {@link rows}. */
  columns(): SampleColumns {
    return {
      timeNs: this.times.slice(0, this.length),
      series: this.seriesIndex.slice(0, this.length),
      value: this.values.slice(0, this.length),
      names: this.names.slice(),
    };
  }

  /**
   * Takes the sample due at the current time if its tick is still pending. A run that
   * stops at time T processes only events before T, so without this the interval
   * ending at T would never be written.
   */
  flushDue(): void {
    if (!this.active || this.handle === undefined || this.nextDueNs !== this.scheduler!.now) return;
    this.scheduler!.cancel(this.handle);
    this.tick();
  }

  private scheduleNext(now: number): void {
    if (now + this.interval <= this.until) {
      this.nextDueNs = now + this.interval;
      // Priority 0 (the engine's URGENT): a sample at time t sees the state before any
      // other event at t, e.g. before a metrics reset at the end of the warm-up.
      this.handle = this.scheduler!.schedule(this.interval, this.onTick, this, SAMPLE_PRIORITY);
    } else {
      this.active = false;
      this.handle = undefined;
    }
  }

  private tick(): void {
    if (!this.active) return;
    const now = this.scheduler!.now;
    const out = this.scratch;
    let series = 0;
    for (const source of this.sources) {
      const k = source.names.length;
      source.sample(now, out);
      for (let j = 0; j < k; j++) this.append(now, series + j, out[j]!);
      series += k;
    }
    this.scheduleNext(now);
  }

  private append(timeNs: number, series: number, value: number): void {
    if (this.length === this.times.length) {
      const capacity = this.times.length * 2;
      const times = new Float64Array(capacity);
      const index = new Uint32Array(capacity);
      const values = new Float64Array(capacity);
      times.set(this.times);
      index.set(this.seriesIndex);
      values.set(this.values);
      this.times = times;
      this.seriesIndex = index;
      this.values = values;
    }
    this.times[this.length] = timeNs;
    this.seriesIndex[this.length] = series;
    this.values[this.length] = value;
    this.length++;
  }
}
