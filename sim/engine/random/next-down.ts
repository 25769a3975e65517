/**
 * Float neighbours, for clamping samples that rounding pushed onto an exclusive bound.
 */

const scratchFloat = new Float64Array(1);
const scratchBits = new BigInt64Array(scratchFloat.buffer);

/**
 * The largest double strictly below the finite number `x` (like Java's Math.nextDown).
 * Not for hot paths: callers precompute it once per bound.
 */
export function nextDown(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`nextDown: x must be finite, got ${x}`);
  if (x === 0) return -Number.MIN_VALUE;
  scratchFloat[0] = x;
  // Doubles of one sign are ordered like their bit patterns read as integers.
  scratchBits[0]! += x > 0 ? -1n : 1n;
  return scratchFloat[0]!;
}
