/** Anything ordered by (priority, then arrival sequence); lower first. */
export interface Queued {
  readonly priority: number;
  readonly seq: number;
}

/**
 * Waiting requests ordered by priority, then arrival order. While every waiting request
 * has the same priority (the common FIFO case) it is a plain queue with O(1) push and
 * pop; the first request with a different priority turns it into a binary min-heap until
 * it empties again. Supports removal of an arbitrary entry (a request withdrawn or a
 * waiting process interrupted).
 */
export class RequestHeap<T extends Queued> {
  private items: T[] = [];
  /**
   * FIFO mode: `items[head..tail)` are waiting, in arrival order, all of one priority. The
   * slots are reused once the queue empties (head and tail go back to 0), so a resource whose
   * queue comes and goes keeps a short array: with many resources alive this keeps their
   * queues small and in cache, instead of each growing to a thousand stale slots.
   * Heap mode: `items` is exactly the heap (tail = items.length, head = 0).
   */
  private fifo = true;
  private head = 0;
  private tail = 0;

  get size(): number {
    return this.fifo ? this.tail - this.head : this.items.length;
  }

  peek(): T | undefined {
    return this.size === 0 ? undefined : this.items[this.head];
  }

  push(item: T): void {
    if (this.fifo) {
      if (this.tail === this.head || this.items[this.head]!.priority === item.priority) {
        this.items[this.tail++] = item;
        return;
      }
      this.toHeap();
    }
    this.heapPush(item);
  }

  pop(): T | undefined {
    if (this.fifo) {
      if (this.head === this.tail) return undefined;
      const item = this.items[this.head]!;
      (this.items as (T | undefined)[])[this.head++] = undefined;
      if (this.head === this.tail) {
        this.head = 0;
        this.tail = 0;
      } else if (this.head > 1024 && this.head * 2 > this.tail) {
        this.items.copyWithin(0, this.head, this.tail);
        this.items.length = this.tail - this.head;
        this.tail -= this.head;
        this.head = 0;
      }
      return item;
    }
    const top = this.heapPop();
    if (this.items.length === 0) this.toFifo();
    return top;
  }

  private toHeap(): void {
    // Items in arrival order with one priority already form a valid heap.
    this.items = this.items.slice(this.head, this.tail);
    this.head = 0;
    this.tail = 0;
    this.fifo = false;
  }

  /** Back to the cheap FIFO mode once the heap has emptied. */
  private toFifo(): void {
    this.fifo = true;
    this.head = 0;
    this.tail = 0;
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
      const i = this.items.indexOf(item, this.head);
      if (i < 0 || i >= this.tail) return false;
      this.items.copyWithin(i, i + 1, this.tail);
      (this.items as (T | undefined)[])[--this.tail] = undefined;
      if (this.head === this.tail) {
        this.head = 0;
        this.tail = 0;
      }
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
    if (items.length === 0) this.toFifo(); // emptied: back to the cheap FIFO mode
    return true;
  }

  /** The entries in queue order (a sorted copy). */
  toArray(): T[] {
    return (this.fifo ? this.items.slice(this.head, this.tail) : this.items.slice()).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
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
