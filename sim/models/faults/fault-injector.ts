/**
 * When a fault holds: once (`at`, for `duration` or for good), on a profile of windows, or at
 * random as an alternating renewal process — exponential times between faults (mean
 * `meanTimeBetweenNs`, counted from the end of the previous fault) and exponential durations
 * (mean `meanDurationNs`), drawn from the fault's own stream, so adding a fault shifts no
 * other component's draws.
 *
 * The injector only decides *when*; *what* a fault does is the `FaultEffect` it is given,
 * which calls the target model's own hooks (see `fault-kinds.ts`). Metrics under the fault's
 * path: `injections` (count) and `active` (time-weighted: the fraction of time it held).
 */
import type { Environment } from '../../engine/index.ts';
import { exponential, type Distribution, type RandomStream } from '../../engine/random/index.ts';
import type { Counter, MetricRegistry, TimeWeighted } from '../../metrics/index.ts';

export interface FaultWindow {
  readonly atNs: number;
  /** Null: the fault is never cleared. */
  readonly durationNs: number | null;
}

export type FaultTiming =
  | { readonly kind: 'windows'; readonly windows: readonly FaultWindow[] }
  | { readonly kind: 'random'; readonly meanTimeBetweenNs: number; readonly meanDurationNs: number; readonly untilNs: number };

/** What a fault does to its target. */
export interface FaultEffect {
  inject(durationNs: number | null): void;
  clear(): void;
}

export class FaultInjector {
  private readonly injections: Counter;
  private readonly active: TimeWeighted;
  private readonly gap: Distribution | null = null;
  private readonly duration: Distribution | null = null;

  constructor(
    private readonly env: Environment,
    readonly path: string,
    private readonly timing: FaultTiming,
    private readonly effect: FaultEffect,
    private readonly random: RandomStream,
    metrics: MetricRegistry,
  ) {
    if (timing.kind === 'windows') checkWindows(timing.windows);
    else {
      if (!(timing.meanTimeBetweenNs > 0 && timing.meanDurationNs > 0)) {
        throw new RangeError('random faults need a positive mean time between faults and a positive mean duration');
      }
      this.gap = exponential(timing.meanTimeBetweenNs);
      this.duration = exponential(timing.meanDurationNs);
    }
    this.injections = metrics.counter(`${path}/injections`);
    this.active = metrics.timeWeighted(`${path}/active`);
  }

  start(): void {
    const timing = this.timing;
    if (timing.kind === 'windows') {
      for (const window of timing.windows) this.env.scheduleAt(window.atNs, () => this.begin(window.durationNs), null);
    } else {
      this.scheduleNextRandom(timing);
    }
  }

  private begin(durationNs: number | null): void {
    this.injections.add(1);
    this.active.set(1);
    this.effect.inject(durationNs);
    if (durationNs !== null) this.env.schedule(durationNs, () => this.end(), null);
  }

  private end(): void {
    this.active.set(0);
    this.effect.clear();
  }

  private scheduleNextRandom(timing: Extract<FaultTiming, { kind: 'random' }>): void {
    const gap = Math.max(1, Math.round(this.gap!.sample(this.random)));
    const duration = Math.max(1, Math.round(this.duration!.sample(this.random)));
    if (this.env.now + gap >= timing.untilNs) return;
    this.env.schedule(gap, () => {
      this.begin(duration);
      this.env.schedule(duration, () => this.scheduleNextRandom(timing), null);
    }, null);
  }
}

/** Windows must be in time order and must not overlap; only the last may last for good. */
function checkWindows(windows: readonly FaultWindow[]): void {
  if (windows.length === 0) throw new RangeError('a fault needs at least one window');
  for (let i = 0; i < windows.length; i++) {
    const w = windows[i]!;
    if (!(w.atNs >= 0)) throw new RangeError(`fault window ${i} starts before time 0`);
    if (w.durationNs !== null && !(w.durationNs > 0)) throw new RangeError(`fault window ${i} must last longer than 0`);
    const next = windows[i + 1];
    if (next === undefined) continue;
    if (w.durationNs === null) throw new RangeError(`fault window ${i} never ends, so no window may follow it`);
    if (next.atNs < w.atNs + w.durationNs) throw new RangeError(`fault window ${i + 1} starts before window ${i} ends: windows must be in order and not overlap`);
  }
}
