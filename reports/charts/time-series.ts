/**
 * The time series chart: one sampled metric over simulated time, one line per policy (or per
 * variant and policy), each point the mean across seeds at that sample time.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, lineColourEncoding } from './theme.ts';
import { axisTitle, quantityAxis } from './units.ts';

/** One point of one line. */
export interface SeriesPoint {
  /** The line's label (a policy, or `variant · policy`). */
  readonly line: string;
  /** Simulated time in seconds. */
  readonly time_s: number;
  /** Mean across seeds at that time. */
  readonly value: number;
}

export interface TimeSeriesInput {
  /** The series name from timeseries.csv, for the axis title and its unit. */
  readonly metric: string;
  readonly points: readonly SeriesPoint[];
  /** Line labels in display order (also fixes their colours). */
  readonly lines: readonly string[];
}

/** The vega-lite spec of a time series chart. Points with a non-finite value are left out. */
export function timeSeriesSpec(input: TimeSeriesInput): TopLevelSpec {
  const values = input.points
    .filter((p) => Number.isFinite(p.value) && Number.isFinite(p.time_s))
    .map((p) => ({ line: p.line, time_s: p.time_s, value: p.value }));
  const perLine = values.length / Math.max(1, input.lines.length);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CHART_CONFIG,
    width: 420,
    height: 210,
    data: { values },
    mark: { type: 'line', point: perLine <= 40, interpolate: 'linear' },
    encoding: {
      x: { field: 'time_s', type: 'quantitative', title: 'simulated time (s)', scale: { zero: false, nice: false }, axis: quantityAxis(values.map((v) => v.time_s)) },
      y: { field: 'value', type: 'quantitative', title: axisTitle(input.metric), axis: quantityAxis(values.map((v) => v.value)) },
      color: lineColourEncoding(input.lines),
    },
  } as TopLevelSpec;
}
