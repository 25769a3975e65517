import type { GcVictimPolicy, GcVictimView } from '../../sim/models/ssd/gc-victim.ts';
import type { PolicyModule } from '../policy.ts';
import { CandidateSetSelector } from './candidate-set.ts';

/**
 * d-choices (random-greedy): sample d full blocks uniformly at random, with replacement, and
 * reclaim the one with the fewest valid pages (the first sampled on a tie). Close to greedy
 * already for d = 10 at a fraction of its bookkeeping (Van Houdt, SIGMETRICS 2013; MQSim's
 * "RGA" victim policy).
 */
export const dChoices: PolicyModule<GcVictimPolicy, { d?: number }> = {
  decisionPoint: 'gc-victim',
  name: 'd-choices',
  description: 'd-choices (random-greedy): the fewest valid pages among d random full blocks.',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { d: { type: 'integer', minimum: 1, description: 'blocks sampled per choice (default 10)' } },
  },
  create: (params) => {
    const d = params.d ?? 10;
    return { name: 'd-choices', attach: (view) => new DChoicesSelector(view, d) };
  },
};

class DChoicesSelector extends CandidateSetSelector {
  constructor(
    view: GcVictimView,
    private readonly d: number,
  ) {
    super(view);
  }

  takeVictim(): number {
    const { items, size } = this.candidates;
    if (size === 0) return -1;
    const valid = this.view.validCount;
    const random = this.view.random;
    let best = random.nextInt(size);
    for (let i = 1; i < this.d; i++) {
      const index = random.nextInt(size);
      if (valid[items[index]!]! < valid[items[best]!]!) best = index;
    }
    return this.candidates.removeAt(best);
  }
}
