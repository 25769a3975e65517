/**
 * The engine's pending-event queue: a binary min-heap whose keys live in typed arrays,
 * plus two FIFO lanes for entries due at the current instant.
 *
 * Tie rule (documented and tested): entries leave in order of
 *   1. time (integer nanoseconds), then
 *   2. priority (0..255, lower first; see `Priority`), then
 *   3. scheduling order (a global sequence number, earlier first).
 * Priority and sequence are packed into one float64 key, `priority * 2^44 + seq`,
 * exact as long as fewer than 2^44 (1.7e13) entries are scheduled in one run.
 *
 * The instant lanes: in a process-style model most entries are pushed for the instant
 * being processed (a process starting, an event succeeding, a resource grant). Such an
 * entry, at URGENT or NORMAL priority, needs no sorting: its key is larger than that of
 * every earlier entry of its priority. So it goes to that priority's ring instead of the
 * heap, an O(1) push and pop whatever the number of pending events. `pop` takes the
 * smallest (time, key) among the two ring heads and the heap top, so the order is
 * exactly the heap-only order. A lane holds entries of one time only (`laneTime`), which
 * moves to the time last popped whenever both lanes are empty. While the heap is small
 * the lanes stay unused, as a few-entry heap is as cheap.
 *
 * Each entry carries a callback and one argument, stored per slot. Slots are recycled
 * through a free list, so steady-state scheduling allocates nothing. Cancellation is
 * lazy: the slot is marked, skipped when it reaches the front, and the heap is compacted
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

// Below this many heap entries a push for the current instant goes to the heap too: a heap
// that small costs no more than the lanes' bookkeeping (measured: with the lanes always on,
// a single M/M/1 on processes ran about 5% slower).
const LANE_MIN_HEAP = 32;

// Slot states.
const FREE = 0;
const PENDING = 1;
const CANCELLED = 2;

// Where the next entry comes from (see `selectNext`).
const NONE = 0;
const HEAP = 1;
const URGENT_LANE = 2;
const NORMAL_LANE = 3;

export type QueueCallback = (arg: any) => void;

/** A growable FIFO ring of (slot, key) pairs: one instant lane. */
class InstantLane {
  slots: Int32Array;
  keys: Float64Array;
  head = 0;
  length = 0;
  private mask: number;

  constructor(capacity: number) {
    this.slots = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  get headSlot(): number {
    return this.slots[this.head]!;
  }

  get headKey(): number {
    return this.keys[this.head]!;
  }

  push(slot: number, key: number): void {
    if (this.length === this.slots.length) this.grow();
    const at = (this.head + this.length++) & this.mask;
    this.slots[at] = slot;
    this.keys[at] = key;
  }

  shift(): void {
    this.head = (this.head + 1) & this.mask;
    this.length--;
  }

  private grow(): void {
    const n = this.slots.length * 2;
    const slots = new Int32Array(n);
    const keys = new Float64Array(n);
    for (let i = 0; i < this.length; i++) {
      const from = (this.head + i) & this.mask;
      slots[i] = this.slots[from]!;
      keys[i] = this.keys[from]!;
    }
    this.slots = slots;
    this.keys = keys;
    this.head = 0;
    this.mask = n - 1;
  }
}

export class EventQueue {
  private heapTime: Float64Array;
  private heapKey: Float64Array;
  private heapSlot: Int32Array;
  private heapSize = 0;
  private heapCancelled = 0;

  /** Entries at `laneTime` with priority URGENT and NORMAL, in key order. */
  private readonly urgentLane = new InstantLane(64);
  private readonly normalLane = new InstantLane(64);
  private laneTime = -Infinity;
  private laneCancelled = 0;
  /** Entries in both lanes, cancelled ones included: 0 means the heap alone decides. */
  private laneEntries = 0;

  private slotFn: (QueueCallback | null)[];
  private slotArg: unknown[];
  private slotGeneration: Uint32Array;
  private slotState: Uint8Array;
  /** 1 when the slot's entry sits in a lane, 0 in the heap. */
  private slotInLane: Uint8Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
  private slotsUsed = 0;

  private nextSeq = 0;
  /** The argument of the entry last returned by `pop`. */
  poppedArg: unknown = undefined;

  private readonly laneMinHeap: number;

  /**
   * @param options.laneMinHeap heap entries from which same-instant pushes use the lanes
   *   (default 32). Any value gives the same order; tests use it to exercise both paths.
   */
  constructor(initialCapacity = 1024, options: { laneMinHeap?: number } = {}) {
    this.laneMinHeap = options.laneMinHeap ?? LANE_MIN_HEAP;
    const n = Math.max(16, initialCapacity);
    this.heapTime = new Float64Array(n);
    this.heapKey = new Float64Array(n);
    this.heapSlot = new Int32Array(n);
    this.slotFn = new Array(n).fill(null);
    this.slotArg = new Array(n).fill(undefined);
    this.slotGeneration = new Uint32Array(n);
    this.slotState = new Uint8Array(n);
    this.slotInLane = new Uint8Array(n);
    this.freeSlots = new Int32Array(n);
  }

  /** Number of live (not cancelled) entries. */
  get size(): number {
    return this.heapSize - this.heapCancelled + this.urgentLane.length + this.normalLane.length - this.laneCancelled;
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
    this.slotState[slot] = PENDING;
    const key = priority * SEQ_SPAN + this.nextSeq++;
    if (time === this.laneTime && priority <= Priority.NORMAL && this.heapSize >= this.laneMinHeap) {
      this.slotInLane[slot] = 1;
      this.laneEntries++;
      (priority === Priority.URGENT ? this.urgentLane : this.normalLane).push(slot, key);
    } else {
      this.slotInLane[slot] = 0;
      if (this.heapSize === this.heapTime.length) this.growHeap();
      this.siftUp(this.heapSize++, time, key, slot);
    }
    return this.slotGeneration[slot]! * SLOT_LIMIT + slot;
  }

  /** Time of the earliest live entry, or Infinity when none is pending. */
  peekTime(): number {
    // Fast path: nothing in the lanes and nothing cancelled, so the heap top is next.
    if ((this.laneEntries | this.heapCancelled) === 0) return this.heapSize > 0 ? this.heapTime[0]! : Infinity;
    switch (this.selectNext()) {
      case HEAP:
        return this.heapTime[0]!;
      case NONE:
        return Infinity;
      default:
        return this.laneTime;
    }
  }

  /**
   * Removes the earliest live entry and returns its callback, or null when empty. Its
   * argument is left in `poppedArg` until the next pop (a field, so popping allocates
   * nothing). The entry's handle is no longer pending or cancellable.
   */
  pop(): QueueCallback | null {
    let slot: number;
    const source = (this.laneEntries | this.heapCancelled) === 0 ? (this.heapSize > 0 ? HEAP : NONE) : this.selectNext();
    if (source === HEAP) {
      slot = this.heapSlot[0]!;
      const time = this.heapTime[0]!;
      this.removeTop();
      // With both lanes empty, the lanes move on to the instant now being processed.
      if (this.laneEntries === 0) this.laneTime = time;
    } else if (source === NONE) {
      return null;
    } else {
      const lane = source === URGENT_LANE ? this.urgentLane : this.normalLane;
      slot = lane.headSlot;
      lane.shift();
      this.laneEntries--;
    }
    const fn = this.slotFn[slot]!;
    this.poppedArg = this.slotArg[slot];
    this.release(slot);
    return fn;
  }

  /**
   * Drops cancelled entries from the fronts and says where the earliest live entry is:
   * the lane heads hold time `laneTime`, the URGENT lane's keys are below the NORMAL
   * lane's, and the heap top wins only with a smaller (time, key).
   */
  private selectNext(): number {
    if (this.laneCancelled > 0) this.dropCancelledLaneHeads();
    if (this.heapCancelled > 0) this.dropCancelledTop();
    let lane: InstantLane;
    let source: number;
    if (this.urgentLane.length > 0) {
      lane = this.urgentLane;
      source = URGENT_LANE;
    } else if (this.normalLane.length > 0) {
      lane = this.normalLane;
      source = NORMAL_LANE;
    } else {
      return this.heapSize > 0 ? HEAP : NONE;
    }
    if (this.heapSize === 0) return source;
    const heapTime = this.heapTime[0]!;
    if (heapTime < this.laneTime || (heapTime === this.laneTime && this.heapKey[0]! < lane.headKey)) return HEAP;
    return source;
  }

  /** Returns a slot to the free list; its handle goes stale. */
  private release(slot: number): void {
    this.slotFn[slot] = null;
    this.slotArg[slot] = undefined;
    this.slotState[slot] = FREE;
    this.slotGeneration[slot] = (this.slotGeneration[slot]! + 1) % GENERATION_LIMIT;
    this.freeSlots[this.freeCount++] = slot;
  }

  /** Cancels a pending entry. Returns false when the handle already ran or was cancelled. */
  cancel(handle: number): boolean {
    if (!this.isPending(handle)) return false;
    const slot = handle % SLOT_LIMIT;
    this.slotState[slot] = CANCELLED; // still in the heap or its lane
    this.slotFn[slot] = null;
    this.slotArg[slot] = undefined;
    if (this.slotInLane[slot] === 1) {
      this.laneCancelled++;
    } else {
      this.heapCancelled++;
      if (this.heapCancelled > 64 && this.heapCancelled * 2 > this.heapSize) this.compact();
    }
    return true;
  }

  /** Whether a handle still refers to a pending entry. */
  isPending(handle: number): boolean {
    const slot = handle % SLOT_LIMIT;
    const generation = (handle - slot) / SLOT_LIMIT;
    return slot < this.slotsUsed && this.slotState[slot] === PENDING && this.slotGeneration[slot] === generation;
  }

  private dropCancelledTop(): void {
    while (this.heapSize > 0) {
      const slot = this.heapSlot[0]!;
      if (this.slotState[slot] !== CANCELLED) return;
      this.removeTop();
      this.heapCancelled--;
      this.release(slot);
    }
  }

  private dropCancelledLaneHeads(): void {
    this.dropCancelledHeads(this.urgentLane);
    this.dropCancelledHeads(this.normalLane);
  }

  private dropCancelledHeads(lane: InstantLane): void {
    while (lane.length > 0 && this.slotState[lane.headSlot] === CANCELLED) {
      this.release(lane.headSlot);
      lane.shift();
      this.laneEntries--;
      this.laneCancelled--;
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
      if (this.slotState[slot] === CANCELLED) {
        this.release(slot);
        continue;
      }
      this.heapTime[kept] = this.heapTime[i]!;
      this.heapKey[kept] = this.heapKey[i]!;
      this.heapSlot[kept] = slot;
      kept++;
    }
    this.heapSize = kept;
    this.heapCancelled = 0;
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
    this.slotState = grow(this.slotState, new Uint8Array(n));
    this.slotInLane = grow(this.slotInLane, new Uint8Array(n));
    this.freeSlots = grow(this.freeSlots, new Int32Array(n));
  }
}

function grow<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(old: T, bigger: T): T {
  bigger.set(old as never);
  return bigger;
}
