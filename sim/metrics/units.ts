/**
 * Display units of metrics.
 *
 * Metrics always hold raw values (times in integer nanoseconds, sizes in whatever the model
 * counts). A display unit only affects what leaves the metrics layer — summary columns and
 * sampled rows — and is appended to their names (`server/response_time_p99_s`).
 *
 * Three kinds of unit:
 * - a time unit `ns | us | ms | s`: raw values are nanoseconds, shown as `raw / ns_per_unit`;
 * - any other label with an explicit scale, e.g. `{ unit: 'B', scale: 1 }`: shown as `raw * scale`;
 * - none: dimensionless, shown as is, nothing appended to names.
 *
 * Time units divide by an exact integer (1e3, 1e6, 1e9) rather than multiplying by an inexact
 * fraction, so `1.5e9 ns` shows as exactly `1.5 s`.
 */
import { NS_PER_MS, NS_PER_S, NS_PER_US } from '../engine/time.ts';

/** The time units a metric may be displayed in; raw values are then nanoseconds. */
export type TimeUnit = 'ns' | 'us' | 'ms' | 's';

/** Nanoseconds per time unit. */
export const NS_PER_TIME_UNIT: Readonly<Record<TimeUnit, number>> = {
  ns: 1,
  us: NS_PER_US,
  ms: NS_PER_MS,
  s: NS_PER_S,
};

/** How a metric's creator asks for a display unit. */
export interface UnitOptions {
  /** Unit label appended to output names: a time unit, or any `[A-Za-z0-9_]` label given with `scale`. */
  unit?: string;
  /**
   * Displayed value = raw value × scale. Required for labels that are not time units; when
   * given with a time unit it overrides the nanosecond conversion (raw values are then not ns).
   */
  scale?: number;
}

/** A resolved display unit: displayed = raw × multiplier / divisor. */
export interface DisplayUnit {
  /** Label appended to output names; `''` for a dimensionless metric. */
  readonly label: string;
  /** Factor applied first (1 for time units). */
  readonly multiplier: number;
  /** Divisor applied second (nanoseconds per unit for time units, else 1). */
  readonly divisor: number;
}

/** The dimensionless unit: values shown as is, no name suffix. */
export const DIMENSIONLESS: DisplayUnit = Object.freeze({ label: '', multiplier: 1, divisor: 1 });

const UNIT_LABEL = /^[A-Za-z0-9][A-Za-z0-9_]*$/;

/** True for `ns`, `us`, `ms` and `s`. */
export function isTimeUnit(label: string): label is TimeUnit {
  return label === 'ns' || label === 'us' || label === 'ms' || label === 's';
}

/**
 * Validates unit options and resolves them to a display unit.
 * @throws Error for a malformed label, a non-positive or non-finite scale, a scale without a
 *   unit, or a non-time unit without a scale.
 */
export function resolveUnit(options: UnitOptions | undefined): DisplayUnit {
  const unit = options?.unit;
  const scale = options?.scale;
  if (scale !== undefined && !(Number.isFinite(scale) && scale > 0)) {
    throw new Error(`Invalid unit scale ${scale}: expected a finite number > 0`);
  }
  if (unit === undefined || unit === '') {
    if (scale !== undefined) {
      throw new Error(`Unit scale ${scale} given without a unit label; add e.g. { unit: 'B', scale: ${scale} }`);
    }
    return DIMENSIONLESS;
  }
  if (!UNIT_LABEL.test(unit)) {
    throw new Error(`Invalid unit label "${unit}": expected letters, digits and "_" (e.g. "s", "B", "bytes")`);
  }
  if (scale !== undefined) return Object.freeze({ label: unit, multiplier: scale, divisor: 1 });
  if (isTimeUnit(unit)) return Object.freeze({ label: unit, multiplier: 1, divisor: NS_PER_TIME_UNIT[unit] });
  throw new Error(
    `Unit "${unit}" is not a time unit (ns, us, ms, s); give an explicit scale, e.g. { unit: '${unit}', scale: 1 }`,
  );
}

/** Converts a raw metric value to its display unit. NaN stays NaN. */
export function toDisplay(unit: DisplayUnit, raw: number): number {
  return (raw * unit.multiplier) / unit.divisor;
}

/** True when two display units have the same label and conversion. */
export function sameUnit(a: DisplayUnit, b: DisplayUnit): boolean {
  return a.label === b.label && a.multiplier === b.multiplier && a.divisor === b.divisor;
}
