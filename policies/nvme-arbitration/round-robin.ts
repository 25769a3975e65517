/**
 * Round robin arbitration (NVMe Base Specification 1.4, §4.13.1): every SQ, admin and I/O
 * alike, has the same priority; the controller visits the SQs in order and launches up to
 * Arbitration Burst commands from each ready one before moving to the next. Queue priority
 * classes are ignored.
 */
import type { NvmeArbiter, NvmeArbitration, SubmissionQueuesView } from '../../sim/models/nvme/arbitration.ts';
import type { PolicyModule } from '../policy.ts';
import { BURST_SCHEMA, burstCount, RoundRobinCursor } from './burst.ts';

export interface RoundRobinParams {
  burst?: number | string;
}

class RoundRobinArbiter implements NvmeArbiter {
  private readonly all: number[] = [];
  private readonly cursor: RoundRobinCursor;

  constructor(burst: number) {
    this.cursor = new RoundRobinCursor(burst);
  }

  pickNext(queues: SubmissionQueuesView): number {
    while (this.all.length < queues.count) this.all.push(this.all.length);
    return this.cursor.next(this.all, queues);
  }
}

export const roundRobin: PolicyModule<NvmeArbitration, RoundRobinParams> = {
  decisionPoint: 'nvme-arbitration',
  name: 'round-robin',
  description: 'NVMe round robin (§4.13.1): all SQs equal, up to "burst" commands from one SQ at a time.',
  paramsSchema: { type: 'object', additionalProperties: false, properties: { burst: BURST_SCHEMA } },
  create(params) {
    const burst = burstCount(params.burst);
    return { name: 'round-robin', createArbiter: () => new RoundRobinArbiter(burst) };
  },
};
