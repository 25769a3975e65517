import type { GcVictimPolicy, GcVictimView } from '../../sim/models/ssd/gc-victim.ts';
import type { PolicyModule } from '../policy.ts';
import { CandidateSetSelector } from './candidate-set.ts';

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

class RandomSelector extends CandidateSetSelector {
  takeVictim(): number {
    const size = this.candidates.size;
    return size === 0 ? -1 : this.candidates.removeAt(this.view.random.nextInt(size));
  }
}
