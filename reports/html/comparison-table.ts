/**
 * The comparison table of a scenario (rows of compare.ts for the charted metrics): per variant,
 * metric and policy the mean, its 95% interval and n; for each policy other than the baseline
 * the paired difference over common seeds, its 95% interval and the relative change, with the
 * rows whose difference interval excludes zero marked significant.
 */
import type { ComparisonRow } from '../compare.ts';
import type { ReportScenario } from '../report-scenario.ts';
import { html, type Html } from './escape.ts';
import { displayNumber, displayPercent } from './numbers.ts';

function interval(low: number, high: number): string {
  return Number.isNaN(low) || Number.isNaN(high) ? '–' : `[${displayNumber(low)}, ${displayNumber(high)}]`;
}

function significance(row: ComparisonRow): Html {
  if (row.significant === undefined) return html`<td class="muted">${row.n_pairs === undefined ? '' : 'n/a'}</td>`;
  if (!row.significant) return html`<td class="muted">no</td>`;
  const up = row.diff_mean > 0;
  return html`<td><span class="sig ${up ? 'up' : 'down'}">${up ? '▲ higher' : '▼ lower'}</span></td>`;
}

/**
 * The table for `rows` (one scenario's comparison rows), ordered by metric (as in `metrics`),
 * then variant, then policy (baseline first), so that what is compared sits together. Columns
 * that would say nothing are left out: the variant with one variant, the policy with one
 * policy, and the differences when no policy has a baseline to be compared with.
 */
export function comparisonTable(scenario: ReportScenario, rows: readonly ComparisonRow[], metrics: readonly string[]): Html {
  if (rows.length === 0) return html`<p class="muted">No metric to compare.</p>`;
  const variantOrder = new Map(scenario.variants.map((v, i) => [v.text, i]));
  const metricOrder = new Map(metrics.map((m, i) => [m, i]));
  const sorted = rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) =>
      (metricOrder.get(a.row.metric) ?? 0) - (metricOrder.get(b.row.metric) ?? 0) ||
      (variantOrder.get(a.row.variant) ?? 0) - (variantOrder.get(b.row.variant) ?? 0) ||
      a.index - b.index)
    .map((x) => x.row);
  const showVariant = scenario.variants.length > 1;
  const showPolicy = scenario.policies.length > 1;
  const showDiff = sorted.some((r) => r.n_pairs !== undefined);
  const labelOf = new Map(scenario.variants.map((v) => [v.text, v.label]));
  const head = html`<tr><th>metric</th>${showVariant ? html`<th>variant</th>` : html``}${showPolicy ? html`<th>policy</th>` : html``}<th class="num">n</th><th class="num">mean</th><th class="num">95% CI</th>${showDiff ? html`<th class="num">diff vs baseline</th><th class="num">diff 95% CI</th><th class="num">change</th><th>significant</th>` : html``}</tr>`;
  const body = sorted.map((row, i) => {
    const previous = sorted[i - 1];
    const newMetric = previous === undefined || previous.metric !== row.metric;
    const newVariant = newMetric || previous.variant !== row.variant;
    const isBaseline = row.n_pairs === undefined;
    const classes = [newMetric ? 'group-start' : '', row.significant === true ? 'significant' : ''].filter((c) => c !== '').join(' ');
    const policy = isBaseline && row.baseline !== '' ? html`${row.policy} <span class="muted small">(baseline)</span>` : html`${row.policy}`;
    const diff = showDiff
      ? html`<td class="num">${isBaseline ? '' : displayNumber(row.diff_mean)}</td><td class="num">${isBaseline ? '' : interval(row.diff_ci95_low, row.diff_ci95_high)}</td><td class="num">${isBaseline ? '' : displayPercent(row.rel_change)}</td>${significance(row)}`
      : html``;
    return html`<tr${classes === '' ? html`` : html` class="${classes}"`}><td class="metric">${newMetric ? row.metric : ''}</td>${showVariant ? html`<td class="small">${newVariant ? (labelOf.get(row.variant) ?? row.variant) : ''}</td>` : html``}${showPolicy ? html`<td>${policy}</td>` : html``}<td class="num">${row.n}</td><td class="num">${displayNumber(row.mean)}</td><td class="num">${interval(row.ci95_low, row.ci95_high)}</td>${diff}</tr>`;
  });
  return html`<div class="table-wrap"><table class="comparison"><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}
