/**
 * The work in flight somewhere (IOs inside an array, copy segments on an engine), so that a
 * fault can fail every piece of it exactly once. O(1) add and remove (swap with the last);
 * iteration order depends only on the order of adds and removes, so it is deterministic.
 */

/** An entry knows its own position (-1 when in no set). */
export interface InFlightEntry {
  inFlightSlot: number;
}

export class InFlightSet<T extends InFlightEntry> {
  private readonly entries: T[] = [];

  get size(): number {
    return this.entries.length;
  }

  add(entry: T): void {
    if (entry.inFlightSlot !== -1) throw new Error('entry is already in flight');
    entry.inFlightSlot = this.entries.length;
    this.entries.push(entry);
  }

  /** Removes `entry`; false when it was not in the set. */
  remove(entry: T): boolean {
    const slot = entry.inFlightSlot;
    if (slot === -1 || this.entries[slot] !== entry) return false;
    const last = this.entries.pop()!;
    if (last !== entry) {
      this.entries[slot] = last;
      last.inFlightSlot = slot;
    }
    entry.inFlightSlot = -1;
    return true;
  }

  /** Empties the set, returning what was in it (in set order). */
  drain(): T[] {
    const all = this.entries.splice(0);
    for (const entry of all) entry.inFlightSlot = -1;
    return all;
  }
}
