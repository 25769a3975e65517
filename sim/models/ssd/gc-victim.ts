/**
 * The decision garbage collection delegates to a policy: which full block of a plane to
 * reclaim next. The mechanism (the FTL) owns the block state and tells the policy about every
 * change that matters, so a policy can keep its own index (greedy keeps buckets by valid
 * count and answers in O(1)); the policy never changes block state itself.
 *
 * Policies live in `policies/gc-victim/` and are attached once per plane (each plane is its
 * own garbage-collection domain, as in MQSim).
 */
import type { RandomStream } from '../../engine/random/index.ts';

/** What a victim policy may read about the plane it serves. Arrays are indexed by global block id. */
export interface GcVictimView {
  /** First global block id of the plane; its blocks are `firstBlock .. firstBlock + blockCount - 1`. */
  readonly firstBlock: number;
  readonly blockCount: number;
  readonly pagesPerBlock: number;
  /** Valid pages per block. */
  readonly validCount: Int32Array;
  /** The FTL's write clock (host pages written so far) when each block was last filled. */
  readonly closedAt: Float64Array;
  /** Erase counts per block. */
  readonly eraseCount: Uint32Array;
  /** The FTL's write clock now: host pages written so far (the age unit of cost-benefit). */
  writeClock(): number;
  /** The plane's own random stream, for randomized policies. */
  readonly random: RandomStream;
}

/**
 * One plane's victim selector. Candidates are the plane's full ("closed") blocks: a block
 * becomes one through `closed`, loses valid pages through `invalidated` (called after the
 * valid count was decremented), and stops being one when `takeVictim` returns it.
 */
export interface GcVictimSelector {
  closed(block: number): void;
  invalidated(block: number): void;
  /** Chooses and removes a candidate; -1 when there is none. */
  takeVictim(): number;
}

/** What a `gc-victim` policy module's `create(params)` returns. */
export interface GcVictimPolicy {
  readonly name: string;
  attach(view: GcVictimView): GcVictimSelector;
}
