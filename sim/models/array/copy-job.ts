/**
 * A copy job: copies `lengthBytes` from a range of a source block device to a range of a target
 * block device, split into segments of `segmentBytes` (the last may be shorter), with at most
 * `maxOutstandingSegments` segments in flight at once, issued in offset order.
 *
 * Each segment is copied one of two ways:
 * - offloaded (SCSI EXTENDED COPY, T10 SPC-4 §6.4 "EXTENDED COPY (LID1)", block-to-block segment
 *   descriptors; VMware VAAI "Full Copy", VMware KB 1021976): the target volume's array copies it
 *   inside the storage, on its copy engine or over a replication link to the source's array;
 * - host-mediated (VMware's software data mover, what ESXi falls back to when XCOPY is refused):
 *   the host reads the segment from the source, optionally spends CPU on it (`hostCpu`), and
 *   writes it to the target. Its bytes cross front-end ports twice.
 *
 * `mode`: `offload` offloads every segment and fails the job on a refusal; `host` copies every
 * segment through the host; `auto` offloads each segment the target's array accepts (see
 * `StorageArray.offloadRefusal`) and falls back to the host for the others. ESXi's default
 * transfer size (DataMover.MaxHWTransferSize) is 4 MiB, hence the default segment size.
 *
 * Failure: the first failed segment (array or port failure, failed IO) fails the job, which issues
 * no more segments and ends once those in flight have returned; no retry (a caller wanting one
 * starts a new job). The job ends, successful or not, from an engine event and calls `onDone`.
 *
 * Copy jobs are accounted to their manager array, the target volume's (else the source volume's)
 * array: `xcopy_segments`, `fallback_segments`, `xcopy_refusals`, `copy_jobs_ok|failed`,
 * `copy_job_duration` (s).
 */
import type { Environment } from '../../engine/index.ts';
import type { BlockDevice } from '../block/io-request.ts';
import { ArrayVolume } from './array-volume.ts';
import { CopySegment, type HostCpuHook, type SegmentOwner } from './copy-segment.ts';
import type { StorageArray } from './storage-array.ts';

/** How a job copies: see `CopyJob`. */
export type CopyMode = 'auto' | 'offload' | 'host';

/** Default segment size: 4 MiB (ESXi's default XCOPY transfer size). */
export const DEFAULT_SEGMENT_BYTES = 4 * 1024 * 1024;
/** Default segments in flight per job (our choice). */
export const DEFAULT_MAX_OUTSTANDING_SEGMENTS = 8;

/** Options of a `CopyJob`. */
export interface CopyJobOptions {
  source: BlockDevice;
  /** Default 0. */
  sourceOffsetBytes?: number;
  target: BlockDevice;
  /** Default 0. */
  targetOffsetBytes?: number;
  /** Bytes to copy (> 0). */
  lengthBytes: number;
  /** Default 'auto'. */
  mode?: CopyMode;
  /** Default {@link DEFAULT_SEGMENT_BYTES}; a multiple of both devices' sector sizes. */
  segmentBytes?: number;
  /** Default {@link DEFAULT_MAX_OUTSTANDING_SEGMENTS}. */
  maxOutstandingSegments?: number;
  /** Charged per host-mediated segment, between its read and its write. */
  hostCpu?: HostCpuHook;
  /** After each segment completes. */
  onProgress?: (job: CopyJob) => void;
  /** Once, when the job ends (ok or failed). */
  onDone?: (job: CopyJob) => void;
}

/** Where a job stands. */
export type CopyState = 'pending' | 'running' | 'ok' | 'failed';

export class CopyJob implements SegmentOwner {
  readonly env: Environment;
  readonly source: BlockDevice;
  readonly target: BlockDevice;
  readonly sourceOffsetBytes: number;
  readonly targetOffsetBytes: number;
  readonly lengthBytes: number;
  readonly mode: CopyMode;
  readonly segmentBytes: number;
  readonly maxOutstandingSegments: number;
  /** The array the job is accounted to (target's, else source's), or null. */
  readonly manager: StorageArray | null;
  state: CopyState = 'pending';
  /** Why the job failed (first failure), '' otherwise. */
  failure = '';
  startNs = NaN;
  endNs = NaN;
  bytesCopied = 0;
  bytesOffloaded = 0;
  bytesFallback = 0;
  segmentsOffloaded = 0;
  segmentsFallback = 0;
  /** Segments in flight now. */
  outstanding = 0;
  private nextRelativeOffset = 0;
  private readonly idle: CopySegment[] = [];
  private readonly onProgress: ((job: CopyJob) => void) | undefined;
  private readonly onDone: ((job: CopyJob) => void) | undefined;

  /** @throws RangeError for a range outside a device, misalignment, or bad segment settings. */
  constructor(env: Environment, options: CopyJobOptions) {
    const { source, target, lengthBytes } = options;
    const sourceOffsetBytes = options.sourceOffsetBytes ?? 0;
    const targetOffsetBytes = options.targetOffsetBytes ?? 0;
    const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    const maxOutstanding = options.maxOutstandingSegments ?? DEFAULT_MAX_OUTSTANDING_SEGMENTS;
    const sector = Math.max(source.sectorBytes, target.sectorBytes);
    if (sector % source.sectorBytes !== 0 || sector % target.sectorBytes !== 0) {
      throw new RangeError(`sector sizes ${source.sectorBytes} B and ${target.sectorBytes} B must divide one another`);
    }
    if (!(Number.isSafeInteger(lengthBytes) && lengthBytes > 0)) throw new RangeError(`copy length must be a positive integer of bytes, got ${lengthBytes}`);
    if (!(Number.isSafeInteger(segmentBytes) && segmentBytes > 0 && segmentBytes % sector === 0)) {
      throw new RangeError(`segment size ${segmentBytes} B must be a positive multiple of the sector size ${sector} B`);
    }
    if (!(Number.isInteger(maxOutstanding) && maxOutstanding >= 1)) throw new RangeError(`maxOutstandingSegments must be an integer >= 1, got ${maxOutstanding}`);
    for (const [what, device, offset] of [['source', source, sourceOffsetBytes], ['target', target, targetOffsetBytes]] as const) {
      if (!(Number.isSafeInteger(offset) && offset >= 0 && offset % sector === 0)) {
        throw new RangeError(`${what} offset ${offset} B must be a non-negative multiple of the sector size ${sector} B`);
      }
      if (offset + lengthBytes > device.capacityBytes) {
        throw new RangeError(`${what} range [${offset}, ${offset + lengthBytes}) B is outside ${device.path} (${device.capacityBytes} B)`);
      }
    }
    if (lengthBytes % sector !== 0) throw new RangeError(`copy length ${lengthBytes} B must be a multiple of the sector size ${sector} B`);
    if (source === target && sourceOffsetBytes < targetOffsetBytes + lengthBytes && targetOffsetBytes < sourceOffsetBytes + lengthBytes) {
      throw new RangeError(`source and target ranges overlap on ${source.path}`);
    }
    this.env = env;
    this.source = source;
    this.target = target;
    this.sourceOffsetBytes = sourceOffsetBytes;
    this.targetOffsetBytes = targetOffsetBytes;
    this.lengthBytes = lengthBytes;
    this.mode = options.mode ?? 'auto';
    this.segmentBytes = segmentBytes;
    this.maxOutstandingSegments = maxOutstanding;
    this.manager = target instanceof ArrayVolume ? target.array : source instanceof ArrayVolume ? source.array : null;
    this.onProgress = options.onProgress;
    this.onDone = options.onDone;
    const slots = Math.min(maxOutstanding, Math.ceil(lengthBytes / segmentBytes));
    for (let i = 0; i < slots; i++) this.idle.push(new CopySegment(this, source, target, options.hostCpu, segmentBytes));
  }

  /** Fraction of the bytes copied so far. */
  get progress(): number {
    return this.bytesCopied / this.lengthBytes;
  }

  /** Time from start to end, ns (NaN until it ends). */
  get durationNs(): number {
    return this.endNs - this.startNs;
  }

  /** Starts the job now. */
  start(): this {
    if (this.state !== 'pending') throw new Error('a copy job can be started only once');
    this.state = 'running';
    this.startNs = this.env.now;
    this.fill();
    return this;
  }

  segmentDone(slot: CopySegment, ok: boolean, reason: string): void {
    this.outstanding--;
    if (ok) {
      this.bytesCopied += slot.bytes;
      if (slot.offloaded) {
        this.bytesOffloaded += slot.bytes;
        this.segmentsOffloaded++;
      } else {
        this.bytesFallback += slot.bytes;
        this.segmentsFallback++;
      }
    } else {
      this.noteFailure(`segment at source offset ${slot.sourceOffsetBytes} B failed: ${reason}`);
    }
    this.idle.push(slot);
    this.onProgress?.(this);
    this.fill();
  }

  /** Issues segments while slots are free and bytes remain; ends the job when nothing is left in flight. */
  private fill(): void {
    while (this.failure === '' && this.idle.length > 0 && this.nextRelativeOffset < this.lengthBytes) {
      const slot = this.idle.pop()!;
      const offset = this.nextRelativeOffset;
      slot.sourceOffsetBytes = this.sourceOffsetBytes + offset;
      slot.targetOffsetBytes = this.targetOffsetBytes + offset;
      slot.bytes = Math.min(this.segmentBytes, this.lengthBytes - offset);
      this.nextRelativeOffset += slot.bytes;
      this.issue(slot);
    }
    if (this.outstanding === 0 && (this.failure !== '' || this.nextRelativeOffset >= this.lengthBytes) && this.state === 'running') {
      this.state = this.failure === '' ? 'ok' : 'failed';
      // From an engine event, so a caller of start() never hears of the end inside start().
      this.env.schedule(0, CopyJob.end, this);
    }
  }

  private issue(slot: CopySegment): void {
    const { source, target, manager } = this;
    let refusal: string | undefined;
    if (this.mode === 'host') refusal = 'host mode';
    else if (!(source instanceof ArrayVolume && target instanceof ArrayVolume)) refusal = 'source and target are not both array volumes';
    else refusal = target.array.offloadRefusal(source, slot.sourceOffsetBytes, target, slot.targetOffsetBytes, slot.bytes);
    if (refusal === undefined) {
      this.outstanding++;
      slot.startOffload(manager!);
      return;
    }
    if (this.mode !== 'host') manager?.xcopyRefusals.add(1);
    if (this.mode === 'offload') {
      this.idle.push(slot);
      this.noteFailure(`offload refused: ${refusal}`);
      return;
    }
    manager?.fallbackSegments.add(1);
    this.outstanding++;
    slot.startHost();
  }

  private noteFailure(reason: string): void {
    if (this.failure === '') this.failure = reason;
  }

  private static end(job: CopyJob): void {
    job.endNs = job.env.now;
    job.manager?.copyJobEnded(job.state === 'ok', job.durationNs);
    job.onDone?.(job);
  }
}
