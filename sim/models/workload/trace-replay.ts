/**
 * Replays a block IO trace (see `trace-reader.ts` for the formats) against a block device:
 * open loop at the recorded times divided by `speedup`, or closed loop at a fixed queue
 * depth, ignoring the timestamps (each completion issues the next record).
 *
 * Addresses: `offsetShiftBytes` is added to each offset; then the range is widened to whole
 * sectors of the target (start rounded down, end rounded up, at least one sector), so a
 * 512 B-aligned trace can drive a 4 KiB-sector device. With `remap: 'wrap'` the start is
 * taken modulo the target's whole-sector capacity (and moved back if the request would run
 * past the end); with `remap: 'none'` a request beyond the capacity is an error naming the
 * trace line. MSR traces may be filtered to one `disk`.
 *
 * The reader keeps a bounded window of records; the replay holds one pending arrival event
 * (open loop) or one request per slot (closed loop). Requests are reused from a free list.
 *
 * Fault hook: `stop()` — no further records are issued; requests in flight complete and are counted.
 */
import type { Environment } from '../../engine/index.ts';
import type { MetricRegistry } from '../../metrics/index.ts';
import type { Counter } from '../../metrics/index.ts';
import { IoRequest, type BlockDevice, type IoRequester } from '../block/io-request.ts';
import { TraceReader, type TraceReaderOptions } from './trace-reader.ts';
import { WorkloadMetrics } from './workload-metrics.ts';

export interface TraceReplayOptions extends TraceReaderOptions {
  /** Trace file path. */
  readonly file: string;
  /** Open loop: divide recorded times by this (2 = twice as fast). Default 1. */
  readonly speedup?: number;
  /** Closed loop at this many requests in flight, ignoring timestamps. Default: open loop. */
  readonly queueDepth?: number;
  /** Added to every offset (may be negative), bytes. Default 0. */
  readonly offsetShiftBytes?: number;
  /** What to do with requests beyond the target's capacity. Default 'none' (an error). */
  readonly remap?: 'none' | 'wrap';
  /** Replay begins at this time (ns). Default 0. */
  readonly startNs?: number;
  /** Issue at most this many records. */
  readonly requestLimit?: number;
}

export class TraceReplay implements IoRequester {
  readonly path: string;
  readonly reader: TraceReader;
  private readonly env: Environment;
  private readonly target: BlockDevice;
  private readonly metrics: WorkloadMetrics;
  private readonly skippedCounter: Counter | null;
  private readonly speedup: number;
  private readonly queueDepth: number;
  private readonly shift: number;
  private readonly wrap: boolean;
  private readonly startNs: number;
  private readonly requestLimit: number;
  private readonly sector: number;
  private readonly usableBytes: number;
  private readonly free: IoRequest[] = [];
  private issued = 0;
  private stopped = false;
  /** Whether the reader's current record has been read but not issued yet. */
  private holding = false;
  private endOfTrace = false;
  private skippedSeen = 0;
  private arrivalHandle = -1;
  private readonly arriveFn = () => this.arrive();

  /** Opens the trace (reading its first line) and checks the options. */
  constructor(env: Environment, path: string, options: TraceReplayOptions, target: BlockDevice, metrics: MetricRegistry) {
    this.env = env;
    this.path = path;
    this.target = target;
    this.speedup = options.speedup ?? 1;
    if (!(this.speedup > 0 && this.speedup < Infinity)) throw new RangeError(`speedup ${this.speedup} must be a finite number > 0`);
    this.queueDepth = options.queueDepth ?? 0;
    if (options.queueDepth !== undefined && !(Number.isInteger(this.queueDepth) && this.queueDepth >= 1)) throw new RangeError(`queueDepth ${this.queueDepth} must be an integer >= 1`);
    this.shift = options.offsetShiftBytes ?? 0;
    if (!Number.isSafeInteger(this.shift)) throw new RangeError(`offset shift ${this.shift} B must be an integer`);
    this.wrap = (options.remap ?? 'none') === 'wrap';
    this.startNs = options.startNs ?? 0;
    if (!(Number.isInteger(this.startNs) && this.startNs >= 0)) throw new RangeError(`start ${this.startNs} ns must be an integer >= 0`);
    this.requestLimit = options.requestLimit ?? Infinity;
    this.sector = target.sectorBytes;
    this.usableBytes = Math.floor(target.capacityBytes / this.sector) * this.sector;
    this.reader = new TraceReader(options.file, options);
    // MSR traces hold only reads and writes: trim metrics only for plain CSV.
    this.metrics = new WorkloadMetrics(metrics, path, { trims: this.reader.format === 'csv' });
    this.skippedCounter = options.disk === undefined ? null : metrics.counter(`${path}/records_skipped`);
  }

  /** Records issued so far. */
  get issuedCount(): number {
    return this.issued;
  }

  start(): void {
    if (this.queueDepth > 0) {
      for (let slot = 0; slot < this.queueDepth; slot++) this.env.scheduleAt(this.startNs, this.issueSlotFn, new IoRequest(this));
    } else {
      this.scheduleNextArrival();
    }
  }

  /** Fault hook: issue nothing more. Requests in flight complete and are counted. */
  stop(): void {
    this.stopped = true;
    if (this.arrivalHandle >= 0) this.env.cancel(this.arrivalHandle);
    this.arrivalHandle = -1;
  }

  ioCompleted(request: IoRequest): void {
    this.metrics.recordCompletion(request, this.env.now);
    if (this.queueDepth > 0) this.issueSlot(request);
    else this.free.push(request);
  }

  private readonly issueSlotFn = (request: IoRequest) => this.issueSlot(request);

  private issueSlot(request: IoRequest): void {
    if (this.advance()) this.issue(request);
  }

  /** Open loop: issue every record due now, then wait for the next. */
  private arrive(): void {
    this.arrivalHandle = -1;
    const now = this.env.now;
    while (this.advance() && this.dueNs() <= now) this.issue(this.free.pop() ?? new IoRequest(this));
    this.scheduleNextArrival();
  }

  private scheduleNextArrival(): void {
    if (!this.advance()) return;
    this.arrivalHandle = this.env.scheduleAt(Math.max(this.env.now, this.dueNs()), this.arriveFn, null);
  }

  /** Replay time of the reader's current record. */
  private dueNs(): number {
    return this.startNs + Math.round(this.reader.timeNs / this.speedup);
  }

  /** Makes sure a record is held for issue; false when the trace, the limit or the workload has ended. */
  private advance(): boolean {
    if (this.stopped || this.issued >= this.requestLimit) return false;
    if (this.holding) return true;
    if (this.endOfTrace) return false;
    this.holding = this.reader.next();
    if (this.skippedCounter !== null && this.reader.skipped > this.skippedSeen) {
      this.skippedCounter.add(this.reader.skipped - this.skippedSeen);
      this.skippedSeen = this.reader.skipped;
    }
    if (!this.holding) this.endOfTrace = true;
    return this.holding;
  }

  /** Issues the held record in `request`. */
  private issue(request: IoRequest): void {
    const reader = this.reader;
    const sector = this.sector;
    const shifted = reader.offsetBytes + this.shift;
    if (shifted < 0) {
      throw reader.errorAtRecord(`offset ${reader.offsetBytes} B shifted by ${this.shift} B is negative; allowed: a shift that keeps offsets >= 0`);
    }
    let start = Math.floor(shifted / sector) * sector;
    const end = Math.ceil((shifted + reader.sizeBytes) / sector) * sector;
    const size = Math.max(sector, end - start);
    if (size > this.usableBytes) {
      throw reader.errorAtRecord(`a request of ${size} B does not fit the target's ${this.usableBytes} B`);
    }
    if (this.wrap) {
      start %= this.usableBytes;
      if (start + size > this.usableBytes) start = this.usableBytes - size;
    } else if (start + size > this.usableBytes) {
      throw reader.errorAtRecord(
        `request [${start}, ${start + size}) B lies beyond the target's capacity of ${this.usableBytes} B; allowed: offsets within the target, or remap "wrap"`,
      );
    }
    this.holding = false;
    request.prepare(reader.op, start, size, this.env.now);
    this.issued++;
    this.metrics.recordIssue();
    this.target.submit(request);
  }
}
