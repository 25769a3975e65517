import type { JobView, QueueDiscipline } from '../../sim/models/queueing/discipline.ts';
import type { PolicyModule } from '../policy.ts';

/** Non-preemptive priority by job class: class 0 first, FIFO within a class. */
export const priorityClasses: PolicyModule<QueueDiscipline> = {
  decisionPoint: 'queue-discipline',
  name: 'priority-classes',
  description: 'Non-preemptive priority by job class (class 0 first), FIFO within a class.',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => ({ name: 'priority-classes', rank: (job: JobView) => job.classId }),
};
