/**
 * Policy comparison across seeds: the statistics of `storsim compare` and its comparison.csv.
 *
 * Runs are grouped by scenario and variant key (runs-table.ts), then by policy label. For each
 * group, policy and metric: n (runs with a value), mean, sample standard deviation (n − 1) and
 * the 95% Student t interval of the mean. For each policy other than the group's baseline: the
 * paired difference policy − baseline over the seeds both have a value for (sim/stats/paired.ts),
 * its 95% t interval, the relative change (mean difference over the baseline's mean on the same
 * seeds) and whether the interval excludes 0.
 *
 * The values compared are runs.csv summary metrics, which exclude the scenario's
 * `metrics.warmup` period.
 */
import { toCsv, type CsvValue } from '../sim/output/csv.ts';
import { didYouMean } from '../sim/scenario/did-you-mean.ts';
import { meanInterval } from '../sim/stats/confidence.ts';
import { pairedDifference } from '../sim/stats/paired.ts';
import { metricValue, runKeys, type RunRow, type RunsTable } from './runs-table.ts';

/** Bad input to a comparison (unknown baseline or metric, no runs, ambiguous runs). */
export class CompareError extends Error {
  override readonly name = 'CompareError';
}

export interface CompareOptions {
  /** The baseline policy label (default: each group's first label in run order). */
  readonly baseline?: string;
  /** Metric names or globs (`*` any characters, `?` one character); default every metric column. */
  readonly metrics?: readonly string[];
}

/**
 * One line of comparison.csv. Statistics are in the metric's unit (its column name carries it);
 * NaN (and `undefined`) are empty cells.
 */
export interface ComparisonRow {
  readonly scenario: string;
  /** The non-policy parameters as `path=value, ...`; empty when the scenario sweeps only policies and seeds. */
  readonly variant: string;
  /** The policy label. */
  readonly policy: string;
  /** The group's baseline label (equal to `policy` on the baseline's rows; empty when the group has no baseline). */
  readonly baseline: string;
  readonly metric: string;
  /** Runs with a value for the metric. */
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); NaN when n < 2. */
  readonly std: number;
  readonly ci95_low: number;
  readonly ci95_high: number;
  /** Seeds where both this policy and the baseline have a value; undefined on baseline rows. */
  readonly n_pairs: number | undefined;
  /** Mean of the per-seed differences policy − baseline. */
  readonly diff_mean: number;
  readonly diff_ci95_low: number;
  readonly diff_ci95_high: number;
  /** diff_mean / the baseline's mean over the paired seeds (a fraction: 0.05 is 5% above the baseline). */
  readonly rel_change: number;
  /** The difference interval excludes 0; undefined without an interval (baseline rows, fewer than 2 pairs). */
  readonly significant: boolean | undefined;
}

/** The columns of comparison.csv, in order. */
export const COMPARISON_COLUMNS = [
  'scenario', 'variant', 'policy', 'baseline', 'metric',
  'n', 'mean', 'std', 'ci95_low', 'ci95_high',
  'n_pairs', 'diff_mean', 'diff_ci95_low', 'diff_ci95_high', 'rel_change', 'significant',
] as const;

/** A pattern with `*` (any characters, `/` included) or `?` (one character). */
function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

function globRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * The metric columns selected by `patterns` (exact names or globs), in the order of the
 * patterns, each column once. A pattern that selects nothing is a {@link CompareError}.
 */
export function selectMetrics(columns: readonly string[], patterns: readonly string[]): string[] {
  const selected = new Set<string>();
  for (const pattern of patterns) {
    const matches = isGlob(pattern) ? columns.filter((c) => globRegExp(pattern).test(c)) : columns.filter((c) => c === pattern);
    if (matches.length === 0) {
      const hint = isGlob(pattern) ? '' : didYouMean(pattern, columns);
      const sample = columns.length === 0 ? 'there are no metric columns' : `metric columns are named like ${columns.slice(0, 3).join(', ')}`;
      throw new CompareError(`--metric "${pattern}" matches no metric column${hint} (${sample}; ${columns.length} in all; * matches any characters)`);
    }
    for (const m of matches) selected.add(m);
  }
  return [...selected];
}

/** Runs of one scenario and variant key, by policy label in order of first appearance. */
interface Group {
  readonly scenario: string;
  readonly variant: string;
  readonly policies: Map<string, RunRow[]>;
}

function groupRuns(table: RunsTable): Group[] {
  const keys = runKeys(table);
  const groups = new Map<string, Group>();
  for (const row of table.rows) {
    const k = keys.get(row)!;
    let group = groups.get(k.variantKey);
    if (group === undefined) groups.set(k.variantKey, (group = { scenario: row.scenario, variant: k.variantText, policies: new Map() }));
    const runs = group.policies.get(k.policy);
    if (runs === undefined) group.policies.set(k.policy, [row]);
    else runs.push(row);
  }
  // scenarios in order of first appearance, then variant keys in order of first appearance
  const order = [...new Set(table.rows.map((r) => r.scenario))];
  const all = [...groups.values()];
  return order.flatMap((s) => all.filter((g) => g.scenario === s));
}

/** A policy's values of `metric` by seed, skipping empty cells. */
function valuesBySeed(runs: readonly RunRow[], metric: string): Map<number, number> {
  const bySeed = new Map<number, number>();
  for (const run of runs) {
    const v = metricValue(run, metric);
    if (!Number.isNaN(v)) bySeed.set(run.seed, v);
  }
  return bySeed;
}

function checkSeedsUnique(group: Group): void {
  for (const [label, runs] of group.policies) {
    const seen = new Map<number, RunRow>();
    for (const run of runs) {
      const other = seen.get(run.seed);
      if (other !== undefined) {
        throw new CompareError(
          `runs ${other.runId} (${other.file}:${other.line}) and ${run.runId} (${run.file}:${run.line}) have the same scenario, parameters, policy "${label}" and seed ${run.seed}: nothing in runs.csv tells them apart, so they cannot be compared`,
        );
      }
      seen.set(run.seed, run);
    }
  }
}

/**
 * The comparison of `table`, in order of scenario, variant key (both by first appearance), metric
 * (column order, or the order of `options.metrics`) and policy (baseline first, then by first
 * appearance). Metrics without any value in a group (e.g. read latencies where nothing was read)
 * are left out of that group.
 */
export function compareRuns(table: RunsTable, options: CompareOptions = {}): ComparisonRow[] {
  if (table.rows.length === 0) throw new CompareError(`no runs to compare in ${table.files.join(', ')} (runs.csv has a header only)`);
  const metrics = options.metrics === undefined ? table.metricColumns : selectMetrics(table.metricColumns, options.metrics);
  const groups = groupRuns(table);
  for (const group of groups) checkSeedsUnique(group);
  if (options.baseline !== undefined && !groups.some((g) => g.policies.has(options.baseline!))) {
    throw new CompareError(`--baseline "${options.baseline}" is not a policy label of these runs; labels: ${policyLabelsByScenario(groups)}`);
  }
  const rows: ComparisonRow[] = [];
  for (const group of groups) {
    const labels = [...group.policies.keys()];
    const baseline = options.baseline === undefined ? labels[0] : group.policies.has(options.baseline) ? options.baseline : undefined;
    const ordered = baseline === undefined ? labels : [baseline, ...labels.filter((l) => l !== baseline)];
    for (const metric of metrics) {
      const values = new Map(ordered.map((label) => [label, valuesBySeed(group.policies.get(label)!, metric)]));
      if ([...values.values()].every((v) => v.size === 0)) continue;
      const baseValues = baseline === undefined ? undefined : values.get(baseline)!;
      for (const label of ordered) {
        // canonical run order for the sums, so the output is reproducible
        const own = group.policies.get(label)!.map((r) => metricValue(r, metric)).filter((v) => !Number.isNaN(v));
        const stats = meanInterval(own);
        const row = {
          scenario: group.scenario,
          variant: group.variant,
          policy: label,
          baseline: baseline ?? '',
          metric,
          n: stats.n,
          mean: stats.mean,
          std: stats.stddev,
          ci95_low: stats.low,
          ci95_high: stats.high,
        };
        if (baseValues === undefined || label === baseline) {
          rows.push({ ...row, n_pairs: undefined, diff_mean: NaN, diff_ci95_low: NaN, diff_ci95_high: NaN, rel_change: NaN, significant: undefined });
          continue;
        }
        const diff = pairedDifference(values.get(label)!, baseValues);
        rows.push({
          ...row,
          n_pairs: diff.n,
          diff_mean: diff.mean,
          diff_ci95_low: diff.low,
          diff_ci95_high: diff.high,
          rel_change: diff.relativeChange,
          significant: diff.significant,
        });
      }
    }
  }
  return rows;
}

function policyLabelsByScenario(groups: readonly Group[]): string {
  const byScenario = new Map<string, Set<string>>();
  for (const g of groups) {
    const set = byScenario.get(g.scenario) ?? new Set<string>();
    for (const label of g.policies.keys()) set.add(label);
    byScenario.set(g.scenario, set);
  }
  return [...byScenario].map(([s, labels]) => `${s}: ${[...labels].map((l) => JSON.stringify(l)).join(', ')}`).join('; ');
}

/** comparison.csv: {@link COMPARISON_COLUMNS}, numbers through formatNumber, `significant` as true/false/empty. */
export function comparisonCsv(rows: readonly ComparisonRow[]): string {
  return toCsv(
    COMPARISON_COLUMNS,
    rows.map((r): Record<string, CsvValue> => ({ ...r, significant: r.significant === undefined ? undefined : String(r.significant) })),
  );
}

/** Four significant digits for the printed table ("-" for a missing value). */
function short(x: number): string {
  if (Number.isNaN(x)) return '-';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return String(Number(x.toPrecision(4)));
}

function interval(low: number, high: number): string {
  return Number.isNaN(low) || Number.isNaN(high) ? '-' : `[${short(low)}, ${short(high)}]`;
}

function percent(x: number): string {
  if (Number.isNaN(x)) return '-';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

/**
 * The comparison as a plain-text table for a terminal: one block per scenario and variant, one
 * line per metric and policy, numbers to 4 significant digits (comparison.csv has 9).
 */
export function formatComparisonTable(rows: readonly ComparisonRow[]): string {
  const header = ['metric', 'policy', 'n', 'mean', '95% CI', 'diff', 'diff 95% CI', 'change', 'significant'];
  const blocks: string[] = [];
  let i = 0;
  while (i < rows.length) {
    const first = rows[i]!;
    let j = i;
    while (j < rows.length && rows[j]!.scenario === first.scenario && rows[j]!.variant === first.variant) j++;
    const body = rows.slice(i, j).map((r, k) => [
      k > 0 && rows[i + k - 1]!.metric === r.metric ? '' : r.metric,
      r.policy === '' ? '-' : r.policy,
      String(r.n),
      short(r.mean),
      interval(r.ci95_low, r.ci95_high),
      r.n_pairs === undefined ? '' : short(r.diff_mean),
      r.n_pairs === undefined ? '' : interval(r.diff_ci95_low, r.diff_ci95_high),
      r.n_pairs === undefined ? '' : percent(r.rel_change),
      r.significant === undefined ? '' : r.significant ? 'yes' : 'no',
    ]);
    // a block without differences (one policy, or no baseline) leaves out the difference columns
    const columns = rows.slice(i, j).some((r) => r.n_pairs !== undefined) ? header : header.slice(0, 5);
    const widths = columns.map((h, c) => Math.max(h.length, ...body.map((cells) => cells[c]!.length)));
    const line = (cells: string[]) => cells.slice(0, columns.length).map((c, k) => c.padEnd(widths[k]!)).join('  ').trimEnd();
    const policies = new Set(rows.slice(i, j).map((r) => r.policy));
    const baseline = policies.size < 2 ? [] : [first.baseline === '' ? 'no baseline (the chosen one is not among its policies)' : `baseline ${first.baseline}`];
    const title = [`scenario ${first.scenario}`, ...(first.variant === '' ? [] : [first.variant]), ...baseline].join(', ');
    blocks.push([title, line(columns), ...body.map(line)].join('\n'));
    i = j;
  }
  return blocks.join('\n\n');
}
