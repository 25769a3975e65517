/**
 * One I/O submission queue (SQ) and its completion queue (CQ), with the host driver's list of
 * requests waiting for room in them.
 *
 * Depth: a queue of `depth` entries is full when it holds depth - 1 of them (NVMe Base
 * Specification 1.4, §4.1.2 "Full Queue": the tail may not catch up with the head). The host
 * driver therefore keeps at most depth - 1 commands outstanding on the pair (from the tail
 * doorbell until it has read the completion), as the Linux driver does with its tag set. That
 * bounds both the SQ and the CQ, which never overflow. A request that finds the pair full waits,
 * in submission order, in the driver's list: the host sees back-pressure as waiting, and the
 * function counts it (`driver_waits`, `driver_queue`).
 */
import type { NvmePriorityClass } from './arbitration.ts';
import type { NvmeCommand } from './command.ts';
import type { NvmeFunction } from './function.ts';
import { Ring } from './ring.ts';

/** Smallest and largest queue sizes (CAP.MQES is a 0's based 16-bit field, §3.1.1). */
export const MIN_QUEUE_DEPTH = 2;
export const MAX_QUEUE_DEPTH = 65536;

export class QueuePair {
  /** Commands written to the SQ (doorbell rung), not yet fetched, oldest first. */
  readonly sq: Ring<NvmeCommand>;
  /** Completions posted, waiting for the interrupt (only with interrupt coalescing). */
  readonly cq: Ring<NvmeCommand>;
  /** Requests the host driver holds because the pair is full (or the controller is resetting). */
  readonly driver = new Ring<NvmeCommand>(8);
  /** Commands on the pair: doorbell rung, completion not yet read by the host. */
  outstanding = 0;
  /** Pending interrupt-coalescing timer (-1: none). */
  interruptTimer = -1;

  constructor(
    readonly fn: NvmeFunction,
    /** Index among the controller's SQs (what the arbiter sees). */
    readonly index: number,
    /** Index among the function's queue pairs. */
    readonly localIndex: number,
    readonly depth: number,
    readonly priorityClass: NvmePriorityClass,
  ) {
    const initial = Math.min(depth, 64);
    this.sq = new Ring(initial);
    this.cq = new Ring(initial);
  }

  /** Whether another command may be put on the pair: fewer than depth - 1 outstanding. */
  get hasRoom(): boolean {
    return this.outstanding < this.depth - 1;
  }
}
