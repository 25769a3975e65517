/**
 * The harness shared by the single-queue M/M/1 benchmarks: runs independent replications
 * of one model (each replication stays under 2^53 ns of simulated time), checks that the
 * model completed every customer with a plausible mean response time, and reports.
 */
import { Environment, NS_PER_S } from '../engine/index.ts';
import { RandomStreams } from '../engine/random/index.ts';
import {
  CUSTOMERS_PER_REPLICATION, checkCompleted, checkMeanResponse, round, wallNowMs, wallSecondsSince, type BenchResult,
} from './common.ts';

/** What a benchmarked queue model exposes. */
export interface QueueModel {
  start(): void;
  readonly completed: number;
  readonly responseSumNs: number;
}

export type QueueModelFactory = (env: Environment, streams: RandomStreams, customers: number) => QueueModel;

function simulate(build: QueueModelFactory, seed: number, replications: number, customersEach: number) {
  let events = 0;
  let completed = 0;
  let responseSumS = 0;
  for (let r = 0; r < replications; r++) {
    const env = new Environment();
    const model = build(env, new RandomStreams(seed + r), customersEach);
    model.start();
    env.run();
    events += env.eventsProcessed;
    completed += model.completed;
    responseSumS += model.responseSumNs / NS_PER_S;
  }
  return { events, completed, responseSumS };
}

/** Times `customers` customers of the model (after an untimed JIT warm-up of `warmupCustomers`). */
export function benchReplicatedQueue(name: string, build: QueueModelFactory, customers: number, warmupCustomers: number): BenchResult {
  simulate(build, 1000, 1, warmupCustomers); // JIT warm-up, untimed
  const replications = Math.ceil(customers / CUSTOMERS_PER_REPLICATION);
  const customersEach = Math.ceil(customers / replications);
  const start = wallNowMs();
  const { events, completed, responseSumS } = simulate(build, 1, replications, customersEach);
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
