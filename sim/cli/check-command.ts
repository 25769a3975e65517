/**
 * `storsim check`: run scenarios exactly as `storsim run` does and compare every summary metric
 * with a baseline `runs.csv` (rules in `reports/regression.ts`). Exit 0 when everything is
 * within tolerance, 1 when something moved (or a run failed), 2 on bad input with nothing
 * written. `--update` rewrites the baseline on purpose instead of comparing.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  compareRunsFiles,
  differencesCsv,
  formatDifferenceTable,
  formatTolerance,
  parsePerMetricFile,
  parseRunsFile,
  parseTolerance,
  RegressionInputError,
  summarizeDifferences,
  type RunsFile,
  type TolerancePlan,
  unusedRules,
} from '../../reports/regression.ts';
import { ResultsFileError } from '../../reports/runs-table.ts';
import { writeFileAtomic, writeFilesAtomic } from '../output/atomic-write.ts';
import { runsCsv, timeseriesCsv } from '../output/results-csv.ts';
import type { RunResult } from '../run/execute-run.ts';
import { runAll } from '../run/run-all.ts';
import { ScenarioError } from '../scenario/errors.ts';
import { loadScenarios, type LoadOptions } from '../scenario/load.ts';
import { ExitCode } from './exit-codes.ts';

export interface CheckCommandOptions {
  baseline: string;
  /** Default relative tolerance, as written ("2%", "0.02"). */
  tolerance?: string;
  /** Per-metric tolerance file. */
  perMetric?: string;
  workers?: number;
  update?: boolean;
  /** Also write the current runs.csv, timeseries.csv and check.csv here. */
  out?: string;
  seed?: number;
  replications?: number;
  /** Print at most this many rows of the difference table (0: all). Default {@link DEFAULT_MAX_ROWS}. */
  maxRows?: number;
}

/** Rows of the difference table printed by default; check.csv (with --out) always has them all. */
export const DEFAULT_MAX_ROWS = 200;

/** The files `--out DIR` writes. */
const OUT_FILES = ['runs.csv', 'timeseries.csv', 'check.csv'] as const;

/** The default relative tolerance when `--tolerance` is not given. */
export const DEFAULT_TOLERANCE = '2%';

export async function checkCommand(paths: string[], options: CheckCommandOptions): Promise<number> {
  const badInput = (message: string) => {
    console.error(`storsim check: bad input, nothing was run or written:\n${message}`);
    return ExitCode.BAD_INPUT;
  };

  // Everything that can be checked before running is checked first: a typo should not cost a run.
  let plan: TolerancePlan;
  let baseline: RunsFile | undefined;
  try {
    plan = {
      default: { relative: parseTolerance(options.tolerance ?? DEFAULT_TOLERANCE), floor: 0 },
      rules: options.perMetric === undefined ? [] : parsePerMetricFile(await readText(options.perMetric, 'per-metric file'), options.perMetric),
    };
    if (!options.update) baseline = parseRunsFile(await readText(options.baseline, 'baseline', 'create it with --update'), options.baseline);
    else if (await isDirectory(options.baseline)) throw new RegressionInputError(`${options.baseline}: the baseline must be a file, not a directory`);
    if (options.out !== undefined) {
      const clash = OUT_FILES.find((name) => resolve(options.out!, name) === resolve(options.baseline));
      if (clash !== undefined) throw new RegressionInputError(`--out ${options.out} would overwrite the baseline ${options.baseline} with its ${clash}; choose another folder`);
    }
  } catch (error) {
    if (!(error instanceof RegressionInputError || error instanceof ResultsFileError)) throw error;
    return badInput(error.message);
  }

  const loadOptions: LoadOptions = {
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.replications === undefined ? {} : { replications: options.replications }),
  };
  let loaded;
  try {
    loaded = await loadScenarios(paths, loadOptions);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return badInput(error.message);
  }
  const runs = loaded.scenarios.flatMap((s) => s.runs);
  const outcomes = await runAll(runs, loaded.units, { loadOptions, ...(options.workers === undefined ? {} : { workers: options.workers }) });
  const results: RunResult[] = [];
  const failed = new Map<string, string>();
  for (const outcome of outcomes) {
    if ('result' in outcome) {
      results.push(outcome.result);
    } else {
      failed.set(outcome.run.id, `run failed: ${outcome.error}`);
      console.error(`storsim check: run ${outcome.run.id} failed (seed ${outcome.run.seed}, file ${outcome.run.file}): ${outcome.error}`);
    }
  }
  // Exactly the runs.csv that `storsim run` writes, so a baseline is any earlier run's runs.csv.
  const currentText = runsCsv(results);
  const current = parseRunsFile(currentText, 'current results');

  if (options.update) {
    if (failed.size > 0) {
      console.error(`storsim check: ${failed.size} run(s) failed; the baseline ${options.baseline} was not updated`);
      return ExitCode.FAILED;
    }
    const previous = await previousBaseline(options.baseline);
    await mkdir(dirname(options.baseline), { recursive: true });
    await writeFileAtomic(options.baseline, currentText);
    const values = current.runs.size * current.metrics.length;
    const was = previous === undefined ? '' : ` (${describeUpdate(previous, current, plan)})`;
    console.log(`storsim check: wrote baseline ${options.baseline}: ${current.runs.size} run(s) × ${current.metrics.length} metric(s), ${values} value(s)${was}`);
    return ExitCode.OK;
  }

  const report = compareRunsFiles(baseline!, current, plan, failed);
  for (const rule of unusedRules(plan, new Set([...baseline!.metrics, ...current.metrics]))) {
    console.error(`storsim check: warning: ${options.perMetric}:${rule.line}: "${rule.pattern}" matches no metric column`);
  }
  if (options.out !== undefined) {
    await mkdir(options.out, { recursive: true });
    await writeFilesAtomic([
      { path: join(options.out, 'runs.csv'), contents: currentText },
      { path: join(options.out, 'timeseries.csv'), contents: timeseriesCsv(results) },
      { path: join(options.out, 'check.csv'), contents: differencesCsv(report.differences) },
    ]);
  }
  const tolerance = `tolerance ${formatTolerance(plan.default)}${plan.rules.length > 0 ? ` (${plan.rules.length} per-metric rule(s))` : ''}`;
  const wrote = options.out === undefined ? '' : `; wrote ${join(options.out, 'check.csv')}`;
  if (report.differences.length === 0 && failed.size === 0) {
    console.log(`storsim check: ok, ${report.runsCompared} run(s) × ${report.metricsCompared} metric(s) (${report.valuesCompared} values) within ${tolerance} of ${options.baseline}${wrote}`);
    return ExitCode.OK;
  }
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const shown = maxRows > 0 && report.differences.length > maxRows ? report.differences.slice(0, maxRows) : report.differences;
  console.log(formatDifferenceTable(shown));
  if (shown.length < report.differences.length) {
    console.log(`... and ${report.differences.length - shown.length} more row(s) (--max-rows 0 prints all; --out DIR writes them all to DIR/check.csv)`);
  }
  const failures = failed.size > 0 ? `${failed.size} run(s) failed; ` : '';
  console.log(`storsim check: FAILED against ${options.baseline} (${tolerance}): ${failures}${summarizeDifferences(report.differences)}; ${report.valuesCompared} value(s) compared${wrote}`);
  return ExitCode.FAILED;
}

/** Reads a whole text file; a missing or unreadable file is bad input. */
async function readText(path: string, what: string, hint?: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new RegressionInputError(`${path}: cannot read the ${what}: ${why}${hint === undefined ? '' : ` (${hint})`}`);
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The baseline being replaced, when there is a readable one (only to say what the update changes). */
async function previousBaseline(path: string): Promise<RunsFile | undefined> {
  try {
    return parseRunsFile(await readFile(path, 'utf8'), path);
  } catch {
    return undefined;
  }
}

function describeUpdate(previous: RunsFile, current: RunsFile, plan: TolerancePlan): string {
  const exact: TolerancePlan = { default: { relative: 0, floor: 0 }, rules: [] };
  const changed = compareRunsFiles(previous, current, exact).differences;
  if (changed.length === 0) return 'unchanged';
  const moved = compareRunsFiles(previous, current, plan).differences.length;
  return `replaced a baseline with ${changed.length} difference(s), ${moved} of them beyond tolerance: ${summarizeDifferences(changed)}`;
}
