/**
 * Shared pieces of the NVMe arbitration policies: the Arbitration Burst parameter and a
 * round-robin cursor over a list of SQs that honours it.
 *
 * NVMe Base Specification 1.4, §5.21.1.1 "Arbitration (Feature Identifier 01h)": Arbitration
 * Burst (AB, bits 2:0) is "the maximum number of commands that the controller may launch at
 * one time from a particular Submission Queue", written as a power of two (000b = 1 ...
 * 110b = 64); 111b means no limit.
 */
import type { SubmissionQueuesView } from '../../sim/models/nvme/arbitration.ts';

/** Values `burst` may take in a scenario: 2^AB for AB = 0..6, or "unlimited" (AB = 111b). */
export const BURST_VALUES: readonly (number | string)[] = [1, 2, 4, 8, 16, 32, 64, 'unlimited'];

/** JSON Schema of the `burst` parameter. */
export const BURST_SCHEMA = {
  type: ['integer', 'string'],
  enum: BURST_VALUES,
  description: 'Arbitration Burst: most commands fetched from one SQ before moving on, a power of two up to 64, or "unlimited" (default 1)',
} as const;

/** The burst as a count (Infinity for "unlimited"); default 1. */
export function burstCount(burst: number | string | undefined): number {
  if (burst === undefined) return 1;
  if (burst === 'unlimited') return Infinity;
  if (typeof burst !== 'number' || !BURST_VALUES.includes(burst)) {
    throw new RangeError(`arbitration burst ${JSON.stringify(burst)} is not allowed; allowed: ${BURST_VALUES.join(', ')}`);
  }
  return burst;
}

/**
 * Round robin over a fixed list of SQ indices, serving up to `burst` commands in a row from one
 * queue while it stays ready (§4.13.1). Allocation-free.
 */
export class RoundRobinCursor {
  /** Position in the list of the queue served last (-1: none yet). */
  private position = -1;
  /** Commands the current queue may still launch in this burst. */
  private burstLeft = 0;

  constructor(private readonly burst: number) {}

  /** The next ready queue of `list` (an SQ index), or -1 when none of them is ready. */
  next(list: readonly number[], view: SubmissionQueuesView): number {
    const n = list.length;
    if (this.burstLeft > 0 && this.position >= 0 && this.position < n && view.isReady(list[this.position]!)) {
      this.burstLeft--;
      return list[this.position]!;
    }
    for (let k = 1; k <= n; k++) {
      const p = (this.position + k + n) % n;
      const index = list[p]!;
      if (view.isReady(index)) {
        this.position = p;
        this.burstLeft = this.burst - 1;
        return index;
      }
    }
    return -1;
  }
}

/**
 * SQ indices grouped by priority class, rebuilt when queues are added (classes never change).
 * `lists[c]` holds the indices of class c in increasing order.
 */
export class ClassLists {
  readonly lists: number[][];
  private known = 0;

  constructor(classes: number) {
    this.lists = Array.from({ length: classes }, () => []);
  }

  /** Brings the lists up to date with `view` (O(1) when no queue was added). */
  update(view: SubmissionQueuesView, classOf: (index: number) => number): void {
    for (; this.known < view.count; this.known++) this.lists[classOf(this.known)]!.push(this.known);
  }
}
