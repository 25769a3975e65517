/**
 * Converting a virtual disk's image from one format to another (VMDK → QCOW2, VHDX → VMDK,
 * ...), as a process. Cross-hypervisor recovery uses it: a disk must be in a format the
 * target hypervisor can attach before its VM can start there.
 *
 * Two models, chosen by `options.mode`:
 * - `rate`: the conversion takes `conversionTimeNs` (see `disk-format.ts`): data bytes plus
 *   the source's and the target's metadata, at a converter throughput (default: the VM's
 *   host's `conversionRateBytesPerS`). No device is touched; the image is converted in
 *   place (same backing range) and the disk's format changes at the end.
 * - `copy`: a converter reads the disk's data from its backing device and writes it to a new
 *   backing range (`target`, `targetOffsetBytes`), `chunkBytes` at a time with `depth`
 *   chunks in flight (each chunk: read, then write), then writes the target format's
 *   metadata (`metadataBytes(to, size)`, rounded up to whole sectors) right after the data
 *   region. The time is whatever the devices take. On success the disk's backing is swapped
 *   to the new range and its format changes. Reading the source's metadata is left out
 *   (under 0.1 % of the data for the formats modeled); the converter's own CPU is not charged.
 * Only allocated data is converted on a thin disk (the whole size on a thick one).
 *
 * Either way, writes the VM makes during the conversion are not tracked: stop or pause the
 * VM first. A failed device request ends a `copy` conversion with `ok: false` and leaves the
 * disk as it was.
 */
import type { Environment, Process, SimEvent } from '../../engine/index.ts';
import { IoOp, IoRequest, IoStatus, type BlockDevice, type IoRequester } from '../block/io-request.ts';
import { conversionTimeNs, metadataBytes, type DiskFormat } from './disk-format.ts';
import type { VirtualDisk } from './virtual-disk.ts';

export type ConvertOptions =
  | { mode: 'rate'; rateBytesPerS?: number }
  | { mode: 'copy'; target: BlockDevice; targetOffsetBytes?: number; chunkBytes?: number; depth?: number };

export interface ConversionResult {
  readonly ok: boolean;
  /** Why it failed; '' when it succeeded. */
  readonly failure: string;
  readonly from: DiskFormat;
  readonly to: DiskFormat;
  /** Data bytes converted (allocated bytes of a thin disk). */
  readonly dataBytes: number;
  /** Target-format metadata bytes written (copy) or counted (rate, plus the source's). */
  readonly metadataBytes: number;
  readonly durationNs: number;
}

/** Default chunk of a `copy` conversion: 1 MiB. */
export const DEFAULT_CONVERSION_CHUNK_BYTES = 1 << 20;

/**
 * Converts `disk` to format `to` (see the file comment); the process's value is the result.
 * Bad options (a chunk that is not whole sectors, a target range too small) throw at once.
 */
export function convertDisk(env: Environment, disk: VirtualDisk, to: DiskFormat, options: ConvertOptions): Process<ConversionResult> {
  if (disk.pathKind === 'passthrough' && to !== 'raw') {
    throw new Error(`${disk.path}: a passthrough disk is the device itself and stays raw; cannot convert it to ${to}`);
  }
  if (options.mode === 'rate') {
    const rate = options.rateBytesPerS ?? disk.vm.host.conversionRateBytesPerS;
    return env.process(convertAtRate(disk, to, rate), `${disk.path}/convert`);
  }
  return env.process(convertByCopy(env, disk, to, planCopy(disk, to, options)), `${disk.path}/convert`);
}

function* convertAtRate(disk: VirtualDisk, to: DiskFormat, rate: number): Generator<number, ConversionResult, unknown> {
  const from = disk.format;
  const size = disk.capacityBytes;
  const dataBytes = disk.allocatedBytes;
  const durationNs = conversionTimeNs(from, to, size, dataBytes, rate);
  yield durationNs;
  disk.format = to;
  return { ok: true, failure: '', from, to, dataBytes, metadataBytes: metadataBytes(from, size) + metadataBytes(to, size), durationNs };
}

/** Turns device completions into events a process can wait for. */
const toEvent: IoRequester = {
  ioCompleted(request: IoRequest): void {
    (request.context as SimEvent<IoRequest>).succeed(request);
  },
};

interface CopyPlan {
  readonly source: BlockDevice;
  readonly sourceOffset: number;
  readonly target: BlockDevice;
  readonly targetOffset: number;
  readonly depth: number;
  /** Data chunks (read from the source, written to the target), then metadata chunks (written only). */
  readonly jobs: readonly { offset: number; size: number; metadata: boolean }[];
  readonly dataBytes: number;
  readonly metaBytes: number;
}

/** Checks a copy conversion's options and lists its chunks (throws a RangeError saying what is wrong). */
function planCopy(disk: VirtualDisk, to: DiskFormat, options: { target: BlockDevice; targetOffsetBytes?: number; chunkBytes?: number; depth?: number }): CopyPlan {
  const source = disk.backing;
  const target = options.target;
  const targetOffset = options.targetOffsetBytes ?? 0;
  const sector = Math.max(source.sectorBytes, target.sectorBytes, disk.sectorBytes);
  const chunk = options.chunkBytes ?? DEFAULT_CONVERSION_CHUNK_BYTES;
  const depth = options.depth ?? 1;
  if (!(Number.isInteger(chunk) && chunk > 0 && chunk % sector === 0)) throw new RangeError(`${disk.path}: conversion chunk ${chunk} B must be a positive multiple of ${sector} B`);
  if (!(Number.isInteger(depth) && depth >= 1)) throw new RangeError(`${disk.path}: conversion depth must be an integer >= 1, got ${depth}`);
  const metaBytes = Math.ceil(metadataBytes(to, disk.capacityBytes) / sector) * sector;
  if (targetOffset % target.sectorBytes !== 0 || targetOffset + disk.capacityBytes + metaBytes > target.capacityBytes) {
    throw new RangeError(
      `${disk.path}: the converted image needs [${targetOffset}, ${targetOffset + disk.capacityBytes + metaBytes}) B on ${target.path}, ` +
        `which has ${target.capacityBytes} B (${target.sectorBytes} B sectors)`,
    );
  }
  const jobs: { offset: number; size: number; metadata: boolean }[] = [];
  let dataBytes = 0;
  for (const [start, end] of disk.allocatedRanges()) {
    for (let offset = start; offset < end; offset += chunk) jobs.push({ offset, size: Math.min(chunk, end - offset), metadata: false });
    dataBytes += end - start;
  }
  for (let offset = 0; offset < metaBytes; offset += chunk) jobs.push({ offset: disk.capacityBytes + offset, size: Math.min(chunk, metaBytes - offset), metadata: true });
  return { source, sourceOffset: disk.backingOffsetBytes, target, targetOffset, depth, jobs, dataBytes, metaBytes };
}

function* convertByCopy(env: Environment, disk: VirtualDisk, to: DiskFormat, plan: CopyPlan): Generator<SimEvent<any>, ConversionResult, any> {
  const startNs = env.now;
  const from = disk.format;
  const { source, sourceOffset, target, targetOffset, jobs, dataBytes, metaBytes } = plan;
  let next = 0;
  let failure = '';
  function* worker(): Generator<SimEvent<any>, void, any> {
    const request = new IoRequest(toEvent);
    while (failure === '' && next < jobs.length) {
      const job = jobs[next++]!;
      if (!job.metadata) {
        const read = env.event<IoRequest>();
        request.context = read;
        source.submit(request.prepare(IoOp.Read, sourceOffset + job.offset, job.size, env.now));
        yield read;
        if (request.status !== IoStatus.Ok) {
          failure ||= `reading ${source.path}: ${request.failure}`;
          return;
        }
      }
      const write = env.event<IoRequest>();
      request.context = write;
      target.submit(request.prepare(IoOp.Write, targetOffset + job.offset, job.size, env.now));
      yield write;
      if (request.status !== IoStatus.Ok) {
        failure ||= `writing ${target.path}: ${request.failure}`;
        return;
      }
    }
  }
  const workers: SimEvent<any>[] = [];
  for (let i = 0; i < Math.min(plan.depth, jobs.length); i++) workers.push(env.process(worker(), `${disk.path}/convert-worker`));
  if (workers.length > 0) yield env.allOf(workers);
  const durationNs = env.now - startNs;
  if (failure !== '') return { ok: false, failure, from, to, dataBytes, metadataBytes: metaBytes, durationNs };
  disk.swapBacking(target, targetOffset);
  disk.format = to;
  return { ok: true, failure: '', from, to, dataBytes, metadataBytes: metaBytes, durationNs };
}
