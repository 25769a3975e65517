import type { GcVictimPolicy, GcVictimSelector, GcVictimView } from '../../sim/models/ssd/gc-victim.ts';
import type { PolicyModule } from '../policy.ts';
import { CandidateSet } from './candidate-set.ts';

/**
 * Random: reclaim a full block chosen uniformly at random (the baseline of Van Houdt, "A mean
 * field model for a class of garbage collection algorithms in flash-based solid state
 * drives", SIGMETRICS 2013). Draws from the plane's own stream.
 */
export const random: PolicyModule<GcVictimPolicy> = {
  decisionPoint: 'gc-victim',
  name: 'random',
  description: 'Random: a full block chosen uniformly at random.',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => ({ name: 'random', attach: (view) => new RandomSelector(view) }),
};

class RandomSelector implements GcVictimSelector {
  private readonly candidates: CandidateSet;

  constructor(private readonly view: GcVictimView) {
    this.candidates = new CandidateSet(view.firstBlock, view.blockCount);
  }

  closed(block: number): void {
    this.candidates.add(block);
  }

  invalidated(_block: number): void {}

  takeVictim(): number {
    const size = this.candidates.size;
    return size === 0 ? -1 : this.candidates.removeAt(this.view.random.nextInt(size));
  }
}
