/**
 * The bandwidth channels of a storage array: a front-end port, the backend's internal
 * bandwidth, the copy engine and a replication link all move bytes at a rate. A `Transfer` is
 * whoever's bytes are moving (an IO record, a copy segment); the channel tells it once, from an
 * engine event, when its last byte has gone through.
 */

/** Whoever has bytes moving through a channel. An object is in at most one channel at a time. */
export interface Transfer {
  /** Called once, from an engine event, when the transfer's bytes have all gone through. */
  transferDone(): void;
}

/** A bandwidth pool: FIFO (one transfer at a time at full rate) or fair-shared. */
export interface Channel<T extends Transfer> {
  /** Bytes per second (finite, > 0). */
  readonly rateBytesPerS: number;
  /** Transfers started and not yet done (queued ones included for FIFO). */
  readonly active: number;
  /** Starts moving `bytes` (>= 0) for `transfer`; `transfer.transferDone()` comes later. */
  start(bytes: number, transfer: T): void;
  /**
   * Drops every transfer in progress or waiting without calling `transferDone`; calls
   * `visit(t)` for each, in the order they were started. Used by faults.
   */
  abortAll(visit?: (transfer: T) => void): void;
}

/** Checks a channel rate. */
export function checkRate(rateBytesPerS: number, what: string): void {
  if (!(rateBytesPerS > 0 && rateBytesPerS < Infinity)) {
    throw new RangeError(`${what}: bandwidth must be a finite number of bytes per second > 0, got ${rateBytesPerS}`);
  }
}
