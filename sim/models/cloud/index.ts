/** The cloud models: object store, its clients, pricing, regions, backups and snapshots. Re-exports only. */
export { type Extent, type Content, ZERO_SOURCE, extentOf, zeroContent, contentLength, normalizeContent, sliceContent, concatContent, splitContent, sameContent, firstDifference, contentDigest } from './content.ts';
export { ObjectError, HTTP_STATUS, isServerError } from './object-errors.ts';
export { S3_UPLOAD_LIMITS, checkPutSize, checkPart, checkCompletion, validateLimits, type UploadLimits, type LimitViolation } from './s3-limits.ts';
export { fillFairRates, maxMinFairRates } from './fair-share.ts';
export { SharedLink, Transfer } from './shared-link.ts';
export { TokenBucket } from './token-bucket.ts';
export { DEFAULT_RETRY_POLICY, backoffCeilingNs, fullJitterDelayNs, validateRetryPolicy, type RetryPolicy } from './backoff.ts';
export { INTERNET, Destination, destinationOf, crossesJurisdiction, type Region } from './region.ts';
export { CostMeter, PriceClass, FREE, type CloudPrices } from './pricing.ts';
export { ObjectOp, RateClass, ObjectResult, ObjectCall, rateClassOf, priceClassOf, type CompletedPart, type AttemptSink } from './object-call.ts';
export { ObjectStore, S3_REQUEST_RATES, prefixOf, type ObjectStoreOptions, type RequestRateLimits, type ThrottleScope, type StoredObject } from './object-store.ts';
export { ObjectClient, type ObjectClientOptions, type ObjectCallback, type ByteRange } from './object-client.ts';
export { uploadObject, downloadObject, uploadObjectEvent, downloadObjectEvent, type TransferOutcome, type UploadOptions, type DownloadOptions } from './transfer-manager.ts';
export { ChunkedDataset, startRandomWrites } from './chunked-dataset.ts';
export { BackupService, type BackupServiceOptions, type BackupRecord, type BackupOutcome, type RestoreOutcome } from './backup-service.ts';
export { SnapshotStore, type SnapshotStoreOptions, type ChunkWrite, type SnapshotInfo, type PlannedChunk, type SnapshotOutcome, type DeleteOutcome, type VolumeRestoreOutcome } from './snapshot-store.ts';
export { SnapshotSchedule, type SnapshotScheduleOptions } from './snapshot-schedule.ts';
export { ObjectWorkload, type ObjectWorkloadOptions, type ObjectWorkloadStreams } from './object-workload.ts';
