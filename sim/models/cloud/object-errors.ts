/**
 * The errors an object store request can end with, named and worded as Amazon S3 names them
 * (Amazon S3 API Reference, "Error responses"), with their HTTP status.
 *
 * 5xx errors are the server's: they are retried by the client (with backoff) and are not billed
 * (Amazon S3 User Guide, "Billing for Amazon S3 error responses": bucket owners are billed for
 * 2xx and 4xx responses, not for 5xx such as 503 Slow Down). 4xx errors are the caller's and
 * are billed like successful requests.
 */

export const ObjectError = {
  /** 503: request rate above the store's limit for this prefix. Retried. */
  SlowDown: 'SlowDown',
  /** 503: the store is unavailable (outage), or the request was in flight when it went down. Retried. */
  ServiceUnavailable: 'ServiceUnavailable',
  /** 404 */
  NoSuchKey: 'NoSuchKey',
  /** 404 */
  NoSuchBucket: 'NoSuchBucket',
  /** 404: the multipart upload does not exist (never created, completed or aborted). */
  NoSuchUpload: 'NoSuchUpload',
  /** 400: a part other than the last is smaller than the minimum part size. */
  EntityTooSmall: 'EntityTooSmall',
  /** 400: a single PUT or part above its maximum, or a completed object above the maximum object size. */
  EntityTooLarge: 'EntityTooLarge',
  /** 400: a listed part was not uploaded, or its ETag does not match. */
  InvalidPart: 'InvalidPart',
  /** 400: the parts list is not in ascending part-number order. */
  InvalidPartOrder: 'InvalidPartOrder',
  /** 400: e.g. a part number outside 1..10000, or more parts than allowed. */
  InvalidArgument: 'InvalidArgument',
  /** 416: the requested range starts beyond the end of the object. */
  InvalidRange: 'InvalidRange',
} as const;
export type ObjectError = (typeof ObjectError)[keyof typeof ObjectError];

/** HTTP status of each error. */
export const HTTP_STATUS: Readonly<Record<ObjectError, number>> = {
  SlowDown: 503,
  ServiceUnavailable: 503,
  NoSuchKey: 404,
  NoSuchBucket: 404,
  NoSuchUpload: 404,
  EntityTooSmall: 400,
  EntityTooLarge: 400,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  InvalidArgument: 400,
  InvalidRange: 416,
};

/** True for server-side (5xx) errors: the client retries them and they are not billed. */
export function isServerError(error: ObjectError): boolean {
  return HTTP_STATUS[error] >= 500;
}
