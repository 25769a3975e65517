/**
 * A sweep's part file: everything one finished run contributes to the results folder, written
 * whole (temporary file, then rename) the moment the run ends, as `parts/<index>.json` with the
 * run's canonical index zero-padded to at least six digits (`parts/000012.json`).
 *
 * A part holds what runs.csv, timeseries.csv and failures.csv need without the scenario files:
 * the run's id, seed, scenario, variant (index, name, assignments) and policies, then either its
 * summary columns and time series, or the error it failed with. So shards made on other machines
 * merge without their scenario files.
 *
 * Numbers are stored so that they read back as the very same doubles: finite numbers as JSON
 * numbers (ECMAScript prints the shortest text that reads back exactly), and NaN, ±Infinity and
 * -0, which JSON cannot write, as the strings "NaN", "inf", "-inf", "-0". Time series are stored
 * column-wise: the metric names once, then flat [time_ns, metric index, value] triples.
 */
import type { SampleRow, SummaryColumn } from '../metrics/index.ts';
import type { RunResult } from '../run/execute-run.ts';
import type { PlannedRun } from '../scenario/load.ts';
import type { Assignment } from '../scenario/sweep.ts';

export const PART_FORMAT = 'storsim-sweep-part/1';

/** A number as stored in a part: a JSON number, or one of the four strings for what JSON cannot hold. */
export type StoredNumber = number | 'NaN' | 'inf' | '-inf' | '-0';

/** What a part says about its run (enough to write its runs.csv row without the scenario). */
export interface PartRun {
  index: number;
  run_id: string;
  seed: number;
  scenario: string;
  file: string;
  replication: number;
  variant: { index: number; name: string; base_index: number; assignments: [string, unknown][] };
  policies: [string, string][];
}

/** A part file's contents. */
export type Part =
  | (PartRun & { format: typeof PART_FORMAT; summary: [string, StoredNumber][]; series: { metrics: string[]; rows: StoredNumber[] } })
  | (PartRun & { format: typeof PART_FORMAT; error: string });

/** A part read back: the run with its result, or with its error. */
export type PartOutcome = { index: number; result: RunResult } | { index: number; run: PlannedRun; error: string };

export function encodeNumber(x: number): StoredNumber {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  return x;
}

export function decodeNumber(stored: unknown): number {
  if (typeof stored === 'number') return stored;
  switch (stored) {
    case 'NaN':
      return NaN;
    case 'inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case '-0':
      return -0;
    default:
      throw new Error(`not a stored number: ${JSON.stringify(stored)}`);
  }
}

/** `parts/<this>`: the file name of the part of the run at canonical `index` among `total` runs. */
export function partFileName(index: number, total: number): string {
  const width = Math.max(6, String(Math.max(0, total - 1)).length);
  return `${String(index).padStart(width, '0')}.json`;
}

/** The canonical index named by a finished part's file name, or undefined for any other file (temporary files start with "."). */
export function partIndexOf(fileName: string): number | undefined {
  const match = /^(\d+)\.json$/.exec(fileName);
  return match === null ? undefined : Number(match[1]);
}

function partRun(index: number, run: PlannedRun): PartRun {
  return {
    index,
    run_id: run.id,
    seed: run.seed,
    scenario: run.scenario,
    file: run.file,
    replication: run.replication,
    variant: { index: run.variant.index, name: run.variant.name, base_index: run.variant.baseIndex, assignments: run.variant.assignments.map(([p, v]) => [p, v]) },
    policies: run.policies.map(([point, name]) => [point, name]),
  };
}

/** The part text of a finished run. */
export function encodeResultPart(index: number, result: RunResult): string {
  const metricIndex = new Map<string, number>();
  const metrics: string[] = [];
  const rows: StoredNumber[] = new Array(result.series.length * 3);
  let at = 0;
  for (const sample of result.series) {
    let m = metricIndex.get(sample.metric);
    if (m === undefined) {
      m = metrics.length;
      metricIndex.set(sample.metric, m);
      metrics.push(sample.metric);
    }
    rows[at++] = encodeNumber(sample.timeNs);
    rows[at++] = m;
    rows[at++] = encodeNumber(sample.value);
  }
  const part: Part = {
    format: PART_FORMAT,
    ...partRun(index, result.run),
    summary: result.summary.map(({ column, value }) => [column, encodeNumber(value)]),
    series: { metrics, rows },
  };
  return `${JSON.stringify(part)}\n`;
}

/** The part text of a run that failed with `error`. */
export function encodeErrorPart(index: number, run: PlannedRun, error: string): string {
  const part: Part = { format: PART_FORMAT, ...partRun(index, run), error };
  return `${JSON.stringify(part)}\n`;
}

/**
 * Reads a part's text back. The run it returns carries what the CSV writers read (id, scenario,
 * variant, policies, seed); its `spec` is empty, since a part does not keep the scenario.
 * Throws when the text is not a whole, well-formed part.
 */
export function decodePart(text: string): PartOutcome {
  const part = JSON.parse(text) as Part;
  if (part === null || typeof part !== 'object' || part.format !== PART_FORMAT) throw new Error(`not a ${PART_FORMAT} file`);
  if (!Number.isInteger(part.index) || typeof part.run_id !== 'string' || typeof part.seed !== 'number') throw new Error('part lacks its run index, id or seed');
  const run: PlannedRun = {
    id: part.run_id,
    scenario: part.scenario,
    file: part.file,
    replication: part.replication,
    seed: part.seed,
    variant: {
      index: part.variant.index,
      name: part.variant.name,
      baseIndex: part.variant.base_index,
      assignments: part.variant.assignments.map(([p, v]): Assignment => [p, v]),
    },
    spec: {},
    policies: part.policies.map(([point, name]): [string, string] => [point, name]),
  };
  if ('error' in part) {
    if (typeof part.error !== 'string') throw new Error('part error is not a string');
    return { index: part.index, run, error: part.error };
  }
  if (!Array.isArray(part.summary) || part.series === undefined || !Array.isArray(part.series.rows) || part.series.rows.length % 3 !== 0) {
    throw new Error('part lacks its summary or series');
  }
  const summary: SummaryColumn[] = part.summary.map(([column, value]) => ({ column, value: decodeNumber(value) }));
  const { metrics, rows } = part.series;
  const series: SampleRow[] = new Array(rows.length / 3);
  for (let i = 0; i < series.length; i++) {
    const metric = metrics[rows[3 * i + 1] as number];
    if (metric === undefined) throw new Error(`part series row ${i} names no metric`);
    series[i] = { timeNs: decodeNumber(rows[3 * i]), metric, value: decodeNumber(rows[3 * i + 2]) };
  }
  return { index: part.index, result: { run, summary, series } };
}
