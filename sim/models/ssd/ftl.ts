/**
 * A page-level flash translation layer: the mapping from logical pages to flash pages, the
 * per-block bookkeeping, the write points and garbage collection as a mechanism. It knows no
 * time: the timed SSD (`ssd-device.ts`) asks it what to do and charges the NAND operations it
 * reports; fast mode calls it directly for write-amplification and capacity studies.
 *
 * State lives in typed arrays (about 8.3 bytes per 4 KiB page: a 1 TiB device needs ~2.2 GiB):
 * - `l2p[lpn]`: flash page holding logical page `lpn`, or UNMAPPED;
 * - `p2l[ppa]`: logical page last written to flash page `ppa` (the page's out-of-band area).
 *   A flash page is valid exactly when `l2p[p2l[ppa]] === ppa`, so invalidation touches only
 *   `l2p` and the block's valid count;
 * - per block: valid count, erase count, state, and the write clock when it was filled.
 *
 * Each plane is a garbage-collection domain with its own free-block queue (FIFO, which spreads
 * erases), two write points (host data and GC-relocated data, kept apart so that relocated,
 * colder data does not mix with fresh writes) and its own victim selector. Host writes visit
 * the planes in channel-first stripe order. Garbage collection runs in a plane before a host
 * write whenever its free blocks fall below the foreground threshold; `collect` may also be
 * called for background collection.
 */
import type { RandomStream } from '../../engine/random/index.ts';
import type { GcVictimPolicy, GcVictimSelector, GcVictimView } from './gc-victim.ts';
import { Geometry } from './geometry.ts';

export const UNMAPPED = 0xffffffff;

/** Block states. */
export const BlockState = { Free: 0, Open: 1, Closed: 2, Victim: 3 } as const;

export interface FtlOptions {
  readonly geometry: Geometry;
  /**
   * Fraction of flash pages not exported to the host, (physical − logical) / physical
   * (Van Houdt's spare factor S_f). Logical pages = floor(physical × (1 − spareFactor)).
   */
  readonly spareFactor: number;
  /** Foreground GC runs in a plane while it has fewer free blocks than this (>= 2: one for the GC write point, one to spare). */
  readonly gcThresholdBlocks: number;
  readonly victimPolicy: GcVictimPolicy;
  /** One stream per plane for randomized victim policies (called once per plane at construction). */
  readonly planeStream: (plane: number) => RandomStream;
}

/** Receives the NAND operations GC performs, so the timed device can charge them. */
export interface GcObserver {
  /** One valid page moved from `fromPpa` to `toPpa` (a read and a program on the plane). */
  relocated(fromPpa: number, toPpa: number): void;
  /** Block erased. */
  erased(block: number): void;
}

/** Counters the FTL keeps (raw, since construction or `resetCounters`). */
export interface FtlCounters {
  hostPageWrites: number;
  gcPageWrites: number;
  erases: number;
  trims: number;
}

export class Ftl {
  readonly geometry: Geometry;
  readonly logicalPages: number;
  readonly l2p: Uint32Array;
  readonly p2l: Uint32Array;
  readonly validCount: Int32Array;
  readonly eraseCount: Uint32Array;
  readonly blockState: Uint8Array;
  readonly closedAt: Float64Array;
  readonly counters: FtlCounters = { hostPageWrites: 0, gcPageWrites: 0, erases: 0, trims: 0 };
  /** Host pages written since construction (never reset): the age clock of victim policies. */
  writeClock = 0;
  /** Called for every GC relocation and erase; null in fast mode. */
  gcObserver: GcObserver | null = null;

  private readonly pagesPerBlock: number;
  /** log2(pagesPerBlock) when it is a power of two (block of a page by a shift), else -1. */
  private readonly pageShift: number;
  private readonly blocksPerPlane: number;
  private readonly planes: number;
  private readonly threshold: number;
  private readonly stripe: Int32Array;
  private stripeNext = 0;
  /** Free blocks: a ring per plane stored at [plane·B, (plane+1)·B). */
  private readonly freeRing: Int32Array;
  private readonly freeHead: Int32Array;
  private readonly freeCount: Int32Array;
  /** Write points: open block and next page index, per plane, for host and GC data. */
  private readonly hostBlock: Int32Array;
  private readonly hostNext: Int32Array;
  private readonly gcBlock: Int32Array;
  private readonly gcNext: Int32Array;
  private readonly selectors: GcVictimSelector[];

  constructor(options: FtlOptions) {
    const g = options.geometry;
    this.geometry = g;
    if (!(options.spareFactor > 0 && options.spareFactor < 1)) throw new RangeError(`spareFactor must be in (0, 1) (got ${options.spareFactor})`);
    if (!Number.isInteger(options.gcThresholdBlocks) || options.gcThresholdBlocks < 2) {
      throw new RangeError(`gcThresholdBlocks must be an integer >= 2 (got ${options.gcThresholdBlocks})`);
    }
    // Each plane needs its two open blocks and the threshold's free blocks on top of one block of spare pages.
    if (options.gcThresholdBlocks + 3 > g.blocksPerPlane) {
      throw new RangeError(`a plane of ${g.blocksPerPlane} blocks is too small for a GC threshold of ${options.gcThresholdBlocks} blocks`);
    }
    this.pagesPerBlock = g.pagesPerBlock;
    this.pageShift = Number.isInteger(Math.log2(g.pagesPerBlock)) ? Math.log2(g.pagesPerBlock) : -1;
    this.blocksPerPlane = g.blocksPerPlane;
    this.planes = g.planes;
    this.threshold = options.gcThresholdBlocks;
    this.logicalPages = Math.floor(g.pages * (1 - options.spareFactor));
    const reservedPerPlane = (options.gcThresholdBlocks + 2) * g.pagesPerBlock;
    if (g.pages - this.logicalPages <= reservedPerPlane * g.planes) {
      throw new RangeError(
        `spareFactor ${options.spareFactor} leaves ${g.pages - this.logicalPages} spare pages, not more than the ` +
          `${reservedPerPlane * g.planes} that open and reserved blocks need; raise spareFactor or blocksPerPlane`,
      );
    }
    this.l2p = new Uint32Array(this.logicalPages).fill(UNMAPPED);
    this.p2l = new Uint32Array(g.pages);
    this.validCount = new Int32Array(g.blocks);
    this.eraseCount = new Uint32Array(g.blocks);
    this.blockState = new Uint8Array(g.blocks);
    this.closedAt = new Float64Array(g.blocks);
    this.stripe = g.stripeOrder();
    this.freeRing = new Int32Array(g.blocks);
    this.freeHead = new Int32Array(g.planes);
    this.freeCount = new Int32Array(g.planes).fill(g.blocksPerPlane);
    for (let b = 0; b < g.blocks; b++) this.freeRing[b] = b;
    this.hostBlock = new Int32Array(g.planes).fill(-1);
    this.hostNext = new Int32Array(g.planes);
    this.gcBlock = new Int32Array(g.planes).fill(-1);
    this.gcNext = new Int32Array(g.planes);
    this.selectors = [];
    for (let plane = 0; plane < g.planes; plane++) {
      const view: GcVictimView = {
        firstBlock: plane * g.blocksPerPlane,
        blockCount: g.blocksPerPlane,
        pagesPerBlock: g.pagesPerBlock,
        validCount: this.validCount,
        closedAt: this.closedAt,
        eraseCount: this.eraseCount,
        writeClock: () => this.writeClock,
        random: options.planeStream(plane),
      };
      this.selectors.push(options.victimPolicy.attach(view));
    }
  }

  /** Logical capacity in bytes. */
  get logicalBytes(): number {
    return this.logicalPages * this.geometry.pageBytes;
  }

  /** The plane the next host write goes to (advances the stripe). */
  nextHostPlane(): number {
    const plane = this.stripe[this.stripeNext]!;
    this.stripeNext = this.stripeNext + 1 === this.planes ? 0 : this.stripeNext + 1;
    return plane;
  }

  /**
   * Writes logical page `lpn` to `plane` (see {@link nextHostPlane}), running foreground GC
   * there first if the plane is short of free blocks. Returns the flash page written.
   */
  writeHost(lpn: number, plane: number): number {
    const old = this.l2p[lpn]!;
    if (old !== UNMAPPED) {
      this.invalidate(old);
      this.l2p[lpn] = UNMAPPED; // so that GC below does not relocate the stale copy
    }
    while (this.freeCount[plane]! < this.threshold) this.collect(plane);
    const ppa = this.allocate(plane, this.hostBlock, this.hostNext);
    const block = this.blockOf(ppa);
    this.l2p[lpn] = ppa;
    this.p2l[ppa] = lpn;
    this.validCount[block]!++;
    this.counters.hostPageWrites++;
    this.writeClock++;
    if (this.filledBlock) this.close(block);
    return ppa;
  }

  /** Drops logical page `lpn` (TRIM / deallocate); its flash page becomes invalid. */
  trim(lpn: number): void {
    const old = this.l2p[lpn]!;
    if (old === UNMAPPED) return;
    this.invalidate(old);
    this.l2p[lpn] = UNMAPPED;
    this.counters.trims++;
  }

  /** Free blocks in `plane`. */
  freeBlocks(plane: number): number {
    return this.freeCount[plane]!;
  }

  /**
   * Reclaims one victim block of `plane`: relocates its valid pages to the plane's GC write
   * point and erases it. Returns the victim, or -1 if the plane has no candidate.
   */
  collect(plane: number): number {
    const victim = this.selectors[plane]!.takeVictim();
    if (victim < 0) {
      throw new Error(`garbage collection found no victim block in plane ${plane}: the device is full`);
    }
    const ppb = this.pagesPerBlock;
    if (this.validCount[victim] === ppb && this.freeCount[plane] === 0) {
      throw new Error(`plane ${plane} has no free block and its victim ${victim} is fully valid: spare space exhausted`);
    }
    this.blockState[victim] = BlockState.Victim;
    const first = victim * ppb;
    const observer = this.gcObserver;
    const l2p = this.l2p;
    const p2l = this.p2l;
    const validCount = this.validCount;
    const logicalPages = this.logicalPages;
    let remaining = validCount[victim]!;
    let moved = 0;
    for (let ppa = first, end = first + ppb; remaining > 0 && ppa < end; ppa++) {
      const lpn = p2l[ppa]!;
      if (lpn >= logicalPages || l2p[lpn] !== ppa) continue;
      remaining--;
      const to = this.allocate(plane, this.gcBlock, this.gcNext);
      const toBlock = this.blockOf(to);
      l2p[lpn] = to;
      p2l[to] = lpn;
      validCount[toBlock]!++;
      moved++;
      if (this.filledBlock) this.close(toBlock);
      if (observer !== null) observer.relocated(ppa, to);
    }
    this.counters.gcPageWrites += moved;
    this.erase(victim, plane);
    if (observer !== null) observer.erased(victim);
    return victim;
  }

  /** Resets the counters (end of a warm-up); the write clock keeps running. */
  resetCounters(): void {
    this.counters.hostPageWrites = 0;
    this.counters.gcPageWrites = 0;
    this.counters.erases = 0;
    this.counters.trims = 0;
  }

  /** The block holding flash page `ppa`. */
  blockOf(ppa: number): number {
    return this.pageShift >= 0 ? ppa >>> this.pageShift : (ppa / this.pagesPerBlock) | 0;
  }

  private invalidate(ppa: number): void {
    const block = this.blockOf(ppa);
    this.validCount[block]!--;
    if (this.blockState[block] === BlockState.Closed) this.selectors[(block / this.blocksPerPlane) | 0]!.invalidated(block);
  }

  /** Whether the last `allocate` handed out the final page of its block (which the caller then closes). */
  private filledBlock = false;

  /** Next page of a write point, opening a free block when needed. */
  private allocate(plane: number, openBlock: Int32Array, nextPage: Int32Array): number {
    let block = openBlock[plane]!;
    if (block < 0) {
      block = this.takeFreeBlock(plane);
      openBlock[plane] = block;
      nextPage[plane] = 0;
    }
    const page = nextPage[plane]!;
    this.filledBlock = page + 1 === this.pagesPerBlock;
    if (this.filledBlock) openBlock[plane] = -1;
    else nextPage[plane] = page + 1;
    return block * this.pagesPerBlock + page;
  }

  /** A full block, its pages mapped, becomes a GC candidate. */
  private close(block: number): void {
    this.blockState[block] = BlockState.Closed;
    this.closedAt[block] = this.writeClock;
    this.selectors[(block / this.blocksPerPlane) | 0]!.closed(block);
  }

  private takeFreeBlock(plane: number): number {
    const count = this.freeCount[plane]!;
    if (count === 0) throw new Error(`plane ${plane} ran out of free blocks`);
    const base = plane * this.blocksPerPlane;
    const head = this.freeHead[plane]!;
    const block = this.freeRing[base + head]!;
    this.freeHead[plane] = head + 1 === this.blocksPerPlane ? 0 : head + 1;
    this.freeCount[plane] = count - 1;
    this.blockState[block] = BlockState.Open;
    return block;
  }

  private erase(block: number, plane: number): void {
    this.validCount[block] = 0;
    this.eraseCount[block]!++;
    this.blockState[block] = BlockState.Free;
    this.counters.erases++;
    const base = plane * this.blocksPerPlane;
    const tail = (this.freeHead[plane]! + this.freeCount[plane]!) % this.blocksPerPlane;
    this.freeRing[base + tail] = block;
    this.freeCount[plane]!++;
  }

}
