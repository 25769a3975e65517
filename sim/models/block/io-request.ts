/**
 * The block IO contract every storage model speaks: a requester submits an `IoRequest` to a
 * `BlockDevice`; the device later calls `requester.ioCompleted(request)` exactly once, with
 * `status` set to `IoStatus.Ok` or `IoStatus.Failed` (and `failure` saying why).
 *
 * Rules that keep runs deterministic and hot paths allocation-free:
 * - A device never completes a request inside `submit`: completion always comes from an
 *   engine event (schedule with delay 0 if the answer is immediate). No re-entrancy.
 * - Requests are owned and reused by their requester (a closed-loop workload keeps one per
 *   queue slot), so submitting costs no allocation. A device must not hold on to a request
 *   after completing it.
 * - Layers (an NVMe function in front of an SSD, a VM's virtual disk in front of a host path)
 *   are both `BlockDevice` and `IoRequester`: they submit requests of their own below and
 *   complete the one from above when theirs complete.
 */

/** What a request asks for. */
export const IoOp = { Read: 0, Write: 1, Trim: 2 } as const;
export type IoOp = (typeof IoOp)[keyof typeof IoOp];

/** Names of {@link IoOp} values, for messages and metric paths. */
export const IO_OP_NAMES: readonly string[] = ['read', 'write', 'trim'];

/** Where a request stands. */
export const IoStatus = { Pending: 0, Ok: 1, Failed: 2 } as const;
export type IoStatus = (typeof IoStatus)[keyof typeof IoStatus];

/** Whoever submits requests: told once per request when it is done. */
export interface IoRequester {
  ioCompleted(request: IoRequest): void;
}

/** One block request. Mutable and reusable: the requester refills it before each submit. */
export class IoRequest {
  op: IoOp = IoOp.Read;
  /** Byte offset on the device it is submitted to. */
  offsetBytes = 0;
  /** Length in bytes (> 0). */
  sizeBytes = 0;
  /** Simulated time (ns) the requester submitted it; set by the requester. */
  submittedNs = 0;
  status: IoStatus = IoStatus.Pending;
  /** Why it failed (empty unless `status` is `Failed`). */
  failure = '';
  /** Free for the requester (a queue slot, a parent request's index). */
  tag = 0;
  /** Free for the requester: a reference to whatever it needs back on completion. */
  context: unknown = null;

  constructor(readonly requester: IoRequester) {}

  /** Refills the request for a new submission (status back to Pending). */
  prepare(op: IoOp, offsetBytes: number, sizeBytes: number, nowNs: number): this {
    this.op = op;
    this.offsetBytes = offsetBytes;
    this.sizeBytes = sizeBytes;
    this.submittedNs = nowNs;
    this.status = IoStatus.Pending;
    this.failure = '';
    return this;
  }
}

/** Anything that serves block requests: an SSD, an NVMe function, a volume, a virtual disk. */
export interface BlockDevice {
  /** Component path, e.g. "ssd0" or "host1/vm2/disk0". */
  readonly path: string;
  /** Addressable bytes: requests must lie within [0, capacityBytes). */
  readonly capacityBytes: number;
  /** Offsets and sizes must be multiples of this (e.g. 512 or 4096). */
  readonly sectorBytes: number;
  /** Accepts a request; completion comes later through `request.requester.ioCompleted`. */
  submit(request: IoRequest): void;
}

/**
 * Whether `bytes` is a whole multiple of `unit`. Byte offsets pass 2^31, where `%` on them is a
 * slow floating-point remainder call; a division, floor and multiply is exact for integers
 * below 2^53 and several times faster on the IO hot path.
 */
export function isMultipleOf(bytes: number, unit: number): boolean {
  return Math.floor(bytes / unit) * unit === bytes;
}

/** Why a request is malformed for `device`, or undefined if it is fine. */
export function requestProblem(device: BlockDevice, request: IoRequest): string | undefined {
  const { offsetBytes, sizeBytes } = request;
  if (!(sizeBytes > 0)) return `size ${sizeBytes} B must be positive`;
  const sector = device.sectorBytes;
  if (!isMultipleOf(offsetBytes, sector) || !isMultipleOf(sizeBytes, sector)) {
    return `offset ${offsetBytes} B and size ${sizeBytes} B must be multiples of ${device.sectorBytes} B`;
  }
  if (offsetBytes < 0 || offsetBytes + sizeBytes > device.capacityBytes) {
    return `[${offsetBytes}, ${offsetBytes + sizeBytes}) B is outside the device's ${device.capacityBytes} B`;
  }
  return undefined;
}
