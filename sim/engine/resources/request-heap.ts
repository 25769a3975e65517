/** Anything ordered by (priority, then arrival sequence); lower first. */
export interface Queued {
  readonly priority: number;
  readonly seq: number;
}

/**
 * Waiting requests ordered by priority, then arrival order. While every waiting request
 * has the same priority (the common FIFO case) it is a ring buffer with O(1) push and
 * pop; the first request with a different priority turns it into a binary min-heap until
 * it empties again. Supports removal of an arbitrary entry (a request withdrawn or a
 * waiting process interrupted).
 */
export class RequestHeap<T extends Queued> {
  /**
   * FIFO mode: `count` entries from `ring[head]` on, wrapping, in arrival order, all of
   * one priority. The ring's size is a power of two that grows to the longest queue seen,
   * and never with the number of requests served: with a thousand resources alive, each
   * queue stays a few cache lines that are reused, so the working set stays small.
   */
  private ring: (T | undefined)[] = new Array(4).fill(undefined);
  private mask = 3;
  private head = 0;
  private count = 0;
  /** Heap mode: `items` is exactly the heap. */
  private items: T[] = [];
  private fifo = true;

  get size(): number {
    return this.fifo ? this.count : this.items.length;
  }

  peek(): T | undefined {
    if (this.fifo) return this.count === 0 ? undefined : this.ring[this.head];
    return this.items[0];
  }

  push(item: T): void {
    if (this.fifo) {
      if (this.count === 0 || this.ring[this.head]!.priority === item.priority) {
        if (this.count === this.ring.length) this.growRing();
        this.ring[(this.head + this.count++) & this.mask] = item;
        return;
      }
      this.toHeap();
    }
    this.heapPush(item);
  }

  pop(): T | undefined {
    if (this.fifo) {
      if (this.count === 0) return undefined;
      const item = this.ring[this.head]!;
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) & this.mask;
      this.count--;
      return item;
    }
    const top = this.heapPop();
    if (this.items.length === 0) this.fifo = true; // emptied: back to the cheap FIFO mode
    return top;
  }

  /** The FIFO entries in arrival order. */
  private ringContents(): T[] {
    const out: T[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.ring[(this.head + i) & this.mask]!;
    return out;
  }

  private growRing(): void {
    const contents = this.ringContents();
    this.ring = contents.concat(new Array(contents.length).fill(undefined));
    this.mask = this.ring.length - 1;
    this.head = 0;
  }

  private toHeap(): void {
    // Entries in arrival order with one priority already form a valid heap.
    this.items = this.ringContents();
    this.ring.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.fifo = false;
  }

  private heapPush(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }

  private heapPop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) this.siftDown(0, last);
    return top;
  }

  /** Removes `item` if present; O(n) search, used only on withdrawal. */
  remove(item: T): boolean {
    if (this.fifo) {
      let i = 0;
      while (i < this.count && this.ring[(this.head + i) & this.mask] !== item) i++;
      if (i === this.count) return false;
      // Close the gap: later entries move one place towards the head.
      for (; i < this.count - 1; i++) {
        this.ring[(this.head + i) & this.mask] = this.ring[(this.head + i + 1) & this.mask];
      }
      this.ring[(this.head + --this.count) & this.mask] = undefined;
      return true;
    }
    const items = this.items;
    const i = items.indexOf(item);
    if (i < 0) return false;
    const last = items.pop()!;
    if (i < items.length) {
      this.siftDown(i, last);
      // The moved element may also need to go up.
      let j = items.indexOf(last);
      while (j > 0) {
        const parent = (j - 1) >> 1;
        if (!before(items[j]!, items[parent]!)) break;
        [items[j], items[parent]] = [items[parent]!, items[j]!];
        j = parent;
      }
    }
    if (items.length === 0) this.fifo = true; // emptied: back to the cheap FIFO mode
    return true;
  }

  /** The entries in queue order (a sorted copy). */
  toArray(): T[] {
    return (this.fifo ? this.ringContents() : this.items.slice()).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  private siftDown(start: number, item: T): void {
    const items = this.items;
    const size = items.length;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && before(items[right]!, items[child]!)) child = right;
      if (!before(items[child]!, item)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = item;
  }
}

function before(a: Queued, b: Queued): boolean {
  return a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq);
}
