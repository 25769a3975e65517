import type { GcVictimPolicy, GcVictimSelector, GcVictimView } from '../../sim/models/ssd/gc-victim.ts';
import type { PolicyModule } from '../policy.ts';

/**
 * FIFO, also called LRW (least recently written): reclaim the block that was filled longest
 * ago, whatever its valid count — the log-structured "circular buffer" cleaner. Its write
 * amplification under uniform writes has a closed form (Desnoyers, "Analytic models of SSD
 * write performance", ACM TOS 10(2), 2014; Xiang and Kurkoski, arXiv:1110.4245, 2012).
 */
export const fifo: PolicyModule<GcVictimPolicy> = {
  decisionPoint: 'gc-victim',
  name: 'fifo',
  description: 'FIFO (least recently written): the block filled longest ago.',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => ({ name: 'fifo', attach: (view) => new FifoSelector(view) }),
};

class FifoSelector implements GcVictimSelector {
  /** Ring of candidates in the order they were filled. */
  private readonly ring: Int32Array;
  private head = 0;
  private count = 0;

  constructor(view: GcVictimView) {
    this.ring = new Int32Array(view.blockCount);
  }

  closed(block: number): void {
    this.ring[(this.head + this.count++) % this.ring.length] = block;
  }

  invalidated(_block: number): void {}

  takeVictim(): number {
    if (this.count === 0) return -1;
    const block = this.ring[this.head]!;
    this.head = this.head + 1 === this.ring.length ? 0 : this.head + 1;
    this.count--;
    return block;
  }
}
