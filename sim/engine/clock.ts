/**
 * The narrow views of the engine that lower-level helpers (metrics, models) may depend on.
 *
 * Time is one unit for the whole simulator: integer nanoseconds held in a JS number
 * (exact up to 2^53 ns, about 104 days of simulated time).
 */
export interface Clock {
  /** Current simulated time, integer nanoseconds. Only the engine advances it. */
  readonly now: number;
}

/** A clock that can also run a callback later, on the engine's event queue. */
export interface Scheduler extends Clock {
  /**
   * Runs `fn(arg)` after `delayNs` nanoseconds (rounded to an integer, must be >= 0).
   * Returns a handle that `cancel` accepts.
   */
  schedule<A>(delayNs: number, fn: (arg: A) => void, arg: A, priority?: number): number;
  /** Cancels a pending callback; returns false when it already ran or was cancelled. */
  cancel(handle: number): boolean;
}
