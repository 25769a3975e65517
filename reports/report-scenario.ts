/**
 * One scenario's runs arranged for the report: its variants (runs with the same variant key,
 * see runs-table.ts), its policy labels, and the runs of each (variant, policy) group, all in
 * order of first appearance in runs.csv (canonical run order), plus short labels for charts.
 */
import { runKeys, type RunRow, type RunsTable } from './runs-table.ts';

/** The runs of one variant key. */
export interface ReportVariant {
  readonly key: string;
  /** Short label for charts: the sweep variant's name, or the parameters that tell variants apart. */
  readonly label: string;
  /** All non-policy parameters as `path=value, ...` (empty when there are none). */
  readonly text: string;
}

/** The runs of one variant under one policy: the seeds of one bar or one line. */
export interface ReportGroup {
  readonly variant: ReportVariant;
  readonly policy: string;
  /** The label of this group's line in time series and CDF charts. */
  readonly line: string;
  readonly rows: readonly RunRow[];
}

export interface ReportScenario {
  readonly name: string;
  readonly rows: readonly RunRow[];
  readonly variants: readonly ReportVariant[];
  readonly policies: readonly string[];
  /** Groups in variant order, then policy order; only groups that have runs. */
  readonly groups: readonly ReportGroup[];
  /** Line labels of {@link groups}, in the same order. */
  readonly lines: readonly string[];
}

/** The scenarios of `table`, in order of first appearance. */
export function reportScenarios(table: RunsTable): ReportScenario[] {
  const keys = runKeys(table);
  const byScenario = new Map<string, RunRow[]>();
  for (const row of table.rows) {
    const rows = byScenario.get(row.scenario);
    if (rows === undefined) byScenario.set(row.scenario, [row]);
    else rows.push(row);
  }
  return [...byScenario].map(([name, rows]) => arrange(table, name, rows, keys));
}

function arrange(table: RunsTable, name: string, rows: readonly RunRow[], keys: ReturnType<typeof runKeys>): ReportScenario {
  const variantRows = new Map<string, RunRow[]>();
  const policies: string[] = [];
  for (const row of rows) {
    const k = keys.get(row)!;
    const list = variantRows.get(k.variantKey);
    if (list === undefined) variantRows.set(k.variantKey, [row]);
    else list.push(row);
    if (!policies.includes(k.policy)) policies.push(k.policy);
  }
  const labels = variantLabels(table, [...variantRows.values()], keys);
  const variants = [...variantRows.keys()].map((key, i): ReportVariant => ({
    key,
    label: labels[i]!,
    text: keys.get(variantRows.get(key)![0]!)!.variantText,
  }));
  const groups: ReportGroup[] = [];
  for (const variant of variants) {
    for (const policy of policies) {
      const groupRows = variantRows.get(variant.key)!.filter((r) => keys.get(r)!.policy === policy);
      if (groupRows.length === 0) continue;
      const line = variants.length === 1 ? policy : policies.length === 1 ? variant.label : `${variant.label} · ${policy}`;
      groups.push({ variant, policy, line, rows: groupRows });
    }
  }
  return { name, rows, variants, policies, groups, lines: groups.map((g) => g.line) };
}

/**
 * Labels for the variants of one scenario (each a list of rows): the sweep variant's name when
 * all runs of a variant share one that is not a generated `v<index>`; otherwise the parameters
 * whose values differ between the variants, by their last path segment when that is unambiguous.
 * Labels that would still clash get `#<n>` appended.
 */
function variantLabels(table: RunsTable, variants: readonly (readonly RunRow[])[], keys: ReturnType<typeof runKeys>): string[] {
  if (variants.length === 1) return ['all runs'];
  const names = variants.map((rows) => {
    const set = new Set(rows.map((r) => r.variant));
    const only = [...set][0]!;
    return set.size === 1 && !/^v\d+$/.test(only) ? only : undefined;
  });
  const columns = table.paramColumns.filter((c) => !c.startsWith('policies.'));
  const differing = columns.filter((c) => variants.some((rows) => rows[0]!.params[c] !== variants[0]![0]!.params[c]));
  const short = differing.map((c) => c.split('.').pop()!);
  const useShort = new Set(short).size === short.length;
  const labels = variants.map((rows, i) => {
    const name = names[i];
    if (name !== undefined && new Set(names).size === names.length) return name;
    const first = rows[0]!;
    const parts = differing.map((c, j) => `${useShort ? short[j] : c}=${first.params[c] ?? '(none)'}`);
    return parts.length > 0 ? parts.join(', ') : keys.get(first)!.variantText || `variant ${i + 1}`;
  });
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return count === 1 ? label : `${label} #${count}`;
  });
}
