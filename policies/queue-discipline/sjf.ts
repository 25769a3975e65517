import type { JobView, QueueDiscipline } from '../../sim/models/queueing/discipline.ts';
import type { PolicyModule } from '../policy.ts';

/**
 * Shortest job first (non-preemptive): the waiting job with the smallest service
 * requirement is served next. Minimises mean waiting time among non-preemptive
 * disciplines that know job sizes (Conway, Maxwell and Miller, Theory of Scheduling, 1967).
 */
export const sjf: PolicyModule<QueueDiscipline> = {
  decisionPoint: 'queue-discipline',
  name: 'sjf',
  description: 'Shortest job first, non-preemptive (needs job sizes on arrival).',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => ({ name: 'sjf', rank: (job: JobView) => job.serviceNs }),
};
