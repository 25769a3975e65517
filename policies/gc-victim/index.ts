/** The garbage-collection victim policies (decision point `gc-victim`), greedy first (the default). */
import type { PolicyModule } from '../policy.ts';
import { costBenefit } from './cost-benefit.ts';
import { dChoices } from './d-choices.ts';
import { fifo } from './fifo.ts';
import { greedy } from './greedy.ts';
import { random } from './random.ts';

export const GC_VICTIM_POLICIES: readonly PolicyModule<any, any>[] = [greedy, costBenefit, dChoices, fifo, random];
