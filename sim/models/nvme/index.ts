/** The NVMe host interface: controller, functions (PF/VF), queue pairs, namespaces, arbitration protocol. */
export { NvmeController, type NvmeControllerOptions } from './controller.ts';
export { NvmeFunction, type NvmeFunctionKind, type NvmeFunctionOptions } from './function.ts';
export { NvmeNamespace, NVME_LBA_SIZES, namespacesProblem, type NvmeNamespaceSpec } from './namespace.ts';
export { NvmeNamespaceDevice } from './namespace-device.ts';
export { QueuePair, MIN_QUEUE_DEPTH, MAX_QUEUE_DEPTH } from './queue-pair.ts';
export { TokenBucket } from './token-bucket.ts';
export {
  NvmePriorityClass,
  NVME_PRIORITY_CLASS_NAMES,
  type NvmeArbiter,
  type NvmeArbitration,
  type SubmissionQueuesView,
} from './arbitration.ts';
export * as NvmeStatus from './status.ts';
