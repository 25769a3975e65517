/**
 * A client of an object store, as an SDK is: it sends requests from its region at up to its
 * per-connection bandwidth, retries server errors (503 SlowDown, 503 ServiceUnavailable) with
 * capped exponential backoff and full jitter drawn from its own random stream (`backoff.ts`),
 * and gives up after `retry.maxAttempts` attempts with the last error and a reason that says so.
 * Client errors (4xx) are not retried.
 *
 * Two styles, same behaviour:
 * - callbacks: `client.put(bucket, key, bytes, (result) => ...)`; the callback always comes from
 *   an engine event, never from inside the call;
 * - processes: `const result = yield client.putEvent(bucket, key, bytes)`; the event always
 *   succeeds, with the {@link ObjectResult} (check `result.ok`).
 *
 * Metrics under the client's path: `<op>_latency` (s, successful requests, backoff included;
 * created on the op's first use), `completed`, `failed` (requests that ended in an error, after
 * retries), `retries`, and `backoff` (s, each sleep before a retry).
 */
import type { Environment, SimEvent } from '../../engine/index.ts';
import type { RandomStream } from '../../engine/random/index.ts';
import type { Counter, LatencyHistogram, MetricRegistry } from '../../metrics/index.ts';
import { DEFAULT_RETRY_POLICY, fullJitterDelayNs, validateRetryPolicy, type RetryPolicy } from './backoff.ts';
import type { Content } from './content.ts';
import { ObjectCall, ObjectOp, type AttemptSink, type CompletedPart, type ObjectResult } from './object-call.ts';
import { isServerError } from './object-errors.ts';
import type { ObjectStore } from './object-store.ts';
import type { Region } from './region.ts';

export type ObjectCallback = (result: ObjectResult) => void;

/** Options of an {@link ObjectClient}. */
export interface ObjectClientOptions {
  /** Metric path of the client's metrics, e.g. the owning component's id. */
  readonly path: string;
  /** Where the client reads from (decides egress pricing). Default: the store's region. */
  readonly region?: Region;
  /** The client's own per-connection bandwidth cap (bytes/s). Default unlimited. */
  readonly connectionBandwidthBps?: number;
  /** Default {@link DEFAULT_RETRY_POLICY}. */
  readonly retry?: RetryPolicy;
  /** Told before each retry sleeps (for traces and tests): the call, the retry number (0-based), the sleep. */
  readonly onRetry?: (call: ObjectCall, retry: number, delayNs: number) => void;
}

/** A byte range of a GET. */
export interface ByteRange {
  readonly offset: number;
  /** Bytes wanted; clipped at the object's end. */
  readonly length: number;
}

export class ObjectClient implements AttemptSink {
  readonly path: string;
  readonly region: Region;
  readonly retry: RetryPolicy;
  private readonly env: Environment;
  private readonly capBps: number;
  private readonly onRetry: ObjectClientOptions['onRetry'];
  private readonly latency = new Map<ObjectOp, LatencyHistogram>();
  private readonly completed: Counter;
  private readonly failed: Counter;
  private readonly retries: Counter;
  private backoff: LatencyHistogram | undefined;
  private readonly resubmitFn = (call: ObjectCall) => this.send(call);

  constructor(
    readonly store: ObjectStore,
    env: Environment,
    options: ObjectClientOptions,
    private readonly backoffStream: RandomStream,
    private readonly metrics: MetricRegistry,
  ) {
    this.env = env;
    this.path = options.path;
    this.region = options.region ?? store.region;
    this.capBps = options.connectionBandwidthBps ?? Infinity;
    if (!(this.capBps > 0)) throw new RangeError(`client connection bandwidth must be > 0 B/s, got ${this.capBps}`);
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    validateRetryPolicy(this.retry);
    this.onRetry = options.onRetry;
    this.completed = metrics.counter(`${this.path}/completed`);
    this.failed = metrics.counter(`${this.path}/failed`);
    this.retries = metrics.counter(`${this.path}/retries`);
  }

  // ------------------------------------------------------------ callback style

  /** PUT `bytes` at bucket/key; `content` describes them (default: unique bytes). */
  put(bucket: string, key: string, bytes: number, onDone: ObjectCallback, content?: Content): void {
    const call = this.call(ObjectOp.Put, bucket, key, onDone);
    call.bytes = checkBytes(bytes, content);
    call.content = content ?? null;
    this.start(call);
  }

  /** GET the object, or the `range` of it; the result's `content` describes the bytes returned. */
  get(bucket: string, key: string, onDone: ObjectCallback, range?: ByteRange): void {
    const call = this.call(ObjectOp.Get, bucket, key, onDone);
    if (range !== undefined) {
      if (!(range.length >= 0)) throw new RangeError(`a GET range length must be >= 0, got ${range.length}`);
      call.rangeOffset = range.offset;
      call.rangeLength = range.length;
    }
    this.start(call);
  }

  /** HEAD: the object's size and ETag, no body. */
  head(bucket: string, key: string, onDone: ObjectCallback): void {
    this.start(this.call(ObjectOp.Head, bucket, key, onDone));
  }

  /** DELETE (succeeds whether or not the key exists, as S3's does). */
  delete(bucket: string, key: string, onDone: ObjectCallback): void {
    this.start(this.call(ObjectOp.Delete, bucket, key, onDone));
  }

  /** LIST keys starting with `prefix`, ascending, at most `maxKeys` (default 1000, S3's page size). */
  list(bucket: string, prefix: string, onDone: ObjectCallback, maxKeys = 1000): void {
    const call = this.call(ObjectOp.List, bucket, prefix, onDone);
    call.maxKeys = maxKeys;
    this.start(call);
  }

  /** CreateMultipartUpload: the result's `uploadId` names the upload. */
  createMultipartUpload(bucket: string, key: string, onDone: ObjectCallback): void {
    this.start(this.call(ObjectOp.CreateMultipart, bucket, key, onDone));
  }

  /** UploadPart number `partNumber` (1..10000) of `bytes`; the result's `etag` is needed to complete. */
  uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, bytes: number, onDone: ObjectCallback, content?: Content): void {
    const call = this.call(ObjectOp.UploadPart, bucket, key, onDone);
    call.uploadId = uploadId;
    call.partNumber = partNumber;
    call.bytes = checkBytes(bytes, content);
    call.content = content ?? null;
    this.start(call);
  }

  /** CompleteMultipartUpload with `parts` in ascending part-number order. */
  completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: readonly CompletedPart[], onDone: ObjectCallback): void {
    const call = this.call(ObjectOp.CompleteMultipart, bucket, key, onDone);
    call.uploadId = uploadId;
    call.parts = parts.slice();
    this.start(call);
  }

  /** AbortMultipartUpload: uploaded parts are discarded (and no longer billed). */
  abortMultipartUpload(bucket: string, key: string, uploadId: string, onDone: ObjectCallback): void {
    const call = this.call(ObjectOp.AbortMultipart, bucket, key, onDone);
    call.uploadId = uploadId;
    this.start(call);
  }

  // ------------------------------------------------------------ process style

  /** Turns any callback-style request into an event that succeeds with its result. */
  event(issue: (onDone: ObjectCallback) => void): SimEvent<ObjectResult> {
    const event = this.env.event<ObjectResult>();
    issue((result) => event.succeed(result));
    return event;
  }

  putEvent(bucket: string, key: string, bytes: number, content?: Content): SimEvent<ObjectResult> {
    return this.event((done) => this.put(bucket, key, bytes, done, content));
  }

  getEvent(bucket: string, key: string, range?: ByteRange): SimEvent<ObjectResult> {
    return this.event((done) => this.get(bucket, key, done, range));
  }

  headEvent(bucket: string, key: string): SimEvent<ObjectResult> {
    return this.event((done) => this.head(bucket, key, done));
  }

  deleteEvent(bucket: string, key: string): SimEvent<ObjectResult> {
    return this.event((done) => this.delete(bucket, key, done));
  }

  listEvent(bucket: string, prefix: string, maxKeys?: number): SimEvent<ObjectResult> {
    return this.event((done) => this.list(bucket, prefix, done, maxKeys));
  }

  createMultipartUploadEvent(bucket: string, key: string): SimEvent<ObjectResult> {
    return this.event((done) => this.createMultipartUpload(bucket, key, done));
  }

  uploadPartEvent(bucket: string, key: string, uploadId: string, partNumber: number, bytes: number, content?: Content): SimEvent<ObjectResult> {
    return this.event((done) => this.uploadPart(bucket, key, uploadId, partNumber, bytes, done, content));
  }

  completeMultipartUploadEvent(bucket: string, key: string, uploadId: string, parts: readonly CompletedPart[]): SimEvent<ObjectResult> {
    return this.event((done) => this.completeMultipartUpload(bucket, key, uploadId, parts, done));
  }

  abortMultipartUploadEvent(bucket: string, key: string, uploadId: string): SimEvent<ObjectResult> {
    return this.event((done) => this.abortMultipartUpload(bucket, key, uploadId, done));
  }

  // ------------------------------------------------------------ retries

  /** Called by the store at the end of each attempt. */
  attemptDone(call: ObjectCall): void {
    const result = call.result;
    const retryable = !result.ok && result.error !== null && isServerError(result.error);
    if (retryable && call.attempts < this.retry.maxAttempts) {
      const retry = call.attempts - 1;
      const delayNs = fullJitterDelayNs(this.retry, retry, this.backoffStream);
      this.retries.add(1);
      (this.backoff ??= this.metrics.histogram(`${this.path}/backoff`, { unit: 's' })).record(delayNs);
      this.onRetry?.(call, retry, delayNs);
      this.env.schedule(delayNs, this.resubmitFn, call);
      return;
    }
    result.attempts = call.attempts;
    result.latencyNs = this.env.now - call.firstSubmitNs;
    if (result.ok) {
      this.completed.add(1);
      this.latencyHistogram(call.op).record(result.latencyNs);
    } else {
      this.failed.add(1);
      if (retryable) result.reason += ` (gave up after ${call.attempts} attempt${call.attempts === 1 ? '' : 's'})`;
    }
    const onDone = call.onDone!;
    call.onDone = null;
    onDone(result);
  }

  private call(op: ObjectOp, bucket: string, key: string, onDone: ObjectCallback): ObjectCall {
    const call = new ObjectCall(op, bucket, key, this, this.region, this.capBps);
    call.onDone = onDone;
    return call;
  }

  private start(call: ObjectCall): void {
    call.firstSubmitNs = this.env.now;
    this.send(call);
  }

  private send(call: ObjectCall): void {
    call.attempts++;
    this.store.submit(call);
  }

  private latencyHistogram(op: ObjectOp): LatencyHistogram {
    let h = this.latency.get(op);
    if (h === undefined) this.latency.set(op, (h = this.metrics.histogram(`${this.path}/${op}_latency`, { unit: 's' })));
    return h;
  }
}

function checkBytes(bytes: number, content: Content | undefined): number {
  if (!(Number.isInteger(bytes) && bytes >= 0)) throw new RangeError(`a body size must be an integer number of bytes >= 0, got ${bytes}`);
  if (content !== undefined) {
    let length = 0;
    for (const e of content) length += e.length;
    if (length !== bytes) throw new RangeError(`the content describes ${length} B but the body is ${bytes} B`);
  }
  return bytes;
}
