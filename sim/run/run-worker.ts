/**
 * The body of a run worker thread: receives `{ index, file, runId, options }`, loads the
 * scenario file (once per file), executes that run, and posts back `{ index, result }` or
 * `{ index, error }`. Runs are pure functions of the run, so where they execute cannot
 * change what they produce.
 */
import { parentPort } from 'node:worker_threads';
import { loadScenarios, type LoadedScenario, type LoadOptions } from '../scenario/load.ts';
import type { UnitParser } from '../scenario/units.ts';
import { executeRun } from './execute-run.ts';

export interface WorkerTask {
  index: number;
  file: string;
  runId: string;
  options: LoadOptions;
}

export type WorkerReply = { index: number; result: ReturnType<typeof executeRun> } | { index: number; error: string };

const cache = new Map<string, Promise<{ scenarios: LoadedScenario[]; units: UnitParser }>>();

parentPort!.on('message', async (task: WorkerTask) => {
  try {
    const key = `${task.file}\u0000${JSON.stringify(task.options)}`;
    if (!cache.has(key)) cache.set(key, loadScenarios([task.file], task.options));
    const { scenarios, units } = await cache.get(key)!;
    const run = scenarios[0]!.runs.find((r) => r.id === task.runId);
    if (run === undefined) throw new Error(`run ${task.runId} not found in ${task.file}`);
    parentPort!.postMessage({ index: task.index, result: executeRun(run, units) } satisfies WorkerReply);
  } catch (error) {
    parentPort!.postMessage({ index: task.index, error: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
  }
});
