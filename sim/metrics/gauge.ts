/**
 * A gauge: a value read from model state whenever it is reported, for quantities that are
 * derived rather than accumulated (write amplification = NAND writes / host writes, erase
 * count spread, cost so far in USD). The model supplies the reading function; it must only
 * read simulation state, so the value is as deterministic as the run.
 *
 * Reset (at the end of a warm-up) calls the model's optional `onReset`, so a ratio can restart
 * from the counters it reads (which the registry resets too).
 */
import type { SampleSource } from './time-series.ts';
import { toDisplay, type DisplayUnit } from './units.ts';

export class Gauge {
  constructor(
    private readonly read: () => number,
    private readonly onReset: (() => void) | undefined,
  ) {}

  /** The current value (raw units). */
  get value(): number {
    return this.read();
  }

  reset(): void {
    this.onReset?.();
  }
}

/** Samples a gauge's current value at each sample time, in a series named `<path>[_<unit>]`. */
export class GaugeSource implements SampleSource {
  readonly names: readonly string[];

  constructor(
    name: string,
    private readonly gauge: Gauge,
    private readonly unit: DisplayUnit,
  ) {
    this.names = [name];
  }

  begin(_nowNs: number): void {}

  sample(_nowNs: number, out: Float64Array): void {
    out[0] = toDisplay(this.unit, this.gauge.value);
  }
}
