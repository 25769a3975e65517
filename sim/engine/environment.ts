import type { Scheduler } from './clock.ts';
import { allOf, anyOf, type Condition } from './condition.ts';
import { EventQueue, Priority, type QueueCallback } from './event-queue.ts';
import { SimEvent, Timeout } from './event.ts';
import { Process, type ProcessBody } from './process.ts';

/** When a run stops. With none of `until`, it runs until no event is pending. */
export interface RunOptions {
  /**
   * Stop at this time (integer ns): events strictly before it are processed, events at
   * or after it stay pending, and the clock ends at `until`. Or stop once this event
   * has been processed, returning its value.
   */
  until?: number | SimEvent<any>;
  /** Guard against runaway runs: throw `RunawayError` after processing this many events. */
  maxEvents?: number;
  /** Guard against runaway runs: throw `RunawayError` rather than advance past this time (ns). */
  maxTimeNs?: number;
}

/** Thrown when a run hits one of its guards (`maxEvents`, `maxTimeNs`). */
export class RunawayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunawayError';
  }
}

/**
 * The simulation environment: it alone owns the clock and the event queue. Models ask it
 * for timeouts and callbacks; nothing else advances time.
 *
 * Two ways to put work on the one queue:
 * - the callback path, `schedule(delay, fn, arg)`, for hot device models (no allocation);
 * - the process path: `process(body)` runs a generator that yields events or delays.
 */
export class Environment implements Scheduler {
  private readonly queue = new EventQueue();
  private clock = 0;
  private processedEvents = 0;
  /** The process whose body is executing right now, if any. */
  activeProcess: Process<any> | null = null;

  constructor(options: { startNs?: number } = {}) {
    this.clock = options.startNs ?? 0;
  }

  /** Current simulated time, integer nanoseconds. */
  get now(): number {
    return this.clock;
  }

  /** Events processed so far (cancelled callbacks are not counted). */
  get eventsProcessed(): number {
    return this.processedEvents;
  }

  /** Live entries on the queue. */
  get pendingCount(): number {
    return this.queue.size;
  }

  /**
   * Runs `fn(arg)` after `delayNs` (rounded to the nearest integer ns). Priority breaks
   * ties at equal times (lower first); scheduling order breaks the rest.
   */
  schedule<A>(delayNs: number, fn: (arg: A) => void, arg: A, priority: number = Priority.NORMAL): number {
    if (!(delayNs >= 0 && delayNs < Infinity)) {
      throw new RangeError(`delay must be a finite number of nanoseconds >= 0, got ${delayNs}`);
    }
    if (!(priority >= 0 && priority <= Priority.MAX && Number.isInteger(priority))) {
      throw new RangeError(`priority must be an integer in [0, ${Priority.MAX}], got ${priority}`);
    }
    return this.queue.push(this.clock + Math.round(delayNs), priority, fn as QueueCallback, arg);
  }

  /** Runs `fn(arg)` at absolute time `timeNs` (not before now). */
  scheduleAt<A>(timeNs: number, fn: (arg: A) => void, arg: A, priority: number = Priority.NORMAL): number {
    return this.schedule(timeNs - this.clock, fn, arg, priority);
  }

  /** Cancels a callback scheduled with `schedule`. Returns false if it already ran or was cancelled. */
  cancel(handle: number): boolean {
    return this.queue.cancel(handle);
  }

  /** Whether a handle from `schedule` is still pending. */
  isPending(handle: number): boolean {
    return this.queue.isPending(handle);
  }

  /** Engine internal: `schedule` for a delay and priority the caller has already checked. */
  scheduleChecked<A>(delayNs: number, fn: (arg: A) => void, arg: A, priority: number): number {
    return this.queue.push(this.clock + Math.round(delayNs), priority, fn as QueueCallback, arg);
  }

  /** Engine internal: queue an event's processing (the hot path of processes: checks only the delay). */
  scheduleEventProcessing(event: SimEvent<any>, delayNs: number, priority: number): void {
    if (delayNs === 0) {
      this.queue.push(this.clock, priority, SimEvent.process, event);
    } else {
      this.schedule(delayNs, SimEvent.process, event, priority);
    }
  }

  /** A new pending event, to be triggered by `succeed` or `fail`. */
  event<T = unknown>(): SimEvent<T> {
    return new SimEvent<T>(this);
  }

  /** An event that succeeds with `value` after `delayNs`. */
  timeout<T = undefined>(delayNs: number, value?: T): Timeout<T> {
    return new Timeout<T>(this, delayNs, value);
  }

  /** Starts a process running `body` (a generator) at the current time. */
  process<T>(body: ProcessBody<T>, name?: string): Process<T> {
    return new Process<T>(this, body, name);
  }

  /** An event that fires once every one of `events` has been processed. */
  allOf(events: readonly SimEvent<any>[]): Condition {
    return allOf(this, events);
  }

  /** An event that fires once the first of `events` has been processed. */
  anyOf(events: readonly SimEvent<any>[]): Condition {
    return anyOf(this, events);
  }

  /** Time of the next pending entry, or Infinity. */
  peek(): number {
    return this.queue.peekTime();
  }

  /** Processes the next entry. Returns false when nothing was pending. */
  step(): boolean {
    const time = this.queue.peekTime();
    if (time === Infinity) return false;
    this.processSlot(time);
    return true;
  }

  /**
   * Runs until the stop condition in `options` (see `RunOptions`). With an event as
   * `until`, returns its value, throws its error if it failed, and throws if the queue
   * empties before it happens.
   */
  run<T>(options: RunOptions & { until: SimEvent<T> }): T;
  run(options?: RunOptions): unknown;
  run(options: RunOptions = {}): unknown {
    const { until, maxEvents = Infinity, maxTimeNs = Infinity } = options;
    let stopTime = Infinity;
    let stopEvent: SimEvent<any> | null = null;
    if (typeof until === 'number') {
      if (!(until >= this.clock) || !Number.isInteger(until)) {
        throw new RangeError(`until must be an integer number of ns >= the current time (${this.clock} ns), got ${until}`);
      }
      stopTime = until;
    } else if (until !== undefined) {
      stopEvent = until;
      if (stopEvent.processed) return this.outcome(stopEvent);
    }

    const queue = this.queue;
    const eventLimit = this.processedEvents + maxEvents;
    for (;;) {
      if (stopEvent !== null && stopEvent.processed) return this.outcome(stopEvent);
      const time = queue.peekTime();
      // With an event as `until`, stopTime is Infinity and an empty queue must reach the
      // "ran out of events" check below rather than end the run here.
      if (time >= stopTime && stopEvent === null) {
        if (stopTime !== Infinity) this.clock = stopTime;
        break;
      }
      if (time === Infinity) {
        if (stopEvent !== null) {
          throw new Error(`the run ran out of events at ${this.clock} ns before the "until" event happened`);
        }
        break;
      }
      if (time > maxTimeNs) {
        throw new RunawayError(
          `run stopped: the next event is at ${time} ns, past the guard maxTimeNs = ${maxTimeNs} ns ` +
            `(${this.processedEvents} events processed); raise the limit or check for a model that never settles`,
        );
      }
      if (this.processedEvents >= eventLimit) {
        throw new RunawayError(
          `run stopped after ${maxEvents} events at ${this.clock} ns (guard maxEvents = ${maxEvents}); ` +
            `raise the limit or check for a model that schedules events without end`,
        );
      }
      this.processSlot(time);
    }
    return undefined;
  }

  /** Runs the earliest entry, whose time the caller has just peeked. */
  private processSlot(time: number): void {
    const queue = this.queue;
    const fn = queue.pop()!;
    this.clock = time;
    this.processedEvents++;
    fn(queue.poppedArg);
  }

  private outcome(event: SimEvent<any>): unknown {
    if (!event.ok) {
      event.defused = true;
      throw event.value;
    }
    return event.value;
  }
}
