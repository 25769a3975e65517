/**
 * Runs a list of planned runs, in this thread or on worker threads, and returns their
 * outcomes in the order of the list, whatever order they finish in. Results are
 * identical for any number of workers, because each run is a pure function of itself.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LoadOptions, PlannedRun } from '../scenario/load.ts';
import type { UnitParser } from '../scenario/units.ts';
import { executeRun, type RunResult } from './execute-run.ts';
import type { WorkerReply, WorkerTask } from './run-worker.ts';

export type RunOutcome = { run: PlannedRun; result: RunResult } | { run: PlannedRun; error: string };

export interface RunAllOptions {
  /** Worker threads; 1 runs everything in this thread. Default: one per core. */
  workers?: number;
  /** The options the runs were loaded with (workers reload the files with them). */
  loadOptions?: LoadOptions;
  /** Called after each run finishes (for progress output). */
  onDone?: (outcome: RunOutcome, done: number, total: number) => void;
}

export function defaultWorkerCount(): number {
  return availableParallelism();
}

export async function runAll(runs: readonly PlannedRun[], units: UnitParser, options: RunAllOptions = {}): Promise<RunOutcome[]> {
  const workers = Math.max(1, Math.min(options.workers ?? defaultWorkerCount(), runs.length));
  if (workers === 1) return runHere(runs, units, options);
  return runOnWorkers(runs, workers, options);
}

function runHere(runs: readonly PlannedRun[], units: UnitParser, options: RunAllOptions): RunOutcome[] {
  return runs.map((run, i) => {
    let outcome: RunOutcome;
    try {
      outcome = { run, result: executeRun(run, units) };
    } catch (error) {
      outcome = { run, error: error instanceof Error ? error.message : String(error) };
    }
    options.onDone?.(outcome, i + 1, runs.length);
    return outcome;
  });
}

function runOnWorkers(runs: readonly PlannedRun[], count: number, options: RunAllOptions): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = new Array(runs.length);
  let next = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    const pool: Worker[] = [];
    const finish = () => {
      for (const worker of pool) void worker.terminate();
      resolve(outcomes);
    };
    const feed = (worker: Worker) => {
      if (next >= runs.length) return;
      const index = next++;
      const run = runs[index]!;
      worker.postMessage({ index, file: run.file, runId: run.id, options: options.loadOptions ?? {} } satisfies WorkerTask);
    };
    for (let w = 0; w < count; w++) {
      const worker = new Worker(new URL('./worker-entry.js', import.meta.url));
      pool.push(worker);
      worker.on('message', (reply: WorkerReply) => {
        const run = runs[reply.index]!;
        outcomes[reply.index] = 'result' in reply ? { run, result: { ...reply.result, run } } : { run, error: reply.error };
        done++; // not inside the call below: `?.` skips evaluating its arguments when there is no onDone
        options.onDone?.(outcomes[reply.index]!, done, runs.length);
        if (done === runs.length) finish();
        else feed(worker);
      });
      worker.on('error', (error) => {
        for (const other of pool) void other.terminate();
        reject(error);
      });
      worker.on('exit', (code) => {
        if (done < runs.length) {
          for (const other of pool) void other.terminate();
          reject(new Error(`a run worker exited (code ${code}) with ${runs.length - done} run(s) unfinished`));
        }
      });
      feed(worker);
    }
  });
}
