/**
 * A volume (LUN) of a storage array: a `BlockDevice` that a host, a VM's disk or a workload can
 * target. Its IOs cross one of the array's front-end ports (round-robin over the ports it is
 * exported through that are up) and its backend; see `StorageArray`. With `contentBlockBytes`
 * set it keeps a `ContentMap`, updated as writes, trims and copies complete, so a copy can be
 * checked block for block.
 *
 * Metrics under the volume's path: `read_latency`, `write_latency`, `trim_latency` (us, from
 * submit to completion, successful IOs only), `reads`, `writes`, `trims`, `bytes_read` and
 * `bytes_written` (B, successful IOs), `failed_ios`.
 */
import type { Counter, LatencyHistogram, MetricRegistry } from '../../metrics/index.ts';
import { IoOp, type BlockDevice, type IoRequest } from '../block/io-request.ts';
import { ContentMap, contentStamperFor } from './content-map.ts';
import type { FrontEndPort } from './front-end-port.ts';
import type { ArrayIo } from './array-io.ts';
import type { StorageArray } from './storage-array.ts';

/** Options of a volume. */
export interface ArrayVolumeOptions {
  /** Size in bytes: a positive multiple of `sectorBytes`. */
  capacityBytes: number;
  /** Sector size in bytes (default 512). */
  sectorBytes?: number;
  /** Indices of the array's ports the volume is exported through (default all). */
  ports?: readonly number[];
  /** Track content per block of this many bytes (a multiple of the sector size dividing the size); default off. */
  contentBlockBytes?: number;
}

export class ArrayVolume implements BlockDevice {
  readonly path: string;
  readonly capacityBytes: number;
  readonly sectorBytes: number;
  readonly array: StorageArray;
  /** Per-block content ids, or null when not tracked. */
  readonly content: ContentMap | null;
  readonly portIndices: readonly number[];
  private nextPort = 0;
  readonly latency: readonly LatencyHistogram[];
  readonly ioCount: readonly Counter[];
  readonly bytesRead: Counter;
  readonly bytesWritten: Counter;
  readonly failedIos: Counter;

  /** Use `StorageArray.addVolume`. */
  constructor(array: StorageArray, path: string, options: ArrayVolumeOptions, metrics: MetricRegistry) {
    const sectorBytes = options.sectorBytes ?? 512;
    if (!(Number.isInteger(sectorBytes) && sectorBytes > 0)) throw new RangeError(`sector size must be a positive integer of bytes, got ${sectorBytes}`);
    const capacityBytes = options.capacityBytes;
    if (!(Number.isSafeInteger(capacityBytes) && capacityBytes > 0 && capacityBytes % sectorBytes === 0)) {
      throw new RangeError(`volume size ${capacityBytes} B must be a positive multiple of the sector size ${sectorBytes} B`);
    }
    const ports = options.ports ?? array.ports.map((p) => p.index);
    if (ports.length === 0) throw new RangeError(`volume "${path}" must be exported through at least one port`);
    for (const index of ports) {
      if (!(Number.isInteger(index) && index >= 0 && index < array.ports.length)) {
        throw new RangeError(`port ${index} does not exist on array "${array.path}" (ports 0 to ${array.ports.length - 1})`);
      }
    }
    if (new Set(ports).size !== ports.length) throw new RangeError(`volume "${path}" lists a port twice: ${ports.join(', ')}`);
    const block = options.contentBlockBytes;
    if (block !== undefined && !(Number.isInteger(block) && block > 0 && block % sectorBytes === 0)) {
      throw new RangeError(`content block size ${block} B must be a positive multiple of the sector size ${sectorBytes} B`);
    }
    this.array = array;
    this.path = path;
    this.capacityBytes = capacityBytes;
    this.sectorBytes = sectorBytes;
    this.portIndices = ports.slice();
    this.content = block === undefined ? null : new ContentMap(capacityBytes, block, contentStamperFor(array.env));
    this.latency = ['read', 'write', 'trim'].map((op) => metrics.histogram(`${path}/${op}_latency`, { unit: 'us' }));
    this.ioCount = ['reads', 'writes', 'trims'].map((name) => metrics.counter(`${path}/${name}`));
    this.bytesRead = metrics.counter(`${path}/bytes_read`, { unit: 'B', scale: 1 });
    this.bytesWritten = metrics.counter(`${path}/bytes_written`, { unit: 'B', scale: 1 });
    this.failedIos = metrics.counter(`${path}/failed_ios`);
  }

  submit(request: IoRequest): void {
    this.array.submitIo(this, request);
  }

  /** The next port to use, round-robin over this volume's ports that are up; null when none is. */
  pickPort(): FrontEndPort<ArrayIo> | null {
    const ports = this.array.ports;
    const n = this.portIndices.length;
    for (let tried = 0; tried < n; tried++) {
      const port = ports[this.portIndices[this.nextPort]!]!;
      this.nextPort = (this.nextPort + 1) % n;
      if (port.up) return port;
    }
    return null;
  }

  /** Book-keeping of a successful IO, as it completes (content changes take effect now). */
  ioSucceeded(request: IoRequest, latencyNs: number): void {
    const op = request.op;
    this.latency[op]!.record(latencyNs);
    this.ioCount[op]!.add(1);
    if (op === IoOp.Read) {
      this.bytesRead.add(request.sizeBytes);
    } else if (op === IoOp.Write) {
      this.bytesWritten.add(request.sizeBytes);
      this.content?.write(request.offsetBytes, request.sizeBytes);
    } else {
      this.content?.trim(request.offsetBytes, request.sizeBytes);
    }
  }

  /**
   * The data of [sourceOffset, sourceOffset + bytes) of `source` has arrived at
   * [targetOffset, ...) here (an offloaded copy segment completed).
   */
  receiveCopy(source: ArrayVolume, sourceOffsetBytes: number, targetOffsetBytes: number, bytes: number): void {
    if (this.content === null) return;
    if (source.content === null) this.content.write(targetOffsetBytes, bytes);
    else this.content.copyIn(source.content.ids, 0, source.content.blockBytes, sourceOffsetBytes, targetOffsetBytes, bytes);
  }
}
