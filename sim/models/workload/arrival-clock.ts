/**
 * Time-varying arrival rates by time change: an arrival process is drawn in "operational
 * time" (interarrival gaps at the nominal rate) and mapped to simulated time through the
 * cumulative rate multiplier Λ(t) = ∫ m(u) du, where m(t) is the daily pattern's multiplier
 * for the hour holding t, times 1 in an on phase and 0 in an off phase.
 *
 * For a Poisson process this is exactly the non-homogeneous Poisson process of rate
 * λ·m(t) (the time-change theorem: Çinlar, Introduction to Stochastic Processes, 1975,
 * §4.7); for other renewal processes it is the usual "scaled operational time" model. It is
 * exact (m is piecewise constant, so Λ is piecewise linear and inverted segment by segment),
 * needs no rejection draws (unlike thinning, Lewis & Shedler 1979) and is deterministic.
 * An off phase suspends the process: the rest of the gap is served once it is on again.
 */
import type { PhaseClock } from './phases.ts';

const NS_PER_HOUR = 3600e9;
const HOURS_PER_DAY = 24;

export class ArrivalClock {
  private readonly hourly: Float64Array | null;
  /** Simulated time of midnight before time 0, as an offset: hour of t is floor((t + this) / 1 h). */
  private readonly dayOffsetNs: number;

  /**
   * @param hourlyMultipliers 24 non-negative multipliers of the rate (hour 0 = midnight), not all 0; null for none
   * @param startHour the hour of the day at simulated time 0 (0..23.999...), default 0
   * @param phases on/off phases, or null
   */
  constructor(
    hourlyMultipliers: readonly number[] | null,
    startHour: number,
    private readonly phases: PhaseClock | null,
  ) {
    if (hourlyMultipliers !== null) {
      if (hourlyMultipliers.length !== HOURS_PER_DAY) {
        throw new RangeError(`the daily pattern needs ${HOURS_PER_DAY} hourly multipliers, got ${hourlyMultipliers.length}`);
      }
      hourlyMultipliers.forEach((m, hour) => {
        if (!(m >= 0 && m < Infinity)) throw new RangeError(`hourly multiplier of hour ${hour} must be a finite number >= 0, got ${m}`);
      });
      if (!hourlyMultipliers.some((m) => m > 0)) throw new RangeError('the daily pattern has no hour with a multiplier above 0, so nothing would ever arrive');
    }
    if (!(startHour >= 0 && startHour < HOURS_PER_DAY)) throw new RangeError(`startHour ${startHour} must be in [0, 24)`);
    this.hourly = hourlyMultipliers === null ? null : Float64Array.from(hourlyMultipliers);
    this.dayOffsetNs = Math.round(startHour * NS_PER_HOUR);
  }

  /**
   * Simulated time (ns, fractional) at which `gapNs` of operational time has passed since
   * simulated time `fromNs`. The result lies strictly inside a segment where the rate is
   * positive, so `Math.floor` of it is still in that hour and on phase.
   */
  advance(fromNs: number, gapNs: number): number {
    if (this.hourly === null && this.phases === null) return fromNs + gapNs;
    let t = fromNs;
    let rest = gapNs;
    for (;;) {
      let end = Infinity;
      let rate = 1;
      if (this.hourly !== null) {
        const hourIndex = Math.floor((t + this.dayOffsetNs) / NS_PER_HOUR);
        end = (hourIndex + 1) * NS_PER_HOUR - this.dayOffsetNs;
        rate = this.hourly[hourIndex % HOURS_PER_DAY]!;
      }
      if (this.phases !== null) {
        // Phase ends are integers and only ever grow, so querying floor(t) is enough.
        if (!this.phases.isOnAt(Math.floor(t))) rate = 0;
        end = Math.min(end, this.phases.currentEndNs);
      }
      if (rate > 0) {
        const room = rate * (end - t);
        if (rest < room) {
          const at = t + rest / rate;
          // Rounding must not carry the arrival onto the segment's (integer) end.
          return at < end ? at : Math.max(t, end - 0.5);
        }
        rest -= room;
      }
      t = end;
    }
  }
}
