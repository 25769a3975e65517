/**
 * A first-in first-out queue on a growable ring buffer: push and shift in O(1) with no
 * allocation once the buffer has grown to the largest backlog seen. Used for the host's
 * CPU run queue and a virtual disk's waiting requests.
 */
export class Fifo<T> {
  private items: (T | undefined)[] = new Array(16);
  private head = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = item;
    this.count++;
  }

  /** The oldest item, removed; undefined when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    return item;
  }

  /** Empties the queue, returning its items oldest first. */
  drain(): T[] {
    const out: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) out.push(item);
    return out;
  }

  private grow(): void {
    const old = this.items;
    const next: (T | undefined)[] = new Array(old.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.items = next;
    this.head = 0;
  }
}
