/**
 * Why an NVMe command fails: the `failure` text of a failed `IoRequest`. Each names the NVMe
 * status it stands for (NVMe Base Specification 1.4, §4.6.1.2, Generic Command Status values).
 */

/** 80h: the command addresses LBAs beyond the namespace. */
export const LBA_OUT_OF_RANGE = 'LBA Out of Range (NVMe status 80h)';

/** 0Bh: the function has no namespace to address. */
export const INVALID_NAMESPACE = 'Invalid Namespace or Format (NVMe status 0Bh): no namespace is attached to this function';

/** 08h, after a controller reset deleted the I/O queues. */
export const ABORTED_BY_RESET = 'Command Aborted due to SQ Deletion (NVMe status 08h): controller reset';

/** 08h, after the function was disabled (Function Level Reset, or its PF's VFs disabled). */
export const ABORTED_BY_DISABLE = 'Command Aborted due to SQ Deletion (NVMe status 08h): function disabled';

/** A request sent to a disabled function never reaches a queue: the host driver fails it. */
export const FUNCTION_DISABLED = 'function disabled: it has no I/O queues until it is enabled again';

/** The request cannot be written as an NVMe command (partial LBAs or no data). */
export function invalidField(detail: string): string {
  return `Invalid Field in Command (NVMe status 02h): ${detail}`;
}
