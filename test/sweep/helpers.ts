/** Test helpers for sweeps: scenario sets, the reference result files, and the CLI as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runsCsv, timeseriesCsv } from '../../sim/output/results-csv.ts';
import { executeRun, type RunResult } from '../../sim/run/execute-run.ts';
import type { LoadOptions } from '../../sim/scenario/load.ts';
import { BIN, ROOT } from '../golden/cli.ts';
import { deterministicQueue, loadRuns, smallSweep } from '../run/scenario-files.ts';

/**
 * Two scenarios: an M/M/1 sweep (2 disciplines x 2 replications, with a time series) and a
 * deterministic queue (1 run). 5 runs; 9 with --replications 3 (a: 6, b: 3).
 */
export function twoScenarios(stopS = 2000): Record<string, object> {
  return {
    'a.json': smallSweep('a', stopS),
    'b.json': deterministicQueue('b', { serviceS: 0.75, extra: { metrics: { interval: '10s' } } }),
  };
}

/** A scenario whose only run is stopped by the runaway guard: it throws. */
export const RUNAWAY = deterministicQueue('runaway', { extra: { stop: { at: '100s', maxEvents: 10 } } });

/** Every run of the scenarios executed in this thread, in canonical order (undefined: the run threw). */
export async function referenceResults(paths: readonly string[], options: LoadOptions = {}): Promise<{ ids: string[]; results: (RunResult | undefined)[] }> {
  const { runs, units } = await loadRuns(paths, options);
  const results = runs.map((run) => {
    try {
      return executeRun(run, units);
    } catch {
      return undefined;
    }
  });
  return { ids: runs.map((r) => r.id), results };
}

/**
 * The reference: what `storsim run` writes for these runs — runs.csv and timeseries.csv of the
 * runs that did not throw, through the same CSV writers `storsim run` uses. `only` keeps the runs
 * whose canonical index it accepts (the runs of one shard).
 */
export function referenceCsv(reference: { ids: string[]; results: (RunResult | undefined)[] }, only?: (index: number) => boolean) {
  const kept = reference.results.filter((_, i) => only === undefined || only(i));
  const results = kept.filter((r): r is RunResult => r !== undefined);
  const failed = reference.ids.filter((_, i) => (only === undefined || only(i)) && reference.results[i] === undefined);
  return { runs: runsCsv(results), timeseries: timeseriesCsv(results), failed };
}

/** {@link referenceCsv} of all runs of the scenarios: what `storsim run` writes for them. */
export async function referenceFiles(paths: readonly string[], options: LoadOptions = {}): Promise<{ runs: string; timeseries: string; failed: string[] }> {
  return referenceCsv(await referenceResults(paths, options));
}

export function readResult(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

/** The finished part files of a results folder (no temporary files). */
export function finishedParts(dir: string): string[] {
  const parts = join(dir, 'parts');
  if (!existsSync(parts)) return [];
  return readdirSync(parts).filter((name) => /^\d+\.json$/.test(name)).sort();
}

export interface Cli {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `node bin/storsim.js <args>` from the repository root; `env` is added to this process's environment. */
export function startStorsim(args: readonly string[], env: Record<string, string | undefined> = {}): { child: ChildProcess; done: Promise<Cli> } {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<Cli>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function storsimCli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<Cli> {
  return startStorsim(args, env).done;
}

/** Environment without any Slurm job-array variable of the test runner's own (if it runs under Slurm). */
export const NO_SLURM = {
  SLURM_ARRAY_TASK_ID: undefined,
  SLURM_ARRAY_TASK_MIN: undefined,
  SLURM_ARRAY_TASK_MAX: undefined,
  SLURM_ARRAY_TASK_COUNT: undefined,
  SLURM_ARRAY_TASK_STEP: undefined,
};
