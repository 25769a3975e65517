/**
 * Shared pieces of the benchmarks in `sim/bench/`: the result row, the wall-clock helpers,
 * the M/M/1 parameters and the plausibility check every queueing benchmark applies.
 *
 * Wall-clock time is read only to report speed; it never feeds a simulated result.
 */
import { NS_PER_S } from '../engine/index.ts';

/** One JSON line of `npm run bench`. */
export interface BenchResult {
  name: string;
  /** Engine events processed (or operations / draws for the micro-benchmarks). */
  events: number;
  wall_s: number;
  events_per_s: number;
  /** Benchmark-specific figures (customers_per_s, mean_response_s, draws_per_s, ...). */
  [extra: string]: string | number | null;
}

/** Milliseconds since an arbitrary origin; only differences are meaningful. */
export function wallNowMs(): number {
  return performance.now(); // wall-clock ok
}

/** Seconds elapsed since `startMs` (a value of {@link wallNowMs}). */
export function wallSecondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000; // wall-clock ok
}

/** Progress and notes go to stderr: stdout carries only the JSON lines. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/**
 * The M/M/1 model every queueing benchmark simulates: Poisson arrivals at λ = 0.9 /s,
 * exponential service at μ = 1 /s, one server, FIFO. Mean response time 1/(μ − λ) = 10 s.
 */
export const MM1 = {
  lambdaPerS: 0.9,
  muPerS: 1.0,
  meanInterarrivalNs: NS_PER_S / 0.9,
  meanServiceNs: NS_PER_S / 1.0,
  expectedResponseS: 1 / (1.0 - 0.9),
} as const;

/**
 * Customers per replication for the single-queue benchmarks. The engine's clock is exact
 * only up to 2^53 ns (~104 simulated days); 10 million customers at 0.9 /s take ~128 days,
 * so one queue's 10 million customers run as 2 independent replications of 5 million
 * (~64 days each).
 */
export const CUSTOMERS_PER_REPLICATION = 5_000_000;

/**
 * Relative tolerance of the mean-response check. The statistical error of the estimate
 * is ~1% for 5 million customers of one queue at ρ = 0.9, and the empty-start bias of
 * 1,000 queues × 10,000 customers is a few percent; a broken model (wrong rates, lost or
 * duplicated customers, wrong queue discipline bookkeeping) lands far outside ±15%.
 */
export const RESPONSE_TOLERANCE = 0.15;

/** Throws unless the simulated mean response time is close to the M/M/1 value. */
export function checkMeanResponse(name: string, meanResponseS: number): void {
  const expected = MM1.expectedResponseS;
  if (!(Math.abs(meanResponseS - expected) <= RESPONSE_TOLERANCE * expected)) {
    throw new Error(
      `${name}: simulated mean response time ${meanResponseS} s is implausible for M/M/1 ` +
        `(λ=${MM1.lambdaPerS}, μ=${MM1.muPerS}: expected ~${expected.toFixed(2)} s ± ${RESPONSE_TOLERANCE * 100}%)`,
    );
  }
}

/** Throws unless every customer offered was served. */
export function checkCompleted(name: string, completed: number, offered: number): void {
  if (completed !== offered) {
    throw new Error(`${name}: ${completed} customers completed, ${offered} offered`);
  }
}

/** Rounds to `decimals` places for the JSON output (full precision is only noise here). */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
