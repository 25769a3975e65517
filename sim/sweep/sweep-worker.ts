/**
 * The body of a sweep worker thread. It prepares the unit parser as soon as it starts (while the
 * main thread is still loading and checking the scenarios), then for each task `{ index, run,
 * partPath }` executes the run, writes its part file atomically (the result, or the error the
 * run threw), and only then replies `{ index, error? }`. The run arrives whole (structured
 * clone of the checked PlannedRun), so the worker neither rereads nor revalidates scenario files.
 */
import { parentPort } from 'node:worker_threads';
import { writeFileAtomic } from '../output/atomic-write.ts';
import { executeRun } from '../run/execute-run.ts';
import { loadUnits } from '../scenario/units.ts';
import { encodeErrorPart, encodeResultPart } from './part.ts';
import type { SweepTask, SweepWorkerReply } from './pool.ts';

const units = loadUnits();

parentPort!.on('message', async (task: SweepTask) => {
  let text: string;
  let error: string | undefined;
  try {
    text = encodeResultPart(task.index, executeRun(task.run, await units));
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    text = encodeErrorPart(task.index, task.run, error);
  }
  try {
    await writeFileAtomic(task.partPath, text);
  } catch (e) {
    parentPort!.postMessage({ index: task.index, writeError: e instanceof Error ? e.message : String(e) } satisfies SweepWorkerReply);
    return;
  }
  parentPort!.postMessage((error === undefined ? { index: task.index } : { index: task.index, error }) satisfies SweepWorkerReply);
});
