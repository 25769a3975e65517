/**
 * `storsim compare`: read runs.csv from results folders (or files), compare the policies across
 * seeds, print the table and write comparison.csv (reports/compare.ts has the statistics).
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CompareError, compareRuns, comparisonCsv, formatComparisonTable } from '../../reports/compare.ts';
import { readRunsTables, ResultsFileError } from '../../reports/runs-table.ts';
import { writeFileAtomic } from '../output/atomic-write.ts';
import { ExitCode } from './exit-codes.ts';

export interface CompareCommandOptions {
  baseline?: string;
  metric?: string[];
  /** Output folder (default: the first results folder, or the folder of the first runs.csv given). */
  out?: string;
}

export async function compareCommand(results: string[], options: CompareCommandOptions): Promise<number> {
  let rows;
  let out: string;
  try {
    const table = await readRunsTables(results);
    rows = compareRuns(table, {
      ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
      ...(options.metric === undefined ? {} : { metrics: options.metric }),
    });
    out = options.out ?? (await defaultOutDir(results[0]!));
    await checkOutDir(out);
  } catch (error) {
    if (!(error instanceof ResultsFileError || error instanceof CompareError)) throw error;
    console.error(`storsim: invalid input, nothing was written:\n${error.message}`);
    return ExitCode.BAD_INPUT;
  }
  if (rows.length === 0) console.log('storsim: the selected metrics have no values in these runs');
  else console.log(formatComparisonTable(rows));
  if (options.baseline !== undefined) {
    const missing = new Set(rows.filter((r) => r.baseline === '').map((r) => `${r.scenario}${r.variant === '' ? '' : ` (${r.variant})`}`));
    for (const group of missing) console.error(`storsim: note: ${group} has no policy "${options.baseline}", so no differences are computed there`);
  }
  await mkdir(out, { recursive: true });
  const path = join(out, 'comparison.csv');
  await writeFileAtomic(path, comparisonCsv(rows));
  console.log(`storsim: wrote ${path} (${rows.length} row(s))`);
  return ExitCode.OK;
}

/** The first results argument if it is a folder, else the folder of that runs.csv. */
async function defaultOutDir(first: string): Promise<string> {
  return (await stat(first)).isDirectory() ? first : dirname(first);
}

/** `--out` must be a folder or not exist yet. */
async function checkOutDir(out: string): Promise<void> {
  let info;
  try {
    info = await stat(out);
  } catch {
    return; // created later
  }
  if (!info.isDirectory()) throw new ResultsFileError(`--out ${out}: exists and is not a folder`);
}
