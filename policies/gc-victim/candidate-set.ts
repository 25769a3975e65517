/**
 * The candidate blocks of one plane as a dense array with O(1) insert and O(1) removal by
 * swapping with the last entry: what the policies that sample or scan candidates need
 * (random, d-choices, cost-benefit). Positions are local to the plane.
 */
import type { GcVictimSelector, GcVictimView } from '../../sim/models/ssd/gc-victim.ts';

export class CandidateSet {
  /** Candidate global block ids, in `items[0 .. size)`. */
  readonly items: Int32Array;
  size = 0;
  /** Position of each local block in `items`, or -1. */
  private readonly position: Int32Array;

  constructor(
    private readonly firstBlock: number,
    blockCount: number,
  ) {
    this.items = new Int32Array(blockCount);
    this.position = new Int32Array(blockCount).fill(-1);
  }

  add(block: number): void {
    this.position[block - this.firstBlock] = this.size;
    this.items[this.size++] = block;
  }

  /** Removes and returns the candidate at `index` (0 <= index < size). */
  removeAt(index: number): number {
    const block = this.items[index]!;
    const last = this.items[--this.size]!;
    this.items[index] = last;
    this.position[last - this.firstBlock] = index;
    this.position[block - this.firstBlock] = -1;
    return block;
  }
}

/**
 * Base of the selectors that only need the set of candidates (they read valid counts and ages
 * when choosing): every full block joins, invalidations change nothing to remember.
 */
export abstract class CandidateSetSelector implements GcVictimSelector {
  protected readonly candidates: CandidateSet;

  constructor(protected readonly view: GcVictimView) {
    this.candidates = new CandidateSet(view.firstBlock, view.blockCount);
  }

  closed(block: number): void {
    this.candidates.add(block);
  }

  invalidated(_block: number): void {}

  abstract takeVictim(): number;
}
