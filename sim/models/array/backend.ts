/**
 * The service model of an array's backend (its controllers, cache and drives, lumped):
 * `parallelism` slots in front of one FIFO queue. An IO holds a slot for a latency drawn from
 * the distribution of its kind (read, or write and trim), then moves its bytes through the
 * backend's internal bandwidth, which the IOs in that phase share equally (a fair-share
 * channel). A trim moves no bytes. With one slot and a constant latency this is an M/D/1
 * server under Poisson arrivals (`test/models/array/backend-queueing.test.ts`).
 */
import type { Environment } from '../../engine/index.ts';
import type { Distribution, RandomStream } from '../../engine/random/index.ts';
import type { TimeWeighted } from '../../metrics/index.ts';
import { IoOp } from '../block/io-request.ts';
import type { Transfer } from './channel.ts';
import { FairShareChannel } from './fair-share-channel.ts';

/** Options of a `Backend`. */
export interface BackendOptions {
  /** IOs in service at once (slots); integer >= 1. */
  parallelism: number;
  /** Latency of a read in service, ns. */
  readLatencyNs: Distribution;
  /** Latency of a write (and of a trim) in service, ns. */
  writeLatencyNs: Distribution;
  /** Internal bandwidth shared by the IOs moving data, B/s; Infinity for none (latency only). */
  bandwidthBytesPerS: number;
}

/** An IO as the backend sees it. */
export interface BackendJob extends Transfer {
  readonly backendOp: IoOp;
  readonly backendBytes: number;
  /** Handle of the job's latency timer while it has one (the backend's to use). */
  backendTimer: number;
  /** Called once, from an engine event, when the backend has served the job. */
  backendDone(): void;
}

export class Backend {
  private readonly env: Environment;
  private readonly options: BackendOptions;
  private readonly streams: { read: RandomStream; write: RandomStream };
  private readonly channel: FairShareChannel<BackendJob> | null;
  private readonly waiting: BackendJob[] = [];
  private waitingHead = 0;
  /** Jobs holding a slot. */
  private readonly inService: BackendJob[] = [];
  private readonly utilization: TimeWeighted | undefined;
  private readonly queueLength: TimeWeighted | undefined;
  private readonly latencyDoneFn = (job: BackendJob) => this.latencyDone(job);

  constructor(
    env: Environment,
    options: BackendOptions,
    streams: { read: RandomStream; write: RandomStream },
    metrics: { utilization?: TimeWeighted; queueLength?: TimeWeighted } = {},
  ) {
    if (!(Number.isInteger(options.parallelism) && options.parallelism >= 1)) {
      throw new RangeError(`backend parallelism must be an integer >= 1, got ${options.parallelism}`);
    }
    this.env = env;
    this.options = options;
    this.streams = streams;
    this.channel = options.bandwidthBytesPerS === Infinity ? null : new FairShareChannel<BackendJob>(env, options.bandwidthBytesPerS, { name: 'backend' });
    this.utilization = metrics.utilization;
    this.queueLength = metrics.queueLength;
  }

  /** IOs holding a slot. */
  get busySlots(): number {
    return this.inService.length;
  }

  /** IOs waiting for a slot. */
  get waitingCount(): number {
    return this.waiting.length - this.waitingHead;
  }

  /** Queues `job`; `job.backendDone()` comes once it has been served. */
  submit(job: BackendJob): void {
    if (this.inService.length < this.options.parallelism) {
      this.begin(job);
    } else {
      this.waiting.push(job);
      this.queueLength?.set(this.waitingCount);
    }
  }

  /** Drops every job waiting or in service without telling them (the array fails them). */
  abortAll(): void {
    for (const job of this.inService) {
      if (job.backendTimer !== -1) this.env.cancel(job.backendTimer);
      job.backendTimer = -1;
    }
    this.channel?.abortAll();
    this.inService.length = 0;
    this.waiting.length = 0;
    this.waitingHead = 0;
    this.utilization?.set(0);
    this.queueLength?.set(0);
  }

  /** Called by the job's `transferDone` when its bytes have moved. */
  transferDone(job: BackendJob): void {
    this.finish(job);
  }

  private begin(job: BackendJob): void {
    this.inService.push(job);
    this.utilization?.set(this.inService.length / this.options.parallelism);
    const read = job.backendOp === IoOp.Read;
    const latency = read ? this.options.readLatencyNs.sample(this.streams.read) : this.options.writeLatencyNs.sample(this.streams.write);
    job.backendTimer = this.env.schedule(Math.max(0, latency), this.latencyDoneFn, job);
  }

  private latencyDone(job: BackendJob): void {
    job.backendTimer = -1;
    if (this.channel !== null && job.backendOp !== IoOp.Trim) {
      this.channel.start(job.backendBytes, job);
    } else {
      this.finish(job);
    }
  }

  private finish(job: BackendJob): void {
    const slots = this.inService;
    const at = slots.indexOf(job);
    if (at >= 0) {
      // Swap with the last (no allocation; the order of jobs in service matters to nothing).
      slots[at] = slots[slots.length - 1]!;
      slots.length--;
    }
    if (this.waitingCount > 0) {
      const next = this.waiting[this.waitingHead++]!;
      if (this.waitingHead === this.waiting.length) {
        this.waiting.length = 0;
        this.waitingHead = 0;
      } else if (this.waitingHead >= 1024 && this.waitingHead * 2 >= this.waiting.length) {
        this.waiting.splice(0, this.waitingHead);
        this.waitingHead = 0;
      }
      this.queueLength?.set(this.waitingCount);
      this.begin(next);
    } else {
      this.utilization?.set(slots.length / this.options.parallelism);
    }
    job.backendDone();
  }
}
