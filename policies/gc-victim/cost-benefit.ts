import type { GcVictimPolicy, GcVictimView } from '../../sim/models/ssd/gc-victim.ts';
import type { PolicyModule } from '../policy.ts';
import { CandidateSetSelector } from './candidate-set.ts';

/**
 * Cost-benefit, as in the Sprite log-structured file system (Rosenblum and Ousterhout, "The
 * design and implementation of a log-structured file system", ACM TOCS 10(1), 1992, §3.5):
 * reclaim the block maximising benefit / cost = (1 − u) · age / (1 + u), where u is the
 * block's valid fraction and age the time since it was filled, here counted in host page
 * writes (the FTL's write clock). Older blocks are worth cleaning at a higher utilization
 * because their data is cold and will not soon invalidate itself. A block with no valid page
 * is free to reclaim and goes first. Scans every candidate: O(blocks per plane) per choice.
 */
export const costBenefit: PolicyModule<GcVictimPolicy> = {
  decisionPoint: 'gc-victim',
  name: 'cost-benefit',
  description: 'Cost-benefit (LFS): maximise (1 - u) * age / (1 + u).',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => ({ name: 'cost-benefit', attach: (view) => new CostBenefitSelector(view) }),
};

class CostBenefitSelector extends CandidateSetSelector {
  takeVictim(): number {
    const { items, size } = this.candidates;
    if (size === 0) return -1;
    const { validCount, closedAt, pagesPerBlock } = this.view;
    const now = this.view.writeClock();
    let best = 0;
    let bestScore = -Infinity;
    for (let i = 0; i < size; i++) {
      const block = items[i]!;
      const valid = validCount[block]!;
      if (valid === 0) {
        best = i;
        break;
      }
      const u = valid / pagesPerBlock;
      const score = ((1 - u) * (now - closedAt[block]!)) / (1 + u);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return this.candidates.removeAt(best);
  }
}
