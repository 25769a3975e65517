/**
 * Regression checks (`storsim check`): compare the summary metrics of two `runs.csv` files — a
 * committed baseline and the current results — run by run (matched by `run_id`) and column by
 * column (matched by name), each metric against a relative tolerance. Both files are read with
 * the shared runs.csv reader (`reports/runs-table.ts`).
 *
 * Rules (the README's "storsim check" section says the same):
 * - A value is within tolerance when |current − baseline| ≤ max(tolerance × |baseline|, floor).
 *   `floor` is an absolute allowance in the metric's own unit, 0 unless a per-metric rule gives one,
 *   so with a baseline of 0 the current value must be exactly 0. The boundary is inclusive, with a
 *   1e-12 relative allowance so that floating-point rounding of the boundary itself (1.02 − 1 is
 *   0.020000000000000018) does not decide; CSV values have 9 significant digits, so no real
 *   difference is that small.
 * - Empty (a missing value, NaN) equals empty; empty against a number is a difference. `inf` equals `inf`.
 * - Columns up to and including `seed` describe the run (scenario, variant, parameters, policies,
 *   seed) and must be equal as text; columns after `seed` are metrics.
 * - A run in one file but not the other is a difference, named as such; so is a column in one file
 *   but not the other, when a run in both files has a value in it (a column used only by runs on
 *   one side is explained by those runs).
 * - Per-metric tolerances: a CSV file with the header `metric,tolerance` or `metric,tolerance,floor`;
 *   `metric` is a glob over the column name (`*` any characters, `/` included; `?` one character);
 *   the first matching line wins; metrics that no line matches get the default tolerance. Blank
 *   lines and lines starting with `#` are ignored.
 */
import { csvParseRows } from 'd3-dsv';
import { formatNumber, toCsv } from '../sim/output/csv.ts';
import { parseRunsCsv, RUNS_LEADING_COLUMNS, type RunsTable } from './runs-table.ts';

/** Bad input: a malformed tolerance or per-metric file. (A malformed runs.csv is a `ResultsFileError`.) */
export class RegressionInputError extends Error {
  override name = 'RegressionInputError';
}

/**
 * A runs.csv as the comparison sees it: every cell as text (metrics in the CSV number format, an
 * empty cell for a missing value) and every metric as a number, by run id in file order.
 */
export interface RunsFile {
  /** Every column in runs.csv order. */
  readonly columns: readonly string[];
  /** `run_id` … `seed`: what describes a run. */
  readonly describing: readonly string[];
  /** The columns after `seed`: summary metrics. */
  readonly metrics: readonly string[];
  /** Each run's cells by column name (metric cells as `formatNumber` writes them). */
  readonly runs: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Each run's metric values by column (NaN for an empty cell). */
  readonly values: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/**
 * Parses the text of a storsim runs.csv with the shared reader (`reports/runs-table.ts`, which
 * throws `ResultsFileError` saying why when it is not one: header, seed column, repeated column or
 * run id, row length, a metric cell that is not a number, empty, `inf` or `-inf`).
 */
export function parseRunsFile(text: string, source: string): RunsFile {
  return runsFileOf(parseRunsCsv(text, source));
}

/** One parsed runs.csv table as a {@link RunsFile}. */
export function runsFileOf(table: RunsTable): RunsFile {
  const describing = [...RUNS_LEADING_COLUMNS, ...table.paramColumns, ...table.policyColumns, 'seed'];
  const runs = new Map<string, Map<string, string>>();
  const values = new Map<string, Map<string, number>>();
  for (const row of table.rows) {
    const cells = new Map<string, string>([['run_id', row.runId], ['scenario', row.scenario], ['variant', row.variant]]);
    for (const c of table.paramColumns) cells.set(c, row.params[c] ?? '');
    for (const c of table.policyColumns) cells.set(c, row.policies[c] ?? '');
    cells.set('seed', String(row.seed));
    const numbers = new Map<string, number>();
    for (const c of table.metricColumns) {
      const value = row.metrics[c] ?? NaN;
      numbers.set(c, value);
      cells.set(c, formatNumber(value));
    }
    runs.set(row.runId, cells);
    values.set(row.runId, numbers);
  }
  return { columns: [...describing, ...table.metricColumns], describing, metrics: table.metricColumns, runs, values };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A tolerance: relative (0.02 = 2%) and an absolute floor in the metric's unit. */
export interface Tolerance {
  readonly relative: number;
  readonly floor: number;
}

/** One line of a per-metric file. */
export interface ToleranceRule extends Tolerance {
  /** The glob as written. */
  readonly pattern: string;
  readonly regex: RegExp;
  /** 1-based line in its file (for messages). */
  readonly line: number;
}

/** The default tolerance and the per-metric rules (first match wins). */
export interface TolerancePlan {
  readonly default: Tolerance;
  readonly rules: readonly ToleranceRule[];
}

/**
 * A dimensionless tolerance: `"2%"` → 0.02, `"0.02"` → 0.02, `"0"`. Must be finite and ≥ 0.
 * Throws {@link RegressionInputError} otherwise.
 */
export function parseTolerance(text: string): number {
  const match = /^\s*([+]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(%?)\s*$/i.exec(text);
  const value = match === null ? NaN : Number(match[1]) / (match[2] === '%' ? 100 : 1);
  if (!Number.isFinite(value)) {
    throw new RegressionInputError(`tolerance "${text}" is not a dimensionless quantity >= 0 (allowed: e.g. "2%", "0.02", "0")`);
  }
  return value;
}

/** A glob over column names as an anchored RegExp: `*` any characters (including `/`), `?` one. */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

/** Parses a per-metric tolerance file (format in the file-top comment). */
export function parsePerMetricFile(text: string, source: string): ToleranceRule[] {
  const bad = (line: number, why: string) => new RegressionInputError(`${source}:${line}: ${why}`);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rules: ToleranceRule[] = [];
  let header: string[] | undefined;
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const cells = (csvParseRows(raw)[0] ?? []).map((c) => c.trim());
    if (header === undefined) {
      header = cells;
      const ok = cells[0] === 'metric' && cells[1] === 'tolerance' && (cells.length === 2 || (cells.length === 3 && cells[2] === 'floor'));
      if (!ok) throw bad(line, `the header must be "metric,tolerance" or "metric,tolerance,floor" (got "${raw.trim()}")`);
      continue;
    }
    if (cells.length < 2 || cells.length > header.length) {
      throw bad(line, `expected ${header.length === 2 ? '"metric,tolerance"' : '"metric,tolerance[,floor]"'}, got ${cells.length} cell(s)`);
    }
    const [pattern, tolerance, floorText] = cells as [string, string, string | undefined];
    if (pattern === '') throw bad(line, 'empty metric pattern');
    let relative: number;
    try {
      relative = parseTolerance(tolerance);
    } catch (error) {
      throw bad(line, (error as Error).message);
    }
    let floor = 0;
    if (floorText !== undefined && floorText !== '') {
      floor = NUMBER.test(floorText) ? Number(floorText) : NaN;
      if (!Number.isFinite(floor) || floor < 0) throw bad(line, `floor "${floorText}" must be a number >= 0 in the metric's own unit (no "%")`);
    }
    rules.push({ pattern, regex: globToRegExp(pattern), relative, floor, line });
  }
  if (header === undefined) throw new RegressionInputError(`${source}: empty per-metric file (expected the header "metric,tolerance")`);
  return rules;
}

/** The tolerance of one metric column: the first rule that matches it, else the default. */
export function toleranceFor(metric: string, plan: TolerancePlan): Tolerance {
  return plan.rules.find((rule) => rule.regex.test(metric)) ?? plan.default;
}

/** The rules that match none of `metrics` (most likely typos; the command warns about them). */
export function unusedRules(plan: TolerancePlan, metrics: Iterable<string>): ToleranceRule[] {
  const names = [...metrics];
  return plan.rules.filter((rule) => !names.some((m) => rule.regex.test(m)));
}

/** Whether `current` is within `tolerance` of `baseline` (rules in the file-top comment). */
export function withinTolerance(baseline: number, current: number, tolerance: Tolerance): boolean {
  if (Number.isNaN(baseline) || Number.isNaN(current)) return Number.isNaN(baseline) && Number.isNaN(current);
  if (baseline === current) return true;
  if (!Number.isFinite(baseline) || !Number.isFinite(current)) return false;
  const allowed = Math.max(tolerance.relative * Math.abs(baseline), tolerance.floor);
  return Math.abs(current - baseline) <= allowed + 1e-12 * Math.max(Math.abs(baseline), Math.abs(current));
}

/** What kind of difference a row of the report is. */
export type DifferenceKind =
  | 'moved' // a metric outside its tolerance
  | 'value-gone' // a number in the baseline, empty now
  | 'value-new' // empty in the baseline, a number now
  | 'changed' // a describing column (scenario, variant, parameter, policy, seed) differs
  | 'run-missing' // a run in the baseline, not in the current results
  | 'run-new' // a run in the current results, not in the baseline
  | 'column-missing' // a column in the baseline, not in the current results
  | 'column-new'; // a column in the current results, not in the baseline

/** One difference. `runId` is '' for a whole column, `column` '' for a whole run. */
export interface Difference {
  readonly kind: DifferenceKind;
  readonly runId: string;
  readonly column: string;
  /** Cell text (as in the CSV); '' when there is none. */
  readonly baseline: string;
  readonly current: string;
  /** (current − baseline) / |baseline| × 100; NaN when it cannot be said (baseline 0, empty, inf). */
  readonly changePercent: number;
  /** Sign of current − baseline for numbers: 'up', 'down', or '' (not two different numbers). */
  readonly direction: 'up' | 'down' | '';
  /** The tolerance applied ('moved' and value rows), else undefined. */
  readonly tolerance?: Tolerance;
  /** A short note, e.g. why a run is missing. */
  readonly note?: string;
}

/** The outcome of a comparison. */
export interface RegressionReport {
  /** Sorted by run id, then column, then kind (code-unit order); whole-column rows first. */
  readonly differences: readonly Difference[];
  /** Runs in both files. */
  readonly runsCompared: number;
  /** Metric columns in both files. */
  readonly metricsCompared: number;
  /** Metric cells compared (runs in both × metric columns in both). */
  readonly valuesCompared: number;
}

/** Extra notes for runs missing from the current results (e.g. "run failed: …"), by run id. */
export type RunNotes = ReadonlyMap<string, string>;

/** Compares `current` against `baseline` under `plan`. Pure and deterministic. */
export function compareRunsFiles(baseline: RunsFile, current: RunsFile, plan: TolerancePlan, missingNotes: RunNotes = new Map()): RegressionReport {
  const differences: Difference[] = [];
  const none = { baseline: '', current: '', changePercent: NaN, direction: '' } as const;
  const currentColumns = new Set(current.columns);
  const baselineColumns = new Set(baseline.columns);
  const isMetric = (column: string) => baseline.metrics.includes(column) || current.metrics.includes(column);
  // A column on one side only matters when a run on both sides has a value in it; otherwise the
  // runs missing or new (reported below) already explain it.
  const common = [...baseline.runs.keys()].filter((id) => current.runs.has(id));
  const usedByCommon = (file: RunsFile, column: string) => common.some((id) => file.runs.get(id)!.get(column) !== '');
  for (const column of baseline.columns) {
    if (!currentColumns.has(column) && usedByCommon(baseline, column)) {
      differences.push({ ...none, kind: 'column-missing', runId: '', column, note: isMetric(column) ? 'metric' : 'describing column' });
    }
  }
  for (const column of current.columns) {
    if (!baselineColumns.has(column) && usedByCommon(current, column)) {
      differences.push({ ...none, kind: 'column-new', runId: '', column, note: isMetric(column) ? 'metric' : 'describing column' });
    }
  }
  for (const id of baseline.runs.keys()) {
    if (!current.runs.has(id)) {
      const note = missingNotes.get(id);
      differences.push({ ...none, kind: 'run-missing', runId: id, column: '', ...(note === undefined ? {} : { note }) });
    }
  }
  for (const id of current.runs.keys()) {
    if (!baseline.runs.has(id)) differences.push({ ...none, kind: 'run-new', runId: id, column: '' });
  }

  const describing = baseline.describing.filter((c) => currentColumns.has(c) && current.describing.includes(c));
  const metrics = baseline.metrics.filter((c) => currentColumns.has(c) && current.metrics.includes(c));
  const tolerances = metrics.map((m) => toleranceFor(m, plan));
  let runsCompared = 0;
  for (const [id, before] of baseline.runs) {
    const after = current.runs.get(id);
    if (after === undefined) continue;
    runsCompared++;
    for (const column of describing) {
      const b = before.get(column)!;
      const c = after.get(column)!;
      if (b !== c) differences.push({ ...none, kind: 'changed', runId: id, column, baseline: b, current: c });
    }
    for (const [m, column] of metrics.entries()) {
      const bText = before.get(column)!;
      const cText = after.get(column)!;
      const b = baseline.values.get(id)!.get(column)!;
      const c = current.values.get(id)!.get(column)!;
      const tolerance = tolerances[m]!;
      if (withinTolerance(b, c, tolerance)) continue;
      const kind: DifferenceKind = Number.isNaN(c) ? 'value-gone' : Number.isNaN(b) ? 'value-new' : 'moved';
      const changePercent = kind === 'moved' && b !== 0 && Number.isFinite(b) && Number.isFinite(c) ? ((c - b) / Math.abs(b)) * 100 : NaN;
      const direction = kind === 'moved' ? (c > b ? 'up' : 'down') : '';
      differences.push({ kind, runId: id, column, baseline: bText, current: cText, changePercent, direction, tolerance });
    }
  }
  differences.sort(compareDifferences);
  return { differences, runsCompared, metricsCompared: metrics.length, valuesCompared: runsCompared * metrics.length };
}

const KIND_ORDER: readonly DifferenceKind[] = ['column-missing', 'column-new', 'run-missing', 'run-new', 'changed', 'value-gone', 'value-new', 'moved'];

function compareDifferences(a: Difference, b: Difference): number {
  return cmp(a.runId, b.runId) || cmp(a.column, b.column) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How each kind reads in the table. */
const KIND_TEXT: Record<DifferenceKind, string> = {
  moved: 'moved beyond tolerance',
  'value-gone': 'value now empty',
  'value-new': 'value was empty',
  changed: 'run description changed',
  'run-missing': 'run missing from the current results',
  'run-new': 'new run, not in the baseline',
  'column-missing': 'missing from the current results',
  'column-new': 'new, not in the baseline',
};

/** "2%", "0%", "12.5%", with " or ±0.001" when a floor applies. */
export function formatTolerance(tolerance: Tolerance): string {
  const percent = `${Number((tolerance.relative * 100).toPrecision(6))}%`;
  return tolerance.floor > 0 ? `${percent} or ±${tolerance.floor}` : percent;
}

/** "+21.9%", "-0.5%", "n/a" (3 significant digits). */
export function formatChange(percent: number): string {
  if (Number.isNaN(percent)) return 'n/a';
  const rounded = Number(percent.toPrecision(3));
  return `${rounded > 0 ? '+' : ''}${rounded}%`;
}

/** The readable table printed when something differs, one line per difference. */
export function formatDifferenceTable(differences: readonly Difference[]): string {
  const header = ['run_id', 'metric', 'baseline', 'current', 'change', 'dir', 'tolerance', 'what'];
  const body = differences.map((d) => {
    const what = d.kind === 'column-missing' || d.kind === 'column-new' ? `${d.note} ${KIND_TEXT[d.kind]}` : d.note === undefined ? KIND_TEXT[d.kind] : `${KIND_TEXT[d.kind]} (${d.note})`;
    const valueRow = d.kind === 'moved' || d.kind === 'value-gone' || d.kind === 'value-new' || d.kind === 'changed';
    return [
      d.runId === '' ? '(all runs)' : d.runId,
      d.column === '' ? '(all)' : d.column,
      valueRow ? (d.baseline === '' ? '(empty)' : d.baseline) : '',
      valueRow ? (d.current === '' ? '(empty)' : d.current) : '',
      d.kind === 'moved' ? formatChange(d.changePercent) : '',
      d.direction === 'up' ? '↑' : d.direction === 'down' ? '↓' : '',
      d.tolerance === undefined ? '' : formatTolerance(d.tolerance),
      what,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}

/** The differences as CSV (`check.csv`): one row per difference, in report order. */
export const DIFFERENCE_COLUMNS = ['run_id', 'metric', 'kind', 'baseline', 'current', 'change_pct', 'direction', 'tolerance', 'floor', 'note'] as const;

export function differencesCsv(differences: readonly Difference[]): string {
  return toCsv(DIFFERENCE_COLUMNS, differences.map((d) => ({
    run_id: d.runId,
    metric: d.column,
    kind: d.kind,
    baseline: d.baseline,
    current: d.current,
    change_pct: d.changePercent,
    direction: d.direction,
    tolerance: d.tolerance?.relative,
    floor: d.tolerance?.floor,
    note: d.note,
  })));
}

/** A one-line count of the differences by kind, e.g. "3 metric value(s) moved, 1 run missing". */
export function summarizeDifferences(differences: readonly Difference[]): string {
  const count = (kinds: readonly DifferenceKind[]) => differences.filter((d) => kinds.includes(d.kind)).length;
  const parts: [number, string][] = [
    [count(['moved', 'value-gone', 'value-new']), 'metric value(s) moved'],
    [count(['changed']), 'run description(s) changed'],
    [count(['run-missing']), 'run(s) missing from the current results'],
    [count(['run-new']), 'new run(s)'],
    [count(['column-missing']), 'column(s) missing from the current results'],
    [count(['column-new']), 'new column(s)'],
  ];
  return parts.filter(([n]) => n > 0).map(([n, text]) => `${n} ${text}`).join(', ');
}
