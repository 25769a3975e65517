/**
 * An NVMe controller in front of any `BlockDevice` backend (an SSD's media side, an array
 * volume): the functions (PFs and SR-IOV VFs) with their queue pairs, the namespaces carved out
 * of the backend, and the engine that fetches commands from the SQs and sends them to the
 * backend.
 *
 * The path of one command:
 * 1. the host submits to a function (`NvmeFunction.submit`): the request waits in the host
 *    driver if its queue pair is full, else it is written to the SQ and the tail doorbell rung:
 *    from that moment the controller may fetch it;
 * 2. whenever fewer than `maxInFlight` commands are in the controller, the arbitration policy
 *    (decision point `nvme-arbitration`) picks the SQ to fetch from among the ready ones: an SQ
 *    is ready when it holds a command, its function is enabled and its function's limits have
 *    tokens for that command. One arbiter covers every SQ of every function on the controller:
 *    the functions share the backend and its internal parallelism. (In the specification every
 *    function is a controller with its own arbiter; here they are one front end.)
 * 3. the fetched command is checked against its namespace (beyond it: LBA Out of Range, posted
 *    at once without reaching the backend), waits `commandOverheadNs` (controller processing,
 *    default 0), and goes to the backend at namespace start + offset;
 * 4. when the backend answers, the completion is posted to the CQ and the host reads it (at
 *    once, or at the next interrupt with coalescing).
 * `maxInFlight` bounds commands between fetch and the backend's answer: the controller's
 * internal parallelism. An idle controller adds exactly `commandOverheadNs` to the backend's
 * latency.
 *
 * Metrics under the controller's path: `in_flight` (time-weighted commands fetched and not yet
 * answered by the backend, aborted ones included until the backend lets them go), `fetched`,
 * `aborted` (commands aborted by resets and disables) and `resets`.
 *
 * Fault hook: `reset(recoveryNs)` is a Controller Level Reset (NVMe Base Specification 1.4,
 * §7.3.2): the controller stops fetching and deletes its I/O queues. Completions already posted
 * are delivered; every command in an SQ, in the controller or at the backend fails at once with
 * "Command Aborted due to SQ Deletion" (a command the backend holds keeps its in-flight slot
 * until the backend answers, and that answer is dropped). Requests the host submits during the
 * reset, or that were waiting in the driver, wait there and are put on the queues when the
 * controller is ready again, `recoveryNs` later.
 */
import type { Environment } from '../../engine/index.ts';
import type { Counter, MetricRegistry, TimeWeighted } from '../../metrics/index.ts';
import { IoStatus, type BlockDevice, type IoRequest, type IoRequester } from '../block/io-request.ts';
import type { NvmeArbiter, NvmeArbitration, NvmePriorityClass, SubmissionQueuesView } from './arbitration.ts';
import { CommandState, NvmeCommand } from './command.ts';
import { NvmeFunction, type NvmeFunctionOptions } from './function.ts';
import { namespacesProblem, NvmeNamespace, type NvmeNamespaceSpec } from './namespace.ts';
import type { QueuePair } from './queue-pair.ts';
import { ABORTED_BY_RESET, LBA_OUT_OF_RANGE } from './status.ts';

/** How a controller is made. */
export interface NvmeControllerOptions {
  /** Most commands in the controller at once (fetched, not yet answered by the backend). */
  maxInFlight: number;
  /** Controller processing per command between fetch and the backend (ns, default 0). */
  commandOverheadNs?: number;
  /**
   * Namespaces on the backend. Default: NSID 1 over the whole backend, with 4 KiB LBAs (512 B if
   * the backend's sector is 512 B).
   */
  namespaces?: readonly NvmeNamespaceSpec[];
}

export class NvmeController implements IoRequester {
  readonly path: string;
  readonly backend: BlockDevice;
  readonly maxInFlight: number;
  readonly commandOverheadNs: number;
  readonly namespaces: readonly NvmeNamespace[];
  readonly functions: NvmeFunction[] = [];
  /** Every SQ of every function, in the order the arbiter numbers them. */
  private readonly queues: QueuePair[] = [];
  private readonly env: Environment;
  private readonly metrics: MetricRegistry;
  private readonly arbiter: NvmeArbiter;
  private readonly view: SubmissionQueuesView;
  private readonly pool: NvmeCommand[] = [];
  /** Commands in the controller, by slot; free slots are stacked in `freeSlots`. */
  private readonly slots: (NvmeCommand | null)[];
  private readonly freeSlots: Int32Array;
  private freeSlotCount: number;
  private acceptingFlag = true;
  /** Resets whose recovery has not yet ended. */
  private pendingResumes = 0;
  /** Commands sitting in any SQ, not yet fetched: when 0, arbitration has nothing to pick. */
  commandsInSqs = 0;
  private dispatching = false;
  private dispatchAgain = false;
  private readonly inFlightMetric: TimeWeighted;
  private readonly fetchedCount: Counter;
  private readonly abortedCount: Counter;
  private readonly resetCount: Counter;
  private readonly toBackendFn = (command: NvmeCommand) => this.toBackend(command);
  private readonly postFailureFn = (command: NvmeCommand) => command.fn!.postCompletion(command);
  private readonly resumeFn = () => this.resume();

  constructor(env: Environment, path: string, backend: BlockDevice, options: NvmeControllerOptions, arbitration: NvmeArbitration, metrics: MetricRegistry) {
    this.env = env;
    this.path = path;
    this.backend = backend;
    this.metrics = metrics;
    if (!(Number.isInteger(options.maxInFlight) && options.maxInFlight >= 1)) {
      throw new Error(`${path}: maxInFlight must be an integer >= 1, got ${options.maxInFlight}`);
    }
    this.maxInFlight = options.maxInFlight;
    this.commandOverheadNs = options.commandOverheadNs ?? 0;
    if (!(this.commandOverheadNs >= 0 && Number.isFinite(this.commandOverheadNs))) {
      throw new Error(`${path}: commandOverheadNs must be >= 0, got ${this.commandOverheadNs}`);
    }
    const specs = options.namespaces ?? [defaultNamespace(backend)];
    const problem = namespacesProblem(specs, backend.capacityBytes, backend.sectorBytes);
    if (problem !== undefined) throw new Error(`${path}: ${problem}`);
    this.namespaces = specs.map((spec) => new NvmeNamespace(spec));
    this.slots = new Array<NvmeCommand | null>(this.maxInFlight).fill(null);
    this.freeSlots = new Int32Array(this.maxInFlight);
    for (let i = 0; i < this.maxInFlight; i++) this.freeSlots[i] = this.maxInFlight - 1 - i;
    this.freeSlotCount = this.maxInFlight;
    this.arbiter = arbitration.createArbiter();
    const queues = this.queues;
    const controller = this;
    this.view = {
      get count() {
        return queues.length;
      },
      isReady: (index: number) => controller.isReady(queues[index]!),
      priorityClass: (index: number): NvmePriorityClass => queues[index]!.priorityClass,
    };
    this.inFlightMetric = metrics.timeWeighted(`${path}/in_flight`);
    this.fetchedCount = metrics.counter(`${path}/fetched`);
    this.abortedCount = metrics.counter(`${path}/aborted`);
    this.resetCount = metrics.counter(`${path}/resets`);
  }

  /** Commands in the controller now (fetched, not yet answered by the backend). */
  get inFlight(): number {
    return this.maxInFlight - this.freeSlotCount;
  }

  /** False during a reset: doorbells are held by the host driver. */
  get accepting(): boolean {
    return this.acceptingFlag;
  }

  /** The namespace with this NSID, if any. */
  namespace(nsid: number): NvmeNamespace | undefined {
    return this.namespaces.find((ns) => ns.nsid === nsid);
  }

  /** Adds a PF or VF with its queue pairs; its metrics live under `path`. */
  addFunction(path: string, options: NvmeFunctionOptions): NvmeFunction {
    if (options.parent !== undefined && options.parent.controller !== this) {
      throw new Error(`${path}: the parent PF ${options.parent.path} is on another controller`);
    }
    const nsids = options.namespaces ?? this.namespaces.map((ns) => ns.nsid);
    const attached: NvmeNamespace[] = [];
    for (const nsid of nsids) {
      const ns = this.namespace(nsid);
      if (ns === undefined) throw new Error(`${path}: no namespace ${nsid} on ${this.path}; allowed: ${this.namespaces.map((n) => n.nsid).join(', ')}`);
      if (attached.includes(ns)) throw new Error(`${path}: namespace ${nsid} is attached twice`);
      attached.push(ns);
    }
    const fn = new NvmeFunction(this, this.env, path, options, attached, this.queues.length, this.metrics);
    this.functions.push(fn);
    this.queues.push(...fn.queuePairs);
    return fn;
  }

  /** Fault hook: Controller Level Reset (see the file comment). */
  reset(recoveryNs = 0): void {
    if (!(recoveryNs >= 0 && Number.isFinite(recoveryNs))) throw new RangeError(`${this.path}: reset recovery time must be >= 0, got ${recoveryNs}`);
    this.resetCount.add(1);
    this.acceptingFlag = false;
    const answers: NvmeCommand[] = [];
    for (const fn of this.functions) for (const pair of fn.queuePairs) fn.drainPair(pair, ABORTED_BY_RESET, answers);
    this.orphanInFlight(null, ABORTED_BY_RESET, answers);
    // A reset during a reset: the controller is ready once the last of them has recovered.
    this.pendingResumes++;
    this.env.schedule(recoveryNs, this.resumeFn, null);
    for (const command of answers) command.fn!.answer(command);
  }

  // ---- used by the functions -------------------------------------------------------------

  /** A command from the pool. */
  acquire(): NvmeCommand {
    return this.pool.pop() ?? new NvmeCommand(this);
  }

  /** Returns a command to the pool. */
  release(command: NvmeCommand): void {
    command.state = CommandState.Free;
    command.upper = null;
    command.fn = null;
    command.pair = null;
    command.namespace = null;
    this.pool.push(command);
  }

  /**
   * Marks the commands in the controller that belong to `fn` (every one if null) as aborted
   * with `reason` and adds them to `answers`; the backend keeps those it holds until it answers.
   */
  orphanInFlight(fn: NvmeFunction | null, reason: string, answers: NvmeCommand[]): void {
    for (const command of this.slots) {
      if (command === null || command.state !== CommandState.InController || (fn !== null && command.fn !== fn)) continue;
      command.state = CommandState.Orphaned;
      command.failure = reason;
      command.aborted = true;
      answers.push(command);
    }
  }

  /** Counts one command aborted after its doorbell (called as the host is answered). */
  countAborted(): void {
    this.abortedCount.add(1);
  }

  /** Fetches commands while there is room in the controller and a ready SQ. Re-entrant calls just ask for another pass. */
  dispatch(): void {
    if (this.commandsInSqs === 0) return; // nothing to fetch: skip the arbiter's scan of every SQ
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = true;
    try {
      do {
        this.dispatchAgain = false;
        while (this.freeSlotCount > 0 && this.acceptingFlag) {
          const index = this.arbiter.pickNext(this.view);
          if (index < 0) break;
          const pair = this.queues[index];
          if (pair === undefined || !this.isReady(pair)) {
            throw new Error(`${this.path}: the arbitration policy picked SQ ${index}, which is not a ready queue`);
          }
          this.fetch(pair);
        }
      } while (this.dispatchAgain);
    } finally {
      this.dispatching = false;
    }
  }

  /** The backend answers one of our commands. */
  ioCompleted(request: IoRequest): void {
    const command = request.context as NvmeCommand;
    this.freeSlot(command);
    if (command.state === CommandState.Orphaned) {
      this.release(command);
    } else {
      command.failure = request.status === IoStatus.Failed ? request.failure || 'the backend failed the command' : '';
      command.fn!.postCompletion(command);
    }
    this.dispatch();
  }

  // ---- internals -------------------------------------------------------------------------

  private isReady(pair: QueuePair): boolean {
    const command = pair.sq.peek();
    if (command === undefined) return false;
    const fn = pair.fn;
    return fn.enabled && fn.tokensAllow(command);
  }

  private fetch(pair: QueuePair): void {
    const command = pair.sq.shift()!;
    this.commandsInSqs--;
    const fn = pair.fn;
    fn.fetched(command);
    this.fetchedCount.add(1);
    const upper = command.upper!;
    if (!command.namespace!.contains(upper.offsetBytes, upper.sizeBytes)) {
      fn.countOutOfRange();
      command.failure = LBA_OUT_OF_RANGE;
      command.state = CommandState.Failing;
      this.env.schedule(0, this.postFailureFn, command);
      return;
    }
    const slot = this.freeSlots[--this.freeSlotCount]!;
    this.slots[slot] = command;
    command.slot = slot;
    command.state = CommandState.InController;
    this.inFlightMetric.set(this.inFlight);
    if (this.commandOverheadNs > 0) this.env.schedule(this.commandOverheadNs, this.toBackendFn, command);
    else this.toBackend(command);
  }

  private toBackend(command: NvmeCommand): void {
    if (command.state === CommandState.Orphaned) {
      // Aborted during the controller's processing: it never reaches the backend.
      this.freeSlot(command);
      this.release(command);
      this.dispatch();
      return;
    }
    const upper = command.upper!;
    const request = command.backendRequest;
    request.prepare(upper.op, command.namespace!.startBytes + upper.offsetBytes, upper.sizeBytes, this.env.now);
    this.backend.submit(request);
  }

  private freeSlot(command: NvmeCommand): void {
    this.slots[command.slot] = null;
    this.freeSlots[this.freeSlotCount++] = command.slot;
    command.slot = -1;
    this.inFlightMetric.set(this.inFlight);
  }

  private resume(): void {
    if (--this.pendingResumes > 0) return;
    this.acceptingFlag = true;
    for (const fn of this.functions) for (const pair of fn.queuePairs) fn.admit(pair);
    this.dispatch();
  }
}

/** NSID 1 over the whole backend: 4 KiB LBAs, or 512 B ones on a 512 B-sector backend. */
function defaultNamespace(backend: BlockDevice): NvmeNamespaceSpec {
  const lbaBytes = backend.sectorBytes === 512 ? 512 : 4096;
  return { nsid: 1, startBytes: 0, sizeBytes: Math.floor(backend.capacityBytes / lbaBytes) * lbaBytes, lbaBytes };
}
