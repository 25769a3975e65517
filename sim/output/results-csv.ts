/**
 * The two result files of `storsim run`, as CSV text with a fixed column order:
 *
 * runs.csv — one row per run:
 *   run_id, scenario, variant, <one column per swept parameter, by dotted path>,
 *   <policy.<decision point> per decision point>, seed, <summary metrics, unit in the name>
 * Parameter, policy and metric columns appear in order of first appearance over the runs
 * (runs are in canonical order; each run's metrics are sorted by name), so the layout
 * depends only on the scenarios. A run without some column leaves it empty.
 *
 * timeseries.csv — long form: run_id, time_s, metric, value.
 */
import { nsToSeconds } from '../engine/time.ts';
import type { RunResult } from '../run/execute-run.ts';
import { toCsv, type CsvValue } from './csv.ts';

export const RUNS_FIXED_COLUMNS = ['run_id', 'scenario', 'variant'] as const;
export const TIMESERIES_COLUMNS = ['run_id', 'time_s', 'metric', 'value'] as const;

export function runsCsv(results: readonly RunResult[]): string {
  const params = new UniqueList();
  const policies = new UniqueList();
  const metrics = new UniqueList();
  const rows = results.map((result) => {
    const { run } = result;
    const row: Record<string, CsvValue> = {
      run_id: run.id,
      scenario: run.scenario,
      variant: run.variant.name || `v${run.variant.index}`,
      seed: run.seed,
    };
    for (const [path, value] of run.variant.assignments) {
      if (path.startsWith('policies.')) continue; // shown in its policy column
      row[params.add(path)] = typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(value);
    }
    for (const [point, name] of run.policies) row[policies.add(`policy.${point}`)] = name;
    for (const { column, value } of result.summary) row[metrics.add(column)] = value;
    return row;
  });
  const columns = [...RUNS_FIXED_COLUMNS, ...params.items, ...policies.items, 'seed', ...metrics.items];
  return toCsv(columns, rows);
}

export function timeseriesCsv(results: readonly RunResult[]): string {
  const rows: Record<string, CsvValue>[] = [];
  for (const result of results) {
    for (const sample of result.series) {
      rows.push({ run_id: result.run.id, time_s: nsToSeconds(sample.timeNs), metric: sample.metric, value: sample.value });
    }
  }
  return toCsv(TIMESERIES_COLUMNS, rows);
}

/** Insertion-ordered set of column names. */
class UniqueList {
  readonly items: string[] = [];
  private readonly seen = new Set<string>();
  add(item: string): string {
    if (!this.seen.has(item)) {
      this.seen.add(item);
      this.items.push(item);
    }
    return item;
  }
}
