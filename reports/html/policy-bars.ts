/**
 * The policy comparison charts of a scenario: for each chosen metric, a bar per (variant,
 * policy) at the mean across seeds with its 95% Student t interval as an error bar, from the
 * same statistics as the comparison table (compare.ts).
 */
import { barChartSpec, type BarDatum } from '../charts/bar-ci.ts';
import { unitLabel } from '../charts/units.ts';
import type { ComparisonRow } from '../compare.ts';
import type { ReportScenario } from '../report-scenario.ts';
import { html, type Html } from './escape.ts';
import { chartFigure, type ChartCounter } from './figure.ts';

/** The comparison rows of one scenario, by `variant text \0 policy \0 metric`. */
export type ComparisonIndex = ReadonlyMap<string, ComparisonRow>;

export function comparisonKey(variantText: string, policy: string, metric: string): string {
  return `${variantText}\u0000${policy}\u0000${metric}`;
}

export function indexComparison(rows: readonly ComparisonRow[]): ComparisonIndex {
  return new Map(rows.map((r) => [comparisonKey(r.variant, r.policy, r.metric), r]));
}

export async function policyBars(scenario: ReportScenario, metrics: readonly string[], stats: ComparisonIndex, counter: ChartCounter): Promise<Html[]> {
  const figures: Html[] = [];
  for (const metric of metrics) {
    const bars: BarDatum[] = [];
    for (const group of scenario.groups) {
      const row = stats.get(comparisonKey(group.variant.text, group.policy, metric));
      if (row === undefined || !Number.isFinite(row.mean)) continue;
      bars.push({ variant: group.variant.label, policy: group.policy, mean: row.mean, low: row.ci95_low, high: row.ci95_high, n: row.n });
    }
    if (bars.length === 0) continue;
    const spec = barChartSpec({ metric, bars, policies: scenario.policies, variants: scenario.variants.map((v) => v.label) });
    const ns = [...new Set(bars.map((b) => b.n))].sort((a, b) => a - b);
    const nText = ns.length === 1 ? `${ns[0]}` : `${ns[0]}–${ns[ns.length - 1]}`;
    const unit = unitLabel(metric);
    const seeds = ns[ns.length - 1]! >= 2 ? `${nText} seeds per bar` : 'one seed per bar, so no interval';
    figures.push(await chartFigure(counter, 'bar', spec, html`<strong>${metric}</strong>${unit === '' ? '' : ` (${unit})`} · ${seeds}`));
  }
  return figures;
}
