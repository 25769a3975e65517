/**
 * The event queue sends same-instant URGENT and NORMAL entries to FIFO lanes once its heap
 * holds enough entries (see event-queue.ts). That must not change any order: a
 * simulation's trace is the same whether the heap is small (lanes unused) or padded with
 * far-future entries (lanes in use). This drives random process workloads both ways.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Environment } from '../../sim/engine/environment.ts';
import { Priority } from '../../sim/engine/event-queue.ts';
import { Interrupt, type ProcessBody, type Process } from '../../sim/engine/process.ts';
import { Resource } from '../../sim/engine/resources/resource.ts';
import type { SimEvent } from '../../sim/engine/event.ts';

type Action =
  | { kind: 'delay'; ns: number }
  | { kind: 'signal'; which: number }
  | { kind: 'wait'; which: number }
  | { kind: 'hold'; ns: number; priority: number }
  | { kind: 'spawn'; ns: number }
  | { kind: 'interrupt'; target: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('delay' as const), ns: fc.constantFrom(0, 0, 1, 2) }),
  fc.record({ kind: fc.constant('signal' as const), which: fc.nat({ max: 3 }) }),
  fc.record({ kind: fc.constant('wait' as const), which: fc.nat({ max: 3 }) }),
  fc.record({ kind: fc.constant('hold' as const), ns: fc.constantFrom(0, 1, 3), priority: fc.nat({ max: 2 }) }),
  fc.record({ kind: fc.constant('spawn' as const), ns: fc.constantFrom(0, 1) }),
  fc.record({ kind: fc.constant('interrupt' as const), target: fc.nat({ max: 7 }) }),
);

/** Runs the workload and returns its trace; `padding` far-future callbacks fill the heap first. */
function trace(programs: Action[][], padding: number): string[] {
  const env = new Environment();
  const log: string[] = [];
  const say = (what: string): void => {
    log.push(`${env.now} ${what}`);
  };
  for (let i = 0; i < padding; i++) env.schedule(1e12 + i, () => {}, null, i % 2 === 0 ? Priority.URGENT : Priority.NORMAL);
  const resource = new Resource(env, { capacity: 2 });
  // Signals are recreated once fired, so a later wait blocks again.
  const signals: SimEvent<number>[] = [0, 1, 2, 3].map(() => env.event<number>());
  const processes: Process<void>[] = [];

  function* body(id: string, actions: Action[]): ProcessBody<void> {
    for (let step = 0; step < actions.length; step++) {
      const action = actions[step]!;
      try {
        switch (action.kind) {
          case 'delay':
            yield action.ns;
            break;
          case 'signal': {
            const fired = signals[action.which]!;
            signals[action.which] = env.event<number>();
            fired.succeed(step, step % 2 === 0 ? Priority.URGENT : Priority.NORMAL);
            break;
          }
          case 'wait': {
            const value = (yield env.anyOf([signals[action.which]!, env.timeout(5)])) as unknown;
            say(`${id} waited ${JSON.stringify(value instanceof Map ? [...value.values()] : value)}`);
            break;
          }
          case 'hold': {
            const request = resource.request({ priority: action.priority });
            try {
              yield request;
              yield action.ns;
            } finally {
              resource.release(request);
            }
            break;
          }
          case 'spawn':
            processes.push(env.process(body(`${id}.${step}`, [{ kind: 'delay', ns: action.ns }, { kind: 'hold', ns: 1, priority: 1 }])));
            break;
          case 'interrupt': {
            const target = processes[action.target % Math.max(1, processes.length)];
            if (target !== undefined && target.isAlive && env.activeProcess !== target) target.interrupt(`${id}@${step}`);
            break;
          }
        }
      } catch (error) {
        if (!(error instanceof Interrupt)) throw error;
        say(`${id} interrupted by ${String(error.cause)}`);
      }
      say(`${id} step ${step} ${action.kind}`);
    }
  }

  programs.forEach((actions, i) => processes.push(env.process(body(`p${i}`, actions))));
  env.run({ until: 1e11 });
  return log;
}

test('property: a workload traces the same with a small heap (no lanes) and a padded one (lanes in use)', () => {
  fc.assert(
    fc.property(fc.array(fc.array(actionArb, { maxLength: 12 }), { minLength: 1, maxLength: 8 }), (programs) => {
      const plain = trace(programs, 0);
      assert.equal(trace(programs, 100), plain);
    }),
    { numRuns: 150 },
  );
});

test.run();
