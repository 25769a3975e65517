/**
 * A synthetic block workload: open loop (an arrival process, optionally shaped by a daily
 * pattern and on/off phases) or closed loop (a fixed number of requests in flight, each
 * completion issuing the next after an optional think time), with a read fraction, a size
 * distribution and an address pattern (see `address.ts`).
 *
 * Every random decision draws from its own named stream — `<id>/arrivals`, `<id>/op`,
 * `<id>/size`, `<id>/address`, `<id>/think`, `<id>/phases` — so changing, say, the read
 * fraction leaves arrival times, sizes and addresses as they were (common random numbers).
 *
 * Requests are reused: the closed loop owns one `IoRequest` per slot; the open loop keeps a
 * free list that grows to the largest number ever in flight. Nothing is allocated per IO.
 *
 * Failed requests (status `Failed`) are counted in `<id>/failed` and not retried; in the
 * closed loop the slot goes on with its next request.
 *
 * Fault hook: `stop()` — no further requests are issued; those in flight complete and are
 * counted.
 */
import type { Environment } from '../../engine/index.ts';
import type { Distribution, RandomStream, RandomStreams } from '../../engine/random/index.ts';
import type { MetricRegistry } from '../../metrics/index.ts';
import { IoOp, IoRequest, type BlockDevice, type IoRequester } from '../block/io-request.ts';
import { AddressGenerator, type AddressSkew } from './address.ts';
import { ArrivalClock } from './arrival-clock.ts';
import { PhaseClock } from './phases.ts';
import { WorkloadMetrics } from './workload-metrics.ts';

/** How requests are paced. */
export type WorkloadLoop =
  /** Arrivals one `interarrivalNs` apart (exponential: Poisson), whatever the device does. */
  | { readonly kind: 'open'; readonly interarrivalNs: Distribution }
  /** `queueDepth` requests always in flight (less during think times and off phases). */
  | { readonly kind: 'closed'; readonly queueDepth: number; readonly thinkNs?: Distribution };

export interface SyntheticWorkloadOptions {
  readonly loop: WorkloadLoop;
  /** Probability that a request is a read (the rest are writes), in [0, 1]. */
  readonly readFraction: number;
  /** Request size in bytes; each draw is rounded to the nearest whole sector, at least one, at most the span. */
  readonly sizeBytes: Distribution;
  readonly pattern: 'random' | 'sequential';
  /** Random pattern only; default uniform. */
  readonly skew?: AddressSkew;
  /** Start of the address span, bytes; default 0. A multiple of the device's sector. */
  readonly spanOffsetBytes?: number;
  /** Length of the span, bytes; default the rest of the device (whole sectors). */
  readonly spanBytes?: number;
  /** Granularity of random offsets and of the skew, bytes; default the device's sector. */
  readonly blockBytes?: number;
  /** Spread Zipf ranks or the hot region over the span (see `address.ts`); default false. */
  readonly scatter?: boolean;
  /** Alternating on and off phases; no request is issued while off. */
  readonly phases?: { readonly onNs: Distribution; readonly offNs: Distribution };
  /** Open loop only: 24 multipliers of the arrival rate, hour 0 first; `startHour` is the hour of the day at time 0. */
  readonly daily?: { readonly hourlyMultipliers: readonly number[]; readonly startHour?: number };
  /** When the workload begins (ns); default 0. Phases start here; the first open-loop arrival comes one gap later. */
  readonly startNs?: number;
  /** Issue at most this many requests. */
  readonly requestLimit?: number;
  /** Stop issuing once this many bytes have been issued (the request crossing the limit is issued whole). */
  readonly byteLimit?: number;
}

export class SyntheticWorkload implements IoRequester {
  readonly path: string;
  private readonly env: Environment;
  private readonly target: BlockDevice;
  private readonly loop: WorkloadLoop;
  private readonly readFraction: number;
  private readonly sizeBytes: Distribution;
  private readonly sectorBytes: number;
  private readonly maxSectors: number;
  private readonly requestLimit: number;
  private readonly byteLimit: number;
  private readonly startNs: number;
  private readonly metrics: WorkloadMetrics;
  private readonly address: AddressGenerator;
  private readonly phases: PhaseClock | null;
  private readonly clock: ArrivalClock;
  private readonly arrivalStream: RandomStream;
  private readonly opStream: RandomStream;
  private readonly sizeStream: RandomStream;
  private readonly thinkStream: RandomStream;
  /** Closed loop: one request per slot. Open loop: requests not in flight. */
  private readonly slots: IoRequest[] = [];
  private readonly free: IoRequest[] = [];
  private issued = 0;
  private issuedBytes = 0;
  private stopped = false;
  /** Open loop: simulated time of the next arrival, unrounded. */
  private nextArrivalNs = 0;
  private arrivalHandle = -1;
  private readonly arriveFn = () => this.arrive();
  private readonly issueSlotFn = (request: IoRequest) => this.issueSlot(request);

  /**
   * @param streams the run's streams; this workload draws from `${path}/<purpose>`
   * @throws RangeError for options that do not fit each other or the device
   */
  constructor(env: Environment, path: string, options: SyntheticWorkloadOptions, target: BlockDevice, streams: RandomStreams, metrics: MetricRegistry) {
    this.env = env;
    this.path = path;
    this.target = target;
    this.loop = options.loop;
    this.readFraction = options.readFraction;
    this.sizeBytes = options.sizeBytes;
    const sector = target.sectorBytes;
    this.sectorBytes = sector;
    if (!(options.readFraction >= 0 && options.readFraction <= 1)) throw new RangeError(`readFraction ${options.readFraction} must be in [0, 1]`);
    if (options.loop.kind === 'closed' && !(Number.isInteger(options.loop.queueDepth) && options.loop.queueDepth >= 1)) {
      throw new RangeError(`queueDepth ${options.loop.queueDepth} must be an integer >= 1`);
    }
    if (options.loop.kind === 'closed' && options.daily !== undefined) {
      throw new RangeError('a daily pattern multiplies an arrival rate, so it needs an open loop (rate or interarrival), not a queue depth');
    }
    if (options.pattern === 'sequential' && options.skew !== undefined && options.skew.kind !== 'uniform') {
      throw new RangeError(`a ${options.skew.kind} skew needs the random pattern; sequential requests follow one cursor`);
    }

    const spanOffset = options.spanOffsetBytes ?? 0;
    const spanBytes = options.spanBytes ?? Math.floor((target.capacityBytes - spanOffset) / sector) * sector;
    const blockBytes = options.blockBytes ?? sector;
    for (const [name, value] of [['span offset', spanOffset], ['span length', spanBytes], ['block', blockBytes]] as const) {
      if (value % sector !== 0) throw new RangeError(`${name} ${value} B must be a multiple of the device's ${sector} B sector`);
    }
    if (!(spanOffset >= 0 && spanBytes > 0 && spanOffset + spanBytes <= target.capacityBytes)) {
      throw new RangeError(`span [${spanOffset}, ${spanOffset + spanBytes}) B must be non-empty and lie within the device's ${target.capacityBytes} B`);
    }
    this.maxSectors = spanBytes / sector;
    this.address = new AddressGenerator(
      { pattern: options.pattern, skew: options.skew ?? { kind: 'uniform' }, spanOffsetBytes: spanOffset, spanBytes, blockBytes, scatter: options.scatter ?? false },
      streams.stream(`${path}/address`),
    );

    this.requestLimit = options.requestLimit ?? Infinity;
    this.byteLimit = options.byteLimit ?? Infinity;
    if (!(this.requestLimit >= 0) || !(this.byteLimit >= 0)) throw new RangeError('requestLimit and byteLimit must be >= 0');
    this.startNs = options.startNs ?? 0;
    if (!(Number.isInteger(this.startNs) && this.startNs >= 0)) throw new RangeError(`start ${this.startNs} ns must be an integer >= 0`);
    this.phases = options.phases === undefined ? null : new PhaseClock(options.phases.onNs, options.phases.offNs, streams.stream(`${path}/phases`), this.startNs);
    this.clock = new ArrivalClock(options.daily?.hourlyMultipliers ?? null, options.daily?.startHour ?? 0, this.phases);
    this.arrivalStream = streams.stream(`${path}/arrivals`);
    this.opStream = streams.stream(`${path}/op`);
    this.sizeStream = streams.stream(`${path}/size`);
    this.thinkStream = streams.stream(`${path}/think`);
    this.metrics = new WorkloadMetrics(metrics, path);
    if (options.loop.kind === 'closed') {
      for (let slot = 0; slot < options.loop.queueDepth; slot++) {
        const request = new IoRequest(this);
        request.tag = slot;
        this.slots.push(request);
      }
    }
  }

  /** Requests issued so far. */
  get issuedCount(): number {
    return this.issued;
  }

  /** Schedules the first requests: every closed-loop slot at the start time, or the first open-loop arrival. */
  start(): void {
    if (this.loop.kind === 'closed') {
      for (const request of this.slots) this.env.scheduleAt(this.startNs, this.issueSlotFn, request);
    } else {
      this.nextArrivalNs = this.startNs;
      this.scheduleArrival();
    }
  }

  /** Fault hook: issue nothing more. Requests in flight still complete and are counted. */
  stop(): void {
    this.stopped = true;
    if (this.arrivalHandle >= 0) this.env.cancel(this.arrivalHandle);
    this.arrivalHandle = -1;
  }

  ioCompleted(request: IoRequest): void {
    this.metrics.recordCompletion(request, this.env.now);
    if (this.loop.kind === 'open') {
      this.free.push(request);
      return;
    }
    const think = this.loop.thinkNs;
    if (think === undefined) this.issueSlot(request);
    else this.env.schedule(Math.max(0, think.sample(this.thinkStream)), this.issueSlotFn, request);
  }

  private get exhausted(): boolean {
    return this.stopped || this.issued >= this.requestLimit || this.issuedBytes >= this.byteLimit;
  }

  /** Open loop: one arrival. */
  private arrive(): void {
    this.arrivalHandle = -1;
    if (this.exhausted) return;
    this.submit(this.free.pop() ?? new IoRequest(this));
    this.scheduleArrival();
  }

  private scheduleArrival(): void {
    if (this.exhausted || this.loop.kind !== 'open') return;
    const gap = Math.max(0, this.loop.interarrivalNs.sample(this.arrivalStream));
    this.nextArrivalNs = this.clock.advance(this.nextArrivalNs, gap);
    // Floor keeps the arrival inside the on phase and hour the clock placed it in.
    this.arrivalHandle = this.env.scheduleAt(Math.max(this.env.now, Math.floor(this.nextArrivalNs)), this.arriveFn, null);
  }

  /** Closed loop: the slot's next request, now or once the next on phase starts. */
  private issueSlot(request: IoRequest): void {
    if (this.exhausted) return;
    const now = this.env.now;
    if (this.phases !== null && !this.phases.isOnAt(now)) {
      this.env.scheduleAt(this.phases.currentEndNs, this.issueSlotFn, request);
      return;
    }
    this.submit(request);
  }

  private submit(request: IoRequest): void {
    const op = this.opStream.next() < this.readFraction ? IoOp.Read : IoOp.Write;
    let sectors = Math.round(this.sizeBytes.sample(this.sizeStream) / this.sectorBytes);
    if (!(sectors >= 1)) sectors = 1;
    else if (sectors > this.maxSectors) sectors = this.maxSectors;
    const size = sectors * this.sectorBytes;
    const offset = this.address.next(size);
    request.prepare(op, offset, size, this.env.now);
    this.issued++;
    this.issuedBytes += size;
    this.metrics.recordIssue();
    this.target.submit(request);
  }
}
