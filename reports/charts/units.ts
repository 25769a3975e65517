/**
 * Units of metric columns, read from the name suffix that storsim's metrics layer appends
 * (`ssd/write_latency_p99_us`, `s3/total_cost_USD`, `ssd/bandwidth_B_per_s`), for axis titles.
 * A name without a known unit suffix is dimensionless (a count, a ratio, a mean queue length).
 */

/** A metric name split into its base (without the unit suffix) and its unit. */
export interface MetricUnit {
  /** The name without the unit suffix (`ssd/write_latency_p99`). */
  readonly base: string;
  /** The suffix as written in the name (`us`), or `''` when dimensionless. */
  readonly suffix: string;
  /** The unit for people (`µs`), or `''` when dimensionless. */
  readonly label: string;
}

/** Known suffixes, longest first so `_B_per_s` wins over `_s`. */
const SUFFIXES: readonly (readonly [string, string])[] = [
  ['B_per_s', 'bytes/s'],
  ['bit_per_s', 'bit/s'],
  ['USD_per_s', 'USD/s'],
  ['USD_per_h', 'USD/h'],
  ['per_s', '1/s'],
  ['USD', 'USD'],
  ['ns', 'ns'],
  ['us', 'µs'],
  ['ms', 'ms'],
  ['s', 's'],
  ['B', 'bytes'],
];

/** The unit of a metric column or series name, from its suffix. */
export function metricUnit(name: string): MetricUnit {
  for (const [suffix, label] of SUFFIXES) {
    const tail = `_${suffix}`;
    if (name.length > tail.length && name.endsWith(tail)) {
      return { base: name.slice(0, -tail.length), suffix, label };
    }
  }
  return { base: name, suffix: '', label: '' };
}

/** An axis title for a metric: `ssd/write_latency_p99 (µs)`; the bare name when dimensionless. */
export function axisTitle(name: string): string {
  const { base, label } = metricUnit(name);
  return label === '' ? name : `${base} (${label})`;
}

/** The unit label of a metric for people (`µs`), `''` when dimensionless. */
export function unitLabel(name: string): string {
  return metricUnit(name).label;
}

/**
 * Axis options for a quantitative axis showing `values`: large magnitudes (≥ 100,000) get SI
 * prefixes (`1.5M`) instead of long digit strings. Small values keep plain decimals, because an
 * SI `m` (milli) next to a unit such as `s` reads as minutes.
 */
export function quantityAxis(values: readonly number[]): { labelExpr?: string } {
  let max = 0;
  for (const v of values) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  // vega's tick formatter would give every tick the largest tick's prefix ("0M", "5M"): format each alone
  return max >= 1e5 ? { labelExpr: "datum.value === 0 ? '0' : format(datum.value, '.3~s')" } : {};
}
