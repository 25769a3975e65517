/**
 * An NVMe function: a PCIe physical function (PF), or an SR-IOV virtual function (VF) that
 * belongs to a PF, on an `NvmeController`. Each function has its own I/O queue pairs, the
 * namespaces attached to it, optional IOPS and bandwidth limits, and its own metrics. It is a
 * `BlockDevice` standing for the host driver in front of it, so a host or a VM (passthrough)
 * submits to it directly.
 *
 * Which queue a request goes to: `submit` spreads requests over the function's queue pairs in
 * round-robin order of submission (as if successive requests came from successive CPU cores
 * with one queue each); `submitToQueue(request, q)` names the queue. Addresses are byte offsets
 * within the function's first attached namespace; `namespaceDevice(nsid)` is a `BlockDevice`
 * for any other attached namespace, on the same queues.
 *
 * Per-function limits are token buckets (`TokenBucket`) checked by the controller: an SQ whose
 * function lacks tokens for the command at its head is not ready for arbitration, so commands
 * wait in the SQ (and, once the pair is full, in the host driver) until tokens accrue. Every
 * fetched command takes 1 IOPS token and its size in bandwidth tokens.
 *
 * Interrupt coalescing (Set Features, Interrupt Coalescing, NVMe Base Specification 1.4,
 * §5.21.1.8): completions wait in the CQ until `threshold` of them are pending or `timeNs` has
 * passed since the first one; the host reads them all at that interrupt. Without it the host
 * reads each completion the moment it is posted.
 *
 * Metrics under the function's path (successful commands only, unless said otherwise):
 * - `reads`, `writes`, `trims`; `read_bytes` and `write_bytes` (B);
 * - `read_latency`, `write_latency` (and `trim_latency` once a trim completes) (us): submit to
 *   the host reading the completion;
 * - `queue_time` (us): submit to fetch by the controller, of every fetched command (driver
 *   wait, SQ wait and token wait included);
 * - `failed` (every failed request), `aborted` (those aborted after their doorbell by a reset or
 *   a disable), `out_of_range` (LBA Out of Range);
 * - `sq_entries`, `outstanding`, `driver_queue`: time-weighted sums over the function's queue
 *   pairs of commands in the SQs, on the pairs, and waiting in the host driver;
 *   `driver_waits`: requests that found their pair full (or the controller resetting) and waited;
 * - with limits: `throttled_time` (s), total time the controller skipped the function's ready
 *   commands for lack of tokens (from the first skip until the tokens were there), and
 *   `throttled`, the time-weighted fraction of time that was so;
 * - `disables`: times the function was disabled.
 *
 * Fault hooks: `disable()` is a Function Level Reset that leaves the function off (for a PF it
 * also disables its VFs: the VFs of a PF that is reset go away, PCI-SIG SR-IOV 1.1). Completions
 * already posted are delivered; commands in its SQs, in the controller or at the backend fail
 * with "Command Aborted due to SQ Deletion" (counted in `aborted`); requests waiting in the
 * driver, and every request submitted while disabled, fail with "function disabled" (scheduled,
 * never inside `submit`). `enable()` turns it back on (a VF only while its PF is enabled).
 */
import type { Environment } from '../../engine/index.ts';
import { NS_PER_MS } from '../../engine/time.ts';
import type { Counter, LatencyHistogram, MetricRegistry, TimeWeighted } from '../../metrics/index.ts';
import { IoOp, IoStatus, isMultipleOf, type BlockDevice, type IoRequest } from '../block/io-request.ts';
import { NvmePriorityClass } from './arbitration.ts';
import { CommandState, type NvmeCommand } from './command.ts';
import type { NvmeController } from './controller.ts';
import type { NvmeNamespace } from './namespace.ts';
import { NvmeNamespaceDevice } from './namespace-device.ts';
import { MAX_QUEUE_DEPTH, MIN_QUEUE_DEPTH, QueuePair } from './queue-pair.ts';
import { ABORTED_BY_DISABLE, FUNCTION_DISABLED, INVALID_NAMESPACE, invalidField } from './status.ts';
import { TokenBucket } from './token-bucket.ts';

/** What a function is on the PCIe bus. */
export type NvmeFunctionKind = 'pf' | 'vf';

/** How a function is made (see `NvmeController.addFunction`). */
export interface NvmeFunctionOptions {
  kind: NvmeFunctionKind;
  /** The PF a VF belongs to (required for a VF, not allowed for a PF). */
  parent?: NvmeFunction;
  /** I/O queue pairs (default 1). */
  queueCount?: number;
  /** Entries per queue, 2..65536 (default 1024); at most depth - 1 commands are outstanding on a pair. */
  queueDepth?: number;
  /** Priority class of the function's SQs (urgent, high, medium or low; default medium). */
  priority?: NvmePriorityClass;
  /** NSIDs attached (default: every namespace of the controller). The first is the default namespace. */
  namespaces?: readonly number[];
  /** Command rate limit; `burst` defaults to 1 ms of the rate (at least 1 command). */
  iopsLimit?: { perSecond: number; burst?: number };
  /** Byte rate limit; `burstBytes` defaults to 1 ms of the rate. */
  bandwidthLimit?: { bytesPerSecond: number; burstBytes?: number };
  /** Interrupt coalescing: aggregation time and threshold (completions). */
  coalescing?: { timeNs: number; threshold: number };
}

export class NvmeFunction implements BlockDevice {
  readonly kind: NvmeFunctionKind;
  readonly parent: NvmeFunction | null;
  /** VFs of this PF, in the order they were added. */
  readonly vfs: NvmeFunction[] = [];
  readonly queuePairs: readonly QueuePair[];
  readonly queueDepth: number;
  readonly priorityClass: NvmePriorityClass;
  /** Attached namespaces; the first is the one `submit` addresses. */
  readonly namespaces: readonly NvmeNamespace[];
  readonly capacityBytes: number;
  readonly sectorBytes: number;
  private enabledFlag = true;
  private nextQueue = 0;
  private readonly env: Environment;
  private readonly iops: TokenBucket | null;
  private readonly bandwidth: TokenBucket | null;
  private readonly coalesceNs: number;
  private readonly coalesceThreshold: number;
  private throttledSinceNs = -1;
  private wakeTimer = -1;
  private wakeAtNs = Infinity;
  private sqEntryCount = 0;
  private outstandingCount = 0;
  private driverCount = 0;
  private readonly namespaceDevices = new Map<number, NvmeNamespaceDevice>();
  private readonly metrics: MetricRegistry;
  private readonly m: {
    reads: Counter; writes: Counter; trims: Counter; readBytes: Counter; writeBytes: Counter;
    readLatency: LatencyHistogram; writeLatency: LatencyHistogram; trimLatency: LatencyHistogram | null; queueTime: LatencyHistogram;
    failed: Counter; aborted: Counter; outOfRange: Counter; driverWaits: Counter; disables: Counter;
    sqEntries: TimeWeighted; outstanding: TimeWeighted; driverQueue: TimeWeighted;
    throttledTime: Counter | null; throttled: TimeWeighted | null;
  };
  private readonly wakeFn = () => this.wake();
  private readonly interruptFn = (pair: QueuePair) => this.interrupt(pair);
  private readonly rejectFn = (command: NvmeCommand) => this.answer(command);

  /** Use `NvmeController.addFunction`. */
  constructor(
    readonly controller: NvmeController,
    env: Environment,
    readonly path: string,
    options: NvmeFunctionOptions,
    namespaces: readonly NvmeNamespace[],
    firstQueueIndex: number,
    metrics: MetricRegistry,
  ) {
    this.env = env;
    this.kind = options.kind;
    this.parent = options.parent ?? null;
    const queueCount = options.queueCount ?? 1;
    this.queueDepth = options.queueDepth ?? 1024;
    this.priorityClass = options.priority ?? NvmePriorityClass.Medium;
    checkOptions(path, options, queueCount, this.queueDepth, this.priorityClass);
    if (this.parent !== null) this.parent.vfs.push(this);
    this.namespaces = namespaces;
    this.capacityBytes = namespaces[0]?.sizeBytes ?? 0;
    this.sectorBytes = namespaces[0]?.lbaBytes ?? 512;
    const pairs: QueuePair[] = [];
    for (let q = 0; q < queueCount; q++) pairs.push(new QueuePair(this, firstQueueIndex + q, q, this.queueDepth, this.priorityClass));
    this.queuePairs = pairs;
    const iops = options.iopsLimit;
    this.iops = iops ? new TokenBucket(iops.perSecond, iops.burst ?? Math.max(1, (iops.perSecond * NS_PER_MS) / 1e9), env.now) : null;
    const bw = options.bandwidthLimit;
    this.bandwidth = bw ? new TokenBucket(bw.bytesPerSecond, bw.burstBytes ?? (bw.bytesPerSecond * NS_PER_MS) / 1e9, env.now) : null;
    this.coalesceNs = options.coalescing?.timeNs ?? 0;
    this.coalesceThreshold = options.coalescing?.threshold ?? 1;
    this.metrics = metrics;
    const limited = this.iops !== null || this.bandwidth !== null;
    const B = { unit: 'B', scale: 1 };
    this.m = {
      reads: metrics.counter(`${path}/reads`),
      writes: metrics.counter(`${path}/writes`),
      trims: metrics.counter(`${path}/trims`),
      readBytes: metrics.counter(`${path}/read_bytes`, B),
      writeBytes: metrics.counter(`${path}/write_bytes`, B),
      readLatency: metrics.histogram(`${path}/read_latency`, { unit: 'us' }),
      writeLatency: metrics.histogram(`${path}/write_latency`, { unit: 'us' }),
      trimLatency: null,
      queueTime: metrics.histogram(`${path}/queue_time`, { unit: 'us' }),
      failed: metrics.counter(`${path}/failed`),
      aborted: metrics.counter(`${path}/aborted`),
      outOfRange: metrics.counter(`${path}/out_of_range`),
      driverWaits: metrics.counter(`${path}/driver_waits`),
      disables: metrics.counter(`${path}/disables`),
      sqEntries: metrics.timeWeighted(`${path}/sq_entries`),
      outstanding: metrics.timeWeighted(`${path}/outstanding`),
      driverQueue: metrics.timeWeighted(`${path}/driver_queue`),
      throttledTime: limited ? metrics.counter(`${path}/throttled_time`, { unit: 's' }) : null,
      throttled: limited ? metrics.timeWeighted(`${path}/throttled`) : null,
    };
  }

  /** Whether the function serves requests (false after `disable()`). */
  get enabled(): boolean {
    return this.enabledFlag;
  }

  get queueCount(): number {
    return this.queuePairs.length;
  }

  /** Commands in SQ `q` (doorbell rung, not fetched). */
  sqEntries(q: number): number {
    return this.pair(q).sq.length;
  }

  /** Commands on queue pair `q` (doorbell rung, completion not yet read). */
  outstanding(q: number): number {
    return this.pair(q).outstanding;
  }

  /** Requests the host driver holds for queue pair `q`. */
  driverWaiting(q: number): number {
    return this.pair(q).driver.length;
  }

  /** Submits to the default namespace on the next queue pair in round-robin order. */
  submit(request: IoRequest): void {
    this.enqueue(request, this.namespaces[0] ?? null, this.queuePairs[this.roundRobinQueue()]!);
  }

  /** Submits to the default namespace on queue pair `q` (0-based). */
  submitToQueue(request: IoRequest, q: number): void {
    this.enqueue(request, this.namespaces[0] ?? null, this.pair(q));
  }

  /** A `BlockDevice` for attached namespace `nsid`, at `<path>/ns<nsid>`, submitting through this function's queues. */
  namespaceDevice(nsid: number): BlockDevice {
    let device = this.namespaceDevices.get(nsid);
    if (device === undefined) {
      const namespace = this.namespaces.find((ns) => ns.nsid === nsid);
      if (namespace === undefined) {
        throw new Error(`${this.path}: namespace ${nsid} is not attached; attached: ${this.namespaces.map((ns) => ns.nsid).join(', ') || '(none)'}`);
      }
      device = new NvmeNamespaceDevice(this, namespace, (request, q) => {
        const pair = q === undefined ? this.queuePairs[this.roundRobinQueue()]! : this.pair(q);
        this.enqueue(request, namespace, pair);
      });
      this.namespaceDevices.set(nsid, device);
    }
    return device;
  }

  /** Fault hook: Function Level Reset, leaving the function disabled (see the file comment). */
  disable(): void {
    if (!this.enabledFlag) return;
    for (const vf of this.vfs) vf.disable();
    this.enabledFlag = false;
    this.m.disables.add(1);
    const answers: NvmeCommand[] = [];
    for (const pair of this.queuePairs) {
      this.drainPair(pair, ABORTED_BY_DISABLE, answers);
      for (let command = pair.driver.shift(); command !== undefined; command = pair.driver.shift()) {
        command.failure = FUNCTION_DISABLED;
        answers.push(command);
      }
    }
    this.setDriverCount(0);
    this.controller.orphanInFlight(this, ABORTED_BY_DISABLE, answers);
    for (const command of answers) this.answer(command);
  }

  /** Turns a disabled function back on. A VF needs its PF enabled. */
  enable(): void {
    if (this.enabledFlag) return;
    if (this.parent !== null && !this.parent.enabled) {
      throw new Error(`${this.path}: cannot enable a VF while its PF ${this.parent.path} is disabled`);
    }
    this.enabledFlag = true;
  }

  // ---- used by the controller ------------------------------------------------------------

  /**
   * Moves every posted completion of `pair` to `answers` (delivered as they are) and every SQ
   * entry too, failed with `reason` and counted as aborted. Cancels the interrupt timer.
   */
  drainPair(pair: QueuePair, reason: string, answers: NvmeCommand[]): void {
    if (pair.interruptTimer >= 0) this.env.cancel(pair.interruptTimer);
    pair.interruptTimer = -1;
    for (let command = pair.cq.shift(); command !== undefined; command = pair.cq.shift()) answers.push(command);
    for (let command = pair.sq.shift(); command !== undefined; command = pair.sq.shift()) {
      this.controller.commandsInSqs--;
      command.failure = reason;
      command.aborted = true;
      answers.push(command);
    }
    let entries = 0;
    for (const p of this.queuePairs) entries += p.sq.length;
    this.setSqEntries(entries);
  }

  /** Puts waiting driver requests on `pair` while it has room and the controller accepts them. */
  admit(pair: QueuePair): void {
    while (pair.driver.length > 0 && pair.hasRoom && this.enabledFlag && this.controller.accepting) {
      this.setDriverCount(this.driverCount - 1);
      this.doorbell(pair.driver.shift()!, pair);
    }
  }

  /**
   * Whether the command at the head of an SQ of this function may be fetched now as far as the
   * limits go. When it may not, starts (or continues) a throttled period and makes sure a
   * timer wakes the controller once the tokens are there.
   */
  tokensAllow(command: NvmeCommand): boolean {
    const iops = this.iops;
    const bandwidth = this.bandwidth;
    if (iops === null && bandwidth === null) return true;
    const now = this.env.now;
    const cost = command.upper!.sizeBytes;
    if ((iops === null || iops.allows(1, now)) && (bandwidth === null || bandwidth.allows(cost, now))) return true;
    const waitNs = Math.max(iops === null ? 0 : iops.waitNs(1, now), bandwidth === null ? 0 : bandwidth.waitNs(cost, now), 1);
    if (this.throttledSinceNs < 0) {
      this.throttledSinceNs = now;
      this.m.throttled!.set(1);
    }
    if (this.wakeTimer < 0 || now + waitNs < this.wakeAtNs) {
      if (this.wakeTimer >= 0) this.env.cancel(this.wakeTimer);
      this.wakeTimer = this.env.schedule(waitNs, this.wakeFn, null);
      this.wakeAtNs = now + waitNs;
    }
    return false;
  }

  /** The controller fetched `command` from `pair`'s SQ: take its tokens, record its queueing time. */
  fetched(command: NvmeCommand): void {
    const now = this.env.now;
    command.fetchNs = now;
    this.iops?.take(1, now);
    this.bandwidth?.take(command.upper!.sizeBytes, now);
    this.setSqEntries(this.sqEntryCount - 1);
    this.m.queueTime.record(now - command.submitNs);
  }

  /** Counts a command fetched with an LBA range outside its namespace. */
  countOutOfRange(): void {
    this.m.outOfRange.add(1);
  }

  /** The controller posts `command`'s completion (success, or `command.failure`) to its CQ. */
  postCompletion(command: NvmeCommand): void {
    const pair = command.pair!;
    if (this.coalesceNs <= 0 && this.coalesceThreshold <= 1) {
      this.answer(command);
      return;
    }
    command.state = CommandState.InCq;
    pair.cq.push(command);
    if (pair.cq.length >= this.coalesceThreshold) {
      this.interrupt(pair);
    } else if (pair.interruptTimer < 0) {
      pair.interruptTimer = this.env.schedule(this.coalesceNs, this.interruptFn, pair);
    }
  }

  /**
   * Answers the host for `command`: frees its pair slot, counts it, recycles the command unless
   * the backend still holds it, lets a waiting request take the slot, then completes the host's
   * request. Never called from inside `submit`.
   */
  answer(command: NvmeCommand): void {
    const upper = command.upper!;
    const pair = command.pair!;
    const failure = command.failure;
    if (command.inPair) {
      command.inPair = false;
      pair.outstanding--;
      this.setOutstanding(this.outstandingCount - 1);
    }
    if (failure === '') {
      this.countSuccess(upper, this.env.now - command.submitNs);
    } else {
      this.m.failed.add(1);
      if (command.aborted) {
        this.m.aborted.add(1);
        this.controller.countAborted();
      }
    }
    command.upper = null;
    if (command.state === CommandState.Orphaned) {
      // The backend still holds it; the controller recycles it when the backend answers.
    } else {
      this.controller.release(command);
    }
    this.admit(pair);
    upper.status = failure === '' ? IoStatus.Ok : IoStatus.Failed;
    upper.failure = failure;
    upper.requester.ioCompleted(upper);
  }

  // ---- internals -------------------------------------------------------------------------

  private pair(q: number): QueuePair {
    const pair = this.queuePairs[q];
    if (pair === undefined) throw new RangeError(`${this.path}: no queue pair ${q}; allowed: 0..${this.queuePairs.length - 1}`);
    return pair;
  }

  private roundRobinQueue(): number {
    const q = this.nextQueue;
    this.nextQueue = q + 1 === this.queuePairs.length ? 0 : q + 1;
    return q;
  }

  private enqueue(request: IoRequest, namespace: NvmeNamespace | null, pair: QueuePair): void {
    const command = this.controller.acquire();
    command.upper = request;
    command.fn = this;
    command.pair = pair;
    command.namespace = namespace;
    command.submitNs = this.env.now;
    command.failure = '';
    command.aborted = false;
    request.status = IoStatus.Pending;
    request.failure = '';
    const problem = !this.enabledFlag ? FUNCTION_DISABLED : namespace === null ? INVALID_NAMESPACE : shapeProblem(request, namespace);
    if (problem !== undefined) {
      command.failure = problem;
      command.state = CommandState.Rejected;
      this.env.schedule(0, this.rejectFn, command);
      return;
    }
    if (pair.driver.length === 0 && pair.hasRoom && this.controller.accepting) {
      this.doorbell(command, pair);
    } else {
      command.state = CommandState.DriverQueued;
      pair.driver.push(command);
      this.m.driverWaits.add(1);
      this.setDriverCount(this.driverCount + 1);
    }
  }

  /** Writes the command into the SQ and rings the tail doorbell: from now the controller may fetch it. */
  private doorbell(command: NvmeCommand, pair: QueuePair): void {
    command.state = CommandState.InSq;
    command.inPair = true;
    pair.outstanding++;
    pair.sq.push(command);
    this.controller.commandsInSqs++;
    this.setOutstanding(this.outstandingCount + 1);
    this.setSqEntries(this.sqEntryCount + 1);
    this.controller.dispatch();
  }

  private interrupt(pair: QueuePair): void {
    if (pair.interruptTimer >= 0) this.env.cancel(pair.interruptTimer);
    pair.interruptTimer = -1;
    for (let command = pair.cq.shift(); command !== undefined; command = pair.cq.shift()) this.answer(command);
  }

  private wake(): void {
    this.wakeTimer = -1;
    this.wakeAtNs = Infinity;
    if (this.throttledSinceNs >= 0) {
      this.m.throttledTime!.add(this.env.now - this.throttledSinceNs);
      this.m.throttled!.set(0);
      this.throttledSinceNs = -1;
    }
    this.controller.dispatch();
  }

  private countSuccess(upper: IoRequest, latencyNs: number): void {
    const m = this.m;
    if (upper.op === IoOp.Read) {
      m.reads.add(1);
      m.readBytes.add(upper.sizeBytes);
      m.readLatency.record(latencyNs);
    } else if (upper.op === IoOp.Write) {
      m.writes.add(1);
      m.writeBytes.add(upper.sizeBytes);
      m.writeLatency.record(latencyNs);
    } else {
      m.trims.add(1);
      m.trimLatency ??= this.metrics.histogram(`${this.path}/trim_latency`, { unit: 'us' });
      m.trimLatency.record(latencyNs);
    }
  }

  private setSqEntries(value: number): void {
    this.sqEntryCount = value;
    this.m.sqEntries.set(value);
  }

  private setOutstanding(value: number): void {
    this.outstandingCount = value;
    this.m.outstanding.set(value);
  }

  private setDriverCount(value: number): void {
    this.driverCount = value;
    this.m.driverQueue.set(value);
  }
}

/** Why a request cannot become an NVMe command for `namespace` (whole LBAs, positive size), or undefined. */
function shapeProblem(request: IoRequest, namespace: NvmeNamespace): string | undefined {
  const { offsetBytes, sizeBytes } = request;
  if (!(sizeBytes > 0) || !Number.isInteger(sizeBytes)) return invalidField(`size ${sizeBytes} B must be a positive whole number of LBAs`);
  if (!Number.isInteger(offsetBytes) || !isMultipleOf(offsetBytes, namespace.lbaBytes) || !isMultipleOf(sizeBytes, namespace.lbaBytes)) {
    return invalidField(`offset ${offsetBytes} B and size ${sizeBytes} B must be multiples of the ${namespace.lbaBytes} B LBA of namespace ${namespace.nsid}`);
  }
  return undefined;
}

function checkOptions(path: string, options: NvmeFunctionOptions, queueCount: number, depth: number, priority: NvmePriorityClass): void {
  if (options.kind !== 'pf' && options.kind !== 'vf') throw new Error(`${path}: kind must be "pf" or "vf", got ${JSON.stringify(options.kind)}`);
  if (options.kind === 'vf') {
    if (options.parent === undefined) throw new Error(`${path}: a VF needs its parent PF`);
    if (options.parent.kind !== 'pf') throw new Error(`${path}: the parent of a VF must be a PF, but ${options.parent.path} is a VF`);
  } else if (options.parent !== undefined) {
    throw new Error(`${path}: a PF has no parent (only a VF belongs to a PF)`);
  }
  if (!(Number.isInteger(queueCount) && queueCount >= 1)) throw new Error(`${path}: queue count must be an integer >= 1, got ${queueCount}`);
  if (!(Number.isInteger(depth) && depth >= MIN_QUEUE_DEPTH && depth <= MAX_QUEUE_DEPTH)) {
    throw new Error(`${path}: queue depth must be an integer from ${MIN_QUEUE_DEPTH} to ${MAX_QUEUE_DEPTH} entries, got ${depth}`);
  }
  if (priority === NvmePriorityClass.Admin || !(priority >= NvmePriorityClass.Urgent && priority <= NvmePriorityClass.Low)) {
    throw new Error(`${path}: I/O queues are urgent, high, medium or low priority, got class ${priority}`);
  }
  const c = options.coalescing;
  if (c !== undefined && !(c.timeNs >= 0 && Number.isInteger(c.threshold) && c.threshold >= 1)) {
    throw new Error(`${path}: interrupt coalescing needs a time >= 0 and an integer threshold >= 1`);
  }
}
