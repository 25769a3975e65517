/**
 * An SSD as a block device: host requests are split into flash pages, mapped by the FTL, and
 * in timed mode every NAND operation takes time on its die and its channel.
 *
 * Timing model (timed mode). Each die and each channel keeps the time it is next free; an
 * operation starts when both what it needs are free, in the order operations are issued
 * (first come, first served per die and per channel), so latency rises with load. A read
 * occupies the die for tR, then the channel (and the die's page register) for the transfer;
 * a program transfers over the channel, then occupies the die for tPROG; an erase occupies
 * the die for tBERS. The planes of a die share it (no multi-plane operations). Since every
 * time is fixed when the request is issued, one request costs one engine event, its
 * completion, whatever its size — which is what makes millions of IOs per second possible.
 * Garbage collection charges its page moves (read + program on the same die; through the
 * channel twice unless `copyback`) and its erase to the die of the plane being cleaned,
 * before the host write that triggered it. Background GC checks every `checkIntervalNs` for
 * idle dies whose planes are below the background threshold and cleans one block there.
 *
 * Writes that cover part of a page read the old page first (read-modify-write). Reads of
 * never-written pages cost only the controller overhead. TRIM drops the pages it fully covers.
 *
 * Fast mode keeps the same FTL but no timing: requests complete at once (through a zero-delay
 * event, as the block contract requires). Metrics below describe both.
 */
import type { Environment } from '../../engine/index.ts';
import type { LatencyHistogram, MetricRegistry, Counter } from '../../metrics/index.ts';
import { IoOp, IoStatus, isMultipleOf, requestProblem, type BlockDevice, type IoRequest } from '../block/io-request.ts';
import { UNMAPPED, type Ftl, type GcObserver } from './ftl.ts';
import type { NandTiming } from './nand-timing.ts';

export interface SsdTimingOptions extends NandTiming {
  /** Channel transfer rate, bytes per second. */
  readonly channelBytesPerS: number;
  /** Fixed controller time added to every request, ns. */
  readonly controllerOverheadNs: number;
  /** GC moves pages inside the die (copyback) instead of through the channel. */
  readonly copyback: boolean;
  /** Background GC: threshold in free blocks per plane (above the foreground one) and poll interval. */
  readonly backgroundGc: { readonly thresholdBlocks: number; readonly checkIntervalNs: number } | null;
}

export interface SsdOptions {
  /** Logical block size requests must align to (bytes; divides the page size). */
  readonly sectorBytes: number;
  /** Timing, or null for fast mode. */
  readonly timing: SsdTimingOptions | null;
  /** At start, write every logical page once in order, in no simulated time (MQSim's preconditioning). */
  readonly precondition?: boolean;
}

export class Ssd implements BlockDevice, GcObserver {
  readonly path: string;
  readonly capacityBytes: number;
  readonly sectorBytes: number;
  readonly ftl: Ftl;
  readonly timed: boolean;

  private readonly env: Environment;
  private readonly pageBytes: number;
  private readonly pagesPerPlane: number;
  private readonly planesPerDie: number;
  private readonly diesPerChannel: number;
  private readonly timing: SsdTimingOptions | null;
  private readonly transferNs: number;
  private readonly dieFree: Float64Array;
  private readonly channelFree: Float64Array;
  /** Die time spent on GC since the last metrics reset, ns. */
  private gcBusyNs = 0;
  private metricsSinceNs = 0;
  private readonly readLatency: LatencyHistogram;
  private readonly writeLatency: LatencyHistogram;
  private readonly reads: Counter;
  private readonly writes: Counter;
  private readonly trims: Counter;
  private readonly failed: Counter;
  private readonly bytesRead: Counter;
  private readonly bytesWritten: Counter;
  private readonly completeFn = (request: IoRequest) => this.complete(request);
  private readonly backgroundFn = () => this.backgroundCheck();
  private failure = '';
  private readonly precondition: boolean;

  constructor(env: Environment, path: string, ftl: Ftl, options: SsdOptions, metrics: MetricRegistry) {
    const g = ftl.geometry;
    if (!(options.sectorBytes > 0) || g.pageBytes % options.sectorBytes !== 0) {
      throw new RangeError(`sector size ${options.sectorBytes} B must divide the page size ${g.pageBytes} B`);
    }
    this.env = env;
    this.path = path;
    this.ftl = ftl;
    this.sectorBytes = options.sectorBytes;
    this.capacityBytes = ftl.logicalBytes;
    this.pageBytes = g.pageBytes;
    this.pagesPerPlane = g.pagesPerBlock * g.blocksPerPlane;
    this.planesPerDie = g.planesPerDie;
    this.diesPerChannel = g.diesPerChannel;
    this.timing = options.timing;
    this.timed = options.timing !== null;
    this.precondition = options.precondition ?? false;
    this.transferNs = options.timing === null ? 0 : Math.round((g.pageBytes / options.timing.channelBytesPerS) * 1e9);
    this.dieFree = new Float64Array(g.dies);
    this.channelFree = new Float64Array(g.channels);
    if (this.timed) ftl.gcObserver = this;

    const counters = ftl.counters;
    this.readLatency = metrics.histogram(`${path}/read_latency`, { unit: 'us' });
    this.writeLatency = metrics.histogram(`${path}/write_latency`, { unit: 'us' });
    this.reads = metrics.counter(`${path}/reads`);
    this.writes = metrics.counter(`${path}/writes`);
    this.trims = metrics.counter(`${path}/trims`);
    this.failed = metrics.counter(`${path}/failed`);
    this.bytesRead = metrics.counter(`${path}/bytes_read`, { unit: 'B', scale: 1 });
    this.bytesWritten = metrics.counter(`${path}/bytes_written`, { unit: 'B', scale: 1 });
    // The FTL keeps its own counters (fast mode writes bypass this class); the registry's reset at
    // the end of a warm-up reaches them, and restarts the rate and GC-share clocks, through here.
    metrics.gauge(`${path}/host_page_writes`, () => counters.hostPageWrites, {
      onReset: () => {
        ftl.resetCounters();
        this.gcBusyNs = 0;
        this.metricsSinceNs = env.now;
      },
    });
    metrics.gauge(`${path}/gc_page_writes`, () => counters.gcPageWrites);
    metrics.gauge(`${path}/nand_page_writes`, () => counters.hostPageWrites + counters.gcPageWrites);
    metrics.gauge(`${path}/erases`, () => counters.erases);
    metrics.gauge(`${path}/write_amplification`, () => (counters.hostPageWrites + counters.gcPageWrites) / counters.hostPageWrites);
    metrics.gauge(`${path}/erase_count_min`, () => wear(ftl.eraseCount).min);
    metrics.gauge(`${path}/erase_count_mean`, () => wear(ftl.eraseCount).mean);
    metrics.gauge(`${path}/erase_count_max`, () => wear(ftl.eraseCount).max);
    const elapsedS = () => (env.now - this.metricsSinceNs) / 1e9;
    metrics.gauge(`${path}/iops`, () => (this.reads.value + this.writes.value) / elapsedS());
    metrics.gauge(`${path}/bandwidth`, () => (this.bytesRead.value + this.bytesWritten.value) / elapsedS(), { unit: 'B_per_s', scale: 1 });
    if (this.timed) {
      metrics.gauge(`${path}/gc_time_share`, () => this.gcBusyNs / (g.dies * (env.now - this.metricsSinceNs)));
    }
  }

  /** Preconditions the drive (if asked) and starts background GC polling (if configured). */
  start(): void {
    if (this.precondition) {
      const ftl = this.ftl;
      for (let lpn = 0; lpn < ftl.logicalPages; lpn++) ftl.writeHost(lpn, ftl.nextHostPlane());
      ftl.resetCounters();
    }
    const bg = this.timing?.backgroundGc;
    if (bg) this.env.schedule(bg.checkIntervalNs, this.backgroundFn, null);
  }

  /** Fault hook: from now on every request fails with `reason` (work already issued completes). */
  fail(reason: string): void {
    this.failure = reason || 'device failed';
  }

  /** Fault hook: the device serves requests again. */
  repair(): void {
    this.failure = '';
  }

  submit(request: IoRequest): void {
    const { offsetBytes, sizeBytes } = request;
    const sector = this.sectorBytes;
    const wellFormed = sizeBytes > 0 && offsetBytes >= 0 && offsetBytes + sizeBytes <= this.capacityBytes && isMultipleOf(offsetBytes, sector) && isMultipleOf(sizeBytes, sector);
    if (!wellFormed || this.failure !== '') {
      request.status = IoStatus.Failed;
      request.failure = requestProblem(this, request) ?? this.failure;
      this.env.schedule(0, this.completeFn, request);
      return;
    }
    const now = this.env.now;
    const start = this.timing === null ? now : now + this.timing.controllerOverheadNs;
    const firstPage = Math.floor(request.offsetBytes / this.pageBytes);
    const endByte = request.offsetBytes + request.sizeBytes;
    const lastPage = Math.ceil(endByte / this.pageBytes) - 1;
    let done = start;
    if (request.op === IoOp.Read) {
      for (let lpn = firstPage; lpn <= lastPage; lpn++) done = Math.max(done, this.readPage(lpn, start));
    } else if (request.op === IoOp.Write) {
      for (let lpn = firstPage; lpn <= lastPage; lpn++) {
        const partial = lpn * this.pageBytes < request.offsetBytes || (lpn + 1) * this.pageBytes > endByte;
        done = Math.max(done, this.writePage(lpn, start, partial));
      }
    } else {
      for (let lpn = firstPage; lpn <= lastPage; lpn++) {
        if (lpn * this.pageBytes >= request.offsetBytes && (lpn + 1) * this.pageBytes <= endByte) this.ftl.trim(lpn);
      }
    }
    request.status = IoStatus.Ok;
    this.env.scheduleAt(done, this.completeFn, request);
  }

  /** GcObserver: charge one page move to the die of the plane being cleaned (the target is on the same die). */
  relocated(fromPpa: number, _toPpa: number): void {
    const t = this.timing!;
    const die = this.dieOf(fromPpa);
    const begin = Math.max(this.env.now, this.dieFree[die]!);
    let end: number;
    if (t.copyback) {
      end = begin + t.readNs + t.programNs;
    } else {
      const channel = (die / this.diesPerChannel) | 0;
      const outStart = Math.max(begin + t.readNs, this.channelFree[channel]!);
      const inDone = outStart + 2 * this.transferNs;
      this.channelFree[channel] = inDone;
      end = inDone + t.programNs;
    }
    this.gcBusyNs += end - begin;
    this.dieFree[die] = end;
  }

  /** GcObserver: charge an erase. */
  erased(block: number): void {
    const t = this.timing!;
    const die = this.dieOf(block * this.ftl.geometry.pagesPerBlock);
    const begin = Math.max(this.env.now, this.dieFree[die]!);
    this.dieFree[die] = begin + t.eraseNs;
    this.gcBusyNs += t.eraseNs;
  }

  private readPage(lpn: number, start: number): number {
    const ppa = this.ftl.l2p[lpn]!;
    if (ppa === UNMAPPED || this.timing === null) return start;
    return this.timeRead(ppa, start);
  }

  private timeRead(ppa: number, start: number): number {
    const t = this.timing!;
    const die = this.dieOf(ppa);
    const channel = (die / this.diesPerChannel) | 0;
    const readDone = Math.max(start, this.dieFree[die]!) + t.readNs;
    const transferDone = Math.max(readDone, this.channelFree[channel]!) + this.transferNs;
    this.channelFree[channel] = transferDone;
    this.dieFree[die] = transferDone;
    return transferDone;
  }

  private writePage(lpn: number, start: number, partial: boolean): number {
    const ftl = this.ftl;
    let ready = start;
    if (partial && this.timing !== null) {
      const old = ftl.l2p[lpn]!;
      if (old !== UNMAPPED) ready = this.timeRead(old, start);
    }
    const ppa = ftl.writeHost(lpn, ftl.nextHostPlane());
    if (this.timing === null) return start;
    const die = this.dieOf(ppa);
    const channel = (die / this.diesPerChannel) | 0;
    const transferStart = Math.max(ready, this.channelFree[channel]!, this.dieFree[die]!);
    const transferDone = transferStart + this.transferNs;
    this.channelFree[channel] = transferDone;
    const programDone = transferDone + this.timing.programNs;
    this.dieFree[die] = programDone;
    return programDone;
  }

  private dieOf(ppa: number): number {
    return (((ppa / this.pagesPerPlane) | 0) / this.planesPerDie) | 0;
  }

  private complete(request: IoRequest): void {
    if (request.status === IoStatus.Ok) {
      const latency = this.env.now - request.submittedNs;
      if (request.op === IoOp.Read) {
        this.reads.add(1);
        this.bytesRead.add(request.sizeBytes);
        this.readLatency.record(latency);
      } else if (request.op === IoOp.Write) {
        this.writes.add(1);
        this.bytesWritten.add(request.sizeBytes);
        this.writeLatency.record(latency);
      } else {
        this.trims.add(1);
      }
    } else {
      this.failed.add(1);
    }
    request.requester.ioCompleted(request);
  }

  private backgroundCheck(): void {
    const bg = this.timing!.backgroundGc!;
    const g = this.ftl.geometry;
    const now = this.env.now;
    for (let die = 0; die < g.dies; die++) {
      if (this.dieFree[die]! > now) continue;
      for (let p = die * g.planesPerDie, end = p + g.planesPerDie; p < end; p++) {
        if (this.ftl.freeBlocks(p) < bg.thresholdBlocks) {
          this.ftl.collect(p);
          break;
        }
      }
    }
    this.env.schedule(bg.checkIntervalNs, this.backgroundFn, null);
  }
}

/** Minimum, mean and maximum of erase counts. O(blocks): for reporting, not hot paths. */
export function wear(eraseCount: Uint32Array): { min: number; mean: number; max: number } {
  let min = Infinity;
  let max = 0;
  let sum = 0;
  for (let i = 0; i < eraseCount.length; i++) {
    const e = eraseCount[i]!;
    if (e < min) min = e;
    if (e > max) max = e;
    sum += e;
  }
  return { min, mean: sum / eraseCount.length, max };
}
