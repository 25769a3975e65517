import type { Environment } from './environment.ts';
import { Priority } from './event-queue.ts';

/** Something a waiting party is told when an event is processed. */
export type EventCallback = (event: SimEvent<any>) => void;

/** An object told when an event is processed (a process; saves a closure per waiter). */
export interface EventWaiter {
  onEvent(event: SimEvent<any>): void;
}

type Listener = EventCallback | EventWaiter;

function notify(listener: Listener, event: SimEvent<any>): void {
  if (typeof listener === 'function') listener(event);
  else listener.onEvent(event);
}

const PENDING = 0;
const TRIGGERED = 1;
const PROCESSED = 2;

/**
 * An event in simulated time, as in SimPy: it is created pending, triggered once
 * (`succeed` or `fail`), and processed by the engine at the time it was triggered,
 * when it calls its callbacks in the order they were added.
 *
 * A failed event that nobody handles (no process waited on it and `defused` stays
 * false) stops the run with its error, so failures are never silently lost.
 */
export class SimEvent<T = unknown> {
  readonly env: Environment;
  /** Set by whoever handles a failure (e.g. a process that caught it). */
  defused = false;
  private state = PENDING;
  private isOk = true;
  private result: T | unknown = undefined;
  // One callback inline, the rest in an array: most events have a single waiter.
  private firstCallback: Listener | null = null;
  private moreCallbacks: Listener[] | null = null;

  constructor(env: Environment) {
    this.env = env;
  }

  /** True once `succeed` or `fail` has been called. */
  get triggered(): boolean {
    return this.state !== PENDING;
  }

  /** True once the engine has processed the event and called its callbacks. */
  get processed(): boolean {
    return this.state === PROCESSED;
  }

  /** Whether the event succeeded. Only meaningful once triggered. */
  get ok(): boolean {
    return this.isOk;
  }

  /** The event's value (or its error, when it failed). Throws while pending. */
  get value(): T {
    if (this.state === PENDING) throw new Error('the value of a pending event is not yet available');
    return this.result as T;
  }

  /** Triggers the event successfully; it is processed at the current time. */
  succeed(value?: T, priority: number = Priority.NORMAL): this {
    this.trigger(true, value, priority);
    return this;
  }

  /** Triggers the event as failed with `error`; waiting processes get it thrown. */
  fail(error: unknown, priority: number = Priority.NORMAL): this {
    this.trigger(false, error, priority);
    return this;
  }

  /**
   * Calls `callback(this)` (or `waiter.onEvent(this)`) when the event is processed, at
   * once if it already was. Listeners run in the order they were added.
   */
  addCallback(callback: EventCallback | EventWaiter): void {
    if (this.state === PROCESSED) {
      notify(callback, this);
    } else if (this.firstCallback === null) {
      this.firstCallback = callback;
    } else {
      (this.moreCallbacks ??= []).push(callback);
    }
  }

  /** Removes a callback that has not run yet. Returns whether it was found. */
  removeCallback(callback: EventCallback | EventWaiter): boolean {
    if (this.firstCallback === callback) {
      this.firstCallback = this.moreCallbacks?.shift() ?? null;
      return true;
    }
    const i = this.moreCallbacks?.indexOf(callback) ?? -1;
    if (i < 0) return false;
    this.moreCallbacks!.splice(i, 1);
    return true;
  }

  /**
   * Marks the event triggered with a result, without queueing it. Used by events
   * that put themselves on the queue (timeouts) at a later time.
   */
  protected settle(ok: boolean, value: unknown): void {
    if (this.state !== PENDING) throw new Error('an event can be triggered only once');
    this.state = TRIGGERED;
    this.isOk = ok;
    this.result = value;
  }

  private trigger(ok: boolean, value: unknown, priority: number): void {
    if (priority !== Priority.NORMAL && !(priority >= 0 && priority <= Priority.MAX && Number.isInteger(priority))) {
      throw new RangeError(`priority must be an integer in [0, ${Priority.MAX}], got ${priority}`);
    }
    this.settle(ok, value);
    this.env.scheduleEventProcessing(this, 0, priority);
  }

  /**
   * Succeeds and, when nobody is listening yet, marks the event processed at once
   * instead of queueing a processing step that would call no one. A listener added
   * later runs immediately, exactly as it would for any processed event. Used for the
   * end of a process, which most often nobody waits for.
   */
  protected succeedQuietly(value: T): void {
    if (this.firstCallback !== null) {
      this.succeed(value);
      return;
    }
    this.settle(true, value);
    this.state = PROCESSED;
  }

  /** Engine entry point: runs the callbacks. Called only from the event queue. */
  static process(event: SimEvent<any>): void {
    event.state = PROCESSED;
    const first = event.firstCallback;
    const more = event.moreCallbacks;
    event.firstCallback = null;
    event.moreCallbacks = null;
    if (first !== null) notify(first, event);
    if (more !== null) for (let i = 0; i < more.length; i++) notify(more[i]!, event);
    if (!event.isOk && !event.defused) {
      throw event.result;
    }
  }
}

/** An event that succeeds by itself after a delay. */
export class Timeout<T = undefined> extends SimEvent<T> {
  constructor(env: Environment, delayNs: number, value?: T) {
    super(env);
    this.settle(true, value);
    env.scheduleEventProcessing(this, delayNs, Priority.NORMAL);
  }
}
