/**
 * Monotone event/quantity counter.
 *
 * A counter only goes up (completed requests, bytes written, cache hits); quantities that go up
 * and down over time belong in a {@link TimeWeighted}. It does not need the clock: its value is
 * the plain sum of everything added since creation or the last {@link Counter.reset}.
 *
 * Values are JS numbers, so sums of integers are exact up to 2^53 (about 9e15 — e.g. 8 PiB
 * counted in bytes).
 *
 * Sampled (see {@link CounterSource}), a counter reports its cumulative value at each sample
 * time, in a series named `<path>[_<unit>]`.
 */
import type { SampleSource } from './time-series.ts';
import { toDisplay, type DisplayUnit } from './units.ts';

/** A monotone counter: the sum of non-negative increments since creation or the last reset. */
export class Counter {
  private total = 0;

  /**
   * Adds `n` (default 1) to the counter. O(1), no allocation.
   * @throws RangeError when `n` is negative, NaN or infinite.
   */
  add(n = 1): void {
    if (!(n >= 0 && n !== Infinity)) {
      throw new RangeError(`Counter.add(${n}): increments must be finite and >= 0`);
    }
    this.total += n;
  }

  /** Sum of the increments since creation or the last reset. */
  get value(): number {
    return this.total;
  }

  /** Restarts the counter at 0 (e.g. at the end of a warm-up period). */
  reset(): void {
    this.total = 0;
  }
}

/** Samples a counter's cumulative value (since creation or the last reset) at each sample time. */
export class CounterSource implements SampleSource {
  /** The single series name, `<path>[_<unit>]`. */
  readonly names: readonly string[];
  private readonly counter: Counter;
  private readonly unit: DisplayUnit;

  /** @param name series name; @param counter the counter read; @param unit its display unit. */
  constructor(name: string, counter: Counter, unit: DisplayUnit) {
    this.names = [name];
    this.counter = counter;
    this.unit = unit;
  }

  /** Nothing to remember: the value is cumulative. */
  begin(_nowNs: number): void {}

  /** Writes the counter's current value, in display units. */
  sample(_nowNs: number, out: Float64Array): void {
    out[0] = toDisplay(this.unit, this.counter.value);
  }
}
