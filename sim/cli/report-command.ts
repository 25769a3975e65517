/**
 * `storsim report`: read a results folder and write one self-contained HTML page with charts
 * (reports/report.ts makes it). Bad input (no runs.csv, a malformed file, a --metric, --series
 * or --baseline that selects nothing, an --out that is a folder) exits 2 with nothing written.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CompareError } from '../../reports/compare.ts';
import { readReportInputs, renderReport, ReportInputError } from '../../reports/report.ts';
import { ResultsFileError } from '../../reports/runs-table.ts';
import { writeFileAtomic } from '../output/atomic-write.ts';
import { ExitCode } from './exit-codes.ts';

export interface ReportCommandOptions {
  /** Output file (default `<results-dir>/report.html`). */
  out?: string;
  metric?: string[];
  series?: string[];
  title?: string;
  baseline?: string;
  /** Scenario files or folders, for the scenarios' descriptions. */
  scenarios?: string[];
  quiet?: boolean;
}

export async function reportCommand(resultsDir: string, options: ReportCommandOptions): Promise<number> {
  const out = options.out ?? join(resultsDir, 'report.html');
  let report;
  try {
    await checkOutFile(out);
    const inputs = await readReportInputs(resultsDir, options.scenarios ?? []);
    report = await renderReport(inputs, {
      ...(options.title === undefined ? {} : { title: options.title }),
      ...(options.metric === undefined ? {} : { metrics: options.metric }),
      ...(options.series === undefined ? {} : { series: options.series }),
      ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
    });
  } catch (error) {
    if (!(error instanceof ResultsFileError || error instanceof ReportInputError || error instanceof CompareError)) throw error;
    console.error(`storsim: invalid input, nothing was written:\n${error.message}`);
    return ExitCode.BAD_INPUT;
  }
  for (const warning of report.warnings) console.error(`storsim: chart warning: ${warning}`);
  await mkdir(dirname(out), { recursive: true });
  await writeFileAtomic(out, report.html);
  if (!options.quiet) console.log(`storsim: wrote ${out} (${report.charts} chart${report.charts === 1 ? '' : 's'})`);
  return ExitCode.OK;
}

/** `--out` names a file: it must not be an existing folder. */
async function checkOutFile(out: string): Promise<void> {
  let info;
  try {
    info = await stat(out);
  } catch {
    return; // written later
  }
  if (info.isDirectory()) throw new ResultsFileError(`--out ${out}: is a folder; give the HTML file to write (e.g. ${join(out, 'report.html')})`);
}
