/**
 * Scenario glue for the cloud models: the `object-store`, `backup-service` and `snapshot-store`
 * world components and the `object-workload` workload. Components that use a store name it in
 * `store` (the store is built first, whatever the written order: see build-order.ts).
 */
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../models/cloud/backoff.ts';
import { BackupService } from '../../models/cloud/backup-service.ts';
import { ChunkedDataset, startRandomWrites } from '../../models/cloud/chunked-dataset.ts';
import type { ObjectClient } from '../../models/cloud/object-client.ts';
import { ObjectStore, S3_REQUEST_RATES, type RequestRateLimits } from '../../models/cloud/object-store.ts';
import { ObjectWorkload } from '../../models/cloud/object-workload.ts';
import { FREE, type CloudPrices } from '../../models/cloud/pricing.ts';
import { INTERNET, type Region } from '../../models/cloud/region.ts';
import { S3_UPLOAD_LIMITS, type UploadLimits } from '../../models/cloud/s3-limits.ts';
import { SnapshotSchedule } from '../../models/cloud/snapshot-schedule.ts';
import { SnapshotStore } from '../../models/cloud/snapshot-store.ts';
import type { BuildContext, ComponentType } from '../component-type.ts';
import { count, distribution, fraction, quantity } from '../schema-parts.ts';

const NAME = { type: 'string', pattern: '^[a-z][a-z0-9_-]*$' };
const MiB = 1024 * 1024;

const retrySchema = {
  type: 'object',
  additionalProperties: false,
  description: 'how clients retry 503 SlowDown / ServiceUnavailable: capped exponential backoff with full jitter',
  properties: {
    maxAttempts: count('attempts in all, the first included (default 3, as the AWS SDKs\' standard mode)', 1),
    baseDelay: quantity('time', 'backoff base: the sleep before retry k is uniform in [0, min(maxDelay, baseDelay × 2^k)) (default 100ms)'),
    maxDelay: quantity('time', 'backoff cap (default 20s)'),
  },
};

const clientSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'the client this component uses to reach the store',
  properties: {
    region: { type: 'string', minLength: 1, description: 'region the client is in, or "internet" (default: the store\'s region; decides egress prices)' },
    jurisdiction: { type: 'string', description: 'jurisdiction of the client\'s region (default: the store\'s when in its region, else "")' },
    connectionBandwidth: quantity('datarate', 'the client\'s per-connection bandwidth cap (default unlimited)'),
    retry: retrySchema,
  },
};

const storeRefProperties = {
  store: { type: 'string', description: 'id of the object-store' },
  bucket: { type: 'string', minLength: 1, description: 'bucket used (created if missing; default: this component\'s id)' },
  client: clientSchema,
};

export const objectStoreType: ComponentType = {
  type: 'object-store',
  section: 'world',
  description:
    'An S3-like object store in a region: per-request first-byte latency, per-connection and aggregate bandwidth ' +
    '(max-min fair), request-rate limits (503 SlowDown), multipart limits, and prices for storage, requests and egress.',
  properties: {
    region: { type: 'string', minLength: 1, description: 'region name, e.g. "eu-west-1"' },
    jurisdiction: { type: 'string', description: 'whose law governs data in the region, e.g. "EU" (default "")' },
    firstByteLatency: distribution('time', 'time to first byte of each request attempt'),
    connectionBandwidth: quantity('datarate', 'per-connection bandwidth cap (default unlimited)'),
    aggregateBandwidth: quantity('datarate', 'bandwidth shared by all transfers, max-min fairly (default unlimited)'),
    requestRates: {
      type: 'object',
      additionalProperties: false,
      description: 'request-rate limits (default S3: 3500/s writes, 5500/s reads, per prefix, 1 s burst)',
      properties: {
        write: quantity('rate', 'PUT/COPY/POST/DELETE (and multipart steps) per second per scope'),
        read: quantity('rate', 'GET/HEAD/LIST per second per scope'),
        scope: { enum: ['prefix', 'bucket', 'store'], description: 'what one limit covers: a key prefix (up to the last "/"), a bucket, or the store' },
        burst: quantity('time', 'burst allowance in time at the full rate (token bucket depth = rate × burst)'),
      },
    },
    prices: {
      type: 'object',
      additionalProperties: false,
      description: 'prices (default 0 each). Note "GB" is 10^9 B and "GiB" 2^30 B; a month is 730 h',
      properties: {
        storage: quantity('storagePrice', 'storage, e.g. "0.023 USD/GB/month"'),
        putRequests: quantity('requestPrice', 'PUT, COPY, POST, LIST requests (multipart create, part, complete), e.g. "0.005 USD/1000 requests"'),
        getRequests: quantity('requestPrice', 'GET and HEAD requests, e.g. "0.0004 USD/1000 requests"'),
        egressInternet: quantity('transferPrice', 'bytes read to the internet, e.g. "0.09 USD/GB"'),
        egressInterRegion: quantity('transferPrice', 'bytes read to another region, e.g. "0.02 USD/GB"'),
        intraRegion: quantity('transferPrice', 'bytes read within the region (default free)'),
      },
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      description: 'upload limits (default S3: parts 5MiB to 5GiB, 10000 parts, 5TiB objects, 5GiB single PUT)',
      properties: {
        minPartSize: quantity('size', 'smallest part other than the last'),
        maxPartSize: quantity('size', 'largest part'),
        maxParts: count('most parts per upload (and largest part number)', 1),
        maxObjectSize: quantity('size', 'largest object'),
        maxPutSize: quantity('size', 'largest single PUT'),
      },
    },
    retry: { ...retrySchema, description: `${retrySchema.description}; the default for clients of this store` },
    buckets: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 }, description: 'buckets to create' },
  },
  required: ['region', 'firstByteLatency'],
  build(context, id, spec) {
    const q = (value: string | undefined, kind: Parameters<BuildContext['quantity']>[1], fallback: number) =>
      value === undefined ? fallback : context.quantity(value, kind);
    const rates: RequestRateLimits = {
      writePerS: q(spec.requestRates?.write, 'rate', S3_REQUEST_RATES.writePerS),
      readPerS: q(spec.requestRates?.read, 'rate', S3_REQUEST_RATES.readPerS),
      scope: spec.requestRates?.scope ?? S3_REQUEST_RATES.scope,
      burstS: q(spec.requestRates?.burst, 'time', S3_REQUEST_RATES.burstS * 1e9) / 1e9,
    };
    const p = spec.prices ?? {};
    const prices: CloudPrices = {
      storageUsdPerByteS: q(p.storage, 'storagePrice', FREE.storageUsdPerByteS),
      putRequestUsd: q(p.putRequests, 'requestPrice', FREE.putRequestUsd),
      getRequestUsd: q(p.getRequests, 'requestPrice', FREE.getRequestUsd),
      egressInternetUsdPerB: q(p.egressInternet, 'transferPrice', FREE.egressInternetUsdPerB),
      egressInterRegionUsdPerB: q(p.egressInterRegion, 'transferPrice', FREE.egressInterRegionUsdPerB),
      intraRegionUsdPerB: q(p.intraRegion, 'transferPrice', FREE.intraRegionUsdPerB),
    };
    const l = spec.limits ?? {};
    const limits: UploadLimits = {
      minPartBytes: q(l.minPartSize, 'size', S3_UPLOAD_LIMITS.minPartBytes),
      maxPartBytes: q(l.maxPartSize, 'size', S3_UPLOAD_LIMITS.maxPartBytes),
      maxParts: l.maxParts ?? S3_UPLOAD_LIMITS.maxParts,
      maxObjectBytes: q(l.maxObjectSize, 'size', S3_UPLOAD_LIMITS.maxObjectBytes),
      maxPutBytes: q(l.maxPutSize, 'size', S3_UPLOAD_LIMITS.maxPutBytes),
    };
    const store = new ObjectStore(
      context.env,
      id,
      {
        region: { name: spec.region, jurisdiction: spec.jurisdiction ?? '' },
        firstByteLatencyNs: context.distribution(spec.firstByteLatency, 'time'),
        connectionBandwidthBps: q(spec.connectionBandwidth, 'datarate', Infinity),
        aggregateBandwidthBps: q(spec.aggregateBandwidth, 'datarate', Infinity),
        requestRates: rates,
        prices,
        limits,
        clientRetry: retryPolicy(context, spec.retry, DEFAULT_RETRY_POLICY),
      },
      context.streams.stream(`${id}/latency`),
      context.metrics,
    );
    for (const bucket of spec.buckets ?? []) store.createBucket(bucket);
    return store;
  },
};

export const backupServiceType: ComponentType = {
  type: 'backup-service',
  section: 'world',
  description:
    'Full and forward-incremental backups of a chunked dataset into an object store on a schedule, with retention ' +
    '(keep N restore points, whole chains deleted) and restores (GET of the backup chain) at given times.',
  properties: {
    ...storeRefProperties,
    prefix: { type: 'string', description: 'key prefix of the backup objects (default "<id>/")' },
    dataset: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'size', 'chunkSize'],
      description: 'the dataset protected',
      properties: {
        name: { ...NAME, description: 'dataset name (in object keys)' },
        size: quantity('size', 'dataset size'),
        chunkSize: quantity('size', 'unit of change tracking: incrementals copy whole changed chunks'),
        changeRate: quantity('datarate', 'bytes overwritten per second, as random one-chunk writes (Poisson, uniform chunk); default 0 B/s'),
      },
    },
    interval: quantity('time', 'time between backups'),
    firstAt: quantity('time', 'time of the first backup (default: one interval)'),
    fullEvery: count('restore points per chain: every fullEvery-th backup is full (1: all full)', 1),
    keep: count('restore points to keep (at least this many are kept; whole chains are deleted)', 1),
    partSize: quantity('size', 'multipart part size (default 64MiB; objects up to this size go in one PUT)'),
    uploadConcurrency: count('parts in flight at once (default 4)', 1),
    restoreRangeSize: quantity('size', 'bytes per ranged GET when restoring (default: partSize)'),
    restoreConcurrency: count('ranged GETs in flight at once when restoring (default 4)', 1),
    restoreAt: { type: 'array', items: quantity('time', 'a time'), description: 'times at which the latest backup is restored' },
  },
  required: ['store', 'dataset', 'interval', 'fullEvery', 'keep'],
  references: { store: ['object-store'] },
  build(context, id, spec) {
    const store = builtStore(context, spec.store);
    const d = spec.dataset;
    const dataset = new ChunkedDataset(d.name, context.quantity(d.size, 'size'), context.quantity(d.chunkSize, 'size'));
    const changeRate = d.changeRate === undefined ? 0 : context.quantity(d.changeRate, 'datarate');
    const partBytes = spec.partSize === undefined ? 64 * MiB : context.quantity(spec.partSize, 'size');
    if (partBytes < store.limits.minPartBytes) {
      throw new RangeError(`partSize ${partBytes} B is below the store's minimum part size of ${store.limits.minPartBytes} B; multipart uploads would fail with EntityTooSmall`);
    }
    const service = new BackupService(
      context.env,
      id,
      dataset,
      makeClient(context, id, store, spec),
      {
        bucket: spec.bucket ?? id,
        ...(spec.prefix === undefined ? {} : { prefix: spec.prefix }),
        intervalNs: context.quantity(spec.interval, 'time'),
        ...(spec.firstAt === undefined ? {} : { firstAtNs: context.quantity(spec.firstAt, 'time') }),
        fullEvery: spec.fullEvery,
        keep: spec.keep,
        upload: { partBytes, concurrency: spec.uploadConcurrency ?? 4 },
        download: {
          rangeBytes: spec.restoreRangeSize === undefined ? partBytes : context.quantity(spec.restoreRangeSize, 'size'),
          concurrency: spec.restoreConcurrency ?? 4,
        },
      },
      context.metrics,
    );
    const restoreAt: number[] = (spec.restoreAt ?? []).map((t: string) => context.quantity(t, 'time'));
    const writes = context.streams.stream(`${id}/writes`);
    const startBackups = service.start.bind(service);
    service.start = () => {
      startBackups();
      startRandomWrites(context.env, dataset, changeRate, writes);
      for (const t of restoreAt) context.env.schedule(t, () => service.restore(undefined, () => {}), null);
    };
    return service;
  },
};

export const snapshotStoreType: ComponentType = {
  type: 'snapshot-store',
  section: 'world',
  description:
    'Volume snapshots as chunk objects in an object store: each snapshot uploads only the chunks changed since its ' +
    'parent and shares the rest; deleting a snapshot frees chunks no other snapshot references.',
  properties: {
    ...storeRefProperties,
    prefix: { type: 'string', description: 'key prefix of the chunk objects (default "<id>/")' },
    chunkSize: quantity('size', 'chunk size: the unit of sharing between snapshots'),
    uploadConcurrency: count('chunk PUTs in flight at once (default 8)', 1),
    restoreConcurrency: count('chunk GETs in flight at once (default 8)', 1),
    volumes: {
      type: 'array',
      description: 'volumes snapshotted on a schedule (each written at random at its writeRate)',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'size'],
        properties: {
          name: { ...NAME, description: 'volume name (in keys and metric paths)' },
          size: quantity('size', 'volume size'),
          writeRate: quantity('datarate', 'bytes overwritten per second, as random one-chunk writes (default 0 B/s)'),
        },
      },
    },
    snapshotEvery: quantity('time', 'time between snapshots of each volume (default: none)'),
    firstAt: quantity('time', 'time of the first snapshot (default: one interval)'),
    keep: count('live snapshots to keep per volume; older ones are deleted (default 0: keep all)', 0),
    restoreAt: { type: 'array', items: quantity('time', 'a time'), description: 'times at which each volume\'s latest snapshot is restored and checked' },
  },
  required: ['store', 'chunkSize'],
  references: { store: ['object-store'] },
  build(context, id, spec) {
    const store = builtStore(context, spec.store);
    const chunkBytes = context.quantity(spec.chunkSize, 'size');
    const snapshots = new SnapshotStore(
      context.env,
      id,
      makeClient(context, id, store, spec),
      {
        bucket: spec.bucket ?? id,
        ...(spec.prefix === undefined ? {} : { prefix: spec.prefix }),
        chunkBytes,
        uploadConcurrency: spec.uploadConcurrency ?? 8,
        restoreConcurrency: spec.restoreConcurrency ?? 8,
      },
      context.metrics,
    );
    const intervalNs = spec.snapshotEvery === undefined ? 0 : context.quantity(spec.snapshotEvery, 'time');
    const restoreAt: number[] = (spec.restoreAt ?? []).map((t: string) => context.quantity(t, 'time'));
    const names = new Set<string>();
    const schedules = (spec.volumes ?? []).map((v: Record<string, any>) => {
      if (names.has(v.name)) throw new Error(`volume "${v.name}" is listed twice; volume names must be unique`);
      names.add(v.name);
      const volume = new ChunkedDataset(v.name, context.quantity(v.size, 'size'), chunkBytes);
      const schedule = new SnapshotSchedule(context.env, `${id}/${v.name}`, snapshots, volume, {
        intervalNs,
        ...(spec.firstAt === undefined ? {} : { firstAtNs: context.quantity(spec.firstAt, 'time') }),
        keep: spec.keep ?? 0,
      }, context.metrics);
      const rate = v.writeRate === undefined ? 0 : context.quantity(v.writeRate, 'datarate');
      return { schedule, volume, rate, stream: context.streams.stream(`${id}/${v.name}/writes`) };
    });
    return Object.assign(snapshots, {
      start() {
        for (const s of schedules) {
          s.schedule.start();
          startRandomWrites(context.env, s.volume, s.rate, s.stream);
          for (const t of restoreAt) {
            context.env.schedule(t, () => {
              if (snapshots.latestSnapshot(s.volume.name) >= 0) s.schedule.restoreLatest();
            }, null);
          }
        }
      },
    });
  },
};

export const objectWorkloadType: ComponentType = {
  type: 'object-workload',
  section: 'workload',
  description:
    'Open-loop PUT/GET requests to an object store: interarrival and PUT size distributions, a GET fraction, ' +
    'keys spread over prefixes, optional multipart uploads for large objects.',
  properties: {
    ...storeRefProperties,
    store: { type: 'string', description: 'id of the object-store' },
    interarrival: distribution('time', 'time between requests'),
    size: distribution('size', 'PUT object size'),
    getFraction: fraction('probability that a request is a GET of a key written before'),
    keys: count('distinct keys (default 1000)', 1),
    prefixes: count('prefixes the keys are spread over (default 1)', 1),
    requestLimit: count('stop after this many requests (default: no limit)', 1),
    multipart: {
      type: 'object',
      additionalProperties: false,
      required: ['threshold', 'partSize'],
      description: 'PUTs above the threshold go as multipart uploads',
      properties: {
        threshold: quantity('size', 'objects above this size are uploaded in parts'),
        partSize: quantity('size', 'part size'),
        concurrency: count('parts in flight at once (default 4)', 1),
      },
    },
  },
  required: ['store', 'interarrival', 'size', 'getFraction'],
  references: { store: ['object-store'] },
  build(context, id, spec) {
    const store = builtStore(context, spec.store);
    const workload = new ObjectWorkload(
      context.env,
      id,
      makeClient(context, id, store, spec),
      {
        bucket: spec.bucket ?? id,
        interarrivalNs: context.distribution(spec.interarrival, 'time'),
        sizeBytes: context.distribution(spec.size, 'size'),
        getFraction: spec.getFraction,
        keyCount: spec.keys ?? 1000,
        prefixCount: spec.prefixes ?? 1,
        ...(spec.requestLimit === undefined ? {} : { requestLimit: spec.requestLimit }),
        ...(spec.multipart === undefined
          ? {}
          : {
              multipart: {
                thresholdBytes: context.quantity(spec.multipart.threshold, 'size'),
                partBytes: context.quantity(spec.multipart.partSize, 'size'),
                concurrency: spec.multipart.concurrency ?? 4,
              },
            }),
      },
      {
        arrivals: context.streams.stream(`${id}/arrivals`),
        sizes: context.streams.stream(`${id}/sizes`),
        ops: context.streams.stream(`${id}/ops`),
        keys: context.streams.stream(`${id}/keys`),
      },
      context.metrics,
    );
    return workload;
  },
};

export const CLOUD_COMPONENT_TYPES: readonly ComponentType[] = [objectStoreType, backupServiceType, snapshotStoreType, objectWorkloadType];

/** The object store named `ref` (built first), or an Error saying what to fix. */
function builtStore(context: BuildContext, ref: string): ObjectStore {
  let component: unknown;
  try {
    component = context.component<unknown>(ref);
  } catch (error) {
    throw new Error(`object-store "${ref}": ${(error as Error).message}`);
  }
  if (!(component instanceof ObjectStore)) throw new Error(`"${ref}" is not an object-store`);
  return component;
}

/** The component's client: its region, per-connection cap and retry policy (default: the store's). */
function makeClient(context: BuildContext, id: string, store: ObjectStore, spec: Record<string, any>): ObjectClient {
  const c = spec.client ?? {};
  const regionName: string = c.region ?? store.region.name;
  const region: Region =
    regionName === INTERNET.name
      ? INTERNET
      : { name: regionName, jurisdiction: c.jurisdiction ?? (regionName === store.region.name ? store.region.jurisdiction : '') };
  return store.client(
    {
      path: `${id}/client`,
      region,
      ...(c.connectionBandwidth === undefined ? {} : { connectionBandwidthBps: context.quantity(c.connectionBandwidth, 'datarate') }),
      ...(c.retry === undefined ? {} : { retry: retryPolicy(context, c.retry, store.clientRetry) }),
    },
    context.streams.stream(`${id}/backoff`),
  );
}

function retryPolicy(context: BuildContext, spec: Record<string, any> | undefined, fallback: RetryPolicy): RetryPolicy {
  if (spec === undefined) return fallback;
  const policy: RetryPolicy = {
    maxAttempts: spec.maxAttempts ?? fallback.maxAttempts,
    baseDelayNs: spec.baseDelay === undefined ? fallback.baseDelayNs : context.quantity(spec.baseDelay, 'time'),
    maxDelayNs: spec.maxDelay === undefined ? fallback.maxDelayNs : context.quantity(spec.maxDelay, 'time'),
  };
  return policy;
}
