/**
 * Time-weighted statistics of a piecewise-constant value: queue length, busy servers,
 * outstanding bytes, utilisation (a 0/1 busy flag averages to the utilisation).
 *
 * The value holds from the moment it is set until the next change, so its time average over a
 * window [t0, t1] is (∫ value dt) / (t1 - t0). Each update adds the area of the finished
 * constant piece, `value × (now - lastChange)`, to a running sum: O(1), no allocation, summed
 * in event order (deterministic). With integer values and integer nanoseconds every area is an
 * integer, so integrals are exact while they stay below 2^53.
 *
 * Two integrals are kept: one since the last {@link TimeWeighted.reset} (for {@link TimeWeighted.mean},
 * exact after a warm-up reset) and one since creation ({@link TimeWeighted.integral}, never reset,
 * for samplers that average over their own intervals by differencing it).
 *
 * Sampled (see {@link TimeWeightedMeanSource}), it reports its time average over each sampling
 * interval, in a series named `<path>_mean[_<unit>]`.
 */
import type { Clock } from '../engine/clock.ts';
import type { SampleSource } from './time-series.ts';
import { toDisplay, type DisplayUnit } from './units.ts';

/** Time average, maximum and integral of a piecewise-constant value over simulated time. */
export class TimeWeighted {
  private readonly clock: Clock;
  private current: number;
  /** Time of the last change (or reset) — the start of the current constant piece. */
  private lastChange: number;
  /** ∫ value dt from the last reset to `lastChange`. */
  private areaSinceReset = 0;
  /** ∫ value dt from creation to the last reset. */
  private areaBeforeReset = 0;
  private resetTime: number;
  private maxValue: number;

  /**
   * @param clock the simulation clock; read on every update.
   * @param initial the value at creation time (default 0).
   * @throws RangeError when `initial` is not finite.
   */
  constructor(clock: Clock, initial = 0) {
    if (!Number.isFinite(initial)) throw new RangeError(`TimeWeighted initial value ${initial} is not finite`);
    this.clock = clock;
    this.current = initial;
    this.lastChange = clock.now;
    this.resetTime = clock.now;
    this.maxValue = initial;
  }

  /**
   * Sets the value from now on. O(1), no allocation.
   * @throws RangeError when `value` is NaN or infinite.
   */
  set(value: number): void {
    if (!Number.isFinite(value)) throw new RangeError(`TimeWeighted.set(${value}): value must be finite`);
    const now = this.clock.now;
    this.areaSinceReset += this.current * (now - this.lastChange);
    this.lastChange = now;
    this.current = value;
    if (value > this.maxValue) this.maxValue = value;
  }

  /** Changes the value by `delta` from now on (e.g. +1 on enqueue, -1 on dequeue). */
  add(delta: number): void {
    this.set(this.current + delta);
  }

  /** The current value. */
  get value(): number {
    return this.current;
  }

  /** Largest value held since creation or the last reset (including the value at that time). */
  get max(): number {
    return this.maxValue;
  }

  /**
   * Time average of the value from creation or the last reset up to now. Over a window of zero
   * length (nothing elapsed yet) it is the current value.
   */
  mean(): number {
    const now = this.clock.now;
    const elapsed = now - this.resetTime;
    if (elapsed <= 0) return this.current;
    return (this.areaSinceReset + this.current * (now - this.lastChange)) / elapsed;
  }

  /**
   * ∫ value dt from creation up to now, in value·ns. Unaffected by {@link reset}: a sampler gets
   * the mean over its own interval [t0, t1] as (integral at t1 − integral at t0) / (t1 − t0).
   */
  integral(): number {
    return this.areaBeforeReset + this.areaSinceReset + this.current * (this.clock.now - this.lastChange);
  }

  /**
   * Restarts the mean and max from now (e.g. after a warm-up period): the mean then covers only
   * time after the reset, and the max restarts at the current value. The value is kept.
   */
  reset(): void {
    const now = this.clock.now;
    this.areaBeforeReset += this.areaSinceReset + this.current * (now - this.lastChange);
    this.areaSinceReset = 0;
    this.lastChange = now;
    this.resetTime = now;
    this.maxValue = this.current;
  }
}

/**
 * Samples the time average of a time-weighted value over each interval (from the previous
 * sample, or from when sampling began, to now), by differencing its never-reset integral — so
 * a registry reset in mid-interval does not disturb it.
 */
export class TimeWeightedMeanSource implements SampleSource {
  /** The single series name, `<path>_mean[_<unit>]`. */
  readonly names: readonly string[];
  private readonly metric: TimeWeighted;
  private readonly unit: DisplayUnit;
  private previousIntegral = 0;
  private previousTime = 0;

  /** @param name series name; @param metric the value averaged; @param unit its display unit. */
  constructor(name: string, metric: TimeWeighted, unit: DisplayUnit) {
    this.names = [name];
    this.metric = metric;
    this.unit = unit;
  }

  /** Marks the start of the first interval. */
  begin(nowNs: number): void {
    this.previousIntegral = this.metric.integral();
    this.previousTime = nowNs;
  }

  /** Writes the interval's time average (the current value for a zero-length interval). */
  sample(nowNs: number, out: Float64Array): void {
    const integral = this.metric.integral();
    const elapsed = nowNs - this.previousTime;
    const mean = elapsed > 0 ? (integral - this.previousIntegral) / elapsed : this.metric.value;
    out[0] = toDisplay(this.unit, mean);
    this.previousIntegral = integral;
    this.previousTime = nowNs;
  }
}
