/**
 * Size and count limits of object uploads, with Amazon S3's values as the default, and the
 * checks that turn a violation into the error S3 returns.
 *
 * Source: Amazon S3 User Guide, "Amazon S3 multipart upload limits": maximum object size 5 TiB;
 * at most 10,000 parts per upload; part numbers 1 to 10,000 inclusive; part size 5 MiB to
 * 5 GiB, with no minimum for the last part. (AWS has since raised the maximum object size to
 * 48.8 TiB on the current page; 5 TiB is the long-standing value and the default here; set
 * `maxObjectBytes` to model the newer one.) A single PUT is limited to 5 GiB (S3 User Guide,
 * "Uploading objects").
 */
import { ObjectError } from './object-errors.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const TiB = 1024 * GiB;

/** Upload limits of an object store. */
export interface UploadLimits {
  /** Smallest part other than the last (bytes). S3: 5 MiB. */
  readonly minPartBytes: number;
  /** Largest part (bytes). S3: 5 GiB. */
  readonly maxPartBytes: number;
  /** Most parts in one upload, and the largest part number. S3: 10,000. */
  readonly maxParts: number;
  /** Largest object (bytes). S3: 5 TiB. */
  readonly maxObjectBytes: number;
  /** Largest single PUT (bytes). S3: 5 GiB. */
  readonly maxPutBytes: number;
}

export const S3_UPLOAD_LIMITS: UploadLimits = Object.freeze({
  minPartBytes: 5 * MiB,
  maxPartBytes: 5 * GiB,
  maxParts: 10_000,
  maxObjectBytes: 5 * TiB,
  maxPutBytes: 5 * GiB,
});

/** A failed check: the S3 error and a message saying what was wrong and what is allowed. */
export interface LimitViolation {
  readonly error: ObjectError;
  readonly reason: string;
}

/** A single PUT of `bytes`: too large? */
export function checkPutSize(limits: UploadLimits, bytes: number): LimitViolation | undefined {
  if (bytes > limits.maxPutBytes) {
    return { error: ObjectError.EntityTooLarge, reason: `a single PUT of ${bytes} B exceeds the maximum of ${limits.maxPutBytes} B; use a multipart upload` };
  }
  return undefined;
}

/** An UploadPart with `partNumber` of `bytes`: number in range, size not above the maximum. */
export function checkPart(limits: UploadLimits, partNumber: number, bytes: number): LimitViolation | undefined {
  if (!(Number.isInteger(partNumber) && partNumber >= 1 && partNumber <= limits.maxParts)) {
    return { error: ObjectError.InvalidArgument, reason: `part number must be an integer between 1 and ${limits.maxParts}, inclusive; got ${partNumber}` };
  }
  if (bytes > limits.maxPartBytes) {
    return { error: ObjectError.EntityTooLarge, reason: `part ${partNumber} of ${bytes} B exceeds the maximum part size of ${limits.maxPartBytes} B` };
  }
  return undefined;
}

/**
 * CompleteMultipartUpload with parts of these sizes, in the listed order (the caller has
 * already checked that each listed part exists and is in ascending order): every part but the
 * last at least the minimum, at most `maxParts` parts, total at most the maximum object size.
 */
export function checkCompletion(limits: UploadLimits, partNumbers: readonly number[], partSizes: readonly number[]): LimitViolation | undefined {
  if (partSizes.length === 0) {
    return { error: ObjectError.InvalidArgument, reason: 'a multipart upload must be completed with at least one part' };
  }
  if (partSizes.length > limits.maxParts) {
    return { error: ObjectError.InvalidArgument, reason: `${partSizes.length} parts exceed the maximum of ${limits.maxParts} parts per upload` };
  }
  let total = 0;
  for (let i = 0; i < partSizes.length; i++) {
    const size = partSizes[i]!;
    if (i < partSizes.length - 1 && size < limits.minPartBytes) {
      return {
        error: ObjectError.EntityTooSmall,
        reason: `part ${partNumbers[i]} is ${size} B, below the minimum part size of ${limits.minPartBytes} B (only the last part may be smaller)`,
      };
    }
    total += size;
  }
  if (total > limits.maxObjectBytes) {
    return { error: ObjectError.EntityTooLarge, reason: `the object would be ${total} B, above the maximum object size of ${limits.maxObjectBytes} B` };
  }
  return undefined;
}

/** Checks that configured limits make sense; throws RangeError saying which does not. */
export function validateLimits(limits: UploadLimits): void {
  const positive = (name: keyof UploadLimits) => {
    if (!(limits[name] > 0)) throw new RangeError(`upload limit ${name} must be > 0, got ${limits[name]}`);
  };
  positive('minPartBytes');
  positive('maxPartBytes');
  positive('maxObjectBytes');
  positive('maxPutBytes');
  if (!(Number.isInteger(limits.maxParts) && limits.maxParts >= 1)) throw new RangeError(`upload limit maxParts must be an integer >= 1, got ${limits.maxParts}`);
  if (limits.minPartBytes > limits.maxPartBytes) {
    throw new RangeError(`minPartBytes (${limits.minPartBytes}) must not exceed maxPartBytes (${limits.maxPartBytes})`);
  }
}
