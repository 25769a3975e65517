import type { GcVictimPolicy, GcVictimSelector, GcVictimView } from '../../sim/models/ssd/gc-victim.ts';
import type { PolicyModule } from '../policy.ts';

/**
 * Greedy: reclaim the block with the fewest valid pages, which frees the most space per
 * erase. Optimal for uniform (memoryless) writes (Yang, Misra and Rubenstein, "On the
 * optimality of greedy garbage collection for SSDs", SIGMETRICS PER 43(2), 2015).
 *
 * Candidates sit in doubly linked lists, one bucket per valid count, so an invalidation moves
 * a block down one bucket in O(1) and the victim is found by walking up from the lowest
 * non-empty bucket (amortised O(1): the minimum only moves down one step per invalidation).
 * Within a bucket the most recently filed block goes first.
 */
export const greedy: PolicyModule<GcVictimPolicy> = {
  decisionPoint: 'gc-victim',
  name: 'greedy',
  description: 'Greedy: the full block with the fewest valid pages.',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => ({ name: 'greedy', attach: (view) => new GreedySelector(view) }),
};

class GreedySelector implements GcVictimSelector {
  private readonly first: number;
  private readonly valid: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  /** Head of each valid-count bucket (local block index), -1 when empty. */
  private readonly head: Int32Array;
  private lowest: number;
  private readonly highest: number;

  constructor(view: GcVictimView) {
    this.first = view.firstBlock;
    this.valid = view.validCount;
    this.next = new Int32Array(view.blockCount);
    this.prev = new Int32Array(view.blockCount);
    this.head = new Int32Array(view.pagesPerBlock + 1).fill(-1);
    this.highest = view.pagesPerBlock;
    this.lowest = this.highest + 1;
  }

  closed(block: number): void {
    const count = this.valid[block]!;
    this.push(block - this.first, count);
    if (count < this.lowest) this.lowest = count;
  }

  invalidated(block: number): void {
    const local = block - this.first;
    const count = this.valid[block]!;
    this.unlink(local, count + 1);
    this.push(local, count);
    if (count < this.lowest) this.lowest = count;
  }

  takeVictim(): number {
    const head = this.head;
    let bucket = this.lowest;
    while (bucket <= this.highest && head[bucket] === -1) bucket++;
    this.lowest = bucket;
    if (bucket > this.highest) return -1;
    const local = head[bucket]!;
    this.unlink(local, bucket);
    return local + this.first;
  }

  private push(local: number, bucket: number): void {
    const old = this.head[bucket]!;
    this.next[local] = old;
    this.prev[local] = -1;
    if (old !== -1) this.prev[old] = local;
    this.head[bucket] = local;
  }

  private unlink(local: number, bucket: number): void {
    const prev = this.prev[local]!;
    const next = this.next[local]!;
    if (prev === -1) this.head[bucket] = next;
    else this.next[prev] = next;
    if (next !== -1) this.prev[next] = prev;
  }
}
