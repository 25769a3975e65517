/**
 * The latency CDF chart, built from the quantiles storsim reports for a latency histogram
 * (p50, p95, p99, p99.9, max): each quantile is a point (latency, fraction at or below it), one
 * line per policy (or per variant and policy), drawn as a step that stays at a quantile's level
 * until the next one (a lower bound of the distribution function between the known points).
 *
 * The vertical axis is in "nines", -log10(1 − p), so the tail is visible: p50 at 0.3, p95 at
 * 1.3, p99 at 2, p99.9 at 3; the maximum (p = 1, no finite position) is drawn one step above, at 4.
 * The horizontal axis is logarithmic when the latencies span more than a factor of 20.
 */
import type { TopLevelSpec } from 'vega-lite';
import { QUANTILES } from './latency-quantiles.ts';
import { CHART_CONFIG, lineColourEncoding } from './theme.ts';
import { unitLabel } from './units.ts';

/** One known point of one line: a quantile's latency, averaged across seeds. */
export interface CdfPoint {
  readonly line: string;
  /** The quantile's stat name (`p50`, `p95`, `p99`, `p999`, `max`). */
  readonly stat: string;
  readonly latency: number;
}

export interface LatencyCdfInput {
  /** The histogram path (`ssd/write_latency`). */
  readonly path: string;
  /** Unit suffix of its columns (`us`). */
  readonly unit: string;
  readonly points: readonly CdfPoint[];
  /** Line labels in display order (also fixes their colours). */
  readonly lines: readonly string[];
}

/** Vertical position of each quantile in nines; the maximum one step above p99.9. */
export function ninesOf(stat: string): number {
  const q = QUANTILES.find((x) => x.stat === stat);
  if (q === undefined) throw new Error(`unknown quantile ${stat}`);
  return q.p === 1 ? 4 : -Math.log10(1 - q.p);
}

/** Log-axis labels only at 1, 2 and 5 times a power of ten (the other ticks keep their grid line). */
const LOG_LABELS = "indexof(['1', '2', '5'], slice(format(datum.value, '.0e'), 0, 1)) >= 0 ? format(datum.value, '~g') : ''";

/** The vega-lite spec of a latency CDF. Points with a non-finite latency are left out. */
export function latencyCdfSpec(input: LatencyCdfInput): TopLevelSpec {
  const values = input.points
    .filter((p) => Number.isFinite(p.latency))
    .map((p) => ({ line: p.line, latency: p.latency, nines: ninesOf(p.stat), quantile: QUANTILES.find((q) => q.stat === p.stat)!.label }));
  const positive = values.map((v) => v.latency).filter((v) => v > 0);
  const low = Math.min(...positive);
  const high = Math.max(...positive);
  const logScale = positive.length === values.length && positive.length > 0 && high / low > 20;
  const ticks = QUANTILES.map((q) => ninesOf(q.stat));
  const labelExpr = QUANTILES.map((q) => `abs(datum.value - ${ninesOf(q.stat)}) < 1e-9 ? '${q.label}' : `).join('') + "''";
  const unit = unitLabel(`x_${input.unit}`);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CHART_CONFIG,
    width: 420,
    height: 210,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', point: true },
    encoding: {
      x: {
        field: 'latency',
        type: 'quantitative',
        title: `${input.path} (${unit}${logScale ? ', log scale' : ''})`,
        scale: logScale ? { type: 'log', nice: false } : { zero: true },
        axis: { labelOverlap: 'greedy', labelSeparation: 8, ...(logScale ? { labelExpr: LOG_LABELS } : {}) },
      },
      y: {
        field: 'nines',
        type: 'quantitative',
        title: 'percentile',
        scale: { domain: [0, 4.2], nice: false, zero: true },
        axis: { values: ticks, labelExpr, grid: true },
      },
      order: { field: 'nines', type: 'quantitative' },
      color: lineColourEncoding(input.lines),
    },
  } as TopLevelSpec;
}
