/**
 * Numbers for people in the report's tables: four significant digits, plain decimals between
 * 0.001 and 1,000,000 and exponent form outside, `–` for a missing value. Uses only
 * ECMAScript-specified conversions, so the text is the same on every machine and locale.
 */

/** `x` with four significant digits (`5.554`, `1573000` → `1.573e6`, `0.0001234` → `1.234e-4`). */
export function displayNumber(x: number): string {
  if (Number.isNaN(x)) return '–';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '−∞';
  if (x === 0) return '0';
  const rounded = Number(x.toPrecision(4));
  const magnitude = Math.abs(rounded);
  const text = magnitude >= 1e6 || magnitude < 1e-3 ? rounded.toExponential(3).replace(/\.?0+e/, 'e').replace('e+', 'e') : String(rounded);
  return text.replaceAll('-', '−');
}

/** A relative change as a signed percentage with three significant digits (`+12.3%`, `−0.512%`). */
export function displayPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  const pct = ratio * 100;
  if (pct === 0) return '0%';
  const text = String(Number(Math.abs(pct).toPrecision(3)));
  return `${pct > 0 ? '+' : '−'}${text}%`;
}
