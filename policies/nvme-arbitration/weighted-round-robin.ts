/**
 * Weighted round robin with urgent priority class (NVMe Base Specification 1.4, §4.13.2):
 * - the admin class has strict priority over everything else;
 * - the urgent class has strict priority over the three weighted classes;
 * - high, medium and low share what is left by weight: in each arbitration round the high class
 *   may launch `weights.high` commands, then medium `weights.medium`, then low `weights.low`
 *   (the spec's HPW, MPW and LPW fields of the Arbitration feature, §5.21.1.1, are 0's based:
 *   a field value w means w + 1 commands; here weights are the command counts themselves).
 *   A class with no ready SQ gives up the rest of its turn in that round.
 * Within every class the SQs are served round robin with Arbitration Burst (§4.13.1).
 *
 * Under saturation (every SQ always ready) a weighted class therefore receives the fraction
 * w_c / (w_high + w_medium + w_low) of the commands the urgent and admin classes leave over.
 */
import { NvmePriorityClass, type NvmeArbiter, type NvmeArbitration, type SubmissionQueuesView } from '../../sim/models/nvme/arbitration.ts';
import type { PolicyModule } from '../policy.ts';
import { BURST_SCHEMA, burstCount, ClassLists, RoundRobinCursor } from './burst.ts';

export interface WeightedRoundRobinParams {
  burst?: number | string;
  weights?: { high?: number; medium?: number; low?: number };
}

const CLASSES = 5;
/** The weighted classes, in the order a round visits them. */
const WEIGHTED = [NvmePriorityClass.High, NvmePriorityClass.Medium, NvmePriorityClass.Low] as const;

class WeightedRoundRobinArbiter implements NvmeArbiter {
  private readonly classes = new ClassLists(CLASSES);
  private readonly cursors: RoundRobinCursor[];
  private readonly weights: readonly number[];
  /** Commands each weighted class may still launch in the current round. */
  private readonly credits = new Float64Array(WEIGHTED.length);
  /** Position in WEIGHTED of the class whose turn it is. */
  private turn = 0;
  private readonly classOf: (index: number) => number;
  private view: SubmissionQueuesView | null = null;

  constructor(burst: number, weights: readonly number[]) {
    this.cursors = Array.from({ length: CLASSES }, () => new RoundRobinCursor(burst));
    this.weights = weights;
    this.credits.set(weights);
    this.classOf = (index) => this.view!.priorityClass(index);
  }

  pickNext(queues: SubmissionQueuesView): number {
    this.view = queues;
    this.classes.update(queues, this.classOf);
    const lists = this.classes.lists;
    const admin = this.cursors[NvmePriorityClass.Admin]!.next(lists[NvmePriorityClass.Admin]!, queues);
    if (admin >= 0) return admin;
    const urgent = this.cursors[NvmePriorityClass.Urgent]!.next(lists[NvmePriorityClass.Urgent]!, queues);
    if (urgent >= 0) return urgent;
    // At most two passes: the rest of the current round, then one fresh round.
    for (let pass = 0; pass < 2; pass++) {
      for (; this.turn < WEIGHTED.length; this.turn++) {
        if (this.credits[this.turn]! <= 0) continue;
        const cls = WEIGHTED[this.turn]!;
        const index = this.cursors[cls]!.next(lists[cls]!, queues);
        if (index >= 0) {
          this.credits[this.turn]!--;
          return index;
        }
      }
      this.turn = 0;
      this.credits.set(this.weights);
    }
    return -1;
  }
}

const weightSchema = (name: string, field: string) => ({
  type: 'integer',
  minimum: 1,
  maximum: 256,
  description: `commands the ${name} class may launch per round (the spec's ${field} + 1; default 1)`,
});

export const weightedRoundRobin: PolicyModule<NvmeArbitration, WeightedRoundRobinParams> = {
  decisionPoint: 'nvme-arbitration',
  name: 'weighted-round-robin',
  description: 'NVMe weighted round robin with urgent priority class (§4.13.2): admin > urgent (strict) > high/medium/low by weights.',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      burst: BURST_SCHEMA,
      weights: {
        type: 'object',
        additionalProperties: false,
        description: 'commands per round of each weighted class (HPW, MPW, LPW as counts)',
        properties: { high: weightSchema('high', 'HPW'), medium: weightSchema('medium', 'MPW'), low: weightSchema('low', 'LPW') },
      },
    },
  },
  create(params) {
    const burst = burstCount(params.burst);
    const w = params.weights ?? {};
    const weights = [w.high ?? 1, w.medium ?? 1, w.low ?? 1];
    for (const weight of weights) {
      if (!(Number.isInteger(weight) && weight >= 1 && weight <= 256)) {
        throw new RangeError(`weighted-round-robin weights must be integers in [1, 256], got ${JSON.stringify(w)}`);
      }
    }
    return { name: 'weighted-round-robin', createArbiter: () => new WeightedRoundRobinArbiter(burst, weights) };
  },
};
