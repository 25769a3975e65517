/**
 * The engine's pending-event queue: a binary min-heap whose keys live in typed arrays.
 *
 * Tie rule (documented and tested): entries leave in order of
 *   1. time (integer nanoseconds), then
 *   2. priority (0..255, lower first; see `Priority`), then
 *   3. scheduling order (a global sequence number, earlier first).
 * Priority and sequence are packed into one float64 key, `priority * 2^44 + seq`,
 * exact as long as fewer than 2^44 (1.7e13) entries are scheduled in one run.
 *
 * Each entry carries a callback and one argument, stored per slot. Slots are recycled
 * through a free list, so steady-state scheduling allocates nothing. Cancellation is
 * lazy: the slot is marked, skipped when it reaches the top, and the heap is compacted
 * when cancelled entries outnumber live ones.
 */

/** Priorities for entries scheduled at the same time. Lower runs first. */
export const Priority = {
  /** Engine bookkeeping that must run before ordinary events at the same time (process start, interrupts). */
  URGENT: 0,
  /** Everything else. */
  NORMAL: 1,
  /** Highest value a priority may take. */
  MAX: 255,
} as const;

const SEQ_SPAN = 2 ** 44;
const SLOT_BITS = 22;
const SLOT_LIMIT = 2 ** SLOT_BITS; // at most ~4 million entries pending at once
const GENERATION_LIMIT = 2 ** 31;

export type QueueCallback = (arg: any) => void;

export class EventQueue {
  private heapTime: Float64Array;
  private heapKey: Float64Array;
  private heapSlot: Int32Array;
  private heapSize = 0;

  private slotFn: (QueueCallback | null)[];
  private slotArg: unknown[];
  private slotGeneration: Uint32Array;
  private slotPending: Uint8Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
  private slotsUsed = 0;

  private nextSeq = 0;
  private cancelledCount = 0;
  /** The argument of the entry last returned by `pop`. */
  poppedArg: unknown = undefined;

  constructor(initialCapacity = 1024) {
    const n = Math.max(16, initialCapacity);
    this.heapTime = new Float64Array(n);
    this.heapKey = new Float64Array(n);
    this.heapSlot = new Int32Array(n);
    this.slotFn = new Array(n).fill(null);
    this.slotArg = new Array(n).fill(undefined);
    this.slotGeneration = new Uint32Array(n);
    this.slotPending = new Uint8Array(n);
    this.freeSlots = new Int32Array(n);
  }

  /** Number of live (not cancelled) entries. */
  get size(): number {
    return this.heapSize - this.cancelledCount;
  }

  /** Total entries ever pushed (the next sequence number). */
  get scheduledCount(): number {
    return this.nextSeq;
  }

  /**
   * Adds an entry; returns a handle for `cancel`. `time` must be an integer number of
   * nanoseconds, `priority` an integer in [0, 255].
   */
  push(time: number, priority: number, fn: QueueCallback, arg: unknown): number {
    const slot = this.allocateSlot();
    this.slotFn[slot] = fn;
    this.slotArg[slot] = arg;
    this.slotPending[slot] = 1;
    if (this.heapSize === this.heapTime.length) this.growHeap();
    this.siftUp(this.heapSize++, time, priority * SEQ_SPAN + this.nextSeq++, slot);
    return this.slotGeneration[slot]! * SLOT_LIMIT + slot;
  }

  /** Time of the earliest live entry, or Infinity when none is pending. */
  peekTime(): number {
    this.dropCancelledTop();
    return this.heapSize > 0 ? this.heapTime[0]! : Infinity;
  }

  /**
   * Removes the earliest live entry and returns its callback, or null when empty. Its
   * argument is left in `poppedArg` until the next pop (a field, so popping allocates
   * nothing). The entry's handle is no longer pending or cancellable.
   */
  pop(): QueueCallback | null {
    this.dropCancelledTop();
    if (this.heapSize === 0) return null;
    const slot = this.heapSlot[0]!;
    this.removeTop();
    const fn = this.slotFn[slot]!;
    this.poppedArg = this.slotArg[slot];
    this.release(slot);
    return fn;
  }

  /** Returns a slot to the free list; its handle goes stale. */
  private release(slot: number): void {
    this.slotFn[slot] = null;
    this.slotArg[slot] = undefined;
    this.slotPending[slot] = 0;
    this.slotGeneration[slot] = (this.slotGeneration[slot]! + 1) % GENERATION_LIMIT;
    this.freeSlots[this.freeCount++] = slot;
  }

  /** Cancels a pending entry. Returns false when the handle already ran or was cancelled. */
  cancel(handle: number): boolean {
    const slot = handle % SLOT_LIMIT;
    const generation = (handle - slot) / SLOT_LIMIT;
    if (slot >= this.slotsUsed || this.slotPending[slot] !== 1 || this.slotGeneration[slot] !== generation) {
      return false;
    }
    this.slotPending[slot] = 2; // cancelled, still in the heap
    this.slotFn[slot] = null;
    this.slotArg[slot] = undefined;
    this.cancelledCount++;
    if (this.cancelledCount > 64 && this.cancelledCount * 2 > this.heapSize) this.compact();
    return true;
  }

  /** Whether a handle still refers to a pending entry. */
  isPending(handle: number): boolean {
    const slot = handle % SLOT_LIMIT;
    const generation = (handle - slot) / SLOT_LIMIT;
    return slot < this.slotsUsed && this.slotPending[slot] === 1 && this.slotGeneration[slot] === generation;
  }

  private dropCancelledTop(): void {
    while (this.heapSize > 0) {
      const slot = this.heapSlot[0]!;
      if (this.slotPending[slot] !== 2) return;
      this.removeTop();
      this.cancelledCount--;
      this.release(slot);
    }
  }

  private removeTop(): void {
    const last = --this.heapSize;
    if (last > 0) this.siftDown(0, this.heapTime[last]!, this.heapKey[last]!, this.heapSlot[last]!);
  }

  private siftUp(index: number, time: number, key: number, slot: number): void {
    const times = this.heapTime;
    const keys = this.heapKey;
    const slots = this.heapSlot;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && keys[parent]! < key)) break;
      times[i] = pt;
      keys[i] = keys[parent]!;
      slots[i] = slots[parent]!;
      i = parent;
    }
    times[i] = time;
    keys[i] = key;
    slots[i] = slot;
  }

  private siftDown(index: number, time: number, key: number, slot: number): void {
    const times = this.heapTime;
    const keys = this.heapKey;
    const slots = this.heapSlot;
    const size = this.heapSize;
    let i = index;
    // The choice between the two children is computed rather than branched on: with
    // random times that branch is mispredicted half the time. Keys are read only on
    // equal times, so most comparisons touch the times array alone.
    const lastParentWithTwo = (size - 3) >> 1; // node i has two children when 2i + 2 < size
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (i <= lastParentWithTwo) {
        const lt = times[child]!;
        const rt = times[child + 1]!;
        child += ((rt < lt) as unknown as number) | (((rt === lt) as unknown as number) & ((keys[child + 1]! < keys[child]!) as unknown as number));
      }
      const ct = times[child]!;
      if (time < ct || (time === ct && key < keys[child]!)) break;
      times[i] = ct;
      keys[i] = keys[child]!;
      slots[i] = slots[child]!;
      i = child;
    }
    times[i] = time;
    keys[i] = key;
    slots[i] = slot;
  }

  /** Rebuilds the heap without cancelled entries (Floyd's heapify, O(n)). */
  private compact(): void {
    let kept = 0;
    for (let i = 0; i < this.heapSize; i++) {
      const slot = this.heapSlot[i]!;
      if (this.slotPending[slot] === 2) {
        this.release(slot);
        continue;
      }
      this.heapTime[kept] = this.heapTime[i]!;
      this.heapKey[kept] = this.heapKey[i]!;
      this.heapSlot[kept] = slot;
      kept++;
    }
    this.heapSize = kept;
    this.cancelledCount = 0;
    for (let i = (kept >> 1) - 1; i >= 0; i--) {
      this.siftDown(i, this.heapTime[i]!, this.heapKey[i]!, this.heapSlot[i]!);
    }
  }

  private allocateSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    if (this.slotsUsed === this.slotGeneration.length) this.growSlots();
    return this.slotsUsed++;
  }

  private growHeap(): void {
    const n = this.heapTime.length * 2;
    this.heapTime = grow(this.heapTime, new Float64Array(n));
    this.heapKey = grow(this.heapKey, new Float64Array(n));
    this.heapSlot = grow(this.heapSlot, new Int32Array(n));
  }

  private growSlots(): void {
    const n = this.slotGeneration.length * 2;
    if (n > SLOT_LIMIT) {
      throw new RangeError(`event queue: more than ${SLOT_LIMIT} events pending at once`);
    }
    for (let i = this.slotFn.length; i < n; i++) {
      this.slotFn.push(null);
      this.slotArg.push(undefined);
    }
    this.slotGeneration = grow(this.slotGeneration, new Uint32Array(n));
    this.slotPending = grow(this.slotPending, new Uint8Array(n));
    this.freeSlots = grow(this.freeSlots, new Int32Array(n));
  }
}

function grow<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(old: T, bigger: T): T {
  bigger.set(old as never);
  return bigger;
}
