/**
 * Test doubles for the NVMe model: a backend with a fixed service time and a given internal
 * parallelism (c servers, FIFO), a closed-loop host that keeps N requests outstanding on a
 * block device, and a harness wiring a controller on a bare engine.
 */
import { Environment } from '../../../sim/engine/index.ts';
import { MetricRegistry } from '../../../sim/metrics/index.ts';
import { IoOp, IoRequest, IoStatus, type BlockDevice, type IoRequester } from '../../../sim/models/block/io-request.ts';
import type { NvmeArbitration } from '../../../sim/models/nvme/arbitration.ts';
import { NvmeController, type NvmeControllerOptions } from '../../../sim/models/nvme/controller.ts';
import { roundRobin } from '../../../policies/nvme-arbitration/round-robin.ts';

export const US = 1e3;
export const MS = 1e6;
export const S = 1e9;

/** One request as the backend saw it. */
export interface BackendLogEntry {
  readonly submitNs: number;
  readonly offsetBytes: number;
  readonly sizeBytes: number;
  readonly op: number;
}

/**
 * A block device serving each request in exactly `serviceNs`, `parallelism` at a time, FIFO.
 * Completion always comes from an engine event. `log` records every submission.
 */
export class FixedServiceBackend implements BlockDevice {
  readonly log: BackendLogEntry[] = [];
  /** Requests submitted and not yet completed. */
  held = 0;
  maxHeld = 0;
  private busy = 0;
  private readonly waiting: IoRequest[] = [];
  private readonly finishFn = (request: IoRequest) => this.finish(request);
  /** Called at each submission (for invariant checks); optional. */
  onSubmit: ((request: IoRequest) => void) | null = null;
  /** Fail requests whose offset is in this set (to test backend failures). */
  failOffsets = new Set<number>();

  constructor(
    readonly env: Environment,
    readonly path: string,
    readonly capacityBytes: number,
    readonly sectorBytes: number,
    readonly serviceNs: number,
    readonly parallelism: number,
  ) {}

  submit(request: IoRequest): void {
    this.log.push({ submitNs: this.env.now, offsetBytes: request.offsetBytes, sizeBytes: request.sizeBytes, op: request.op });
    this.held++;
    this.maxHeld = Math.max(this.maxHeld, this.held);
    this.onSubmit?.(request);
    if (this.busy < this.parallelism) this.serve(request);
    else this.waiting.push(request);
  }

  // Not `start`: the scenario builder calls a component's start() once before time starts.
  private serve(request: IoRequest): void {
    this.busy++;
    this.env.schedule(this.serviceNs, this.finishFn, request);
  }

  private finish(request: IoRequest): void {
    this.busy--;
    this.held--;
    const next = this.waiting.shift();
    if (next !== undefined) this.serve(next);
    if (this.failOffsets.has(request.offsetBytes)) {
      request.status = IoStatus.Failed;
      request.failure = 'media error';
    } else {
      request.status = IoStatus.Ok;
    }
    request.requester.ioCompleted(request);
  }
}

/** What a closed-loop host submits next. */
export interface IoShape {
  op?: IoOp;
  sizeBytes?: number;
  /** Offset of the k-th request (default: k * size modulo the device). */
  offset?: (k: number) => number;
}

/**
 * Keeps `depth` requests outstanding on `device` until `stopNs`: each completion immediately
 * submits a new request (reusing the request object). Counts completions, failures and
 * per-request completions (to check exactly-once delivery).
 */
export class ClosedLoopHost implements IoRequester {
  readonly requests: IoRequest[] = [];
  completed = 0;
  failed = 0;
  readonly failures: string[] = [];
  readonly latenciesNs: number[] = [];
  private submitted = 0;
  private readonly op: IoOp;
  private readonly size: number;
  private readonly offset: (k: number) => number;

  constructor(
    readonly env: Environment,
    readonly device: BlockDevice,
    readonly depth: number,
    readonly stopNs: number,
    shape: IoShape = {},
    readonly queue: number | undefined = undefined,
  ) {
    this.op = shape.op ?? IoOp.Read;
    this.size = shape.sizeBytes ?? device.sectorBytes;
    const slots = Math.max(1, Math.floor(device.capacityBytes / this.size));
    this.offset = shape.offset ?? ((k) => (k % slots) * this.size);
  }

  start(): void {
    for (let i = 0; i < this.depth; i++) {
      const request = new IoRequest(this);
      request.tag = i;
      this.requests.push(request);
      this.send(request);
    }
  }

  ioCompleted(request: IoRequest): void {
    if (request.status === IoStatus.Ok) {
      this.completed++;
      this.latenciesNs.push(this.env.now - request.submittedNs);
    } else {
      this.failed++;
      this.failures.push(request.failure);
    }
    if (this.env.now < this.stopNs) this.send(request);
  }

  private send(request: IoRequest): void {
    request.prepare(this.op, this.offset(this.submitted++), this.size, this.env.now);
    const device = this.device as BlockDevice & { submitToQueue?(r: IoRequest, q: number): void };
    if (this.queue !== undefined) device.submitToQueue!(request, this.queue);
    else device.submit(request);
  }
}

/** A controller on a fixed-service backend, on a bare engine. */
export function nvmeHarness(options: {
  serviceNs?: number;
  parallelism?: number;
  capacityBytes?: number;
  sectorBytes?: number;
  controller?: Partial<NvmeControllerOptions>;
  arbitration?: NvmeArbitration;
} = {}) {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const backend = new FixedServiceBackend(env, 'media', options.capacityBytes ?? 1 << 30, options.sectorBytes ?? 512, options.serviceNs ?? 100 * US, options.parallelism ?? 8);
  const controller = new NvmeController(
    env,
    'nvme0',
    backend,
    { maxInFlight: 8, ...options.controller },
    options.arbitration ?? roundRobin.create({}),
    metrics,
  );
  return {
    env,
    metrics,
    backend,
    controller,
    /** Summary column value. */
    value(column: string): number | undefined {
      return metrics.summary().find((c) => c.column === column)?.value;
    },
  };
}

/** A requester that records each completion (request, time) and does nothing else. */
export class Recorder implements IoRequester {
  readonly done: { request: IoRequest; atNs: number; status: number; failure: string }[] = [];
  constructor(readonly env: Environment) {}
  ioCompleted(request: IoRequest): void {
    this.done.push({ request, atNs: this.env.now, status: request.status, failure: request.failure });
  }
}
