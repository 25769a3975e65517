/**
 * From part files to the results folder's CSV files. runs.csv and timeseries.csv are made by the
 * same writers as `storsim run` (sim/output/results-csv.ts) from the successful runs in canonical
 * order, so they are byte-identical to what `storsim run` writes for the same runs, whatever the
 * number of workers, the order runs finished in, the shards or the interruptions.
 * failures.csv (`run_id,error`, canonical order) lists the runs that threw.
 */
import { join } from 'node:path';
import { toCsv } from '../output/csv.ts';
import { runsCsv, timeseriesCsv } from '../output/results-csv.ts';
import type { RunResult } from '../run/execute-run.ts';
import type { PartOutcome } from './part.ts';

export const FAILURES_COLUMNS = ['run_id', 'error'] as const;
export const PARTS_DIR = 'parts';
export const RUNS_FILE = 'runs.csv';
export const TIMESERIES_FILE = 'timeseries.csv';
export const FAILURES_FILE = 'failures.csv';

/** The result files of a set of parts, given in canonical order. `failures` is null when no run failed. */
export interface ResultFiles {
  runs: string;
  timeseries: string;
  failures: string | null;
  failed: { runId: string; seed: number; error: string }[];
}

export function resultFiles(outcomes: readonly PartOutcome[]): ResultFiles {
  const results: RunResult[] = [];
  const failed: ResultFiles['failed'] = [];
  for (const outcome of outcomes) {
    if ('result' in outcome) results.push(outcome.result);
    else failed.push({ runId: outcome.run.id, seed: outcome.run.seed, error: outcome.error });
  }
  return {
    runs: runsCsv(results),
    timeseries: timeseriesCsv(results),
    failures: failed.length === 0 ? null : toCsv(FAILURES_COLUMNS, failed.map((f) => ({ run_id: f.runId, error: f.error }))),
    failed,
  };
}

export function partsDir(dir: string): string {
  return join(dir, PARTS_DIR);
}
