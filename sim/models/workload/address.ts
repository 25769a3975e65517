/**
 * Where a synthetic workload's requests land: sequential (a cursor that wraps at the end of
 * the span) or random over the blocks of the span, with a skew that is uniform, bounded Zipf
 * (the engine's rejection-inversion sampler) or hot/cold.
 *
 * The span `[spanOffsetBytes, spanOffsetBytes + spanBytes)` is cut into
 * `blockCount = floor(spanBytes / blockBytes)` blocks; a random request starts at the start
 * of the block the skew picks. A request that would run past the span's end is moved back so
 * that it ends at the span's end (sizes are never cut, so the size distribution is exact).
 *
 * Skew ranks: Zipf rank 1 and the hot region are the first blocks of the span unless
 * `scatter` is on, which spreads them with a fixed pseudo-random permutation of the blocks
 * (a keyed Feistel network with cycle walking: a bijection, O(1) per draw, no table).
 */
import type { RandomStream } from '../../engine/random/index.ts';
import { zipf, type ZipfDistribution } from '../../engine/random/index.ts';

/** How popularity is spread over the span's blocks. */
export type AddressSkew =
  | { readonly kind: 'uniform' }
  /** P(block of rank k) ∝ k^(−exponent), ranks 1..blockCount. */
  | { readonly kind: 'zipf'; readonly exponent: number }
  /** The first `hotFraction` of the blocks receive `hotAccessFraction` of the requests. */
  | { readonly kind: 'hot-cold'; readonly hotFraction: number; readonly hotAccessFraction: number };

export interface AddressOptions {
  readonly pattern: 'random' | 'sequential';
  /** Ignored when sequential. Default uniform. */
  readonly skew?: AddressSkew;
  /** Start of the span, bytes (a multiple of the device's sector). */
  readonly spanOffsetBytes: number;
  /** Length of the span, bytes (a multiple of the device's sector). */
  readonly spanBytes: number;
  /** Granularity of random offsets and of the skew, bytes (a multiple of the sector, <= spanBytes). */
  readonly blockBytes: number;
  /** Spread skewed ranks over the span with a fixed permutation (default false). */
  readonly scatter?: boolean;
}

/** Draws request offsets; `next(size)` is O(1) and allocation-free. */
export class AddressGenerator {
  readonly blockCount: number;
  private readonly spanStart: number;
  private readonly spanEnd: number;
  private readonly blockBytes: number;
  private readonly sequential: boolean;
  private readonly skewKind: 'uniform' | 'zipf' | 'hot-cold';
  private readonly zipfRanks: ZipfDistribution | null = null;
  private readonly hotBlocks: number = 0;
  private readonly hotAccessFraction: number = 0;
  private readonly permutation: BlockPermutation | null;
  private cursor: number;

  /**
   * @param stream the `<id>/address` stream (never drawn from when sequential)
   * @throws RangeError for a span, block size or skew parameter out of range
   */
  constructor(
    options: AddressOptions,
    private readonly stream: RandomStream,
  ) {
    const { spanOffsetBytes, spanBytes, blockBytes } = options;
    if (!(Number.isSafeInteger(spanOffsetBytes) && spanOffsetBytes >= 0)) throw new RangeError(`span offset ${spanOffsetBytes} B must be an integer >= 0`);
    if (!(Number.isSafeInteger(spanBytes) && spanBytes > 0)) throw new RangeError(`span length ${spanBytes} B must be a positive integer`);
    if (!(Number.isSafeInteger(blockBytes) && blockBytes > 0 && blockBytes <= spanBytes)) {
      throw new RangeError(`block size ${blockBytes} B must be a positive integer no larger than the span (${spanBytes} B)`);
    }
    this.spanStart = spanOffsetBytes;
    this.spanEnd = spanOffsetBytes + spanBytes;
    this.blockBytes = blockBytes;
    this.blockCount = Math.floor(spanBytes / blockBytes);
    this.sequential = options.pattern === 'sequential';
    this.cursor = spanOffsetBytes;
    const skew = options.skew ?? { kind: 'uniform' };
    this.skewKind = skew.kind;
    if (skew.kind === 'zipf') {
      this.zipfRanks = zipf(this.blockCount, skew.exponent);
    } else if (skew.kind === 'hot-cold') {
      const { hotFraction, hotAccessFraction } = skew;
      if (!(hotFraction > 0 && hotFraction <= 1)) throw new RangeError(`hotFraction ${hotFraction} must be in (0, 1]`);
      if (!(hotAccessFraction >= 0 && hotAccessFraction <= 1)) throw new RangeError(`hotAccessFraction ${hotAccessFraction} must be in [0, 1]`);
      this.hotBlocks = Math.min(this.blockCount, Math.max(1, Math.round(hotFraction * this.blockCount)));
      this.hotAccessFraction = hotAccessFraction;
    }
    this.permutation = options.scatter ? new BlockPermutation(this.blockCount) : null;
  }

  /** Offset of the next request of `sizeBytes` (<= the span length, a multiple of the sector). */
  next(sizeBytes: number): number {
    if (this.sequential) {
      let offset = this.cursor;
      if (offset + sizeBytes > this.spanEnd) offset = this.spanStart;
      this.cursor = offset + sizeBytes;
      return offset;
    }
    let block = this.drawBlock();
    if (this.permutation !== null) block = this.permutation.apply(block);
    const offset = this.spanStart + block * this.blockBytes;
    return offset + sizeBytes > this.spanEnd ? this.spanEnd - sizeBytes : offset;
  }

  /** Block index in [0, blockCount) by skew, before scattering. */
  private drawBlock(): number {
    switch (this.skewKind) {
      case 'uniform':
        return this.stream.nextInt(this.blockCount);
      case 'zipf':
        return this.zipfRanks!.sample(this.stream) - 1;
      case 'hot-cold': {
        const hot = this.hotBlocks;
        const cold = this.blockCount - hot;
        if (cold === 0 || this.stream.nextDouble() < this.hotAccessFraction) return this.stream.nextInt(hot);
        return hot + this.stream.nextInt(cold);
      }
    }
  }
}

/**
 * A fixed bijection of [0, n): a 4-round balanced Feistel network on the smallest even number
 * of bits covering n, with cycle walking (values >= n are permuted again until they fall
 * below n; at most 4 tries expected since 2^bits < 4n). Keys are constants: the layout is
 * a property of the workload's shape, not of the seed.
 */
export class BlockPermutation {
  private readonly halfBits: number;
  private readonly halfMask: number;
  private readonly halfSize: number;

  constructor(private readonly n: number) {
    let bits = 2;
    while (2 ** bits < n) bits += 2;
    this.halfBits = bits / 2; // at most 27 for n < 2^53, so halves fit in int32 arithmetic
    this.halfSize = 2 ** this.halfBits;
    this.halfMask = this.halfSize - 1;
  }

  apply(value: number): number {
    let x = value;
    do x = this.encrypt(x);
    while (x >= this.n);
    return x;
  }

  private encrypt(x: number): number {
    let left = Math.floor(x / this.halfSize);
    let right = x - left * this.halfSize;
    for (let round = 0; round < 4; round++) {
      const next = (left ^ this.roundFunction(right, round)) & this.halfMask;
      left = right;
      right = next;
    }
    return left * this.halfSize + right;
  }

  private roundFunction(half: number, round: number): number {
    let h = Math.imul(half ^ ROUND_KEYS[round]!, 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    return (h ^ (h >>> 13)) >>> 0;
  }
}

const ROUND_KEYS = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344];
