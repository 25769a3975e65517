import type { Request } from '../../engine/index.ts';
import type { JobView } from './discipline.ts';

/** A customer moving through a queueing station. One object per job, reused by nothing else. */
export class Job implements JobView {
  arrivalNs = 0;
  /** The station's grant of a server, while waiting or in service. */
  request: Request | null = null;
  constructor(
    readonly serviceNs: number,
    readonly classId: number,
  ) {}
}
