import type { Environment } from '../environment.ts';
import { SimEvent } from '../event.ts';

/** Options of a `Container`. */
export interface ContainerOptions {
  /** Largest level (e.g. bytes of space, tokens of bandwidth). Default Infinity. */
  capacity?: number;
  /** Level at the start. Default 0. */
  initial?: number;
  name?: string;
}

/** A pending change of level: a put (amount > 0 added) or a get (amount removed). */
export class ContainerRequest extends SimEvent<number> {
  constructor(
    env: Environment,
    readonly amount: number,
  ) {
    super(env);
  }
}

/**
 * A continuous or discrete amount: free bytes of space, tokens in a bucket. `get(n)` waits
 * until the level is at least n; `put(n)` waits until there is room for n. Each side is
 * served in strict FIFO order (a large get at the head blocks smaller ones behind it, so
 * no request starves).
 */
export class Container {
  readonly env: Environment;
  readonly capacity: number;
  readonly name: string;
  private current: number;
  private readonly puts: ContainerRequest[] = [];
  private readonly gets: ContainerRequest[] = [];

  constructor(env: Environment, options: ContainerOptions = {}) {
    const capacity = options.capacity ?? Infinity;
    const initial = options.initial ?? 0;
    if (!(capacity > 0)) throw new RangeError(`container capacity must be > 0, got ${capacity}`);
    if (!(initial >= 0 && initial <= capacity)) {
      throw new RangeError(`container initial level must be in [0, ${capacity}], got ${initial}`);
    }
    this.env = env;
    this.capacity = capacity;
    this.current = initial;
    this.name = options.name ?? 'container';
  }

  /** The current level. */
  get level(): number {
    return this.current;
  }

  /** Adds `amount` once there is room; the event's value is the amount. */
  put(amount: number): ContainerRequest {
    this.check(amount, 'put');
    const request = new ContainerRequest(this.env, amount);
    this.puts.push(request);
    this.settle();
    return request;
  }

  /** Removes `amount` once the level allows; the event's value is the amount. */
  get(amount: number): ContainerRequest {
    this.check(amount, 'get');
    const request = new ContainerRequest(this.env, amount);
    this.gets.push(request);
    this.settle();
    return request;
  }

  /** Withdraws a put or get that has not been served. */
  cancel(request: ContainerRequest): boolean {
    for (const list of [this.puts, this.gets]) {
      const i = list.indexOf(request);
      if (i >= 0) {
        list.splice(i, 1);
        this.settle();
        return true;
      }
    }
    return false;
  }

  private check(amount: number, what: string): void {
    if (!(amount > 0 && amount <= this.capacity)) {
      throw new RangeError(`${this.name}: ${what} amount must be in (0, ${this.capacity}], got ${amount}`);
    }
  }

  private settle(): void {
    let progress = true;
    while (progress) {
      progress = false;
      const put = this.puts[0];
      if (put !== undefined && this.current + put.amount <= this.capacity) {
        this.puts.shift();
        this.current += put.amount;
        put.succeed(put.amount);
        progress = true;
      }
      const get = this.gets[0];
      if (get !== undefined && this.current >= get.amount) {
        this.gets.shift();
        this.current -= get.amount;
        get.succeed(get.amount);
        progress = true;
      }
    }
  }
}
