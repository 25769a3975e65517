/**
 * The time series charts of a scenario: each chosen series of timeseries.csv over simulated
 * time, one line per (variant, policy) group, each point the mean across the group's seeds of
 * the samples at that time (seeds without a value at that time are left out of that mean).
 */
import { timeSeriesSpec, type SeriesPoint } from '../charts/time-series.ts';
import { unitLabel } from '../charts/units.ts';
import type { ReportScenario } from '../report-scenario.ts';
import type { Series } from '../timeseries-table.ts';
import { html, type Html } from './escape.ts';
import { chartFigure, type ChartCounter } from './figure.ts';

/** Samples by run id, then metric (timeseries-table.ts `seriesByRun`). */
export type SeriesByRun = ReadonlyMap<string, ReadonlyMap<string, Series>>;

/** The series names sampled in a scenario's runs, in order of first appearance. */
export function scenarioSeriesNames(scenario: ReportScenario, series: SeriesByRun): string[] {
  const names = new Set<string>();
  for (const row of scenario.rows) for (const name of series.get(row.runId)?.keys() ?? []) names.add(name);
  return [...names];
}

/** Mean across the group's runs at each sample time, in time order. */
export function meanSeries(runIds: readonly string[], metric: string, series: SeriesByRun): { time_s: number; value: number }[] {
  const sums = new Map<number, { sum: number; n: number }>();
  for (const id of runIds) {
    const s = series.get(id)?.get(metric);
    if (s === undefined) continue;
    for (let i = 0; i < s.timeS.length; i++) {
      const v = s.value[i]!;
      const t = s.timeS[i]!;
      let acc = sums.get(t);
      if (acc === undefined) sums.set(t, (acc = { sum: 0, n: 0 }));
      if (Number.isFinite(v)) {
        acc.sum += v;
        acc.n++;
      }
    }
  }
  return [...sums]
    .sort((a, b) => a[0] - b[0])
    .map(([time_s, { sum, n }]) => ({ time_s, value: n === 0 ? NaN : sum / n }));
}

/** The points of every line of one series. */
export function seriesPoints(scenario: ReportScenario, metric: string, series: SeriesByRun): SeriesPoint[] {
  return scenario.groups.flatMap((g) => meanSeries(g.rows.map((r) => r.runId), metric, series).map((p) => ({ line: g.line, ...p })));
}

/** Whether the lines of one series differ anywhere (so it shows a difference between policies). */
export function linesDiffer(points: readonly SeriesPoint[]): boolean {
  const byTime = new Map<number, number>();
  for (const p of points) {
    if (!Number.isFinite(p.value)) continue;
    const other = byTime.get(p.time_s);
    if (other === undefined) byTime.set(p.time_s, p.value);
    else if (Math.abs(other - p.value) > 1e-9 * Math.max(Math.abs(other), Math.abs(p.value))) return true;
  }
  return false;
}

export async function timeSeriesCharts(scenario: ReportScenario, metrics: readonly string[], series: SeriesByRun, counter: ChartCounter): Promise<Html[]> {
  const figures: Html[] = [];
  for (const metric of metrics) {
    const points = seriesPoints(scenario, metric, series);
    if (!points.some((p) => Number.isFinite(p.value))) continue;
    const lines = scenario.lines.filter((l) => points.some((p) => p.line === l));
    const unit = unitLabel(metric);
    const seeds = Math.max(...scenario.groups.map((g) => g.rows.length));
    const caption = html`<strong>${metric}</strong>${unit === '' ? '' : ` (${unit})`} · ${seeds > 1 ? `mean of ${seeds} seeds at each time` : 'one seed per line'}`;
    figures.push(await chartFigure(counter, 'series', timeSeriesSpec({ metric, points, lines }), caption));
  }
  return figures;
}
