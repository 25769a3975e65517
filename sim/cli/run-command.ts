/** `storsim run`: load every scenario (all-or-nothing), run every run, write the CSV files. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFilesAtomic } from '../output/atomic-write.ts';
import { runsCsv, timeseriesCsv } from '../output/results-csv.ts';
import { executeRun, type RunResult } from '../run/execute-run.ts';
import { ScenarioError } from '../scenario/errors.ts';
import { loadScenarios } from '../scenario/load.ts';
import { ExitCode } from './exit-codes.ts';

export interface RunCommandOptions {
  out: string;
  seed?: number;
  replications?: number;
  quiet?: boolean;
}

export async function runCommand(paths: string[], options: RunCommandOptions): Promise<number> {
  const say = options.quiet ? () => {} : (line: string) => console.log(line);
  let loaded;
  try {
    loaded = await loadScenarios(paths, { seed: options.seed, replications: options.replications });
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    console.error(`storsim: invalid input, nothing was run or written:\n${error.message}`);
    return ExitCode.BAD_INPUT;
  }
  const { scenarios, units } = loaded;
  const runs = scenarios.flatMap((s) => s.runs);
  say(`storsim: ${runs.length} run(s) from ${scenarios.length} scenario(s)`);
  const results: RunResult[] = [];
  const failures: string[] = [];
  const started = performance.now(); // wall-clock ok: progress report only
  for (const run of runs) {
    try {
      results.push(executeRun(run, units));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${run.id} (seed ${run.seed}): ${message}`);
      console.error(`storsim: run ${run.id} failed (seed ${run.seed}, file ${run.file}): ${message}`);
    }
  }
  const wallS = (performance.now() - started) / 1000; // wall-clock ok
  await mkdir(options.out, { recursive: true });
  const runsPath = join(options.out, 'runs.csv');
  const seriesPath = join(options.out, 'timeseries.csv');
  await writeFilesAtomic([
    { path: runsPath, contents: runsCsv(results) },
    { path: seriesPath, contents: timeseriesCsv(results) },
  ]);
  say(`storsim: ${results.length} run(s) done, ${failures.length} failed, in ${wallS.toFixed(1)} s`);
  say(`storsim: wrote ${runsPath} and ${seriesPath}`);
  return failures.length > 0 ? ExitCode.FAILED : ExitCode.OK;
}
