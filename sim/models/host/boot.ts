/**
 * A VM's boot working set — the ordered block ranges its guest reads while booting — and
 * the reader that replays it through the boot disk.
 *
 * A set is given explicitly (a list of {offset, size}) or generated:
 * - `sequential`: `count` adjacent reads of `sizeBytes` from `startBytes` on;
 * - `shuffled`: the same blocks in a random order (Fisher–Yates on the set's own stream);
 * - `random`: `count` reads at independent uniformly drawn aligned offsets within
 *   [startBytes, startBytes + spanBytes) (a block may be read more than once).
 * The reader issues reads in the set's order, at most `concurrency` at a time (1: serial,
 * each read waits for the one before), and reports once every read has completed.
 */
import type { RandomStream } from '../../engine/random/index.ts';
import { IoOp, IoRequest, IoStatus, type IoRequester } from '../block/io-request.ts';
import type { VirtualDisk } from './virtual-disk.ts';

/** Boot reads as parallel typed arrays, in boot order. */
export class BootSet {
  constructor(
    readonly offsets: Float64Array,
    readonly sizes: Float64Array,
  ) {
    if (offsets.length !== sizes.length) throw new RangeError('boot set: offsets and sizes differ in length');
  }

  get length(): number {
    return this.offsets.length;
  }

  /** Bytes read by a whole boot. */
  get totalBytes(): number {
    let total = 0;
    for (let i = 0; i < this.sizes.length; i++) total += this.sizes[i]!;
    return total;
  }

  /** Smallest disk size that holds every read. */
  get endBytes(): number {
    let end = 0;
    for (let i = 0; i < this.offsets.length; i++) end = Math.max(end, this.offsets[i]! + this.sizes[i]!);
    return end;
  }

  static fromList(reads: readonly { offsetBytes: number; sizeBytes: number }[]): BootSet {
    return new BootSet(Float64Array.from(reads, (r) => r.offsetBytes), Float64Array.from(reads, (r) => r.sizeBytes));
  }
}

export const BOOT_ORDERS = ['sequential', 'shuffled', 'random'] as const;
export type BootOrder = (typeof BOOT_ORDERS)[number];

export interface GeneratedBootOptions {
  count: number;
  /** Size of each read (bytes). */
  sizeBytes: number;
  order: BootOrder;
  /** Where the boot region starts on the disk (bytes). Default 0. */
  startBytes?: number;
  /** Length of the region `random` draws from (bytes). Default `count × sizeBytes`. */
  spanBytes?: number;
}

/** A generated boot set (see the file comment). `stream` is drawn from only for `shuffled` and `random`. */
export function generateBootSet(options: GeneratedBootOptions, stream: RandomStream): BootSet {
  const { count, sizeBytes, order } = options;
  const start = options.startBytes ?? 0;
  if (!(Number.isInteger(count) && count >= 1)) throw new RangeError(`boot read count must be an integer >= 1, got ${count}`);
  if (!(sizeBytes > 0)) throw new RangeError(`boot read size must be > 0 B, got ${sizeBytes}`);
  const offsets = new Float64Array(count);
  const sizes = new Float64Array(count).fill(sizeBytes);
  if (order === 'random') {
    const blocks = Math.floor((options.spanBytes ?? count * sizeBytes) / sizeBytes);
    if (blocks < 1) throw new RangeError(`boot span ${options.spanBytes} B holds no ${sizeBytes} B read`);
    for (let i = 0; i < count; i++) offsets[i] = start + stream.nextInt(blocks) * sizeBytes;
    return new BootSet(offsets, sizes);
  }
  for (let i = 0; i < count; i++) offsets[i] = start + i * sizeBytes;
  if (order === 'shuffled') {
    for (let i = count - 1; i > 0; i--) {
      const j = stream.nextInt(i + 1);
      const t = offsets[i]!;
      offsets[i] = offsets[j]!;
      offsets[j] = t;
    }
  }
  return new BootSet(offsets, sizes);
}

/**
 * One boot: replays a set through a disk. Allocates its own requests (a boot is rare), so a
 * cancelled boot whose reads are still at the device cannot disturb the next one.
 */
export class BootRun implements IoRequester {
  private next = 0;
  private done = 0;
  private cancelled = false;
  private finished = false;

  constructor(
    private readonly disk: VirtualDisk,
    private readonly set: BootSet,
    private readonly concurrency: number,
    private readonly onDone: (ok: boolean, failure: string) => void,
    private readonly nowNs: () => number,
  ) {}

  /** Issues the first reads. An empty set issues none and never reports: the VM handles that case. */
  start(): void {
    const first = Math.min(this.concurrency, this.set.length);
    for (let i = 0; i < first; i++) this.issue(new IoRequest(this));
  }

  /** Stops caring: later completions are ignored and `onDone` is never called. */
  cancel(): void {
    this.cancelled = true;
  }

  ioCompleted(request: IoRequest): void {
    if (this.cancelled || this.finished) return;
    if (request.status !== IoStatus.Ok) {
      this.finished = true;
      this.onDone(false, request.failure);
      return;
    }
    this.done++;
    if (this.done === this.set.length) {
      this.finished = true;
      this.onDone(true, '');
    } else if (this.next < this.set.length) {
      this.issue(request);
    }
  }

  private issue(request: IoRequest): void {
    const i = this.next++;
    request.prepare(IoOp.Read, this.set.offsets[i]!, this.set.sizes[i]!, this.nowNs());
    this.disk.submitBoot(request);
  }
}
