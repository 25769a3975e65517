/**
 * `mm1-processes`: the M/M/1 of `mm1-callbacks` (10 million customers) on the process path:
 * generator processes and a `Resource`. Target: ≥ 1.5 million customers/s.
 */
import type { BenchResult } from './common.ts';
import { ProcessQueue } from './mm1-process-model.ts';
import { benchReplicatedQueue } from './replicated-queue.ts';

export function benchMm1Processes(customers = 10_000_000): BenchResult {
  return benchReplicatedQueue('mm1-processes', (env, streams, n) => new ProcessQueue(env, streams, 'mm1', n), customers, 100_000);
}
