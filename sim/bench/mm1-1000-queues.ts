/**
 * `mm1-1000-queues`: 1,000 independent M/M/1 queues (λ 0.9 /s, μ 1 /s, each with its own
 * streams) in one simulation, 10 million customers in total, on the process + Resource
 * path: ~2,000 pending events and ~9,000 waiting processes at any time. Target: no more
 * than 3x slower per customer than one queue (`mm1-processes`).
 */
import { Environment, NS_PER_S } from '../engine/index.ts';
import { RandomStreams } from '../engine/random/index.ts';
import { checkCompleted, checkMeanResponse, round, wallNowMs, wallSecondsSince, type BenchResult } from './common.ts';
import { ProcessQueue } from './mm1-process-model.ts';

function simulate(seed: number, queueCount: number, customersEach: number) {
  const env = new Environment();
  const streams = new RandomStreams(seed);
  const queues: ProcessQueue[] = [];
  for (let i = 0; i < queueCount; i++) {
    const queue = new ProcessQueue(env, streams, `q${String(i).padStart(4, '0')}`, customersEach);
    queue.start();
    queues.push(queue);
  }
  env.run();
  let completed = 0;
  let responseSumS = 0;
  for (const queue of queues) {
    completed += queue.completed;
    responseSumS += queue.responseSumNs / NS_PER_S;
  }
  return { events: env.eventsProcessed, completed, responseSumS };
}

/**
 * @param oneQueueCustomersPerS customers/s of `mm1-processes` in this run, for the
 *   `slowdown_vs_one_queue` ratio (null when it is not known)
 */
export function benchMm1ThousandQueues(oneQueueCustomersPerS: number | null, customers = 10_000_000, queueCount = 1000): BenchResult {
  const name = 'mm1-1000-queues';
  simulate(1000, queueCount, 100); // JIT warm-up, untimed
  const customersEach = Math.ceil(customers / queueCount);
  const start = wallNowMs();
  const { events, completed, responseSumS } = simulate(1, queueCount, customersEach);
  const wallS = wallSecondsSince(start);
  checkCompleted(name, completed, customersEach * queueCount);
  const meanResponseS = responseSumS / completed;
  checkMeanResponse(name, meanResponseS);
  const customersPerS = completed / wallS;
  return {
    name,
    events,
    wall_s: round(wallS, 4),
    events_per_s: Math.round(events / wallS),
    customers_per_s: Math.round(customersPerS),
    mean_response_s: round(meanResponseS, 4),
    slowdown_vs_one_queue: oneQueueCustomersPerS === null ? null : round(oneQueueCustomersPerS / customersPerS, 3),
    customers: completed,
    queues: queueCount,
  };
}
