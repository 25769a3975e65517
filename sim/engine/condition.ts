import type { Environment } from './environment.ts';
import { SimEvent } from './event.ts';

/**
 * The value of a condition: the events that had been processed when it fired, in the
 * order they were given, each with its value. A Map iterates in insertion order, so
 * reading it is deterministic.
 */
export type ConditionValue = Map<SimEvent<any>, unknown>;

/**
 * Waits for a number of events out of a list: all of them (`AllOf`) or any one
 * (`AnyOf`). Fails at once, with that event's error, when one of them fails.
 */
export class Condition extends SimEvent<ConditionValue> {
  private readonly events: readonly SimEvent<any>[];
  private readonly needed: number;
  private done = 0;

  constructor(env: Environment, events: readonly SimEvent<any>[], needed: number) {
    super(env);
    this.events = events;
    this.needed = Math.min(needed, events.length);
    for (const event of events) {
      if (event.env !== env) throw new Error('a condition cannot mix events of different environments');
    }
    if (this.needed === 0) {
      this.succeed(new Map());
      return;
    }
    const check = (event: SimEvent<any>) => this.check(event);
    for (const event of events) event.addCallback(check);
  }

  private check(event: SimEvent<any>): void {
    if (this.triggered) return;
    if (!event.ok) {
      event.defused = true;
      this.fail(event.value);
      return;
    }
    if (++this.done >= this.needed) this.succeed(this.collect());
  }

  private collect(): ConditionValue {
    const values: ConditionValue = new Map();
    for (const event of this.events) if (event.processed && event.ok) values.set(event, event.value);
    return values;
  }
}

/** Fires when every event in the list has been processed. */
export function allOf(env: Environment, events: readonly SimEvent<any>[]): Condition {
  return new Condition(env, events, events.length);
}

/** Fires when the first event in the list has been processed. */
export function anyOf(env: Environment, events: readonly SimEvent<any>[]): Condition {
  return new Condition(env, events, events.length === 0 ? 0 : 1);
}
