/**
 * timeseries.csv read back into typed rows (for reports).
 *
 * The file (sim/output/results-csv.ts) is long form: `run_id, time_s, metric, value`, one row per
 * sampled series per interval, in order of run, then time, then metric. `value` is empty when the
 * interval had no samples (read as NaN); `inf` and `-inf` are infinities.
 */
import { TIMESERIES_COLUMNS } from '../sim/output/results-csv.ts';
import { csvRecords, parseCsvNumber, readResultsText, resultsFilePath, ResultsFileError } from './runs-table.ts';

/** One sample of one series of one run. */
export interface TimeseriesRow {
  readonly runId: string;
  /** End of the sampling interval, in simulated seconds. */
  readonly timeS: number;
  readonly metric: string;
  /** NaN when the interval had no samples. */
  readonly value: number;
}

/** One series: the samples of one metric of one run, in time order. */
export interface Series {
  readonly timeS: number[];
  readonly value: number[];
}

/** Parses the text of one timeseries.csv; `file` names it in error messages. */
export function parseTimeseriesCsv(text: string, file: string): TimeseriesRow[] {
  const records = csvRecords(text);
  const header = records[0];
  if (header === undefined) throw new ResultsFileError(`${file}: the file is empty; expected a storsim timeseries.csv`);
  if (header.fields.join(',') !== TIMESERIES_COLUMNS.join(',')) {
    throw new ResultsFileError(`${file}:${header.line}: not a storsim timeseries.csv: the header must be ${TIMESERIES_COLUMNS.join(',')}, found "${header.fields.join(',')}"`);
  }
  const rows: TimeseriesRow[] = [];
  for (const { fields, line } of records.slice(1)) {
    const where = `${file}:${line}`;
    if (fields.length !== TIMESERIES_COLUMNS.length) {
      throw new ResultsFileError(`${where}: ${fields.length} field(s), but the header has ${TIMESERIES_COLUMNS.length} columns`);
    }
    const [runId, timeText, metric, valueText] = fields as [string, string, string, string];
    if (runId === '') throw new ResultsFileError(`${where}: run_id is empty`);
    if (metric === '') throw new ResultsFileError(`${where}: metric is empty (run ${runId})`);
    const timeS = parseCsvNumber(timeText);
    if (timeS === undefined || !Number.isFinite(timeS)) {
      throw new ResultsFileError(`${where}: time_s "${timeText}" is not a finite number (run ${runId})`);
    }
    const value = parseCsvNumber(valueText);
    if (value === undefined) {
      throw new ResultsFileError(`${where}: value "${valueText}" is not a number (numbers, inf, -inf or an empty cell; run ${runId}, metric ${metric})`);
    }
    rows.push({ runId, timeS, metric, value });
  }
  return rows;
}

/** Reads one timeseries.csv, given the file or the results folder holding it. */
export async function readTimeseries(pathOrDir: string): Promise<TimeseriesRow[]> {
  const path = await resultsFilePath(pathOrDir, 'timeseries.csv');
  return parseTimeseriesCsv(await readResultsText(path), path);
}

/**
 * The rows grouped by run, then metric, each series in row order (time order in storsim output).
 * Maps keep the order of first appearance.
 */
export function seriesByRun(rows: readonly TimeseriesRow[]): Map<string, Map<string, Series>> {
  const runs = new Map<string, Map<string, Series>>();
  for (const row of rows) {
    let metrics = runs.get(row.runId);
    if (metrics === undefined) runs.set(row.runId, (metrics = new Map()));
    let series = metrics.get(row.metric);
    if (series === undefined) metrics.set(row.metric, (series = { timeS: [], value: [] }));
    series.timeS.push(row.timeS);
    series.value.push(row.value);
  }
  return runs;
}
