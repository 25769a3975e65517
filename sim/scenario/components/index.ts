/** Every component type a scenario may declare, in a fixed order. Adding a model means adding it here. */
import type { ComponentType } from '../component-type.ts';
import { openSourceType, queueStationType, stationOutageType } from './queueing.ts';

export const COMPONENT_TYPES: readonly ComponentType[] = [queueStationType, openSourceType, stationOutageType];
