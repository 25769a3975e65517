import type { Environment } from '../environment.ts';
import { SimEvent } from '../event.ts';
import type { Process } from '../process.ts';
import { RequestHeap } from './request-heap.ts';

/** Options of a `Resource`. */
export interface ResourceOptions {
  /** Number of units that can be held at once (servers, slots, channels). Integer >= 1. */
  capacity: number;
  /** Whether a request may evict a holder with a worse (higher) priority. Default false. Only holders that requested through a process (not `acquire`) can be evicted. */
  preemptive?: boolean;
  /** Name used in error messages and preemption causes. */
  name?: string;
}

/** Options of one request. */
export interface RequestOptions {
  /** Lower is served first; equal priorities are served in arrival order (FIFO). Default 0. */
  priority?: number;
  /** On a preemptive resource: evict the worst holder if it has a higher priority number. */
  preempt?: boolean;
}

/** The cause an evicted holder's process receives in its `Interrupt`. */
export interface Preempted {
  readonly kind: 'preempted';
  readonly resource: string;
  /** The process that took the unit (null for a callback-path request). */
  readonly by: Process<any> | null;
  /** When the evicted holder had been granted the unit (ns). */
  readonly usageSinceNs: number;
}

const NO_OPTIONS: RequestOptions = Object.freeze({});

/** Callback-path grant notification. */
export type GrantCallback<A> = (request: Request, arg: A) => void;

/**
 * A claim on one unit of a resource. On the process path it is an event that succeeds
 * (with itself) when the unit is granted, so a process writes `yield resource.request()`.
 * On the callback path (`Resource.acquire`) its callback runs synchronously at the grant.
 * Either way, hand it back with `resource.release(request)`.
 */
export class Request extends SimEvent<Request> {
  readonly resource: Resource;
  readonly priority: number;
  readonly seq: number;
  readonly preempt: boolean;
  /** The process that made the request, if any (used for preemption). */
  readonly owner: Process<any> | null;
  /** Time the unit was granted (ns); -1 while waiting. */
  grantedAtNs = -1;
  /** True once released or withdrawn. */
  released = false;

  constructor(resource: Resource, seq: number, options: RequestOptions, owner: Process<any> | null) {
    super(resource.env);
    this.resource = resource;
    this.seq = seq;
    this.priority = options.priority ?? 0;
    this.preempt = options.preempt ?? false;
    this.owner = owner;
  }

  /** Tells the requester that the unit is granted: the event succeeds (with the request). */
  notifyGrant(): void {
    this.succeed(this);
  }
}

/** A request made on the callback path: its grant runs a callback instead of an event. */
class CallbackRequest<A> extends Request {
  constructor(
    resource: Resource,
    seq: number,
    options: RequestOptions,
    private readonly onGrant: GrantCallback<A>,
    private readonly grantArg: A,
  ) {
    super(resource, seq, options, null);
  }

  override notifyGrant(): void {
    this.onGrant(this, this.grantArg);
  }
}

/**
 * A resource with a fixed number of identical units, served in priority order and FIFO
 * within a priority; optionally preemptive. Requests beyond the capacity wait.
 */
export class Resource {
  readonly env: Environment;
  readonly capacity: number;
  readonly name: string;
  readonly preemptive: boolean;
  private readonly holders: Request[] = [];
  private readonly waiting = new RequestHeap<Request>();
  private nextSeq = 0;

  constructor(env: Environment, options: ResourceOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new RangeError(`resource capacity must be an integer >= 1, got ${options.capacity}`);
    }
    this.env = env;
    this.capacity = options.capacity;
    this.name = options.name ?? 'resource';
    this.preemptive = options.preemptive ?? false;
  }

  /** Units currently held. */
  get inUse(): number {
    return this.holders.length;
  }

  /** Requests waiting for a unit. */
  get queueLength(): number {
    return this.waiting.size;
  }

  /** Current holders, in grant order. */
  get users(): readonly Request[] {
    return this.holders;
  }

  /** Waiting requests, in the order they will be served. */
  get queue(): Request[] {
    return this.waiting.toArray();
  }

  /** Process path: an event that succeeds when a unit is granted. */
  request(options: RequestOptions = NO_OPTIONS): Request {
    const request = new Request(this, this.nextSeq++, options, this.env.activeProcess);
    this.enqueue(request);
    return request;
  }

  /**
   * Callback path: `onGrant(request, arg)` runs synchronously as soon as a unit is free
   * (possibly before `acquire` returns). No event is queued for the grant.
   */
  acquire<A>(onGrant: GrantCallback<A>, arg: A, options: RequestOptions = NO_OPTIONS): Request {
    const request = new CallbackRequest(this, this.nextSeq++, options, onGrant, arg);
    this.enqueue(request);
    return request;
  }

  /**
   * Returns a held unit, or withdraws a request still waiting. The next waiting request,
   * if any, is granted at once. Releasing twice is a no-op.
   */
  release(request: Request): void {
    if (request.released) return;
    request.released = true;
    if (request.grantedAtNs < 0) {
      this.waiting.remove(request);
      return;
    }
    const holders = this.holders;
    const i = holders.indexOf(request);
    if (i >= 0) {
      for (let j = i + 1; j < holders.length; j++) holders[j - 1] = holders[j]!;
      holders.pop();
    }
    this.grantWaiting();
  }

  private enqueue(request: Request): void {
    if (this.holders.length < this.capacity) {
      this.grant(request);
      return;
    }
    if (this.preemptive && request.preempt) {
      const victim = this.worstHolder();
      if (victim !== null && victim.priority > request.priority) {
        this.evict(victim, request);
        this.grant(request);
        return;
      }
    }
    this.waiting.push(request);
  }

  private grantWaiting(): void {
    while (this.holders.length < this.capacity && this.waiting.size > 0) {
      this.grant(this.waiting.pop()!);
    }
  }

  private grant(request: Request): void {
    request.grantedAtNs = this.env.now;
    this.holders.push(request);
    request.notifyGrant();
  }

  /**
   * The holder with the highest priority number, latest granted among equals. Only
   * process-path holders can be evicted: a callback-path holder has no process to
   * interrupt, so it keeps its unit.
   */
  private worstHolder(): Request | null {
    let worst: Request | null = null;
    for (const holder of this.holders) {
      if (holder.owner === null) continue;
      if (worst === null || holder.priority > worst.priority || (holder.priority === worst.priority && holder.seq > worst.seq)) {
        worst = holder;
      }
    }
    return worst;
  }

  private evict(victim: Request, by: Request): void {
    victim.released = true;
    this.holders.splice(this.holders.indexOf(victim), 1);
    const cause: Preempted = {
      kind: 'preempted',
      resource: this.name,
      by: by.owner,
      usageSinceNs: victim.grantedAtNs,
    };
    if (victim.owner !== null && victim.owner.isAlive) victim.owner.interrupt(cause);
  }
}
