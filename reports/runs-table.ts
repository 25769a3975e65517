/**
 * runs.csv read back into typed rows, for the readers of results (compare, report, check).
 *
 * A runs.csv (sim/output/results-csv.ts) has the columns
 *   run_id, scenario, variant, <parameter columns>, <policy.<decision point> columns>, seed, <metric columns>
 * so a column's role follows from its position: parameters lie between `variant` and the first
 * `policy.` column (or `seed` when there is none), policies from there to `seed`, metrics after
 * `seed`. Metric cells are numbers in the format of sim/output/csv.ts (`inf`, `-inf`; an empty
 * cell is a missing value, read as NaN). Parameter and policy cells are kept as text; an empty
 * cell is absent from the row's record.
 *
 * Also here, because compare, report and check must agree on them:
 * - the policy label of a run ({@link policyLabel}): its policy cells joined with `+`, restricted
 *   to the decision points whose policy differs between runs of its scenario (all of the
 *   scenario's policy cells when none differs). When runs of one scenario and variant key share
 *   a label but come from different sweep variants — which happens only when the variants differ
 *   in something runs.csv does not show (storsim shows policy parameters in the policy cell,
 *   `d-choices(d=5)`, but a runs.csv from elsewhere may not) — the variant's name is appended in
 *   brackets (`d-choices [v1]`), so that different policies are never pooled;
 * - the variant key of a run ({@link variantKey}): its scenario and its parameter cells other
 *   than policy assignments (paths starting `policies.`), so that runs differing only by policy
 *   and seed share a key; {@link variantText} is the same as readable `path=value, ...` text.
 */
import { csvParseRows } from 'd3-dsv';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A results file that cannot be read as what it should be: the message names file, line and problem. */
export class ResultsFileError extends Error {
  override readonly name = 'ResultsFileError';
}

/** One run (one line of runs.csv). */
export interface RunRow {
  readonly runId: string;
  readonly scenario: string;
  /** The sweep variant's name, or `v<index>`. */
  readonly variant: string;
  /** Parameter cells by column (dotted path), text as written; empty cells are absent. */
  readonly params: Readonly<Record<string, string>>;
  /** Policy cells by column (`policy.<decision point>`); empty cells are absent. */
  readonly policies: Readonly<Record<string, string>>;
  readonly seed: number;
  /** Metric values by column, for every metric column of the run's file; NaN for an empty cell. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Where the row was read: the file and its 1-based line. */
  readonly file: string;
  readonly line: number;
}

/** One or several runs.csv files, concatenated in the order given. */
export interface RunsTable {
  readonly files: readonly string[];
  /** Column names by role, in order of first appearance over the files. */
  readonly paramColumns: readonly string[];
  readonly policyColumns: readonly string[];
  readonly metricColumns: readonly string[];
  /** Rows in file order, then line order: canonical run order for storsim output. */
  readonly rows: readonly RunRow[];
}

/** The three columns every runs.csv starts with. */
export const RUNS_LEADING_COLUMNS = ['run_id', 'scenario', 'variant'] as const;
const POLICY_PREFIX = 'policy.';
/** Parameter paths that assign a policy (not part of the variant key). */
const POLICY_PARAMETER_PREFIX = 'policies.';

/** A CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

/**
 * Parses CSV text (RFC 4180, as written by sim/output/csv.ts) into records with their line
 * numbers. Blank lines are skipped; a leading byte-order mark is ignored.
 */
export function csvRecords(text: string): CsvRecord[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  for (const fields of csvParseRows(body)) {
    const start = line;
    line += 1;
    // a quoted field may hold line breaks: the next record starts that many lines later
    for (const f of fields) line += f.match(/\r\n|\r|\n/g)?.length ?? 0;
    if (fields.length === 1 && fields[0] === '') continue;
    records.push({ fields, line: start });
  }
  return records;
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A numeric CSV cell in the format of sim/output/csv.ts: a decimal or exponent number, `inf`,
 * `-inf`, or empty (NaN, a missing value). Anything else gives `undefined`.
 */
export function parseCsvNumber(cell: string): number | undefined {
  if (cell === '') return NaN;
  if (cell === 'inf') return Infinity;
  if (cell === '-inf') return -Infinity;
  return NUMBER_TEXT.test(cell) ? Number(cell) : undefined;
}

/** `file:line` for messages. */
function at(file: string, line: number): string {
  return `${file}:${line}`;
}

/** Parses the text of one runs.csv; `file` names it in error messages. */
export function parseRunsCsv(text: string, file: string): RunsTable {
  const records = csvRecords(text);
  const header = records[0];
  if (header === undefined) throw new ResultsFileError(`${file}: the file is empty; expected a storsim runs.csv`);
  const columns = header.fields;
  const notRuns = `${at(file, header.line)}: not a storsim runs.csv:`;
  if (RUNS_LEADING_COLUMNS.some((c, i) => columns[i] !== c)) {
    throw new ResultsFileError(`${notRuns} the header must start with ${RUNS_LEADING_COLUMNS.join(',')}, found "${columns.slice(0, 3).join(',')}"`);
  }
  const seen = new Set<string>();
  for (const [i, c] of columns.entries()) {
    if (c === '') throw new ResultsFileError(`${notRuns} column ${i + 1} has no name`);
    if (seen.has(c)) throw new ResultsFileError(`${notRuns} column "${c}" appears twice`);
    seen.add(c);
  }
  const seedAt = columns.indexOf('seed');
  if (seedAt < 0) throw new ResultsFileError(`${notRuns} there is no seed column`);
  let policyAt = columns.findIndex((c, i) => i > 2 && i < seedAt && c.startsWith(POLICY_PREFIX));
  if (policyAt < 0) policyAt = seedAt;
  const paramColumns = columns.slice(3, policyAt);
  const policyColumns = columns.slice(policyAt, seedAt);
  const metricColumns = columns.slice(seedAt + 1);
  const stray = policyColumns.find((c) => !c.startsWith(POLICY_PREFIX));
  if (stray !== undefined) {
    throw new ResultsFileError(`${notRuns} column "${stray}" lies between the policy.* columns and seed; parameter columns come before the policy columns`);
  }

  const rows: RunRow[] = [];
  const lineOfRun = new Map<string, number>();
  for (const { fields, line } of records.slice(1)) {
    const where = at(file, line);
    if (fields.length !== columns.length) {
      throw new ResultsFileError(`${where}: ${fields.length} field(s), but the header has ${columns.length} columns`);
    }
    const [runId, scenario, variant] = fields as [string, string, string];
    if (runId === '') throw new ResultsFileError(`${where}: run_id is empty`);
    if (scenario === '') throw new ResultsFileError(`${where}: scenario is empty (run ${runId})`);
    const previous = lineOfRun.get(runId);
    if (previous !== undefined) throw new ResultsFileError(`${where}: run ${runId} appears twice (also on line ${previous})`);
    lineOfRun.set(runId, line);
    const seedText = fields[seedAt]!;
    const seed = Number(seedText);
    if (seedText === '' || !/^\d+$/.test(seedText) || !Number.isSafeInteger(seed)) {
      throw new ResultsFileError(`${where}: seed "${seedText}" is not a non-negative integer (run ${runId})`);
    }
    const params: Record<string, string> = {};
    for (let i = 3; i < policyAt; i++) if (fields[i] !== '') params[columns[i]!] = fields[i]!;
    const policies: Record<string, string> = {};
    for (let i = policyAt; i < seedAt; i++) if (fields[i] !== '') policies[columns[i]!] = fields[i]!;
    const metrics: Record<string, number> = {};
    for (let i = seedAt + 1; i < columns.length; i++) {
      const value = parseCsvNumber(fields[i]!);
      if (value === undefined) {
        throw new ResultsFileError(`${where}: column "${columns[i]}" (run ${runId}): "${fields[i]}" is not a number (numbers, inf, -inf or an empty cell)`);
      }
      metrics[columns[i]!] = value;
    }
    rows.push({ runId, scenario, variant, params, policies, seed, metrics, file, line });
  }
  return { files: [file], paramColumns, policyColumns, metricColumns, rows };
}

/**
 * The runs.csv of a results folder, or the path itself when it names a file.
 * Throws {@link ResultsFileError} when there is no such file.
 */
export async function resultsFilePath(pathOrDir: string, fileName: string): Promise<string> {
  let info;
  try {
    info = await stat(pathOrDir);
  } catch {
    throw new ResultsFileError(`${pathOrDir}: no such file or folder`);
  }
  if (!info.isDirectory()) return pathOrDir;
  const path = join(pathOrDir, fileName);
  try {
    if ((await stat(path)).isFile()) return path;
  } catch {
    // reported below
  }
  throw new ResultsFileError(`${pathOrDir}: this folder has no ${fileName} (a results folder is what storsim run, sweep or merge writes)`);
}

/** Reads a text file, turning a read error into a {@link ResultsFileError}. */
export async function readResultsText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ResultsFileError(`${path}: cannot read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Reads one runs.csv, given the file or the results folder holding it. */
export async function readRunsTable(pathOrDir: string): Promise<RunsTable> {
  const path = await resultsFilePath(pathOrDir, 'runs.csv');
  return parseRunsCsv(await readResultsText(path), path);
}

/** Reads several runs.csv files (files or results folders) into one table; see {@link concatRunsTables}. */
export async function readRunsTables(paths: readonly string[]): Promise<RunsTable> {
  const tables: RunsTable[] = [];
  for (const path of paths) tables.push(await readRunsTable(path));
  return concatRunsTables(tables);
}

/**
 * Several tables as one: rows in the order given, columns by role in order of first appearance.
 * A run id in two tables, or a column with different roles in two files, is an error.
 */
export function concatRunsTables(tables: readonly RunsTable[]): RunsTable {
  if (tables.length === 1) return tables[0]!;
  const roles = new Map<string, string>();
  const lists = { parameter: [] as string[], policy: [] as string[], metric: [] as string[] };
  const byRun = new Map<string, RunRow>();
  for (const table of tables) {
    const byRole: [keyof typeof lists, readonly string[]][] = [['parameter', table.paramColumns], ['policy', table.policyColumns], ['metric', table.metricColumns]];
    for (const [role, columns] of byRole) {
      for (const c of columns) {
        const known = roles.get(c);
        if (known === undefined) {
          roles.set(c, role);
          lists[role].push(c);
        } else if (known !== role) {
          throw new ResultsFileError(`${table.files.join(', ')}: column "${c}" is a ${role} column here but a ${known} column in an earlier file; these runs.csv files do not fit together`);
        }
      }
    }
    for (const row of table.rows) {
      const other = byRun.get(row.runId);
      if (other !== undefined) {
        throw new ResultsFileError(`run ${row.runId} appears twice: ${at(other.file, other.line)} and ${at(row.file, row.line)}; each run may be given once`);
      }
      byRun.set(row.runId, row);
    }
  }
  return {
    files: tables.flatMap((t) => t.files),
    paramColumns: lists.parameter,
    policyColumns: lists.policy,
    metricColumns: lists.metric,
    rows: tables.flatMap((t) => t.rows),
  };
}

/** A run's value of `column`: NaN when the cell is empty or the run's file has no such column. */
export function metricValue(row: RunRow, column: string): number {
  return row.metrics[column] ?? NaN;
}

/** The comparison keys of one run. */
export interface RunKeys {
  /** The policy label (see the file comment). */
  readonly policy: string;
  /** Scenario and non-policy parameter cells, as an opaque string: equal keys, same variant. */
  readonly variantKey: string;
  /** The non-policy parameter cells as `path=value, ...` (empty when there are none). */
  readonly variantText: string;
}

const keysCache = new WeakMap<RunsTable, ReadonlyMap<RunRow, RunKeys>>();

/** The policy label and variant key of every run of `table` (computed once per table). */
export function runKeys(table: RunsTable): ReadonlyMap<RunRow, RunKeys> {
  const cached = keysCache.get(table);
  if (cached !== undefined) return cached;
  const variantParams = table.paramColumns.filter((c) => !c.startsWith(POLICY_PARAMETER_PREFIX));
  const byScenario = new Map<string, RunRow[]>();
  for (const row of table.rows) {
    const list = byScenario.get(row.scenario);
    if (list === undefined) byScenario.set(row.scenario, [row]);
    else list.push(row);
  }
  const keys = new Map<RunRow, RunKeys>();
  for (const [scenario, rows] of byScenario) {
    // the scenario's policy columns, and those among them whose value differs between its runs
    const present = table.policyColumns.filter((c) => rows.some((r) => r.policies[c] !== undefined));
    const varying = present.filter((c) => rows.some((r) => r.policies[c] !== rows[0]!.policies[c]));
    const labelColumns = varying.length > 0 ? varying : present;
    const base = new Map<RunRow, string>();
    const variantsOfLabel = new Map<string, Set<string>>();
    for (const row of rows) {
      const label = labelColumns.map((c) => row.policies[c] ?? '').join('+');
      const key = JSON.stringify([scenario, ...variantParams.map((c) => row.params[c] ?? '')]);
      base.set(row, label);
      const k = JSON.stringify([key, label]);
      const set = variantsOfLabel.get(k) ?? new Set<string>();
      set.add(row.variant);
      variantsOfLabel.set(k, set);
      keys.set(row, {
        policy: label,
        variantKey: key,
        variantText: variantParams.filter((c) => row.params[c] !== undefined).map((c) => `${c}=${row.params[c]}`).join(', '),
      });
    }
    // one label over several sweep variants of one variant key: tell them apart by variant name
    for (const row of rows) {
      const k = keys.get(row)!;
      if (variantsOfLabel.get(JSON.stringify([k.variantKey, base.get(row)]))!.size > 1) {
        keys.set(row, { ...k, policy: k.policy === '' ? row.variant : `${k.policy} [${row.variant}]` });
      }
    }
  }
  keysCache.set(table, keys);
  return keys;
}

/** The policy label of `row`, a row of `table` (see the file comment). */
export function policyLabel(table: RunsTable, row: RunRow): string {
  return keysOf(table, row).policy;
}

/** The variant key of `row`, a row of `table`: equal keys mean the same scenario and non-policy parameters. */
export function variantKey(table: RunsTable, row: RunRow): string {
  return keysOf(table, row).variantKey;
}

/** The non-policy parameters of `row` as `path=value, ...` (empty when the scenario sweeps only policies). */
export function variantText(table: RunsTable, row: RunRow): string {
  return keysOf(table, row).variantText;
}

function keysOf(table: RunsTable, row: RunRow): RunKeys {
  const k = runKeys(table).get(row);
  if (k === undefined) throw new Error(`run ${row.runId} is not a row of this table`);
  return k;
}
