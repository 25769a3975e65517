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

// `flags` packs the state (bits 0-1), whether the event failed and whether a failure was
// handled into one small integer, so an event is four fields: with thousands of processes
// alive, smaller events mean fewer cache lines touched per step.
const STATE_MASK = 3;
const PENDING = 0;
const TRIGGERED = 1;
const PROCESSED = 2;
const FAILED = 4;
const DEFUSED = 8;

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
  private flags = PENDING;
  private result: T | unknown = undefined;
  /** No listener, one (most events have a single waiter), or several in order. */
  private listeners: Listener | Listener[] | null = null;

  constructor(env: Environment) {
    this.env = env;
  }

  /** Set by whoever handles a failure (e.g. a process that caught it). */
  get defused(): boolean {
    return (this.flags & DEFUSED) !== 0;
  }

  set defused(value: boolean) {
    this.flags = value ? this.flags | DEFUSED : this.flags & ~DEFUSED;
  }

  /** True once `succeed` or `fail` has been called. */
  get triggered(): boolean {
    return (this.flags & STATE_MASK) !== PENDING;
  }

  /** True once the engine has processed the event and called its callbacks. */
  get processed(): boolean {
    return (this.flags & STATE_MASK) === PROCESSED;
  }

  /** Whether the event succeeded. Only meaningful once triggered. */
  get ok(): boolean {
    return (this.flags & FAILED) === 0;
  }

  /** The event's value (or its error, when it failed). Throws while pending. */
  get value(): T {
    if ((this.flags & STATE_MASK) === PENDING) throw new Error('the value of a pending event is not yet available');
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
    const listeners = this.listeners;
    if ((this.flags & STATE_MASK) === PROCESSED) notify(callback, this);
    else if (listeners === null) this.listeners = callback;
    else if (Array.isArray(listeners)) listeners.push(callback);
    else this.listeners = [listeners, callback];
  }

  /** Removes a callback that has not run yet. Returns whether it was found. */
  removeCallback(callback: EventCallback | EventWaiter): boolean {
    const listeners = this.listeners;
    if (listeners === callback) {
      this.listeners = null;
      return true;
    }
    if (!Array.isArray(listeners)) return false;
    const i = listeners.indexOf(callback);
    if (i < 0) return false;
    listeners.splice(i, 1);
    return true;
  }

  /**
   * Marks the event triggered with a result, without queueing it. Used by events
   * that put themselves on the queue (timeouts) at a later time.
   */
  protected settle(ok: boolean, value: unknown): void {
    if ((this.flags & STATE_MASK) !== PENDING) throw new Error('an event can be triggered only once');
    this.flags = (this.flags & DEFUSED) | TRIGGERED | (ok ? 0 : FAILED);
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
    if (this.listeners !== null) {
      this.succeed(value);
      return;
    }
    this.settle(true, value);
    this.flags = (this.flags & ~STATE_MASK) | PROCESSED;
  }

  /** Engine entry point: runs the callbacks. Called only from the event queue. */
  static process(event: SimEvent<any>): void {
    event.flags = (event.flags & ~STATE_MASK) | PROCESSED;
    const listeners = event.listeners;
    event.listeners = null;
    if (listeners !== null) {
      if (Array.isArray(listeners)) for (let i = 0; i < listeners.length; i++) notify(listeners[i]!, event);
      else notify(listeners, event);
    }
    if ((event.flags & (FAILED | DEFUSED)) === FAILED) {
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
