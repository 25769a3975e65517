/**
 * A registered metric and what it outputs: its summary column names and values, and the
 * sample source that says what its time-series values mean. The registry's file comment lists
 * the naming scheme; the sample sources live next to each metric kind.
 */
import { CounterSource, type Counter } from './counter.ts';
import { GaugeSource, type Gauge } from './gauge.ts';
import { HISTOGRAM_STATS, HistogramSource, readHistogramStat, type HistogramStat } from './histogram-window.ts';
import type { LatencyHistogram } from './histogram.ts';
import { outputName } from './paths.ts';
import type { SampleSource } from './time-series.ts';
import { TimeWeightedMeanSource, type TimeWeighted } from './time-weighted.ts';
import { toDisplay, type DisplayUnit } from './units.ts';

/** Histogram statistics sampled per interval unless chosen otherwise: `mean` and `p99`. */
export const DEFAULT_HISTOGRAM_SAMPLE_STATS: readonly HistogramStat[] = Object.freeze(['mean', 'p99']);

/** A metric held by a registry, with its path, display unit and (histograms) sampled statistics. */
export type MetricEntry =
  | { readonly kind: 'counter'; readonly path: string; readonly unit: DisplayUnit; readonly metric: Counter }
  | { readonly kind: 'gauge'; readonly path: string; readonly unit: DisplayUnit; readonly metric: Gauge }
  | { readonly kind: 'time-weighted'; readonly path: string; readonly unit: DisplayUnit; readonly metric: TimeWeighted }
  | {
      readonly kind: 'histogram';
      readonly path: string;
      readonly unit: DisplayUnit;
      readonly metric: LatencyHistogram;
      readonly sampleStats: readonly HistogramStat[];
    };

/** Output name of a histogram statistic: `count` is dimensionless, the others carry the unit. */
function histogramStatName(path: string, stat: HistogramStat, unit: DisplayUnit): string {
  return outputName(path, stat, stat === 'count' ? '' : unit.label);
}

/** All summary column names of a metric (its sampled series names are among them). */
export function outputNames(entry: MetricEntry): string[] {
  const { path, unit } = entry;
  if (entry.kind === 'counter' || entry.kind === 'gauge') return [outputName(path, '', unit.label)];
  if (entry.kind === 'time-weighted') return [outputName(path, 'mean', unit.label), outputName(path, 'max', unit.label)];
  return HISTOGRAM_STATS.map((stat) => histogramStatName(path, stat, unit));
}

/** A metric's summary values, in display units, in the order of {@link outputNames}. */
export function summaryValues(entry: MetricEntry): number[] {
  const { unit } = entry;
  if (entry.kind === 'counter' || entry.kind === 'gauge') return [toDisplay(unit, entry.metric.value)];
  if (entry.kind === 'time-weighted') return [toDisplay(unit, entry.metric.mean()), toDisplay(unit, entry.metric.max)];
  const histogram = entry.metric;
  return HISTOGRAM_STATS.map((stat) => {
    const raw = readHistogramStat(histogram, stat);
    return stat === 'count' ? raw : toDisplay(unit, raw);
  });
}

/** The sample source describing a metric's per-interval behaviour. */
export function sampleSourceFor(entry: MetricEntry): SampleSource {
  const { path, unit } = entry;
  if (entry.kind === 'counter') return new CounterSource(outputName(path, '', unit.label), entry.metric, unit);
  if (entry.kind === 'gauge') return new GaugeSource(outputName(path, '', unit.label), entry.metric, unit);
  if (entry.kind === 'time-weighted') {
    return new TimeWeightedMeanSource(outputName(path, 'mean', unit.label), entry.metric, unit);
  }
  const names = entry.sampleStats.map((stat) => histogramStatName(path, stat, unit));
  return new HistogramSource(names, entry.sampleStats, entry.metric, unit);
}
