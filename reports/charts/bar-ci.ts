/**
 * The policy comparison chart: a horizontal bar per policy (per variant when a scenario has one
 * policy and several variants; grouped by variant when it has several of both), its length the
 * mean of a metric across seeds, with the 95% confidence interval of that mean as an error bar
 * (none when there is a single seed).
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, colourScale } from './theme.ts';
import { axisTitle, quantityAxis } from './units.ts';

/** One bar. */
export interface BarDatum {
  /** Variant label (the same for every bar when the scenario has one variant). */
  readonly variant: string;
  /** Policy label. */
  readonly policy: string;
  readonly mean: number;
  /** 95% interval of the mean; NaN when it is not defined (n < 2). */
  readonly low: number;
  readonly high: number;
  readonly n: number;
}

export interface BarChartInput {
  /** The metric column, for the axis title and its unit. */
  readonly metric: string;
  readonly bars: readonly BarDatum[];
  /** Policy labels in display order (also fixes their colours). */
  readonly policies: readonly string[];
  /** Variant labels in display order. */
  readonly variants: readonly string[];
}

/** Plot width in pixels (the value axis); the category axis grows with the number of bars. */
const WIDTH = 280;
/** Pixels per bar along the category axis. */
const BAR_STEP = 22;

/**
 * The vega-lite spec of a policy comparison chart: horizontal bars, so policy and variant labels
 * read left to right whatever their length. Bars with a non-finite mean are left out.
 */
export function barChartSpec(input: BarChartInput): TopLevelSpec {
  const { metric, policies, variants } = input;
  const values = input.bars
    .filter((b) => Number.isFinite(b.mean))
    .map((b) => ({
      variant: b.variant,
      policy: b.policy,
      mean: b.mean,
      n: b.n,
      ...(Number.isFinite(b.low) && Number.isFinite(b.high) ? { low: b.low, high: b.high } : {}),
    }));
  const withIntervals = values.some((v) => v.low !== undefined);
  // Several variants and policies: a group of bars per variant, coloured by policy. Otherwise one
  // bar per variant (one policy) or per policy (one variant), coloured by what the axis shows.
  const grouped = variants.length > 1 && policies.length > 1;
  const byVariant = variants.length > 1;
  const valueTitle = axisTitle(metric);
  const category = byVariant ? 'variant' : 'policy';
  const categories = byVariant ? variants : policies;
  const colourField = grouped || !byVariant ? 'policy' : 'variant';
  const y = {
    field: category,
    type: 'nominal' as const,
    sort: [...categories],
    title: byVariant ? 'variant' : null,
    axis: { labelLimit: 180 },
  };
  const yOffset = grouped ? { yOffset: { field: 'policy', type: 'nominal' as const, sort: [...policies] } } : {};
  const colour = {
    field: colourField,
    type: 'nominal' as const,
    scale: colourScale(colourField === 'policy' ? policies : variants),
    title: colourField,
    legend: grouped ? { orient: 'bottom' as const, direction: 'horizontal' as const, columns: 3 } : null,
  };
  const xAxis = { ...quantityAxis(values.flatMap((v) => [v.mean, v.high ?? 0])), labelFlush: true };
  const bars = {
    mark: { type: 'bar' as const, cornerRadiusEnd: 2 },
    encoding: {
      y,
      ...yOffset,
      x: { field: 'mean', type: 'quantitative' as const, title: valueTitle, axis: xAxis },
      color: colour,
    },
  };
  const errorBars = {
    transform: [{ filter: 'isValid(datum.low)' }],
    mark: { type: 'errorbar' as const, ticks: { size: 7 }, thickness: 1.5, color: '#24292f' },
    encoding: {
      y: { field: category, type: 'nominal' as const, sort: [...categories] },
      ...yOffset,
      x: { field: 'low', type: 'quantitative' as const, title: valueTitle },
      x2: { field: 'high' },
    },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CHART_CONFIG,
    width: WIDTH,
    height: grouped ? { step: BAR_STEP * policies.length + 8 } : { step: BAR_STEP + 4 },
    data: { values },
    layer: withIntervals ? [bars, errorBars] : [bars],
  } as TopLevelSpec;
}
