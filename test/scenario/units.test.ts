import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadUnits, UnitError, type QuantityKind } from '../../sim/scenario/units.ts';

const units = await loadUnits();
const unitsFile = fileURLToPath(new URL('../../sim/scenario/units.ts', import.meta.url));

function throwsUnit(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, UnitError);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`expected a UnitError matching ${pattern}`);
}

const examples: Array<[string, QuantityKind, number]> = [
  ['4KiB', 'size', 4096],
  ['1.5 GB', 'size', 1.5e9],
  ['512B', 'size', 512],
  ['1GB', 'size', 1e9],
  ['1 kB', 'size', 1000],
  ['2 MiB', 'size', 2 * 1024 * 1024],
  ['1 TiB', 'size', 2 ** 40],
  ['1 Mbit', 'size', 125000],
  ['100us', 'time', 100000],
  ['2h', 'time', 7200e9],
  ['1.5 s', 'time', 1.5e9],
  ['250ns', 'time', 250],
  ['3 ms', 'time', 3e6],
  ['1 day', 'time', 86400e9],
  ['2 days', 'time', 172800e9],
  ['1 min', 'time', 60e9],
  ['1 month', 'time', 730 * 3600e9],
  ['10Gbit/s', 'datarate', 1.25e9],
  ['10 Gbps', 'datarate', 1.25e9],
  ['100 Mbps', 'datarate', 12.5e6],
  ['500MB/s', 'datarate', 5e8],
  ['2 GiB/s', 'datarate', 2 * 2 ** 30],
  ['0.8/s', 'rate', 0.8],
  ['1000 /h', 'rate', 1000 / 3600],
  ['100 IOPS', 'rate', 100],
  ['5 requests/s', 'rate', 5],
  ['12.5 USD', 'price', 12.5],
  ['0.09 USD/GB', 'transferPrice', 0.09 / 1e9],
  ['0.005 USD/request', 'requestPrice', 0.005],
  ['0.5', 'dimensionless', 0.5],
  ['50%', 'dimensionless', 0.5],
];

for (const [text, kind, expected] of examples) {
  test(`parse ${JSON.stringify(text)} as ${kind}`, () => {
    const got = units.parse(text, kind);
    if (kind === 'time' || kind === 'size' || Number.isInteger(expected)) assert.is(got, expected);
    else assert.ok(Math.abs(got - expected) <= 1e-12 * Math.abs(expected), `${got} != ${expected}`);
  });
}

test('exact conversions', () => {
  assert.is(units.parse('100us', 'time'), 100000);
  assert.ok(Number.isInteger(units.parse('250ns', 'time')));
  assert.is(units.parse('4KiB', 'size'), 4096);
  assert.is(units.parse('10Gbit/s', 'datarate'), 1.25e9);
  assert.is(units.parse('1 day', 'time'), 86400e9);
  assert.is(units.parse('0 s', 'time'), 0);
  assert.ok(Object.is(units.parse('-0 s', 'time'), 0));
});

test('prices: month is 730 h, internal storage price is USD per byte per second', () => {
  const perByteSecond = 0.023 / 1e9 / (730 * 3600);
  const got = units.parse('0.023 USD/GB/month', 'storagePrice');
  assert.ok(Math.abs(got - perByteSecond) <= 1e-12 * perByteSecond, String(got));
  const gib = units.parse('0.023 USD/GiB/month', 'storagePrice');
  assert.ok(Math.abs(gib - 0.023 / 2 ** 30 / (730 * 3600)) <= 1e-12 * gib);
  const req = units.parse('0.0004 USD/1000 requests', 'requestPrice');
  assert.ok(Math.abs(req - 4e-7) <= 1e-15);
  const hourly = units.parse('0.10 USD/h', 'timePrice');
  assert.ok(Math.abs(hourly - 0.1 / 3600) <= 1e-15);
});

test('wrong kind errors name both kinds', () => {
  throwsUnit(() => units.parse('4KiB', 'time'), /^"4KiB" is a size, but a time is required here/);
  throwsUnit(() => units.parse('100us', 'size'), /"100us" is a time, but a size is required here/);
  throwsUnit(() => units.parse('12 USD', 'storagePrice'), /is a price, but a storage price is required/);
  throwsUnit(() => units.parse('4KiB', 'dimensionless'), /is a size, but a plain number is required/);
  throwsUnit(() => units.parse('10 Gbps', 'rate'), /is a data rate, but an event rate is required/);
});

test('garbage errors say what is allowed', () => {
  throwsUnit(() => units.parse('100 furlongs', 'time'),
    /^expected a time such as "100us", "2 ms" or "1.5h"; got "100 furlongs" \(unknown unit "furlongs"\)$/);
  throwsUnit(() => units.parse('', 'size'), /expected a size such as/);
  throwsUnit(() => units.parse('abc', 'size'), /got "abc"/);
  throwsUnit(() => units.parse('1 s + 2 ms', 'time'), /expected a time/);
  throwsUnit(() => units.parse('100', 'time'), /^missing unit: expected a time/);
  throwsUnit(() => units.parse('1 KB', 'size'), /"kB" \(1000 B\) or "KiB" \(1024 B\)/);
  throwsUnit(() => units.parse('1 m', 'time'), /"m" is metres; write "min"/);
  throwsUnit(() => units.parse('2 kg', 'size'), /measured in kg, but a size is required/);
  throwsUnit(() => units.parse('1 year', 'time'), /out of range for the clock/);
  throwsUnit(() => units.parse('x%', 'dimensionless'), /expected a plain number/);
});

test('quantity(): numbers need a unit from the caller', () => {
  assert.is(units.quantity('4KiB', 'size'), 4096);
  assert.is(units.quantity(4096, 'size', { numberUnit: 'B' }), 4096);
  assert.is(units.quantity(100, 'time', { numberUnit: 'us' }), 100000);
  assert.is(units.quantity(0.5, 'dimensionless'), 0.5);
  const p = units.quantity(0.023, 'storagePrice', { numberUnit: 'USD/GB/month' });
  assert.is(p, units.parse('0.023 USD/GB/month', 'storagePrice'));
  throwsUnit(() => units.quantity(100, 'time'), /bare number is ambiguous/);
  throwsUnit(() => units.quantity(3, 'time', { numberUnit: 'B' }), /"3 B" is a size, but a time/);
  throwsUnit(() => units.quantity(Number.NaN, 'size', { numberUnit: 'B' }), /expected a size/);
});

test('loadUnits() caches its promise', () => {
  assert.is(loadUnits(), loadUnits());
});

test('units.ts has no runtime import of mathjs at top level', () => {
  const src = readFileSync(unitsFile, 'utf8');
  for (const line of src.split('\n')) {
    if (/^\s*import\b/.test(line) && /mathjs/.test(line)) assert.match(line, /^import type /);
  }
});

test('importing units.ts loads no mathjs until loadUnits() is called', () => {
  const script = `
    import { createRequire } from 'node:module';
    const req = createRequire(${JSON.stringify(pathToFileURL(unitsFile).href)});
    const loaded = () => Object.keys(req.cache).some((k) => k.includes('mathjs'));
    const m = await import(${JSON.stringify(pathToFileURL(unitsFile).href)});
    const before = loaded();
    const t = performance.now();
    await m.loadUnits();
    console.log(JSON.stringify({ before, after: loaded(), ms: performance.now() - t }));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { before: boolean; after: boolean; ms: number };
  assert.is(r.before, false);
  assert.is(r.after, true);
});

test.run();
