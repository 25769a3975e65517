/**
 * Parameter validation shared by the distribution constructors. Each check throws a
 * RangeError naming the distribution and parameter, e.g.
 * "exponential: mean must be > 0, got -1".
 */

/** Require a finite number. */
export function requireFinite(kind: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${kind}: ${name} must be a finite number, got ${String(value)}`);
  }
}

/** Require a finite number > 0. */
export function requirePositive(kind: string, name: string, value: number): void {
  requireFinite(kind, name, value);
  if (!(value > 0)) throw new RangeError(`${kind}: ${name} must be > 0, got ${value}`);
}

/** Require a finite number >= 0. */
export function requireNonNegative(kind: string, name: string, value: number): void {
  requireFinite(kind, name, value);
  if (!(value >= 0)) throw new RangeError(`${kind}: ${name} must be >= 0, got ${value}`);
}

/** Require an integer in [min, 2^53 − 1]. */
export function requireSafeIntegerAtLeast(kind: string, name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${kind}: ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
}
