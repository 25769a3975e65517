/**
 * One request to an object store as it travels: what was asked (operation, bucket, key,
 * body...), who asked (the client, its region and per-connection cap), and the result. The
 * client creates one per request and re-submits it for each retry; the store fills in the
 * result of each attempt and hands the call back through {@link AttemptSink}.
 */
import type { Transfer } from './shared-link.ts';
import type { Content } from './content.ts';
import type { ObjectError } from './object-errors.ts';
import { PriceClass } from './pricing.ts';
import type { Region } from './region.ts';

/** Operations, named as they appear in metric paths. */
export const ObjectOp = {
  Put: 'put',
  Get: 'get',
  Head: 'head',
  Delete: 'delete',
  List: 'list',
  CreateMultipart: 'create_multipart',
  UploadPart: 'upload_part',
  CompleteMultipart: 'complete_multipart',
  AbortMultipart: 'abort_multipart',
} as const;
export type ObjectOp = (typeof ObjectOp)[keyof typeof ObjectOp];

/** Request-rate class: S3 limits PUT/COPY/POST/DELETE and GET/HEAD separately. */
export const RateClass = { Write: 0, Read: 1 } as const;
export type RateClass = (typeof RateClass)[keyof typeof RateClass];

/** The rate-limit class of an operation (LIST is a GET on the bucket; multipart steps are PUT/POST; abort is a DELETE). */
export function rateClassOf(op: ObjectOp): RateClass {
  return op === ObjectOp.Get || op === ObjectOp.Head || op === ObjectOp.List ? RateClass.Read : RateClass.Write;
}

/** The price class of an operation (see `pricing.ts`). */
export function priceClassOf(op: ObjectOp): PriceClass {
  switch (op) {
    case ObjectOp.Get:
    case ObjectOp.Head:
      return PriceClass.Get;
    case ObjectOp.Delete:
    case ObjectOp.AbortMultipart:
      return PriceClass.Free;
    default:
      return PriceClass.Put;
  }
}

/** A part named in CompleteMultipartUpload. */
export interface CompletedPart {
  readonly partNumber: number;
  readonly etag: string;
}

/** What a request ended with. Fields that do not apply to the operation keep their defaults. */
export class ObjectResult {
  ok = false;
  /** The S3 error code when not ok. */
  error: ObjectError | null = null;
  /** Human-readable reason when not ok ('' when ok). */
  reason = '';
  /** Body bytes moved by the successful attempt: uploaded for PUT/part, downloaded for GET. */
  bytes = 0;
  /** From the first attempt's submission to the end of the last attempt (ns), backoff included. */
  latencyNs = 0;
  /** Attempts made (1 + retries). */
  attempts = 0;
  /** GET: the content of the bytes returned (the range, for a ranged GET). */
  content: Content | null = null;
  /** GET, HEAD: the object's full size. */
  size = 0;
  /** PUT, part, complete, GET, HEAD: the object's or part's ETag. */
  etag = '';
  /** Create (and the other multipart steps): the upload id. */
  uploadId = '';
  /** LIST: keys, in ascending order. */
  keys: string[] | null = null;

  constructor(
    readonly op: ObjectOp,
    readonly bucket: string,
    readonly key: string,
  ) {}
}

/** Who gets each attempt's outcome: the client that submitted the call. */
export interface AttemptSink {
  attemptDone(call: ObjectCall): void;
}

/** A request in flight. */
export class ObjectCall {
  /** PUT/part body size (bytes). */
  bytes = 0;
  /** PUT/part body content (null: the store makes unique content). */
  content: Content | null = null;
  /** GET range: first byte and length (-1: to the end). */
  rangeOffset = 0;
  rangeLength = -1;
  uploadId = '';
  partNumber = 0;
  parts: readonly CompletedPart[] | null = null;
  /** LIST: most keys returned. */
  maxKeys = 1000;
  readonly result: ObjectResult;

  // Client side.
  attempts = 0;
  firstSubmitNs = 0;
  onDone: ((result: ObjectResult) => void) | null = null;

  // Store side (one attempt).
  /** Pending engine event of this attempt (latency or failure delivery), -1 if none. */
  timer = -1;
  transfer: Transfer | null = null;

  constructor(
    readonly op: ObjectOp,
    readonly bucket: string,
    /** The key; for LIST, the prefix. */
    readonly key: string,
    readonly sink: AttemptSink,
    readonly region: Region,
    /** The client's per-connection bandwidth cap (bytes/s). */
    readonly clientCapBps: number,
  ) {
    this.result = new ObjectResult(op, bucket, key);
  }

  /** Clears the result fields an attempt sets, before the next attempt. */
  resetAttempt(): void {
    const r = this.result;
    r.ok = false;
    r.error = null;
    r.reason = '';
    r.bytes = 0;
    r.content = null;
    r.size = 0;
    r.etag = '';
    r.keys = null;
    if (this.op !== ObjectOp.CreateMultipart) r.uploadId = this.uploadId;
    this.timer = -1;
    this.transfer = null;
  }

  /** Marks the attempt failed. */
  fail(error: ObjectError, reason: string): void {
    this.result.ok = false;
    this.result.error = error;
    this.result.reason = reason;
  }
}
