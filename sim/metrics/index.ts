/**
 * Metrics of a simulation run: counters, time-weighted values, latency histograms, periodic
 * time-series sampling, and the registry that addresses them by component path.
 */
export { Counter, CounterSource } from './counter.ts';
export { Gauge, GaugeSource } from './gauge.ts';
export { TimeWeighted, TimeWeightedMeanSource } from './time-weighted.ts';
export {
  LatencyHistogram,
  quantileRank,
  DEFAULT_SUB_BUCKET_BITS,
  HISTOGRAM_MIN_RESOLVED,
  HISTOGRAM_MAX_VALUE,
  type HistogramOptions,
  type CdfPoint,
} from './histogram.ts';
export {
  HistogramWindow,
  HistogramSource,
  HISTOGRAM_STATS,
  STAT_QUANTILE,
  isHistogramStat,
  readHistogramStat,
  type HistogramStat,
  type HistogramView,
} from './histogram-window.ts';
export {
  TimeSeriesSampler,
  type SampleRow,
  type SampleSource,
  type SampleColumns,
  type SamplingOptions,
} from './time-series.ts';
export {
  MetricRegistry,
  DEFAULT_HISTOGRAM_SAMPLE_STATS,
  type MetricKind,
  type TimeWeightedOptions,
  type HistogramMetricOptions,
  type StartSamplingOptions,
  type SummaryColumn,
} from './registry.ts';
export { assertMetricPath, isMetricPath, outputName, compilePathSelector } from './paths.ts';
export {
  resolveUnit,
  toDisplay,
  sameUnit,
  isTimeUnit,
  DIMENSIONLESS,
  NS_PER_TIME_UNIT,
  type TimeUnit,
  type UnitOptions,
  type DisplayUnit,
} from './units.ts';
