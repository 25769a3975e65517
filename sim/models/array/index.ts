/** Storage arrays with copy offload: the public API. Re-exports only. */
export { StorageArray, type StorageArrayOptions, type XcopyOptions, type ArrayRole } from './storage-array.ts';
export { ArrayVolume, type ArrayVolumeOptions } from './array-volume.ts';
export { Backend, type BackendOptions } from './backend.ts';
export { FrontEndPort, type PortOptions, type PortSharing } from './front-end-port.ts';
export { ReplicationLink, linkArrays, type ReplicationLinkOptions } from './replication-link.ts';
export { CopyJob, DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_OUTSTANDING_SEGMENTS, type CopyJobOptions, type CopyMode, type CopyState } from './copy-job.ts';
export type { HostCpuHook } from './copy-segment.ts';
export { ContentMap, ContentStamper, contentStamperFor } from './content-map.ts';
export { FairShareChannel } from './fair-share-channel.ts';
export { FifoChannel } from './fifo-channel.ts';
export type { Channel, Transfer } from './channel.ts';
