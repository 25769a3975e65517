/**
 * `hold-100k`: the classic hold model. 100,000 timer callbacks stay pending; each, when it
 * fires, reschedules itself after an exponential delay (mean 1 s), until 10 million events
 * have been processed. Measures the event queue at a large, constant size.
 */
import { Environment, NS_PER_S } from '../engine/index.ts';
import { exponential, RandomStreams, type ExponentialDistribution, type RandomStream } from '../engine/random/index.ts';
import { round, wallNowMs, wallSecondsSince, type BenchResult } from './common.ts';

interface HoldState {
  readonly env: Environment;
  readonly rng: RandomStream;
  readonly delay: ExponentialDistribution;
  /** Entries pushed so far; rescheduling stops once it reaches `target`. */
  scheduled: number;
  readonly target: number;
  delaySumNs: number;
}

function hold(s: HoldState): void {
  if (s.scheduled < s.target) {
    s.scheduled++;
    const delay = s.delay.sample(s.rng);
    s.delaySumNs += delay;
    s.env.schedule(delay, hold, s);
  }
}

/** Every pushed entry is processed exactly once, so the run processes `events` events. */
function simulate(seed: number, pending: number, events: number) {
  const env = new Environment();
  const s: HoldState = {
    env,
    rng: new RandomStreams(seed).stream('hold/delay'),
    delay: exponential(NS_PER_S),
    scheduled: 0,
    target: events,
    delaySumNs: 0,
  };
  for (let i = 0; i < pending; i++) hold(s);
  const pendingAtStart = env.pendingCount;
  env.run();
  return { env, s, pendingAtStart };
}

export function benchHold(pending = 100_000, events = 10_000_000): BenchResult {
  const name = 'hold-100k';
  simulate(1000, pending, 2 * pending); // JIT warm-up, untimed
  const start = wallNowMs();
  const { env, s, pendingAtStart } = simulate(1, pending, events);
  const wallS = wallSecondsSince(start);
  if (pendingAtStart !== pending || env.eventsProcessed !== events || s.scheduled !== events) {
    throw new Error(`${name}: expected ${events} events with ${pending} pending, got ${env.eventsProcessed}`);
  }
  const meanDelayS = s.delaySumNs / s.scheduled / NS_PER_S;
  if (!(Math.abs(meanDelayS - 1) < 0.01)) throw new Error(`${name}: mean hold time ${meanDelayS} s, expected ~1 s`);
  return {
    name,
    events: env.eventsProcessed,
    wall_s: round(wallS, 4),
    events_per_s: Math.round(env.eventsProcessed / wallS),
    pending,
    sim_end_s: round(env.now / NS_PER_S, 3),
  };
}
