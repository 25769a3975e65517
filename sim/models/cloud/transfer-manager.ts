/**
 * Whole-object transfers built from store requests, as SDK "transfer managers" do:
 * - `uploadObject`: a single PUT up to a threshold, else a multipart upload (create, parts with
 *   up to `concurrency` in flight, complete); if a part or the completion fails for good, the
 *   parts in flight are let finish and the upload is aborted, so no orphan parts stay billed
 *   (unless the abort itself fails, e.g. in a long outage: the store then still holds them).
 * - `downloadObject`: ranged GETs of `rangeBytes` with up to `concurrency` in flight, the
 *   content reassembled in order.
 * Each request goes through the client, so it is retried with backoff as any other.
 */
import type { Environment, SimEvent } from '../../engine/index.ts';
import { concatContent, sliceContent, type Content } from './content.ts';
import type { CompletedPart, ObjectResult } from './object-call.ts';
import type { ObjectClient } from './object-client.ts';
import type { ObjectError } from './object-errors.ts';

/** How a whole object ended. */
export interface TransferOutcome {
  readonly ok: boolean;
  readonly error: ObjectError | null;
  /** '' when ok. */
  readonly reason: string;
  /** Body bytes moved by successful requests. */
  readonly bytes: number;
  /** From start to end (ns). */
  readonly latencyNs: number;
  /** Requests issued (each may have made several attempts). */
  readonly requests: number;
  /** Download: the content of the object (null on failure). */
  readonly content: Content | null;
}

export interface UploadOptions {
  /** Bytes per part (the last part may be smaller). */
  readonly partBytes: number;
  /** Parts in flight at once (>= 1). */
  readonly concurrency: number;
  /** Objects of at most this size go in one PUT. Default `partBytes`. */
  readonly multipartThresholdBytes?: number;
  /** Content of the whole object (default: unique bytes per part). */
  readonly content?: Content;
}

export interface DownloadOptions {
  /** Bytes per ranged GET. */
  readonly rangeBytes: number;
  /** GETs in flight at once (>= 1). */
  readonly concurrency: number;
}

/** Uploads `totalBytes` to bucket/key; `onDone` gets the outcome (from an engine event). */
export function uploadObject(
  client: ObjectClient,
  env: Environment,
  bucket: string,
  key: string,
  totalBytes: number,
  options: UploadOptions,
  onDone: (outcome: TransferOutcome) => void,
): void {
  const { partBytes, concurrency } = options;
  if (!(Number.isInteger(partBytes) && partBytes > 0)) throw new RangeError(`partBytes must be a positive integer, got ${partBytes}`);
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
  const startNs = env.now;
  let requests = 0;
  let bytes = 0;
  const finish = (result: ObjectResult | null) =>
    onDone({
      ok: result === null,
      error: result?.error ?? null,
      reason: result === null ? '' : result.reason,
      bytes,
      latencyNs: env.now - startNs,
      requests,
      content: null,
    });

  if (totalBytes <= (options.multipartThresholdBytes ?? partBytes)) {
    requests++;
    client.put(bucket, key, totalBytes, (r) => {
      bytes += r.ok ? r.bytes : 0;
      finish(r.ok ? null : r);
    }, options.content);
    return;
  }

  const partCount = Math.ceil(totalBytes / partBytes);
  const parts: CompletedPart[] = new Array(partCount);
  let uploadId = '';
  let nextPart = 1;
  let inFlight = 0;
  let failure: ObjectResult | null = null;

  const issue = () => {
    while (failure === null && inFlight < concurrency && nextPart <= partCount) {
      const partNumber = nextPart++;
      const offset = (partNumber - 1) * partBytes;
      const size = Math.min(partBytes, totalBytes - offset);
      const content = options.content === undefined ? undefined : sliceContent(options.content, offset, size);
      inFlight++;
      requests++;
      client.uploadPart(bucket, key, uploadId, partNumber, size, (r) => partDone(partNumber, r), content);
    }
    if (inFlight > 0) return;
    if (failure !== null) {
      const cause = failure;
      requests++;
      client.abortMultipartUpload(bucket, key, uploadId, () => finish(cause));
      return;
    }
    requests++;
    client.completeMultipartUpload(bucket, key, uploadId, parts, (r) => {
      if (r.ok) return finish(null);
      // e.g. EntityTooSmall: abort, so the parts stop being stored (and billed).
      requests++;
      client.abortMultipartUpload(bucket, key, uploadId, () => finish(r));
    });
  };

  const partDone = (partNumber: number, r: ObjectResult) => {
    inFlight--;
    if (r.ok) {
      bytes += r.bytes;
      parts[partNumber - 1] = { partNumber, etag: r.etag };
    } else if (failure === null) {
      failure = r;
    }
    issue();
  };

  requests++;
  client.createMultipartUpload(bucket, key, (r) => {
    if (!r.ok) return finish(r);
    uploadId = r.uploadId;
    issue();
  });
}

/** Downloads bytes [0, sizeBytes) of bucket/key in ranged GETs; `onDone` gets the outcome with the content. */
export function downloadObject(
  client: ObjectClient,
  env: Environment,
  bucket: string,
  key: string,
  sizeBytes: number,
  options: DownloadOptions,
  onDone: (outcome: TransferOutcome) => void,
): void {
  const { rangeBytes, concurrency } = options;
  if (!(Number.isInteger(rangeBytes) && rangeBytes > 0)) throw new RangeError(`rangeBytes must be a positive integer, got ${rangeBytes}`);
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`);
  const startNs = env.now;
  const rangeCount = Math.max(1, Math.ceil(sizeBytes / rangeBytes));
  const pieces: Content[] = new Array(rangeCount);
  let next = 0;
  let inFlight = 0;
  let bytes = 0;
  let requests = 0;
  let failure: ObjectResult | null = null;
  const issue = () => {
    while (failure === null && inFlight < concurrency && next < rangeCount) {
      const index = next++;
      const offset = index * rangeBytes;
      inFlight++;
      requests++;
      client.get(bucket, key, (r) => {
        inFlight--;
        if (r.ok) {
          bytes += r.bytes;
          pieces[index] = r.content ?? [];
        } else if (failure === null) {
          failure = r;
        }
        issue();
      }, { offset, length: Math.min(rangeBytes, sizeBytes - offset) });
    }
    if (inFlight > 0 || (failure === null && next < rangeCount)) return;
    const failed: ObjectResult | null = failure;
    onDone({
      ok: failed === null,
      error: failed === null ? null : failed.error,
      reason: failed === null ? '' : failed.reason,
      bytes,
      latencyNs: env.now - startNs,
      requests,
      content: failed === null ? concatContent(pieces) : null,
    });
  };
  issue();
}

/** {@link uploadObject} as an event for processes. */
export function uploadObjectEvent(client: ObjectClient, env: Environment, bucket: string, key: string, totalBytes: number, options: UploadOptions): SimEvent<TransferOutcome> {
  const event = env.event<TransferOutcome>();
  uploadObject(client, env, bucket, key, totalBytes, options, (o) => event.succeed(o));
  return event;
}

/** {@link downloadObject} as an event for processes. */
export function downloadObjectEvent(client: ObjectClient, env: Environment, bucket: string, key: string, sizeBytes: number, options: DownloadOptions): SimEvent<TransferOutcome> {
  const event = env.event<TransferOutcome>();
  downloadObject(client, env, bucket, key, sizeBytes, options, (o) => event.succeed(o));
  return event;
}
