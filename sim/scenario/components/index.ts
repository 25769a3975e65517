/** Every component type a scenario may declare, in a fixed order. Adding a model means adding it here. */
import type { ComponentType } from '../component-type.ts';
import { openSourceType, queueStationType, stationOutageType } from './queueing.ts';
import { SSD_COMPONENT_TYPES } from './ssd.ts';
import { WORKLOAD_COMPONENT_TYPES } from './workload.ts';
import { NVME_COMPONENT_TYPES } from './nvme.ts';
import { HOST_COMPONENT_TYPES } from './host.ts';
import { ARRAY_COMPONENT_TYPES } from './array.ts';
import { NETWORK_COMPONENT_TYPES } from './network.ts';
import { CLOUD_COMPONENT_TYPES } from './cloud.ts';
import { FAULT_COMPONENT_TYPES } from './faults.ts';

export const COMPONENT_TYPES: readonly ComponentType[] = [queueStationType, openSourceType, stationOutageType, ...SSD_COMPONENT_TYPES, ...WORKLOAD_COMPONENT_TYPES, ...NVME_COMPONENT_TYPES, ...HOST_COMPONENT_TYPES, ...ARRAY_COMPONENT_TYPES, ...NETWORK_COMPONENT_TYPES, ...CLOUD_COMPONENT_TYPES, ...FAULT_COMPONENT_TYPES];
