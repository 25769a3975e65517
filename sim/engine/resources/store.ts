import type { Environment } from '../environment.ts';
import { SimEvent } from '../event.ts';

/** Options of a `Store`. */
export interface StoreOptions {
  /** Most items held at once; puts beyond it wait. Default Infinity. */
  capacity?: number;
  name?: string;
}

/** A pending `get`: succeeds with the first item (in store order) that its filter accepts. */
export class StoreGet<T> extends SimEvent<T> {
  constructor(
    env: Environment,
    readonly filter: ((item: T) => boolean) | null,
  ) {
    super(env);
  }
}

/** A pending `put`: succeeds once the item is in the store. */
export class StorePut<T> extends SimEvent<void> {
  constructor(
    env: Environment,
    readonly item: T,
  ) {
    super(env);
  }
}

/**
 * A store of items (messages, packets, jobs). Items leave in the order they arrived;
 * gets are served in the order they were made, each taking the first item its filter
 * accepts (a get without a filter takes the oldest item). A get whose filter matches
 * nothing does not block gets behind it.
 */
export class Store<T> {
  readonly env: Environment;
  readonly capacity: number;
  readonly name: string;
  private readonly held: T[] = [];
  private readonly gets: StoreGet<T>[] = [];
  private readonly puts: StorePut<T>[] = [];

  constructor(env: Environment, options: StoreOptions = {}) {
    const capacity = options.capacity ?? Infinity;
    if (!(capacity >= 1)) throw new RangeError(`store capacity must be >= 1, got ${capacity}`);
    this.env = env;
    this.capacity = capacity;
    this.name = options.name ?? 'store';
  }

  /** Items currently held, oldest first. */
  get items(): readonly T[] {
    return this.held;
  }

  /** Puts an item; the event succeeds when it is in the store. */
  put(item: T): StorePut<T> {
    const put = new StorePut(this.env, item);
    this.puts.push(put);
    this.settle();
    return put;
  }

  /** Takes the oldest item, or the oldest one `filter` accepts. */
  get(filter?: (item: T) => boolean): StoreGet<T> {
    const get = new StoreGet<T>(this.env, filter ?? null);
    this.gets.push(get);
    this.settle();
    return get;
  }

  /** Withdraws a get or put that has not been served (e.g. after an interrupt). */
  cancel(event: StoreGet<T> | StorePut<T>): boolean {
    const list: SimEvent<any>[] = event instanceof StoreGet ? this.gets : this.puts;
    const i = list.indexOf(event);
    if (i < 0) return false;
    list.splice(i, 1);
    return true;
  }

  /** Moves items in and out until no waiting put or get can proceed. */
  private settle(): void {
    let progress = true;
    while (progress) {
      progress = false;
      while (this.puts.length > 0 && this.held.length < this.capacity) {
        const put = this.puts.shift()!;
        this.held.push(put.item);
        put.succeed();
        progress = true;
      }
      for (let g = 0; g < this.gets.length; g++) {
        const get = this.gets[g]!;
        const index = get.filter === null ? (this.held.length > 0 ? 0 : -1) : this.held.findIndex(get.filter);
        if (index < 0) continue;
        const [item] = this.held.splice(index, 1);
        this.gets.splice(g--, 1);
        get.succeed(item as T);
        progress = true;
      }
    }
  }
}
