/**
 * Which metrics a report charts. `--metric` and `--series` take globs (`*` any run of
 * characters, `/` included; `?` one character; everything else literal, matched against the
 * whole name). Without them the report picks a sensible few per scenario:
 * - bar charts: the summary metrics whose mean differs between the scenario's (variant, policy)
 *   groups, at most {@link MAX_BAR_CHARTS}, shown in column order. Metrics with a value in every
 *   group, none of them zero, come first, then the others, each by relative spread (max − min
 *   over the largest magnitude), largest first. Engine counters and a latency histogram's count
 *   and quantiles other than p99 are left out (the CDF shows those);
 * - time series: at most {@link MAX_SERIES_CHARTS} sampled series, those that differ between
 *   lines first, in order of first appearance;
 * - latency CDFs: every latency histogram with samples, at most {@link MAX_CDF_CHARTS}.
 */
import type { RunRow } from '../runs-table.ts';
import type { LatencyHistogram } from './latency-quantiles.ts';

export const MAX_BAR_CHARTS = 12;
export const MAX_SERIES_CHARTS = 4;
export const MAX_CDF_CHARTS = 6;

/** A glob as an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

/** Whether `name` matches any of `globs`. */
export function matchesAny(name: string, globs: readonly RegExp[]): boolean {
  return globs.some((g) => g.test(name));
}

/** Mean of the finite values of `column` over `rows`; NaN when there is none. */
export function finiteMean(rows: readonly RunRow[], column: string): number {
  let sum = 0;
  let n = 0;
  for (const row of rows) {
    const v = row.metrics[column];
    if (v !== undefined && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? NaN : sum / n;
}

/** (max − min) / max |mean| of group means; 0 when fewer than two groups have a value. */
export function relativeSpread(means: readonly number[]): number {
  const finite = means.filter(Number.isFinite);
  if (finite.length < 2) return 0;
  const max = Math.max(...finite);
  const min = Math.min(...finite);
  const scale = Math.max(...finite.map(Math.abs));
  return scale === 0 ? 0 : (max - min) / scale;
}

/** Columns no default bar chart shows: engine bookkeeping and a histogram's count and extremes. */
function hiddenByDefault(columns: readonly string[], histograms: readonly LatencyHistogram[]): Set<string> {
  const hidden = new Set(columns.filter((c) => c.startsWith('engine/')));
  for (const h of histograms) {
    hidden.add(`${h.path}_count`);
    for (const c of h.columns) if (!c.startsWith(`${h.path}_p99_`)) hidden.add(c);
  }
  return hidden;
}

/**
 * The bar-chart metrics of one scenario. `groups` are the rows of each (variant, policy) group;
 * `columns` all metric columns in file order. With `globs`, every matching column with a value.
 */
export function chooseBarMetrics(
  columns: readonly string[],
  groups: readonly (readonly RunRow[])[],
  histograms: readonly LatencyHistogram[],
  globs: readonly RegExp[] | undefined,
): string[] {
  const hasValue = (c: string) => groups.some((rows) => Number.isFinite(finiteMean(rows, c)));
  if (globs !== undefined) return columns.filter((c) => matchesAny(c, globs) && hasValue(c));
  if (groups.length < 2) return [];
  const hidden = hiddenByDefault(columns, histograms);
  const ranked = columns
    .map((column, index) => {
      const means = groups.map((rows) => finiteMean(rows, column));
      // A metric that is zero or missing in some group usually counts something only one
      // policy or variant has (a component the other does not use): rank those after the rest.
      const partial = means.some((m) => !Number.isFinite(m) || m === 0);
      return { column, index, partial, spread: relativeSpread(means) };
    })
    .filter((c) => !hidden.has(c.column) && c.spread > 1e-9)
    .sort((a, b) => Number(a.partial) - Number(b.partial) || b.spread - a.spread || a.index - b.index)
    .slice(0, MAX_BAR_CHARTS);
  return ranked.sort((a, b) => a.index - b.index).map((c) => c.column);
}

/**
 * The time series of one scenario. `metrics` are the sampled names in order of first appearance;
 * `differs(name)` says whether the lines of that series differ.
 */
export function chooseSeries(metrics: readonly string[], differs: (metric: string) => boolean, globs: readonly RegExp[] | undefined): string[] {
  if (globs !== undefined) return metrics.filter((m) => matchesAny(m, globs));
  const first = metrics.filter(differs);
  const rest = metrics.filter((m) => !differs(m));
  return [...first, ...rest].slice(0, MAX_SERIES_CHARTS).sort((a, b) => metrics.indexOf(a) - metrics.indexOf(b));
}

/** The latency CDFs of one scenario: histograms with a value, those with a column matching `globs` if given. */
export function chooseHistograms(histograms: readonly LatencyHistogram[], rows: readonly RunRow[], globs: readonly RegExp[] | undefined): LatencyHistogram[] {
  const withData = histograms.filter((h) => Number.isFinite(finiteMean(rows, h.columns[0]!)));
  if (globs !== undefined) return withData.filter((h) => h.columns.some((c) => matchesAny(c, globs)) || matchesAny(`${h.path}_count`, globs));
  return withData.slice(0, MAX_CDF_CHARTS);
}
