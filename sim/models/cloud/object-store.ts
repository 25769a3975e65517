/**
 * An S3-like object store: buckets of keys held as metadata (size, parts, content description,
 * ETag), not bytes. One request attempt goes:
 *
 *   arrival ─▶ unavailable? ─▶ 503 ServiceUnavailable after the first-byte latency
 *           ─▶ over the request rate of its prefix? ─▶ 503 SlowDown after the latency
 *           ─▶ first-byte latency (one draw per attempt) ─▶ checks (4xx errors)
 *           ─▶ body transfer on the shared link ─▶ commit (PUT/part) ─▶ done
 *
 * Bandwidth: each transfer is capped by min(store's per-connection cap, client's cap) and all
 * transfers share the aggregate bandwidth max-min fairly (`shared-link.ts`). Uploads and
 * downloads share the one aggregate.
 *
 * Request rates: one token bucket per (rate class, scope key), where the scope is the key's
 * prefix up to its last "/" (S3: "3,500 PUT/COPY/POST/DELETE or 5,500 GET/HEAD requests per
 * second per partitioned prefix", Amazon S3 User Guide, "Best practices design patterns:
 * optimizing Amazon S3 performance"), or the bucket, or the whole store.
 *
 * Faults (see `outage`, `setAvailable`, `throttle`): while unavailable, new attempts fail with
 * ServiceUnavailable, and attempts in flight when the store goes down (waiting for their first
 * byte or transferring) fail at that instant with ServiceUnavailable; their partial uploads are
 * discarded, and bytes a GET had already sent are counted as sent. Clients retry both with
 * backoff. Counted in `<id>/unavailable` and `<id>/failed_in_flight`.
 *
 * Consistency: strong read-after-write, as S3 has had since December 2020: a PUT is visible to
 * requests that reach their checks after it committed; a GET reads the object as it was when
 * its first byte left (a later overwrite does not change bytes already being sent).
 *
 * Metrics under `<id>/`: `requests` (attempts received), `throttled`, `unavailable`,
 * `failed_in_flight`, `client_errors` (4xx), `uploaded_B`, `downloaded_B`, `egress_B` (bytes
 * that left the region), `egress_cross_jurisdiction_B`, `stored_{mean,max}_B`,
 * `objects_{mean,max}` and `active_transfers_{mean,max}` (time-weighted), and the cost gauges
 * `{storage,request,egress,total}_cost_USD` (accrued since the last metrics reset).
 *
 * Requests come from clients (`store.client(...)`, `object-client.ts`), which retry 5xx answers.
 * LIST is minimal: one page of up to `maxKeys` keys, no continuation.
 */
import type { Environment } from '../../engine/index.ts';
import type { Distribution, RandomStream } from '../../engine/random/index.ts';
import type { Counter, MetricRegistry, TimeWeighted } from '../../metrics/index.ts';
import { concatContent, contentDigest, contentLength, extentOf, sliceContent, type Content } from './content.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff.ts';
import { ObjectClient, type ObjectClientOptions } from './object-client.ts';
import { ObjectCall, ObjectOp, RateClass, priceClassOf, rateClassOf } from './object-call.ts';
import { ObjectError, isServerError } from './object-errors.ts';
import { CostMeter, FREE, type CloudPrices } from './pricing.ts';
import { Destination, crossesJurisdiction, destinationOf, type Region } from './region.ts';
import { S3_UPLOAD_LIMITS, checkCompletion, checkPart, checkPutSize, validateLimits, type UploadLimits } from './s3-limits.ts';
import { SharedLink, type Transfer } from './shared-link.ts';
import { TokenBucket } from './token-bucket.ts';

/** What one request-rate token bucket covers. */
export type ThrottleScope = 'prefix' | 'bucket' | 'store';

/** Request-rate limits. */
export interface RequestRateLimits {
  /** PUT/COPY/POST/DELETE (and multipart steps) per second per scope. S3: 3,500. */
  readonly writePerS: number;
  /** GET/HEAD/LIST per second per scope. S3: 5,500. */
  readonly readPerS: number;
  /** What a bucket of tokens covers. S3: 'prefix'. */
  readonly scope: ThrottleScope;
  /** Burst allowance, in seconds of the rate (bucket depth = rate × burstS, at least 1). */
  readonly burstS: number;
}

export const S3_REQUEST_RATES: RequestRateLimits = Object.freeze({ writePerS: 3500, readPerS: 5500, scope: 'prefix', burstS: 1 });

/** Options of an {@link ObjectStore}. */
export interface ObjectStoreOptions {
  readonly region: Region;
  /** Time to first byte of each attempt (ns), drawn once per attempt. */
  readonly firstByteLatencyNs: Distribution;
  /** Per-connection bandwidth cap (bytes/s). Default unlimited. */
  readonly connectionBandwidthBps?: number;
  /** Aggregate bandwidth shared by all transfers (bytes/s). Default unlimited. */
  readonly aggregateBandwidthBps?: number;
  /** Default {@link S3_REQUEST_RATES}. */
  readonly requestRates?: RequestRateLimits;
  /** Default: nothing priced. */
  readonly prices?: CloudPrices;
  /** Default {@link S3_UPLOAD_LIMITS}. */
  readonly limits?: UploadLimits;
  /** The retry policy of clients made by {@link ObjectStore.client} that set none. Default {@link DEFAULT_RETRY_POLICY}. */
  readonly clientRetry?: RetryPolicy;
}

/** An object's metadata and content description. */
export interface StoredObject {
  readonly key: string;
  readonly size: number;
  /** Part sizes of a multipart object, or null for a single PUT. */
  readonly partSizes: readonly number[] | null;
  readonly content: Content;
  readonly etag: string;
  readonly lastModifiedNs: number;
}

interface UploadedPart {
  readonly size: number;
  readonly etag: string;
  readonly content: Content;
}

interface MultipartUpload {
  readonly bucket: string;
  readonly key: string;
  readonly parts: Map<number, UploadedPart>;
}

export class ObjectStore {
  readonly path: string;
  readonly region: Region;
  readonly limits: UploadLimits;
  readonly requestRates: RequestRateLimits;
  readonly connectionBandwidthBps: number;
  readonly costs: CostMeter;
  /** Retry policy of clients that set none. */
  readonly clientRetry: RetryPolicy;
  private readonly env: Environment;
  private readonly metrics: MetricRegistry;
  private readonly latency: Distribution;
  private readonly latencyStream: RandomStream;
  private readonly link: SharedLink;
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  private readonly uploads = new Map<string, MultipartUpload>();
  private readonly rateBuckets: [Map<string, TokenBucket>, Map<string, TokenBucket>] = [new Map(), new Map()];
  /** Accepted attempts not yet done, in arrival order (failed in this order by an outage). */
  private readonly inFlight = new Set<ObjectCall>();
  private storedBytesTotal = 0;
  private objectTotal = 0;
  private sequence = 0;
  private manualAvailable = true;
  private outagesInProgress = 0;
  private throttleFactor = 1;
  private throttleGeneration = 0;

  private readonly m: {
    requests: Counter;
    throttled: Counter;
    unavailable: Counter;
    failedInFlight: Counter;
    clientErrors: Counter;
    uploaded: Counter;
    downloaded: Counter;
    egress: Counter;
    egressCrossJurisdiction: Counter;
    stored: TimeWeighted;
    objects: TimeWeighted;
  };

  private readonly afterLatencyFn = (call: ObjectCall) => this.afterLatency(call);
  private readonly deliverFn = (call: ObjectCall) => this.deliver(call);
  private readonly uploadDoneFn = (t: Transfer) => this.uploadDone(t.context as ObjectCall);
  private readonly downloadDoneFn = (t: Transfer) => this.downloadDone(t.context as ObjectCall, t.sizeBytes);

  constructor(env: Environment, path: string, options: ObjectStoreOptions, latencyStream: RandomStream, metrics: MetricRegistry) {
    this.env = env;
    this.metrics = metrics;
    this.path = path;
    this.region = options.region;
    this.clientRetry = options.clientRetry ?? DEFAULT_RETRY_POLICY;
    this.latency = options.firstByteLatencyNs;
    this.latencyStream = latencyStream;
    this.limits = options.limits ?? S3_UPLOAD_LIMITS;
    validateLimits(this.limits);
    this.requestRates = options.requestRates ?? S3_REQUEST_RATES;
    const rates = this.requestRates;
    if (!(rates.writePerS > 0 && rates.readPerS > 0 && rates.burstS > 0)) {
      throw new RangeError(`request rates and burst must be > 0, got ${rates.writePerS}/s write, ${rates.readPerS}/s read, ${rates.burstS} s burst`);
    }
    this.connectionBandwidthBps = options.connectionBandwidthBps ?? Infinity;
    if (!(this.connectionBandwidthBps > 0)) throw new RangeError(`connection bandwidth must be > 0, got ${this.connectionBandwidthBps} B/s`);
    this.costs = new CostMeter(env, options.prices ?? FREE);
    const activeTransfers = metrics.timeWeighted(`${path}/active_transfers`);
    this.link = new SharedLink(env, options.aggregateBandwidthBps ?? Infinity, (n) => activeTransfers.set(n));
    const bytes = { unit: 'B', scale: 1 };
    this.m = {
      requests: metrics.counter(`${path}/requests`),
      throttled: metrics.counter(`${path}/throttled`),
      unavailable: metrics.counter(`${path}/unavailable`),
      failedInFlight: metrics.counter(`${path}/failed_in_flight`),
      clientErrors: metrics.counter(`${path}/client_errors`),
      uploaded: metrics.counter(`${path}/uploaded`, bytes),
      downloaded: metrics.counter(`${path}/downloaded`, bytes),
      egress: metrics.counter(`${path}/egress`, bytes),
      egressCrossJurisdiction: metrics.counter(`${path}/egress_cross_jurisdiction`, bytes),
      stored: metrics.timeWeighted(`${path}/stored`, bytes),
      objects: metrics.timeWeighted(`${path}/objects`),
    };
    this.costs.register(metrics, path);
  }

  // ---------------------------------------------------------------- setup and inspection

  /**
   * A client of this store with its metrics at `options.path` and its backoff draws from
   * `backoffStream` (give each client its own named stream); retry policy default `clientRetry`.
   */
  client(options: ObjectClientOptions, backoffStream: RandomStream): ObjectClient {
    return new ObjectClient(this, this.env, { ...options, retry: options.retry ?? this.clientRetry }, backoffStream, this.metrics);
  }

  /** Creates a bucket (a control-plane step, instant and free). Idempotent. */
  createBucket(name: string): void {
    if (typeof name !== 'string' || name === '') throw new RangeError('a bucket name must be a non-empty string');
    if (!this.buckets.has(name)) this.buckets.set(name, new Map());
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  /** The object at bucket/key right now, or undefined (an instant look, not a request). */
  inspect(bucket: string, key: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  /** Keys of a bucket right now, ascending (an instant look, not a request). */
  keysOf(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].sort(compareKeys);
  }

  /** Bytes held: objects plus parts of uploads in progress (what storage is billed on). */
  get storedBytes(): number {
    return this.storedBytesTotal;
  }

  get objectCount(): number {
    return this.objectTotal;
  }

  /** Multipart uploads created and neither completed nor aborted. */
  get uploadsInProgress(): number {
    return this.uploads.size;
  }

  /** Attempts accepted and not yet done. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  get available(): boolean {
    return this.manualAvailable && this.outagesInProgress === 0;
  }

  // ---------------------------------------------------------------- fault hooks

  /**
   * Makes the store unavailable (false) or available again (true). Going down fails every
   * attempt in flight with ServiceUnavailable (delivered from an engine event at this instant,
   * in arrival order); while down, new attempts get ServiceUnavailable after their latency.
   */
  setAvailable(available: boolean): void {
    const was = this.available;
    this.manualAvailable = available;
    if (was && !this.available) this.failInFlight();
  }

  /** Unavailable from now for `durationNs`, then available again (unless also down otherwise). */
  outage(durationNs: number): void {
    if (!(durationNs >= 0)) throw new RangeError(`outage duration must be >= 0 ns, got ${durationNs}`);
    const was = this.available;
    this.outagesInProgress++;
    if (was) this.failInFlight();
    this.env.schedule(durationNs, () => this.outagesInProgress--, null);
  }

  /**
   * Multiplies the request-rate limits by `factor` (> 0; 0.1 = a tenth of the normal rate)
   * from now on, for `durationNs` if given (then back to normal), else until changed again.
   * Tokens already accrued are kept up to the new bucket depth.
   */
  throttle(factor: number, durationNs?: number): void {
    if (!(factor > 0 && factor < Infinity)) throw new RangeError(`throttle factor must be a finite number > 0, got ${factor}`);
    this.setThrottleFactor(factor);
    const generation = ++this.throttleGeneration;
    if (durationNs !== undefined) {
      if (!(durationNs >= 0)) throw new RangeError(`throttle duration must be >= 0 ns, got ${durationNs}`);
      this.env.schedule(durationNs, () => {
        if (this.throttleGeneration === generation) this.setThrottleFactor(1);
      }, null);
    }
  }

  /** Changes the aggregate bandwidth from now on (transfers in progress are re-shared). */
  setAggregateBandwidth(bps: number): void {
    this.link.setCapacity(bps);
  }

  // ---------------------------------------------------------------- requests

  /** Starts one attempt of `call` (clients call this; completion comes through `call.sink`). */
  submit(call: ObjectCall): void {
    call.resetAttempt();
    this.m.requests.add(1);
    const latencyNs = Math.max(0, this.latency.sample(this.latencyStream));
    if (!this.available) {
      this.m.unavailable.add(1);
      call.fail(ObjectError.ServiceUnavailable, `${this.path} is unavailable`);
      call.timer = this.env.schedule(latencyNs, this.deliverFn, call);
      return;
    }
    if (!this.admit(call)) {
      this.m.throttled.add(1);
      call.fail(ObjectError.SlowDown, `request rate above the ${rateClassOf(call.op) === RateClass.Write ? 'write' : 'read'} limit for this ${this.requestRates.scope}; please reduce your request rate`);
      call.timer = this.env.schedule(latencyNs, this.deliverFn, call);
      return;
    }
    this.inFlight.add(call);
    call.timer = this.env.schedule(latencyNs, this.afterLatencyFn, call);
  }

  private admit(call: ObjectCall): boolean {
    const rateClass = rateClassOf(call.op);
    const scope = this.requestRates.scope;
    const scopeKey = scope === 'store' ? '' : scope === 'bucket' ? call.bucket : `${call.bucket}/${prefixOf(call.key)}`;
    const buckets = this.rateBuckets[rateClass];
    let bucket = buckets.get(scopeKey);
    if (bucket === undefined) {
      const [rate, burst] = this.bucketRate(rateClass);
      bucket = new TokenBucket(rate, burst, this.env.now);
      buckets.set(scopeKey, bucket);
    }
    return bucket.tryTake(this.env.now);
  }

  private bucketRate(rateClass: RateClass): [rate: number, burst: number] {
    const base = rateClass === RateClass.Write ? this.requestRates.writePerS : this.requestRates.readPerS;
    const rate = base * this.throttleFactor;
    return [rate, Math.max(1, rate * this.requestRates.burstS)];
  }

  private setThrottleFactor(factor: number): void {
    this.throttleFactor = factor;
    const now = this.env.now;
    for (const rateClass of [RateClass.Write, RateClass.Read]) {
      const [rate, burst] = this.bucketRate(rateClass);
      for (const bucket of this.rateBuckets[rateClass].values()) bucket.setRate(rate, burst, now);
    }
  }

  private afterLatency(call: ObjectCall): void {
    call.timer = -1;
    switch (call.op) {
      case ObjectOp.Put:
        return this.startPut(call);
      case ObjectOp.Get:
        return this.startGet(call);
      case ObjectOp.Head:
        return this.head(call);
      case ObjectOp.Delete:
        return this.delete(call);
      case ObjectOp.List:
        return this.list(call);
      case ObjectOp.CreateMultipart:
        return this.createMultipart(call);
      case ObjectOp.UploadPart:
        return this.startUploadPart(call);
      case ObjectOp.CompleteMultipart:
        return this.completeMultipart(call);
      case ObjectOp.AbortMultipart:
        return this.abortMultipart(call);
    }
  }

  private objects(call: ObjectCall): Map<string, StoredObject> | undefined {
    const objects = this.buckets.get(call.bucket);
    if (objects === undefined) this.finishError(call, ObjectError.NoSuchBucket, `bucket "${call.bucket}" does not exist`);
    return objects;
  }

  private startPut(call: ObjectCall): void {
    if (this.objects(call) === undefined) return;
    const violation = checkPutSize(this.limits, call.bytes);
    if (violation) return this.finishError(call, violation.error, violation.reason);
    this.startTransfer(call, call.bytes, this.uploadDoneFn);
  }

  private startUploadPart(call: ObjectCall): void {
    if (this.upload(call) === undefined) return;
    const violation = checkPart(this.limits, call.partNumber, call.bytes);
    if (violation) return this.finishError(call, violation.error, violation.reason);
    this.startTransfer(call, call.bytes, this.uploadDoneFn);
  }

  private startTransfer(call: ObjectCall, bytes: number, onDone: (t: Transfer) => void): void {
    if (bytes === 0) {
      // Nothing to move: behave as a transfer finishing at once.
      if (call.op === ObjectOp.Get) this.downloadDone(call, 0);
      else this.uploadDone(call);
      return;
    }
    call.transfer = this.link.start(bytes, Math.min(this.connectionBandwidthBps, call.clientCapBps), onDone, call);
  }

  private uploadDone(call: ObjectCall): void {
    call.transfer = null;
    this.m.uploaded.add(call.bytes);
    const content = call.content ?? extentOf(`${this.path}#${++this.sequence}`, call.bytes);
    const etag = contentDigest(content);
    if (call.op === ObjectOp.Put) {
      const objects = this.buckets.get(call.bucket);
      if (objects === undefined) return this.finishError(call, ObjectError.NoSuchBucket, `bucket "${call.bucket}" does not exist`);
      this.setObject(objects, { key: call.key, size: call.bytes, partSizes: null, content, etag, lastModifiedNs: this.env.now });
    } else {
      const upload = this.uploads.get(call.uploadId);
      if (upload === undefined) {
        return this.finishError(call, ObjectError.NoSuchUpload, `upload ${call.uploadId} was completed or aborted while part ${call.partNumber} was uploading`);
      }
      const previous = upload.parts.get(call.partNumber);
      upload.parts.set(call.partNumber, { size: call.bytes, etag, content });
      this.changeStored(call.bytes - (previous?.size ?? 0), 0);
    }
    call.result.etag = etag;
    call.result.bytes = call.bytes;
    this.finishOk(call);
  }

  private startGet(call: ObjectCall): void {
    const object = this.objectFor(call);
    if (object === undefined) return;
    const offset = call.rangeOffset;
    if (!(Number.isInteger(offset) && offset >= 0) || (offset >= object.size && !(offset === 0 && object.size === 0))) {
      return this.finishError(call, ObjectError.InvalidRange, `range starting at byte ${offset} is not satisfiable for an object of ${object.size} B`);
    }
    const length = call.rangeLength < 0 ? object.size - offset : Math.min(call.rangeLength, object.size - offset);
    call.result.size = object.size;
    call.result.etag = object.etag;
    call.result.content = sliceContent(object.content, offset, length);
    this.startTransfer(call, length, this.downloadDoneFn);
  }

  private downloadDone(call: ObjectCall, bytes: number): void {
    call.transfer = null;
    this.countDownload(call, bytes);
    call.result.bytes = bytes;
    this.finishOk(call);
  }

  private countDownload(call: ObjectCall, bytes: number): void {
    if (bytes === 0) return;
    this.m.downloaded.add(bytes);
    const destination = destinationOf(this.region, call.region);
    this.costs.addTransferOut(bytes, destination);
    if (destination === Destination.SameRegion) return;
    this.m.egress.add(bytes);
    if (crossesJurisdiction(this.region, call.region)) this.m.egressCrossJurisdiction.add(bytes);
  }

  private objectFor(call: ObjectCall): StoredObject | undefined {
    const objects = this.objects(call);
    if (objects === undefined) return undefined;
    const object = objects.get(call.key);
    if (object === undefined) this.finishError(call, ObjectError.NoSuchKey, `no object "${call.key}" in bucket "${call.bucket}"`);
    return object;
  }

  private head(call: ObjectCall): void {
    const object = this.objectFor(call);
    if (object === undefined) return;
    call.result.size = object.size;
    call.result.etag = object.etag;
    this.finishOk(call);
  }

  private delete(call: ObjectCall): void {
    const objects = this.objects(call);
    if (objects === undefined) return;
    // S3 answers 204 whether or not the key existed.
    const object = objects.get(call.key);
    if (object !== undefined) {
      objects.delete(call.key);
      this.changeStored(-object.size, -1);
    }
    this.finishOk(call);
  }

  private list(call: ObjectCall): void {
    const objects = this.objects(call);
    if (objects === undefined) return;
    const keys: string[] = [];
    for (const key of objects.keys()) if (key.startsWith(call.key)) keys.push(key);
    keys.sort(compareKeys);
    if (keys.length > call.maxKeys) keys.length = call.maxKeys;
    call.result.keys = keys;
    this.finishOk(call);
  }

  private createMultipart(call: ObjectCall): void {
    if (this.objects(call) === undefined) return;
    const uploadId = `${this.path}-upload-${++this.sequence}`;
    this.uploads.set(uploadId, { bucket: call.bucket, key: call.key, parts: new Map() });
    call.result.uploadId = uploadId;
    this.finishOk(call);
  }

  private upload(call: ObjectCall): MultipartUpload | undefined {
    const upload = this.uploads.get(call.uploadId);
    if (upload === undefined || upload.bucket !== call.bucket || upload.key !== call.key) {
      this.finishError(call, ObjectError.NoSuchUpload, `no multipart upload ${call.uploadId} in progress for "${call.bucket}/${call.key}"`);
      return undefined;
    }
    return upload;
  }

  private completeMultipart(call: ObjectCall): void {
    const upload = this.upload(call);
    if (upload === undefined) return;
    const listed = call.parts ?? [];
    const numbers: number[] = [];
    const sizes: number[] = [];
    const contents: Content[] = [];
    for (let i = 0; i < listed.length; i++) {
      const { partNumber, etag } = listed[i]!;
      if (i > 0 && partNumber <= listed[i - 1]!.partNumber) {
        return this.finishError(call, ObjectError.InvalidPartOrder, `the list of parts was not in ascending order of part number (${listed[i - 1]!.partNumber} then ${partNumber})`);
      }
      const part = upload.parts.get(partNumber);
      if (part === undefined || part.etag !== etag) {
        return this.finishError(call, ObjectError.InvalidPart, `part ${partNumber} ${part === undefined ? 'was not uploaded' : `has ETag ${part.etag}, not ${etag}`}`);
      }
      numbers.push(partNumber);
      sizes.push(part.size);
      contents.push(part.content);
    }
    const violation = checkCompletion(this.limits, numbers, sizes);
    if (violation) return this.finishError(call, violation.error, violation.reason);
    const objects = this.buckets.get(upload.bucket);
    if (objects === undefined) return this.finishError(call, ObjectError.NoSuchBucket, `bucket "${upload.bucket}" does not exist`);
    // Parts not listed are discarded with the upload.
    let partBytes = 0;
    for (const part of upload.parts.values()) partBytes += part.size;
    this.uploads.delete(call.uploadId);
    this.changeStored(-partBytes, 0);
    const content = concatContent(contents);
    const etag = `${contentDigest(content)}-${numbers.length}`;
    this.setObject(objects, { key: upload.key, size: contentLength(content), partSizes: sizes, content, etag, lastModifiedNs: this.env.now });
    call.result.etag = etag;
    this.finishOk(call);
  }

  private abortMultipart(call: ObjectCall): void {
    const upload = this.upload(call);
    if (upload === undefined) return;
    let partBytes = 0;
    for (const part of upload.parts.values()) partBytes += part.size;
    this.uploads.delete(call.uploadId);
    this.changeStored(-partBytes, 0);
    this.finishOk(call);
  }

  private setObject(objects: Map<string, StoredObject>, object: StoredObject): void {
    const previous = objects.get(object.key);
    objects.set(object.key, object);
    this.changeStored(object.size - (previous?.size ?? 0), previous === undefined ? 1 : 0);
  }

  private changeStored(deltaBytes: number, deltaObjects: number): void {
    if (deltaBytes !== 0) {
      this.storedBytesTotal += deltaBytes;
      this.costs.setStoredBytes(this.storedBytesTotal);
      this.m.stored.set(this.storedBytesTotal);
    }
    if (deltaObjects !== 0) {
      this.objectTotal += deltaObjects;
      this.m.objects.set(this.objectTotal);
    }
  }

  private finishOk(call: ObjectCall): void {
    call.result.ok = true;
    call.result.error = null;
    call.result.reason = '';
    this.finish(call);
  }

  private finishError(call: ObjectCall, error: ObjectError, reason: string): void {
    call.fail(error, reason);
    if (!isServerError(error)) this.m.clientErrors.add(1);
    this.finish(call);
  }

  /** Ends an accepted attempt: bill it (2xx and 4xx; 5xx are not billed) and hand it back. */
  private finish(call: ObjectCall): void {
    this.inFlight.delete(call);
    if (call.result.error === null || !isServerError(call.result.error)) this.costs.addRequest(priceClassOf(call.op));
    call.sink.attemptDone(call);
  }

  /** Delivers an attempt failed before acceptance (throttled, unavailable) or by an outage. */
  private deliver(call: ObjectCall): void {
    call.timer = -1;
    call.sink.attemptDone(call);
  }

  private failInFlight(): void {
    for (const call of this.inFlight) {
      if (call.timer >= 0) this.env.cancel(call.timer);
      if (call.transfer !== null) {
        const moved = this.link.abort(call.transfer);
        if (call.op === ObjectOp.Get) this.countDownload(call, moved);
        call.transfer = null;
      }
      this.m.failedInFlight.add(1);
      call.fail(ObjectError.ServiceUnavailable, `${this.path} became unavailable while the request was in flight`);
      call.result.content = null;
      call.timer = this.env.schedule(0, this.deliverFn, call);
    }
    this.inFlight.clear();
  }
}

/** The prefix a key is rate-limited under: everything up to and including its last "/". */
export function prefixOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

/** Key order of LIST: by UTF-16 code unit (S3 sorts by UTF-8 bytes; the same for ASCII keys). */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
