import type { JobView, QueueDiscipline } from '../../sim/models/queueing/discipline.ts';
import type { PolicyModule } from '../policy.ts';

/** First come, first served: every job has the same rank, so arrival order decides. */
export const fifo: PolicyModule<QueueDiscipline> = {
  decisionPoint: 'queue-discipline',
  name: 'fifo',
  description: 'First come, first served.',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => ({ name: 'fifo', rank: (_job: JobView) => 0 }),
};
