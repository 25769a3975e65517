/** Every built-in policy, by decision point. Adding a policy means adding it here. */
import { GC_VICTIM_POLICIES } from './gc-victim/index.ts';
import { NVME_ARBITRATION_POLICIES } from './nvme-arbitration/index.ts';
import type { PolicyModule } from './policy.ts';
import { fifo } from './queue-discipline/fifo.ts';
import { lifo } from './queue-discipline/lifo.ts';
import { priorityClasses } from './queue-discipline/priority-classes.ts';
import { sjf } from './queue-discipline/sjf.ts';

export type { PolicyModule } from './policy.ts';

/** Built-in policies in a fixed order (decision point, then the order listed here). */
export const BUILT_IN_POLICIES: readonly PolicyModule<any, any>[] = [fifo, lifo, sjf, priorityClasses, ...GC_VICTIM_POLICIES, ...NVME_ARBITRATION_POLICIES];
