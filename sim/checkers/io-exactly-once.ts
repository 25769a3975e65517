/**
 * Checker: every block request is completed exactly once. A `BlockDevice` decorator — put it
 * between any requester and any device; it is itself a device (to the requester) and a
 * requester (to the device). It never schedules events and passes every completion on in the
 * same call, so it changes neither timing nor results.
 *
 * For each submission it creates a shadow request with a fresh id (an allocation per IO: a
 * checker runs in tests and swarm runs, and ids that are never reused are what make "served
 * twice" exact — a recycled request object could not tell a late duplicate from a new
 * request). Outstanding shadows are kept in a Map keyed by id. It detects:
 * - a completion of a request that is not outstanding: completed before (served twice), or
 *   never submitted through this checker;
 * - a completion with status still `Pending`, or `Failed` without a reason;
 * - a completion from inside `submit` (the contract says completions come from engine events);
 * - a requester submitting a request object that is still outstanding;
 * - at `finish()`: requests never completed. They are *lost* when nothing could still complete
 *   them (the event queue is empty) or when older than `maxLatencyNs`; otherwise they are
 *   reported separately as *in flight* when the run stopped.
 * Each message names the request: op, offset, size, submission time and id.
 */
import type { Environment } from '../engine/index.ts';
import { IO_OP_NAMES, IoRequest, IoStatus, type BlockDevice, type IoRequester } from '../models/block/io-request.ts';

/** A broken rule of the block IO contract. */
export class IoContractViolation extends Error {
  override name = 'IoContractViolation';
}

export interface IoExactlyOnceOptions {
  /** 'throw' (default): throw at the first violation. 'record': collect them in `violations`. */
  readonly onViolation?: 'throw' | 'record';
  /** At `finish()`, requests outstanding longer than this (ns) count as lost even if events are pending. */
  readonly maxLatencyNs?: number;
}

/** What `finish()` found. */
export interface IoExactlyOnceReport {
  readonly submitted: number;
  readonly completed: number;
  /** Never completed, and could not be (see the file comment). */
  readonly lost: readonly string[];
  /** Outstanding when the run stopped, legitimately so. */
  readonly inFlight: readonly string[];
  /** Every violation seen (in 'record' mode; in 'throw' mode only those `finish` found). */
  readonly violations: readonly string[];
}

/** The checker's own copy of a submission, the one the device sees. */
class ShadowRequest extends IoRequest {
  completedNs = -1;
  constructor(
    requester: IoRequester,
    readonly id: number,
    readonly original: IoRequest,
  ) {
    super(requester);
  }
}

export class IoExactlyOnceChecker implements BlockDevice, IoRequester {
  readonly path: string;
  readonly capacityBytes: number;
  readonly sectorBytes: number;
  /** Violations seen so far (all of them in 'record' mode). */
  readonly violations: string[] = [];
  private readonly outstanding = new Map<number, ShadowRequest>();
  private readonly outstandingOriginals = new Set<IoRequest>();
  private readonly throwOnViolation: boolean;
  private readonly maxLatencyNs: number;
  private nextId = 1;
  private submittedCount = 0;
  private completedCount = 0;
  private inSubmit = false;

  constructor(
    private readonly env: Environment,
    private readonly inner: BlockDevice,
    options: IoExactlyOnceOptions = {},
  ) {
    this.path = inner.path;
    this.capacityBytes = inner.capacityBytes;
    this.sectorBytes = inner.sectorBytes;
    this.throwOnViolation = (options.onViolation ?? 'throw') === 'throw';
    this.maxLatencyNs = options.maxLatencyNs ?? Infinity;
  }

  /** Requests submitted and not yet completed. */
  get outstandingCount(): number {
    return this.outstanding.size;
  }

  submit(request: IoRequest): void {
    if (this.outstandingOriginals.has(request)) {
      this.violation(`${describe(request)} was submitted again while still outstanding (a requester may reuse a request only after its completion)`);
    }
    const shadow = new ShadowRequest(this, this.nextId++, request);
    shadow.prepare(request.op, request.offsetBytes, request.sizeBytes, request.submittedNs);
    shadow.tag = request.tag;
    this.outstanding.set(shadow.id, shadow);
    this.outstandingOriginals.add(request);
    this.submittedCount++;
    this.inSubmit = true;
    try {
      this.inner.submit(shadow);
    } finally {
      this.inSubmit = false;
    }
  }

  ioCompleted(request: IoRequest): void {
    if (!(request instanceof ShadowRequest) || request.requester !== this) {
      this.violation(`${this.path} completed ${describe(request)}, which was never submitted through this checker`);
      return;
    }
    const shadow = request;
    if (this.outstanding.get(shadow.id) !== shadow) {
      this.violation(
        `${this.path} completed ${describe(shadow, shadow.id)} again at ${this.env.now} ns: it was already completed at ${shadow.completedNs} ns (served twice)`,
      );
      return;
    }
    if (this.inSubmit) {
      this.violation(`${this.path} completed ${describe(shadow, shadow.id)} inside submit; completions must come from an engine event (schedule with delay 0)`);
    }
    if (shadow.status === IoStatus.Pending) {
      this.violation(`${this.path} completed ${describe(shadow, shadow.id)} at ${this.env.now} ns with status still Pending; allowed: Ok or Failed`);
    } else if (shadow.status === IoStatus.Failed && shadow.failure === '') {
      this.violation(`${this.path} failed ${describe(shadow, shadow.id)} at ${this.env.now} ns without saying why (failure is empty)`);
    }
    this.outstanding.delete(shadow.id);
    this.outstandingOriginals.delete(shadow.original);
    shadow.completedNs = this.env.now;
    this.completedCount++;
    const original = shadow.original;
    original.status = shadow.status;
    original.failure = shadow.failure;
    original.requester.ioCompleted(original);
  }

  /**
   * Call after the run: sorts the requests still outstanding into lost and in flight (see the
   * file comment). In 'throw' mode, throws when any is lost.
   */
  finish(): IoExactlyOnceReport {
    const drained = this.env.pendingCount === 0;
    const lost: string[] = [];
    const inFlight: string[] = [];
    for (const shadow of this.outstanding.values()) {
      const age = this.env.now - shadow.submittedNs;
      if (drained || age > this.maxLatencyNs) {
        lost.push(
          `${this.path} never completed ${describe(shadow, shadow.id)} (outstanding for ${age} ns at ${this.env.now} ns` +
            `${drained ? ', with no event left that could complete it' : `, more than the ${this.maxLatencyNs} ns allowed`})`,
        );
      } else {
        inFlight.push(`${describe(shadow, shadow.id)}, outstanding for ${age} ns`);
      }
    }
    const report = { submitted: this.submittedCount, completed: this.completedCount, lost, inFlight, violations: [...this.violations, ...lost] };
    if (this.throwOnViolation && lost.length > 0) {
      throw new IoContractViolation(`io-exactly-once: ${lost.length} request(s) lost: ${lost.slice(0, 5).join('; ')}${lost.length > 5 ? '; ...' : ''}`);
    }
    return report;
  }

  private violation(message: string): void {
    this.violations.push(message);
    if (this.throwOnViolation) throw new IoContractViolation(`io-exactly-once: ${message}`);
  }
}

/** "the read of 4096 B at offset 8192 B submitted at 1000 ns (request #3)". */
function describe(request: IoRequest, id?: number): string {
  const op = IO_OP_NAMES[request.op] ?? `op ${request.op}`;
  return `the ${op} of ${request.sizeBytes} B at offset ${request.offsetBytes} B submitted at ${request.submittedNs} ns${id === undefined ? '' : ` (request #${id})`}`;
}
