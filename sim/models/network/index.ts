/** The flow-level network model: re-exports only (see `network.ts` for the model). */
export { Network, NetworkLink, TransferEvent, FINISH_FRACTION, type NetworkOptions, type LinkDownBehaviour } from './network.ts';
export { Flow, FlowStatus, FLOW_STATUS_NAMES, type FlowCallback, type TransferOptions } from './flow.ts';
export type { NetworkObserver } from './observer.ts';
export { Topology, type LinkSpec, type RouteSpec, type Route, type TopologyLink } from './topology.ts';
export { MaxMinSolver } from './max-min.ts';
export { TransferWorkload, type TransferPair, type TransferWorkloadOptions, type TransferWorkloadStreams } from './transfer-workload.ts';
