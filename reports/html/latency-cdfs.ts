/**
 * The latency CDF charts of a scenario: for each chosen latency histogram, the distribution
 * function drawn through its reported quantiles (p50, p95, p99, p99.9, max), each averaged
 * across the group's seeds, one line per (variant, policy) group.
 */
import { latencyCdfSpec, type CdfPoint } from '../charts/latency-cdf.ts';
import { QUANTILES, type LatencyHistogram } from '../charts/latency-quantiles.ts';
import { finiteMean } from '../charts/select-metrics.ts';
import type { ReportScenario } from '../report-scenario.ts';
import { html, type Html } from './escape.ts';
import { chartFigure, type ChartCounter } from './figure.ts';

/** The points of every line of one histogram (groups without samples are left out). */
export function cdfPoints(scenario: ReportScenario, histogram: LatencyHistogram): CdfPoint[] {
  const points: CdfPoint[] = [];
  for (const group of scenario.groups) {
    const latencies = histogram.columns.map((c) => finiteMean(group.rows, c));
    if (!latencies.some(Number.isFinite)) continue;
    QUANTILES.forEach((q, i) => points.push({ line: group.line, stat: q.stat, latency: latencies[i]! }));
  }
  return points;
}

export async function latencyCdfs(scenario: ReportScenario, histograms: readonly LatencyHistogram[], counter: ChartCounter): Promise<Html[]> {
  const figures: Html[] = [];
  for (const histogram of histograms) {
    const points = cdfPoints(scenario, histogram);
    if (points.length === 0) continue;
    const lines = scenario.lines.filter((l) => points.some((p) => p.line === l));
    const spec = latencyCdfSpec({ path: histogram.path, unit: histogram.unit, points, lines });
    const seeds = Math.max(...scenario.groups.map((g) => g.rows.length));
    const caption = html`<strong>${histogram.path}</strong> · from <code>${histogram.path}_{p50,p95,p99,p999,max}_${histogram.unit}</code>${seeds > 1 ? `, mean of ${seeds} seeds` : ''}`;
    figures.push(await chartFigure(counter, 'cdf', spec, caption));
  }
  return figures;
}
