/** The `nvme-arbitration` policies, in registration order (the first is the default). */
import type { PolicyModule } from '../policy.ts';
import { roundRobin } from './round-robin.ts';
import { weightedRoundRobin } from './weighted-round-robin.ts';

export { roundRobin } from './round-robin.ts';
export { weightedRoundRobin } from './weighted-round-robin.ts';

/** Round robin first: it is the one mechanism every NVMe controller supports (§4.13). */
export const NVME_ARBITRATION_POLICIES: readonly PolicyModule<any, any>[] = [roundRobin, weightedRoundRobin];
