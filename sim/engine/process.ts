import type { Environment } from './environment.ts';
import { SimEvent, type EventWaiter } from './event.ts';
import { Priority } from './event-queue.ts';

/**
 * What a process body may yield:
 * - an event (timeout, another process, a condition, a resource request, ...): the
 *   process resumes when it is processed, receiving its value (or its error thrown);
 * - a number: a delay in nanoseconds, the cheapest way to wait (no event allocated).
 */
export type Yieldable = SimEvent<any> | number;

/** The generator a process runs. Its return value becomes the process event's value. */
export type ProcessBody<T = unknown> = Generator<Yieldable, T, any>;

/** Thrown into a process by `interrupt`; `cause` says why. */
export class Interrupt extends Error {
  override readonly cause: unknown;
  constructor(cause: unknown) {
    super(`interrupted: ${describe(cause)}`);
    this.name = 'Interrupt';
    this.cause = cause;
  }
}

/**
 * A workflow in simulated time: a generator driven by the events it yields. A process is
 * itself an event, triggered when the generator returns (value = the return value) or
 * throws (failed with the error), so other processes can simply `yield` it to wait.
 */
export class Process<T = unknown> extends SimEvent<T> implements EventWaiter {
  readonly name: string;
  private readonly body: ProcessBody<T>;
  private target: SimEvent<any> | null = null;
  private timerHandle = -1;
  private started = false;

  constructor(env: Environment, body: ProcessBody<T>, name = 'process') {
    super(env);
    this.body = body;
    this.name = name;
    env.scheduleChecked(0, Process.start, this, Priority.URGENT);
  }

  /** True until the body returns or throws. */
  get isAlive(): boolean {
    return !this.triggered;
  }

  /** The event the process is waiting for, if any (null while waiting on a plain delay). */
  get waitingOn(): SimEvent<any> | null {
    return this.target;
  }

  /**
   * Throws an `Interrupt` carrying `cause` into the process at the current time (before
   * ordinary events at this time). The process stops waiting for what it yielded; if it
   * was waiting for a resource request, it should release that request when it catches
   * the interrupt.
   */
  interrupt(cause?: unknown): void {
    if (this.triggered) throw new Error(`cannot interrupt ${this.name}: it has already terminated`);
    if (this.env.activeProcess === this) throw new Error(`${this.name} cannot interrupt itself`);
    this.env.schedule(0, Process.deliverInterrupt, { process: this, cause }, Priority.URGENT);
  }

  private static start(process: Process<any>): void {
    if (process.started || process.triggered) return;
    process.started = true;
    process.step(true, undefined);
  }

  private static wake(process: Process<any>): void {
    process.timerHandle = -1;
    process.step(true, undefined);
  }

  private static deliverInterrupt(arg: { process: Process<any>; cause: unknown }): void {
    const process = arg.process;
    if (process.triggered) return; // it terminated before the interrupt arrived
    if (process.timerHandle >= 0) {
      process.env.cancel(process.timerHandle);
      process.timerHandle = -1;
    } else if (process.target !== null) {
      process.target.removeCallback(process);
      process.target = null;
    }
    process.started = true;
    process.step(false, new Interrupt(arg.cause));
  }

  /** Engine entry point: the event this process waited for was processed. */
  onEvent(event: SimEvent<any>): void {
    this.target = null;
    if (!event.ok) event.defused = true;
    this.step(event.ok, event.value);
  }

  /** Advances the generator until it waits on something not yet processed, or ends. */
  private step(ok: boolean, value: unknown): void {
    const env = this.env;
    const previous = env.activeProcess;
    env.activeProcess = this;
    for (;;) {
      let result: IteratorResult<Yieldable, T>;
      try {
        result = ok ? this.body.next(value) : this.body.throw(value);
      } catch (error) {
        env.activeProcess = previous;
        this.fail(error);
        return;
      }
      if (result.done) {
        env.activeProcess = previous;
        this.succeedQuietly(result.value);
        return;
      }
      const yielded = result.value;
      if (typeof yielded === 'number') {
        if (yielded >= 0 && yielded < Infinity) {
          this.timerHandle = env.scheduleChecked(yielded, Process.wake, this, Priority.NORMAL);
          break;
        }
        ok = false;
        value = new RangeError(`${this.name} yielded a delay of ${yielded} ns; a delay must be finite and >= 0`);
        continue;
      }
      if (yielded instanceof SimEvent) {
        if (yielded.processed) {
          ok = yielded.ok;
          value = yielded.value;
          if (!ok) yielded.defused = true;
          continue;
        }
        this.target = yielded;
        yielded.addCallback(this);
        break;
      }
      ok = false;
      value = new TypeError(
        `${this.name} yielded ${describe(yielded)}; a process may yield an event or a delay in nanoseconds`,
      );
    }
    env.activeProcess = previous;
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
