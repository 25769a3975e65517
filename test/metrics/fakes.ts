/**
 * Test doubles for the engine views the metrics depend on: a clock you advance by hand and a
 * tiny scheduler that runs callbacks in (time, scheduling order).
 */
import type { Scheduler } from '../../sim/engine/clock.ts';

/** A clock whose time the test sets directly. */
export interface FakeClock {
  now: number;
}

interface Pending {
  readonly time: number;
  readonly seq: number;
  readonly handle: number;
  readonly run: () => void;
}

/** A minimal event queue: callbacks run in time order, ties in scheduling order. */
export class FakeScheduler implements Scheduler {
  now = 0;
  private pending: Pending[] = [];
  private seq = 0;
  private nextHandle = 1;

  schedule<A>(delayNs: number, fn: (arg: A) => void, arg: A): number {
    if (!(delayNs >= 0)) throw new Error(`negative delay ${delayNs}`);
    const handle = this.nextHandle++;
    this.pending.push({ time: this.now + Math.round(delayNs), seq: this.seq++, handle, run: () => fn(arg) });
    return handle;
  }

  cancel(handle: number): boolean {
    const before = this.pending.length;
    this.pending = this.pending.filter((p) => p.handle !== handle);
    return this.pending.length < before;
  }

  /** Schedules a plain action at absolute time `timeNs` (a model event in a test). */
  at(timeNs: number, action: () => void): void {
    this.schedule(timeNs - this.now, action, undefined);
  }

  /** Runs every callback due at or before `timeNs`, then sets the clock to `timeNs`. */
  runUntil(timeNs: number): void {
    for (;;) {
      let next: Pending | undefined;
      for (const p of this.pending) {
        if (p.time <= timeNs && (!next || p.time < next.time || (p.time === next.time && p.seq < next.seq))) next = p;
      }
      if (!next) break;
      const chosen = next;
      this.pending = this.pending.filter((p) => p !== chosen);
      this.now = chosen.time;
      chosen.run();
    }
    this.now = timeNs;
  }

  /** Number of callbacks still queued. */
  get queued(): number {
    return this.pending.length;
  }
}
