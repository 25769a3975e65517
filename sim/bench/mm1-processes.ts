/**
 * `mm1-processes`: the M/M/1 of `mm1-callbacks` (10 million customers) on the process path:
 * generator processes and a `Resource`. Target: ≥ 1.5 million customers/s.
 */
import { Environment, NS_PER_S } from '../engine/index.ts';
import { RandomStreams } from '../engine/random/index.ts';
import {
  CUSTOMERS_PER_REPLICATION,
  checkCompleted,
  checkMeanResponse,
  round,
  wallNowMs,
  wallSecondsSince,
  type BenchResult,
} from './common.ts';
import { ProcessQueue } from './mm1-process-model.ts';

function simulate(seed: number, replications: number, customersEach: number) {
  let events = 0;
  let completed = 0;
  let responseSumS = 0;
  for (let r = 0; r < replications; r++) {
    const env = new Environment();
    const queue = new ProcessQueue(env, new RandomStreams(seed + r), 'mm1', customersEach);
    queue.start();
    env.run();
    events += env.eventsProcessed;
    completed += queue.completed;
    responseSumS += queue.responseSumNs / NS_PER_S;
  }
  return { events, completed, responseSumS };
}

export function benchMm1Processes(customers = 10_000_000): BenchResult {
  const name = 'mm1-processes';
  simulate(1000, 1, 100_000); // JIT warm-up, untimed
  const replications = Math.ceil(customers / CUSTOMERS_PER_REPLICATION);
  const customersEach = Math.ceil(customers / replications);
  const start = wallNowMs();
  const { events, completed, responseSumS } = simulate(1, replications, customersEach);
  const wallS = wallSecondsSince(start);
  checkCompleted(name, completed, customersEach * replications);
  const meanResponseS = responseSumS / completed;
  checkMeanResponse(name, meanResponseS);
  return {
    name,
    events,
    wall_s: round(wallS, 4),
    events_per_s: Math.round(events / wallS),
    customers_per_s: Math.round(completed / wallS),
    mean_response_s: round(meanResponseS, 4),
    customers: completed,
    replications,
  };
}
