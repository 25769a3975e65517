/**
 * Optional content tracking of a volume, for byte-for-byte checks of copies: one content id per
 * block of `blockBytes` (a Float64Array, 8 bytes per block). A write gives every block it
 * touches a fresh id, unique in the run (see `ContentStamper`); a copy gives each target block
 * the id of the source block it copies; a trim gives whole blocks id 0 (zeroes; 0 is also
 * "never written"). Two blocks hold the same data exactly when they hold the same id, so
 * "the target equals the source over a range" is an element-wise comparison of ids.
 *
 * A block only partly covered by a write, trim or copy gets a fresh id too: its data is then
 * neither the old nor the new content. A copy whose source and target offsets differ by a
 * non-multiple of the block size cannot be expressed per block, so it gives fresh ids as well.
 * Choose a granularity that divides the copy and IO alignment to keep checks exact.
 */
import type { Environment } from '../../engine/index.ts';

/** Hands out content ids unique within one run (one stamper per environment). */
export class ContentStamper {
  private last = 0;

  /** `count` consecutive fresh ids; returns the first. */
  take(count: number): number {
    const first = this.last + 1;
    this.last += count;
    return first;
  }
}

const stampers = new WeakMap<Environment, ContentStamper>();

/** The run's stamper: every volume of one environment draws ids from it, so ids never collide across arrays. */
export function contentStamperFor(env: Environment): ContentStamper {
  let stamper = stampers.get(env);
  if (stamper === undefined) {
    stamper = new ContentStamper();
    stampers.set(env, stamper);
  }
  return stamper;
}

export class ContentMap {
  readonly blockBytes: number;
  /** Content id of each block; index = offset / blockBytes. */
  readonly ids: Float64Array;
  private readonly stamper: ContentStamper;

  constructor(capacityBytes: number, blockBytes: number, stamper: ContentStamper) {
    if (!(Number.isInteger(blockBytes) && blockBytes > 0)) throw new RangeError(`content block size must be a positive integer of bytes, got ${blockBytes}`);
    if (capacityBytes % blockBytes !== 0) {
      throw new RangeError(`volume size ${capacityBytes} B must be a multiple of the content block size ${blockBytes} B`);
    }
    this.blockBytes = blockBytes;
    this.ids = new Float64Array(capacityBytes / blockBytes);
    this.stamper = stamper;
  }

  /** New data over [offset, offset + bytes): fresh ids on every block touched. */
  write(offsetBytes: number, bytes: number): void {
    const first = Math.floor(offsetBytes / this.blockBytes);
    const end = Math.ceil((offsetBytes + bytes) / this.blockBytes);
    let id = this.stamper.take(end - first);
    for (let b = first; b < end; b++) this.ids[b] = id++;
  }

  /** Deallocation over [offset, offset + bytes): whole blocks read back as zeroes (id 0). */
  trim(offsetBytes: number, bytes: number): void {
    const first = Math.floor(offsetBytes / this.blockBytes);
    const end = Math.ceil((offsetBytes + bytes) / this.blockBytes);
    for (let b = first; b < end; b++) {
      const whole = b * this.blockBytes >= offsetBytes && (b + 1) * this.blockBytes <= offsetBytes + bytes;
      this.ids[b] = whole ? 0 : this.stamper.take(1);
    }
  }

  /** Ids of the blocks touching [offset, offset + bytes), into `into` from index 0; returns the count. */
  capture(offsetBytes: number, bytes: number, into: Float64Array): number {
    const first = Math.floor(offsetBytes / this.blockBytes);
    const end = Math.ceil((offsetBytes + bytes) / this.blockBytes);
    if (end - first > into.length) throw new RangeError(`capture of ${end - first} blocks into a buffer of ${into.length}`);
    into.set(this.ids.subarray(first, end));
    return end - first;
  }

  /**
   * The data of [sourceOffset, sourceOffset + bytes) of a source arrives at [targetOffset, ...)
   * here. `sourceIds[k]` is the id of source block `sourceFirstBlock + k`, in blocks of
   * `sourceBlockBytes` (the source volume's own ids with first block 0, or a `capture`).
   */
  copyIn(sourceIds: Float64Array, sourceFirstBlock: number, sourceBlockBytes: number, sourceOffsetBytes: number, targetOffsetBytes: number, bytes: number): void {
    const B = this.blockBytes;
    const shift = sourceOffsetBytes - targetOffsetBytes;
    const exact = sourceBlockBytes === B && shift % B === 0;
    const first = Math.floor(targetOffsetBytes / B);
    const end = Math.ceil((targetOffsetBytes + bytes) / B);
    for (let b = first; b < end; b++) {
      const whole = b * B >= targetOffsetBytes && (b + 1) * B <= targetOffsetBytes + bytes;
      if (whole && exact) {
        this.ids[b] = sourceIds[b + shift / B - sourceFirstBlock]!;
      } else {
        this.ids[b] = this.stamper.take(1);
      }
    }
  }

  /** Whether [offsetA, offsetA + bytes) here holds the same content as [offsetB, ...) of `other` (whole blocks). */
  equalRange(offsetBytes: number, other: ContentMap, otherOffsetBytes: number, bytes: number): boolean {
    if (other.blockBytes !== this.blockBytes) return false;
    const B = this.blockBytes;
    if (offsetBytes % B !== 0 || otherOffsetBytes % B !== 0 || bytes % B !== 0) return false;
    const a = offsetBytes / B;
    const b = otherOffsetBytes / B;
    for (let k = 0; k < bytes / B; k++) if (this.ids[a + k] !== other.ids[b + k]) return false;
    return true;
  }
}
