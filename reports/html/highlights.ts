/**
 * The significant differences of a scenario in a few lines, at the top of its section: for the
 * charted metrics, each policy whose paired difference from the baseline has a 95% interval
 * that excludes zero, largest relative change first.
 */
import type { ComparisonRow } from '../compare.ts';
import type { ReportScenario } from '../report-scenario.ts';
import { html, type Html } from './escape.ts';
import { displayNumber, displayPercent } from './numbers.ts';

/** At most this many lines; the comparison table has the rest. */
export const MAX_HIGHLIGHTS = 8;

export function highlights(scenario: ReportScenario, rows: readonly ComparisonRow[]): Html {
  const compared = rows.filter((r) => r.n_pairs !== undefined);
  if (compared.length === 0) return html``;
  const significant = compared
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => row.significant === true)
    .sort((a, b) => Math.abs(b.row.rel_change) - Math.abs(a.row.rel_change) || a.index - b.index)
    .map(({ row }) => row);
  const labelOf = new Map(scenario.variants.map((v) => [v.text, v.label]));
  const showVariant = scenario.variants.length > 1;
  if (significant.length === 0) {
    const paired = compared.some((r) => (r.n_pairs ?? 0) >= 2);
    return html`<p class="muted">${paired ? 'No significant difference from the baseline in the charted metrics (95% intervals of the paired differences all include 0).' : 'One seed per policy, so no confidence intervals: run more replications (--replications) to tell real differences from noise.'}</p>`;
  }
  const items = significant.slice(0, MAX_HIGHLIGHTS).map((r) => {
    const where = showVariant ? html` <span class="muted small">(${labelOf.get(r.variant) ?? r.variant})</span>` : html``;
    const up = r.diff_mean > 0;
    return html`<li><strong>${r.policy}</strong>${where}: <code>${r.metric}</code> <span class="sig ${up ? 'up' : 'down'}">${displayPercent(r.rel_change)}</span> vs ${r.baseline} <span class="muted small">(diff ${displayNumber(r.diff_mean)}, 95% CI [${displayNumber(r.diff_ci95_low)}, ${displayNumber(r.diff_ci95_high)}], ${r.n_pairs ?? 0} paired seeds)</span></li>`;
  });
  const more = significant.length > MAX_HIGHLIGHTS ? html`<p class="muted small">…and ${significant.length - MAX_HIGHLIGHTS} more in the table below.</p>` : html``;
  return html`<ul class="highlights">${items}</ul>${more}`;
}
