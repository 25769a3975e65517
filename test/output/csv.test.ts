import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { csvParseRows } from 'd3-dsv';
import { formatCell, formatNumber, toCsv } from '../../sim/output/csv.ts';

test('formatNumber: integers', () => {
  assert.is(formatNumber(0), '0');
  assert.is(formatNumber(-0), '0');
  assert.is(formatNumber(42), '42');
  assert.is(formatNumber(-7), '-7');
  assert.is(formatNumber(1e15), '1000000000000000');
  assert.is(formatNumber(2 ** 53), '9007199254740992');
  assert.is(formatNumber(-(2 ** 53)), '-9007199254740992');
});

test('formatNumber: 9 significant digits, no trailing zeros', () => {
  assert.is(formatNumber(0.1 + 0.2), '0.3');
  assert.is(formatNumber(123456789.123), '123456789');
  assert.is(formatNumber(1234567891.5), '1234567890');
  assert.is(formatNumber(1 / 3), '0.333333333');
  assert.is(formatNumber(-2 / 3), '-0.666666667');
  assert.is(formatNumber(12.5), '12.5');
  assert.is(formatNumber(100.000000001), '100');
  assert.is(formatNumber(0.000001), '0.000001');
  assert.is(formatNumber(9.999999999e-7), '0.000001');
  assert.is(formatNumber(999999999999999.9), '1000000000000000');
});

test('formatNumber: exponent form for tiny and huge values', () => {
  assert.is(formatNumber(1e-7), '1e-7');
  assert.is(formatNumber(-1.5e-12), '-1.5e-12');
  assert.is(formatNumber(5e-324), '5e-324');
  assert.is(formatNumber(1e21), '1e21');
  assert.is(formatNumber(2 ** 53 + 2), '9.00719925e15');
  assert.is(formatNumber(1.23456789123e300), '1.23456789e300');
});

test('formatNumber: missing and infinite', () => {
  assert.is(formatNumber(Number.NaN), '');
  assert.is(formatNumber(Infinity), 'inf');
  assert.is(formatNumber(-Infinity), '-inf');
});

test('formatNumber reads back within 9 significant digits and is canonical', () => {
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
    const s = formatNumber(x);
    if (!/^-?(\d+(\.\d*[1-9])?|\d(\.\d*[1-9])?e-?\d+)$/.test(s)) return false;
    const back = Number(s);
    return back === x || Math.abs(back - x) <= 5e-9 * Math.abs(x);
  }));
});

test('formatCell', () => {
  assert.is(formatCell(undefined), '');
  assert.is(formatCell(null), '');
  assert.is(formatCell('a,b'), 'a,b');
  assert.is(formatCell(0.5), '0.5');
});

test('toCsv: fixed columns, numbers formatted, quoting, final newline', () => {
  const csv = toCsv(['name', 'p99_ms', 'note'], [
    { name: 'a', p99_ms: 0.1 + 0.2, note: 'x, "y"' },
    { p99_ms: Number.NaN, name: 'b' },
    { name: 'multi\nline', p99_ms: Infinity, note: undefined },
  ]);
  assert.is(csv, 'name,p99_ms,note\na,0.3,"x, ""y"""\nb,,\n"multi\nline",inf,\n');
  assert.equal(csvParseRows(csv)[0], ['name', 'p99_ms', 'note']);
});

test('toCsv: header only when there are no rows', () => {
  assert.is(toCsv(['a', 'b'], []), 'a,b\n');
});

test('toCsv: rejects unknown keys and duplicate columns', () => {
  assert.throws(() => toCsv(['a'], [{ a: 1, b: 2 }]), /row 0 has key "b"/);
  assert.throws(() => toCsv(['a', 'a'], []), /duplicate column/);
});

test.run();
