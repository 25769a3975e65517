/**
 * The validation suite: every scenario in `scenarios/validation/` names a closed-form
 * reference. Each sweep variant is run over its replications; the mean of the chosen
 * metric across replications, with its 95% Student t interval, is compared with the
 * reference computed from the variant's own parameters.
 */
import { fileURLToPath } from 'node:url';
import { meanInterval } from '../stats/confidence.ts';
import { runAll, type RunOutcome } from '../run/run-all.ts';
import { distributionFromSpec } from '../scenario/distribution-spec.ts';
import { loadScenarios, type LoadedScenario } from '../scenario/load.ts';
import type { UnitParser } from '../scenario/units.ts';
import { REFERENCES, utilization, type QueueParameters } from './references.ts';
import { fifoWriteAmplification, greedyWriteAmplification } from './write-amplification.ts';

/** The built-in suite's directory. */
export const BUILT_IN_SUITE = fileURLToPath(new URL('../../scenarios/validation/', import.meta.url));

/** One row of validation.csv. */
export interface ValidationRow {
  model: string;
  parameters: string;
  reference: number;
  simulated: number;
  ci95_low: number;
  ci95_high: number;
  rel_error: number;
  tolerance: number;
  pass: boolean;
  source: string;
}

export const VALIDATION_COLUMNS = [
  'model', 'parameters', 'reference', 'simulated', 'ci95_low', 'ci95_high', 'rel_error', 'tolerance', 'pass', 'source',
] as const;

export interface SuiteOptions {
  workers?: number;
  onDone?: (done: number, total: number) => void;
}

/** Runs every validation scenario in `dir` and returns one row per variant, in file then variant order. */
export async function runValidationSuite(dir: string, options: SuiteOptions = {}): Promise<{ rows: ValidationRow[]; failures: string[] }> {
  const { scenarios, units } = await loadScenarios([dir]);
  const runs = scenarios.flatMap((s) => s.runs);
  const outcomes = await runAll(runs, units, {
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    onDone: (_o, done, total) => options.onDone?.(done, total),
  });
  const failures = outcomes.flatMap((o) => ('error' in o ? [`${o.run.id}: ${o.error}`] : []));
  const rows = scenarios.flatMap((s) => rowsOf(s, outcomes, units));
  return { rows, failures };
}

function rowsOf(scenario: LoadedScenario, outcomes: readonly RunOutcome[], units: UnitParser): ValidationRow[] {
  const v = scenario.spec.validation;
  if (v === undefined) throw new Error(`${scenario.file}: a validation scenario needs a "validation" section`);
  const tolerance = units.parse(v.tolerance, 'dimensionless');
  const rows: ValidationRow[] = [];
  const byVariant = new Map<number, RunOutcome[]>();
  for (const outcome of outcomes) {
    if (outcome.run.scenario !== scenario.name) continue;
    const list = byVariant.get(outcome.run.variant.index) ?? [];
    list.push(outcome);
    byVariant.set(outcome.run.variant.index, list);
  }
  for (const list of byVariant.values()) {
    const spec = list[0]!.run.spec;
    const { expected, parameters } = expectedValue(spec, v, units);
    const values = list.flatMap((o) => ('result' in o ? [o.result.summary.find((c) => c.column === v.metric)?.value ?? NaN] : []));
    const ci = meanInterval(values);
    const relError = Math.abs(ci.mean - expected) / expected;
    rows.push({
      model: v.model,
      parameters: `${parameters} n=${values.length}`,
      reference: expected,
      simulated: ci.mean,
      ci95_low: ci.low,
      ci95_high: ci.high,
      rel_error: relError,
      tolerance,
      pass: values.length === list.length && relError <= tolerance,
      source: v.citation,
    });
  }
  return rows;
}

/** The reference value for one variant's spec, and its parameters as shown in validation.csv. */
function expectedValue(spec: Record<string, any>, v: Record<string, any>, units: UnitParser): { expected: number; parameters: string } {
  const queueReference = REFERENCES[v.reference];
  if (queueReference !== undefined) {
    const p = queueParameters(spec, v.station, v.source, units);
    return { expected: queueReference(p), parameters: `c=${p.servers} rho=${round(utilization(p), 6)}` };
  }
  const ssd = spec.world[v.ssd];
  const spareFactor: number = ssd.spareFactor ?? 0.07;
  const pagesPerBlock: number = ssd.geometry.pagesPerBlock;
  const expected = v.reference === 'fifo-write-amplification' ? fifoWriteAmplification(spareFactor) : greedyWriteAmplification(spareFactor, pagesPerBlock);
  return { expected, parameters: `sf=${spareFactor} b=${pagesPerBlock}` };
}

/** Arrival rate, service moments and servers of a validation variant, in seconds. */
function queueParameters(spec: Record<string, any>, stationId: string, sourceId: string, units: UnitParser): QueueParameters {
  const source = spec.workload[sourceId];
  if (source.interarrival.dist !== 'exponential') {
    throw new Error(`validation needs Poisson arrivals: ${sourceId}.interarrival must be exponential`);
  }
  const toNs = (value: string | number) => units.quantity(value, 'time');
  const interarrival = distributionFromSpec(source.interarrival, toNs);
  const service = distributionFromSpec(source.service, toNs);
  return {
    lambda: 1e9 / interarrival.mean,
    serviceMeanS: service.mean / 1e9,
    serviceVarianceS2: service.variance / 1e18,
    servers: spec.world[stationId].servers,
  };
}

function round(x: number, digits: number): number {
  return Number(x.toPrecision(digits));
}
