/** The engine's public API: clock, queue, processes, resources. Re-exports only. */
export type { Clock, Scheduler } from './clock.ts';
export { Environment, RunawayError, type RunOptions } from './environment.ts';
export { EventQueue, Priority } from './event-queue.ts';
export { SimEvent, Timeout, type EventCallback, type EventWaiter } from './event.ts';
export { Process, Interrupt, type ProcessBody, type Yieldable } from './process.ts';
export { Condition, allOf, anyOf, type ConditionValue } from './condition.ts';
export { Resource, Request, type ResourceOptions, type RequestOptions, type Preempted } from './resources/resource.ts';
export { Store, StoreGet, StorePut, type StoreOptions } from './resources/store.ts';
export { Container, ContainerRequest, type ContainerOptions } from './resources/container.ts';
export { NS_PER_S, NS_PER_MS, NS_PER_US, secondsToNs, nsToSeconds } from './time.ts';
