/**
 * Quantities with units ("4KiB", "100us", "10Gbit/s", "0.023 USD/GB/month"), converted once,
 * at scenario load, to the simulator's internal units (see {@link QUANTITY_KINDS}).
 *
 * mathjs does the unit arithmetic. It is loaded lazily by {@link loadUnits}: this module never
 * imports mathjs at top level, so the CLI (e.g. `storsim --help`) does not pay for it.
 * We load mathjs's single-file bundle (`mathjs/lib/browser/math.js`, an exported subpath) with
 * `require`: measured on Node 20, require + private instance + first parse ≈ 115 ms, whereas
 * `import('mathjs')` (≈ 700 files of ESM) costs ≈ 750 ms whether or not a factory subset is then
 * used (`create({ unitDependencies, … })` saves nothing: the import dominates).
 */
import { createRequire } from 'node:module';
import type { MathJsInstance, Unit } from 'mathjs';

/**
 * What a quantity measures, and so which internal unit it is returned in:
 * - `time` → integer nanoseconds (rounded to nearest)
 * - `size` → bytes (snapped to an integer when within 1e-9 relative of one)
 * - `datarate` → bytes per second ("10Gbit/s" → 1.25e9)
 * - `rate` → events per second ("1000 /h", "100 IOPS", "5 requests/s")
 * - `price` → USD
 * - `storagePrice` → USD per byte per second ("0.023 USD/GB/month" → 8.75e-18)
 * - `transferPrice` → USD per byte ("0.09 USD/GB")
 * - `requestPrice` → USD per request ("0.0004 USD/1000 requests" → 4e-7)
 * - `timePrice` → USD per second ("0.10 USD/h")
 * - `dimensionless` → plain number ("0.5", or "50%" → 0.5)
 *
 * Signs and ranges are not checked here (that is the schema's job), except that a time must fit
 * the engine's clock: |t| ≤ 2^53 ns, about 104 days. "month" is 730 h ({@link HOURS_PER_MONTH}) and
 * "year" 12 such months (8760 h = 365 days), overriding mathjs's Julian month and year.
 */
export type QuantityKind =
  | 'time' | 'size' | 'datarate' | 'rate' | 'price' | 'storagePrice'
  | 'transferPrice' | 'requestPrice' | 'timePrice' | 'dimensionless';

/** How each kind is described in messages, and the mathjs units it is converted to. */
export interface KindInfo {
  /** Noun phrase for messages: "a time". */
  readonly noun: string;
  /** Examples for messages: `"100us", "2 ms" or "1.5h"`. */
  readonly examples: string;
  /** Accepted mathjs reference units (by dimension), each with the internal unit it converts to. */
  readonly units: readonly string[];
}

/** Descriptions and internal units of every {@link QuantityKind}. */
export const QUANTITY_KINDS: Readonly<Record<QuantityKind, KindInfo>> = {
  time: { noun: 'a time', examples: '"100us", "2 ms" or "1.5h"', units: ['ns'] },
  size: { noun: 'a size', examples: '"4KiB", "1.5 GB" or "512B"', units: ['B'] },
  datarate: { noun: 'a data rate', examples: '"10Gbit/s", "500MB/s" or "2 GiB/s"', units: ['B/s'] },
  rate: { noun: 'an event rate', examples: '"0.8/s", "1000 /h" or "100 IOPS"', units: ['Hz', 'request/s'] },
  price: { noun: 'a price', examples: '"12.5 USD"', units: ['USD'] },
  storagePrice: { noun: 'a storage price', examples: '"0.023 USD/GB/month"', units: ['USD/B/s'] },
  transferPrice: { noun: 'a transfer price', examples: '"0.09 USD/GB"', units: ['USD/B'] },
  requestPrice: { noun: 'a request price', examples: '"0.0004 USD/1000 requests" or "0.005 USD/request"', units: ['USD/request'] },
  timePrice: { noun: 'a price per time', examples: '"0.10 USD/h"', units: ['USD/s'] },
  dimensionless: { noun: 'a plain number', examples: '"0.5" or "50%"', units: [] },
};

/** Thrown when a quantity cannot be read; the message says what was wrong and what is allowed. */
export class UnitError extends Error {
  override name = 'UnitError';
  constructor(message: string, readonly text: string | number, readonly kind: QuantityKind) {
    super(message);
  }
}

/** Options of {@link UnitParser.quantity}. */
export interface QuantityOptions {
  /** Unit (mathjs syntax, e.g. "B", "ms", "USD/GB/month") of a value given as a JSON number. */
  numberUnit?: string;
}

/** A ready unit parser; all methods are synchronous. */
export interface UnitParser {
  /** Parses `text` as a quantity of `kind`, returning it in the kind's internal unit. Throws {@link UnitError}. */
  parse(text: string, kind: QuantityKind): number;
  /**
   * Like {@link parse} for strings. A JSON number means the caller fixed the unit through the key
   * name (e.g. `"sizeBytes": 4096`): pass that unit as `numberUnit` and the number is converted
   * from it. A number without `numberUnit` is accepted only for `dimensionless`; for any other
   * kind it is ambiguous and throws {@link UnitError}.
   */
  quantity(value: string | number, kind: QuantityKind, options?: QuantityOptions): number;
}

/** Hours in a billing month: AWS's convention for monthly estimates (365 days × 24 h / 12). */
export const HOURS_PER_MONTH = 730;

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** "USD/1000 requests": a number after "/" divides the value (mathjs cannot parse it). */
const DIVISOR_RE = /\/\s*(\d+\.?\d*(?:[eE][+-]?\d+)?)\s*(?=[A-Za-z])/g;
const UNIT_HINTS: Record<string, string> = {
  KB: 'write "kB" (1000 B) or "KiB" (1024 B)',
  m: '"m" is metres; write "min" for minutes',
  d: 'write "day"',
  Bps: 'write "B/s" for bytes per second or "bps" for bits per second',
};

let cached: Promise<UnitParser> | undefined;

/** Loads mathjs (once; later calls return the same promise) and builds the unit parser. */
export function loadUnits(): Promise<UnitParser> {
  cached ??= (async () => createParser())().catch((e: unknown) => {
    cached = undefined;
    throw e;
  });
  return cached;
}

function createParser(): UnitParser {
  // The bundle's default instance has `create(config)` bound to all factories.
  const bundle = createRequire(import.meta.url)('mathjs/lib/browser/math.js') as { create(config: object): MathJsInstance };
  const math = bundle.create({}); // a private instance, so our unit definitions stay ours
  math.createUnit({
    USD: { baseName: 'CURRENCY' },
    request: { baseName: 'REQUEST', aliases: ['requests', 'req'] },
    bps: { definition: '1 b/s', prefixes: 'binary_short' },
    IOPS: { definition: '1 Hz' },
  });
  math.createUnit({
    // mathjs's "bit" is an alias of "bits" (long prefixes: "gigabits"); we want "Gbit", "Mbit".
    bit: { definition: '1 b', prefixes: 'binary_short' },
    month: { definition: `${HOURS_PER_MONTH} h`, aliases: ['months'] },
    year: { definition: `${HOURS_PER_MONTH * 12} h`, aliases: ['years'] },
  }, { override: true });

  const refs = new Map<string, Unit>();
  const ref = (u: string): Unit => {
    let r = refs.get(u);
    if (!r) refs.set(u, (r = math.unit(u)));
    return r;
  };
  const kindNames = Object.keys(QUANTITY_KINDS) as QuantityKind[];
  const matching = (u: Unit, kind: QuantityKind): string | undefined =>
    QUANTITY_KINDS[kind].units.find((r) => u.equalBase(ref(r)));

  function convert(u: Unit, shown: string | number, kind: QuantityKind): number {
    const info = QUANTITY_KINDS[kind];
    const expected = `expected ${info.noun} such as ${info.examples}`;
    if (kind === 'dimensionless') {
      if (u.units.length !== 0) throw new UnitError(wrongKind(u, shown, kind), shown, kind);
      return checkFinite(u.toNumber(), shown, kind);
    }
    if (u.units.length === 0) throw new UnitError(`missing unit: ${expected}; got ${quote(shown)}`, shown, kind);
    const target = matching(u, kind);
    if (target === undefined) throw new UnitError(wrongKind(u, shown, kind), shown, kind);
    const v = checkFinite(u.toNumber(target), shown, kind);
    if (kind === 'time') {
      const ns = Math.round(v);
      if (!Number.isSafeInteger(ns)) throw new UnitError(`${quote(shown)} is out of range for the clock: at most 2^53 ns (about 104 days)`, shown, kind);
      return ns === 0 ? 0 : ns;
    }
    if (kind === 'size' || kind === 'datarate' || kind === 'rate') {
      const r = Math.round(v);
      return r !== 0 && Math.abs(v - r) <= 1e-9 * Math.abs(r) ? r : v;
    }
    return v;
  }

  /** `"4KiB" is a size, but a time is required here` (+ what is expected, + a hint). */
  function wrongKind(u: Unit, shown: string | number, kind: QuantityKind): string {
    const info = QUANTITY_KINDS[kind];
    const k = kindNames.find((n) => n !== 'dimensionless' && matching(u, n) !== undefined);
    if (k) return `${quote(shown)} is ${QUANTITY_KINDS[k].noun}, but ${info.noun} is required here`;
    const hint = UNIT_HINTS[u.units.map((x) => x.unit.name).join(' ')];
    return `${quote(shown)} is measured in ${u.formatUnits()}, but ${info.noun} is required here; ` +
      `expected ${info.noun} such as ${info.examples}${hint ? ` (${hint})` : ''}`;
  }

  function parse(text: string, kind: QuantityKind): number {
    const info = QUANTITY_KINDS[kind];
    if (typeof text !== 'string') throw new UnitError(`expected ${info.noun} such as ${info.examples}; got ${String(text)}`, String(text), kind);
    const trimmed = text.trim();
    if (kind === 'dimensionless') {
      if (NUMBER_RE.test(trimmed)) return checkFinite(Number(trimmed), text, kind);
      const pct = /^(.*\S)\s*%$/.exec(trimmed);
      if (pct?.[1] && NUMBER_RE.test(pct[1])) return checkFinite(Number(pct[1]) / 100, text, kind);
    }
    let divisor = 1;
    const rewritten = trimmed.replace(DIVISOR_RE, (_m, n: string) => {
      divisor *= Number(n);
      return '/';
    });
    let u: Unit;
    try {
      if (!/^[+-]?(?:\d|\.\d)/.test(rewritten)) throw new Error('a quantity starts with a number');
      u = math.unit(rewritten);
    } catch (e) {
      const detail = e instanceof Error ? mathjsDetail(e.message) : '';
      throw new UnitError(`expected ${info.noun} such as ${info.examples}; got ${quote(text)}${detail}`, text, kind);
    }
    if (divisor !== 1) u = math.divide(u, divisor) as Unit;
    return convert(u, text, kind);
  }

  function quantity(value: string | number, kind: QuantityKind, options: QuantityOptions = {}): number {
    if (typeof value === 'string') return parse(value, kind);
    const info = QUANTITY_KINDS[kind];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new UnitError(`expected ${info.noun} such as ${info.examples}; got ${String(value)}`, String(value), kind);
    }
    if (options.numberUnit === undefined) {
      if (kind === 'dimensionless') return value;
      throw new UnitError(`a bare number is ambiguous for ${info.noun}; write it with its unit, such as ${info.examples}; got ${value}`, value, kind);
    }
    const shown = `${value} ${options.numberUnit}`;
    let u: Unit;
    try {
      u = math.unit(value, options.numberUnit);
    } catch (e) {
      throw new UnitError(`cannot read ${quote(shown)}${e instanceof Error ? mathjsDetail(e.message) : ''}`, value, kind);
    }
    return convert(u, shown, kind);
  }

  for (const r of kindNames.flatMap((k) => QUANTITY_KINDS[k].units)) ref(r); // warm up mathjs' lazy init
  return { parse, quantity };
}

function checkFinite(v: number, shown: string | number, kind: QuantityKind): number {
  if (!Number.isFinite(v)) throw new UnitError(`${quote(shown)} is not a finite number`, shown, kind);
  return v;
}

function quote(s: string | number): string {
  return typeof s === 'string' ? JSON.stringify(s) : String(s);
}

/** Turns mathjs's "Unit "furlongs" not found." into " (unknown unit "furlongs"; hint)". */
function mathjsDetail(message: string): string {
  const m = /^Unit "(.*)" not found/.exec(message);
  if (!m) return '';
  const hint = m[1] !== undefined ? UNIT_HINTS[m[1]] : undefined;
  return ` (unknown unit "${m[1]}"${hint ? `; ${hint}` : ''})`;
}
