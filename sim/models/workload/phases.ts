/**
 * On/off phases of a workload: it is on for a random duration, then off for a random
 * duration, and so on, starting on at `startNs`. Durations are drawn from the `<id>/phases`
 * stream (on, off, on, ...) and rounded to whole nanoseconds, lazily as time is queried.
 * Queries must come in non-decreasing time order (the simulation clock's order).
 */
import type { Distribution, RandomStream } from '../../engine/random/index.ts';

export class PhaseClock {
  private on = true;
  private phaseStartNs: number;
  private phaseEndNs: number;
  /** Guards a pair of distributions that keeps drawing zero-length phases. */
  private emptyPhases = 0;

  constructor(
    private readonly onNs: Distribution,
    private readonly offNs: Distribution,
    private readonly stream: RandomStream,
    startNs: number,
  ) {
    if (!(onNs.mean > 0)) throw new RangeError(`on-phase durations must have a positive mean, got ${onNs.mean} ns`);
    if (!(offNs.mean >= 0)) throw new RangeError(`off-phase durations must have a non-negative mean, got ${offNs.mean} ns`);
    this.phaseStartNs = startNs;
    this.phaseEndNs = startNs + this.draw(onNs);
  }

  /** Whether the phase holding time `tNs` is an on phase (advances the clock to `tNs`). */
  isOnAt(tNs: number): boolean {
    this.advanceTo(tNs);
    return this.on;
  }

  /** End of the phase holding `tNs` (exclusive), after {@link isOnAt} or {@link advanceTo}. */
  get currentEndNs(): number {
    return this.phaseEndNs;
  }

  /** Start of the phase holding the last queried time. */
  get currentStartNs(): number {
    return this.phaseStartNs;
  }

  /** Moves forward until the current phase holds `tNs`. */
  advanceTo(tNs: number): void {
    while (tNs >= this.phaseEndNs) {
      this.on = !this.on;
      this.phaseStartNs = this.phaseEndNs;
      this.phaseEndNs += this.draw(this.on ? this.onNs : this.offNs);
    }
  }

  private draw(distribution: Distribution): number {
    const ns = Math.max(0, Math.round(distribution.sample(this.stream)));
    if (ns === 0) {
      if (++this.emptyPhases > 1_000_000) {
        throw new Error('on/off phases: a million zero-length phases in a row; give the phase durations a positive length');
      }
    } else {
      this.emptyPhases = 0;
    }
    return ns;
  }
}
