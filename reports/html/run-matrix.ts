/**
 * The run matrix of a scenario: one row per variant (with its parameters), one column per
 * policy, each cell the number of runs (seeds) of that variant under that policy.
 */
import type { ReportScenario } from '../report-scenario.ts';
import { html, type Html } from './escape.ts';

/** `42–44` for consecutive seeds, else a list (shortened after six). */
export function seedText(seeds: readonly number[]): string {
  const sorted = [...seeds].sort((a, b) => a - b);
  if (sorted.length === 0) return '';
  const consecutive = sorted.every((s, i) => i === 0 || s === sorted[i - 1]! + 1);
  if (consecutive && sorted.length > 2) return `${sorted[0]}–${sorted[sorted.length - 1]}`;
  if (sorted.length <= 6) return sorted.join(', ');
  return `${sorted.slice(0, 5).join(', ')}, … ${sorted[sorted.length - 1]}`;
}

export function runMatrix(scenario: ReportScenario): Html {
  const { variants, policies, groups } = scenario;
  const withParams = variants.some((v) => v.text !== '');
  const head = html`<tr><th>variant</th>${withParams ? html`<th>parameters</th>` : html``}${policies.map((p) => html`<th class="num">${p === '' ? 'runs' : p}</th>`)}</tr>`;
  const body = variants.map((variant) => {
    const cells = policies.map((policy) => {
      const group = groups.find((g) => g.variant === variant && g.policy === policy);
      if (group === undefined) return html`<td class="num muted">–</td>`;
      const seeds = group.rows.map((r) => r.seed);
      return html`<td class="num">${seeds.length} <span class="muted small">(seed${seeds.length === 1 ? '' : 's'} ${seedText(seeds)})</span></td>`;
    });
    return html`<tr><td>${variant.label}</td>${withParams ? html`<td class="small">${variant.text === '' ? '–' : variant.text}</td>` : html``}${cells}</tr>`;
  });
  const total = scenario.rows.length;
  const summary = `${total} run${total === 1 ? '' : 's'}: ${variants.length} variant${variants.length === 1 ? '' : 's'} × ${policies.length} polic${policies.length === 1 ? 'y' : 'ies'}; cells count runs (seeds).`;
  return html`<p class="muted small">${summary}</p><div class="table-wrap"><table class="run-matrix"><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}
