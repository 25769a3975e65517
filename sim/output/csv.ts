/**
 * CSV output: one fixed, deterministic, locale-independent number format and a writer with an
 * explicit column order. Every CSV the simulator writes goes through {@link toCsv}.
 */
import { csvFormatRows } from 'd3-dsv';

/** A CSV cell value: numbers go through {@link formatNumber}; undefined and null are empty. */
export type CsvValue = string | number | undefined | null;

/**
 * THE number format of every CSV cell:
 * - `NaN` (a missing value) → empty cell `""`; `+Infinity` → `inf`; `-Infinity` → `-inf`;
 * - an integer with |x| ≤ 2^53 → its exact digits (`-0` → `0`, `1e15` → `1000000000000000`);
 * - anything else is rounded to 9 significant digits (`toPrecision(9)`) and printed in the
 *   shortest form that reads back as that rounded value (so no trailing zeros, no trailing "."):
 *   - exponent form when |x| > 2^53 or the rounded |x| < 1e-6, with no "+" in the exponent
 *     (`1e-7`, `-1.5e-12`, `1e21`, `9.00719925e15` for 2^53 + 2);
 *   - plain decimal otherwise (`0.1 + 0.2` → `0.3`, `1/3` → `0.333333333`,
 *     `123456789.123` → `123456789`, `999999999999999.9` → `1000000000000000`).
 * Only ECMAScript-specified conversions are used, so the output is the same on every platform and
 * in every locale.
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return '';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Number.isInteger(x) && Math.abs(x) <= 2 ** 53) return x === 0 ? '0' : String(x);
  const r = Number(x.toPrecision(9));
  if (Math.abs(x) > 2 ** 53 || Math.abs(r) < 1e-6) return r.toExponential().replace('e+', 'e');
  return String(r); // 1e-6 <= |r| < 1e21: shortest round-trip decimal, never exponent form
}

/** One cell's text: strings unchanged, numbers through {@link formatNumber}, missing as empty. */
export function formatCell(v: CsvValue): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'number' ? formatNumber(v) : v;
}

/**
 * A complete CSV file: a header line with `columns` in the given order, then one line per row
 * (`row[column]` for each column; a missing key is an empty cell), quoted per RFC 4180 where
 * needed (by d3-dsv), "\n" line endings, and a newline at the end of the file.
 * Throws when `columns` repeats a name or a row has a key that is not a column (a typo would
 * otherwise silently drop data).
 */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<Readonly<Record<string, CsvValue>>>): string {
  const known = new Set(columns);
  if (known.size !== columns.length) throw new Error(`toCsv: duplicate column name in ${JSON.stringify(columns)}`);
  const lines: string[][] = [[...columns]];
  for (const [i, row] of rows.entries()) {
    for (const key of Object.keys(row)) {
      if (!known.has(key)) throw new Error(`toCsv: row ${i} has key ${JSON.stringify(key)}, which is not a column`);
    }
    lines.push(columns.map((c) => formatCell(row[c])));
  }
  return `${csvFormatRows(lines)}\n`;
}
