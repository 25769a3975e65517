import type { JobView, QueueDiscipline } from '../../sim/models/queueing/discipline.ts';
import type { PolicyModule } from '../policy.ts';

/** Last come, first served (non-preemptive): the latest arrival is served next. */
export const lifo: PolicyModule<QueueDiscipline> = {
  decisionPoint: 'queue-discipline',
  name: 'lifo',
  description: 'Last come, first served, non-preemptive.',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => ({ name: 'lifo', rank: (job: JobView) => -job.arrivalNs }),
};
