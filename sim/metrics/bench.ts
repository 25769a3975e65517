/**
 * Micro-benchmark of the metrics hot paths: `LatencyHistogram.record` and `TimeWeighted.set`.
 *
 * This is the one place in `sim/metrics` that reads the wall clock, to time itself; it never
 * feeds a simulated result. Inputs are deterministic (a fixed LCG table), and each loop's result
 * is checked so the work cannot be optimised away.
 *
 * Run alone: `node --import tsx sim/metrics/bench.ts [ops]`.
 */
import { pathToFileURL } from 'node:url';
import { LatencyHistogram } from './histogram.ts';
import { TimeWeighted } from './time-weighted.ts';

/** One benchmark result. */
export interface MetricsBenchRow {
  /** What was timed, e.g. `histogram.record`. */
  readonly name: string;
  /** Number of calls timed. */
  readonly ops: number;
  /** Wall-clock seconds for all calls. */
  readonly wall_s: number;
  /** Calls per wall-clock second. */
  readonly ops_per_s: number;
}

const TABLE_SIZE = 1 << 16;

/** Deterministic latency-like values (ns) spread over 1 µs .. ~1 s, log-uniform-ish. */
function valueTable(): Float64Array {
  const table = new Float64Array(TABLE_SIZE);
  let state = 0x2545f491;
  for (let i = 0; i < TABLE_SIZE; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const exponent = 10 + (state >>> 28); // 2^10 .. 2^25 ns, times up to 32
    table[i] = Math.floor((1 + (state & 0xffff) / 2048) * 2 ** exponent);
  }
  return table;
}

function row(name: string, ops: number, wallS: number): MetricsBenchRow {
  return { name, ops, wall_s: wallS, ops_per_s: ops / wallS };
}

/**
 * Times `ops` (default 10 million) calls each of `histogram.record` and `timeWeighted.set`
 * after a short warm-up, and returns one row per operation.
 */
export function runMetricsBench(ops = 10_000_000): MetricsBenchRow[] {
  if (!(Number.isInteger(ops) && ops > 0)) throw new RangeError(`ops ${ops} must be a positive integer`);
  const values = valueTable();
  const mask = TABLE_SIZE - 1;
  const clock = { now: 0 };

  const warmHistogram = new LatencyHistogram();
  const warmLevel = new TimeWeighted(clock);
  for (let i = 0; i < 200_000; i++) {
    warmHistogram.record(values[i & mask]!);
    clock.now += 3;
    warmLevel.set(i & 31);
  }

  const histogram = new LatencyHistogram();
  let start = performance.now(); // wall-clock ok
  for (let i = 0; i < ops; i++) histogram.record(values[i & mask]!);
  const histogramS = (performance.now() - start) / 1000; // wall-clock ok
  if (histogram.count !== ops) throw new Error('histogram bench lost records');

  clock.now = 0;
  const level = new TimeWeighted(clock);
  start = performance.now(); // wall-clock ok
  for (let i = 0; i < ops; i++) {
    clock.now += 3;
    level.set(i & 31);
  }
  const levelS = (performance.now() - start) / 1000; // wall-clock ok
  if (!(level.mean() > 0)) throw new Error('time-weighted bench lost updates');

  return [row('histogram.record', ops, histogramS), row('timeWeighted.set', ops, levelS)];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ops = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  for (const r of runMetricsBench(ops)) {
    console.log(`${r.name.padEnd(18)} ${r.ops} ops  ${r.wall_s.toFixed(3)} s  ${(r.ops_per_s / 1e6).toFixed(1)} M ops/s`);
  }
}
