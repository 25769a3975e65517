/**
 * The ideal disk: a reference block device for driving and checking workloads. `servers`
 * identical servers in front of one FIFO queue; each request takes
 * `latencyNs + sizeBytes / bandwidth` (no seeks, no caches, no internal state), so every
 * queueing result about it has a closed form (M/D/c, D/D/1, Little's law).
 *
 * Metrics: `<id>/completed` (requests served), `<id>/busy_servers` (time-weighted; its mean
 * over `servers` is the utilization).
 *
 * Fault hook: `setFailing(failing, reason)` — while failing, each request still takes its
 * service time and then completes with `IoStatus.Failed` and `reason`. Requests queued or in
 * service when the switch flips are judged when they finish.
 */
import type { Environment } from '../../engine/index.ts';
import type { Counter, MetricRegistry, TimeWeighted } from '../../metrics/index.ts';
import { IoStatus, requestProblem, type BlockDevice, type IoRequest } from '../block/io-request.ts';

export interface IdealDiskOptions {
  readonly capacityBytes: number;
  /** Default 512. */
  readonly sectorBytes?: number;
  /** Default 1. */
  readonly servers?: number;
  /** Fixed time per request, ns. */
  readonly latencyNs: number;
  /** Transfer rate, bytes per second; default Infinity (size costs nothing). */
  readonly bandwidthBytesPerS?: number;
}

export class IdealDisk implements BlockDevice {
  readonly path: string;
  readonly capacityBytes: number;
  readonly sectorBytes: number;
  readonly servers: number;
  private readonly env: Environment;
  private readonly latencyNs: number;
  private readonly nsPerByte: number;
  /** FIFO of waiting requests: a circular buffer that doubles when full. */
  private queue: (IoRequest | null)[] = new Array(16).fill(null);
  private queueHead = 0;
  private queueLength = 0;
  private busy = 0;
  private failing = false;
  private failReason = '';
  private readonly completed: Counter;
  private readonly busyServers: TimeWeighted;
  private readonly finishFn = (request: IoRequest) => this.finish(request);

  constructor(env: Environment, path: string, options: IdealDiskOptions, metrics: MetricRegistry) {
    this.env = env;
    this.path = path;
    this.sectorBytes = options.sectorBytes ?? 512;
    this.servers = options.servers ?? 1;
    this.capacityBytes = options.capacityBytes;
    this.latencyNs = options.latencyNs;
    const bandwidth = options.bandwidthBytesPerS ?? Infinity;
    if (!(Number.isInteger(this.sectorBytes) && this.sectorBytes > 0)) throw new RangeError(`sector ${this.sectorBytes} B must be a positive integer`);
    if (!(Number.isSafeInteger(this.capacityBytes) && this.capacityBytes >= this.sectorBytes)) {
      throw new RangeError(`capacity ${this.capacityBytes} B must be an integer of at least one sector (${this.sectorBytes} B)`);
    }
    if (!(Number.isInteger(this.servers) && this.servers >= 1)) throw new RangeError(`servers ${this.servers} must be an integer >= 1`);
    if (!(this.latencyNs >= 0 && this.latencyNs < Infinity)) throw new RangeError(`latency ${this.latencyNs} ns must be finite and >= 0`);
    if (!(bandwidth > 0)) throw new RangeError(`bandwidth ${bandwidth} B/s must be > 0`);
    this.nsPerByte = 1e9 / bandwidth;
    this.completed = metrics.counter(`${path}/completed`);
    this.busyServers = metrics.timeWeighted(`${path}/busy_servers`);
  }

  /** Service time of a request of `sizeBytes`, ns (rounded). */
  serviceNs(sizeBytes: number): number {
    return Math.round(this.latencyNs + sizeBytes * this.nsPerByte);
  }

  /** Fault hook: complete requests as failed (with `reason`) from now on, or stop doing so. */
  setFailing(failing: boolean, reason = 'device failed'): void {
    this.failing = failing;
    this.failReason = reason;
  }

  submit(request: IoRequest): void {
    const problem = requestProblem(this, request);
    if (problem !== undefined) throw new Error(`${this.path}: bad request from its requester: ${problem}`);
    if (this.busy < this.servers) this.serve(request);
    else this.enqueue(request);
  }

  private serve(request: IoRequest): void {
    this.busyServers.set(++this.busy);
    this.env.schedule(this.serviceNs(request.sizeBytes), this.finishFn, request);
  }

  private finish(request: IoRequest): void {
    this.busyServers.set(--this.busy);
    if (this.queueLength > 0) this.serve(this.dequeue());
    if (this.failing) {
      request.status = IoStatus.Failed;
      request.failure = this.failReason;
    } else {
      request.status = IoStatus.Ok;
    }
    this.completed.add(1);
    request.requester.ioCompleted(request);
  }

  private enqueue(request: IoRequest): void {
    if (this.queueLength === this.queue.length) {
      const bigger: (IoRequest | null)[] = new Array(this.queue.length * 2).fill(null);
      for (let i = 0; i < this.queueLength; i++) bigger[i] = this.queue[(this.queueHead + i) % this.queue.length]!;
      this.queue = bigger;
      this.queueHead = 0;
    }
    this.queue[(this.queueHead + this.queueLength) % this.queue.length] = request;
    this.queueLength++;
  }

  private dequeue(): IoRequest {
    const request = this.queue[this.queueHead]!;
    this.queue[this.queueHead] = null;
    this.queueHead = (this.queueHead + 1) % this.queue.length;
    this.queueLength--;
    return request;
  }
}
