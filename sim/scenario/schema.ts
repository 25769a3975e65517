/**
 * The scenario JSON Schema (draft 2020-12), generated from the registered component types
 * and policies so that each model and policy keeps its own schema beside its code. The
 * copy in `scenarios/schema/scenario.schema.json` is what editors read; a test keeps it
 * equal to this output (`storsim schema --out ...` regenerates it).
 */
import type { PolicyModule } from '../../policies/policy.ts';
import type { ComponentSection, ComponentType } from './component-type.ts';
import { quantity } from './schema-parts.ts';

/** Ids of components and names of scenarios: lower-case words, never integer-like. */
export const ID_PATTERN = '^[a-z][a-z0-9_-]*$';
/** Names of sweep variants: lower-case words, digits and dots ("rho-0.9"). */
export const VARIANT_NAME_PATTERN = '^[a-z0-9][a-z0-9._-]*$';
/** A dotted path into the scenario, as used by sweeps: `workload.arrivals.interarrival.mean`. */
export const PARAMETER_PATH_PATTERN = '^[A-Za-z$][A-Za-z0-9_$-]*(\\.[A-Za-z0-9_$-]+)*$';

/** The validation references `storsim validation` knows (see `sim/validation/references.ts`). */
export const QUEUEING_REFERENCES = ['mm1-response-time', 'erlang-c-response-time', 'pollaczek-khinchine-response-time'] as const;
/** Write-amplification references, computed from an ssd's spare factor and pages per block. */
export const WRITE_AMPLIFICATION_REFERENCES = ['greedy-write-amplification', 'fifo-write-amplification'] as const;
export const VALIDATION_REFERENCES = [...QUEUEING_REFERENCES, ...WRITE_AMPLIFICATION_REFERENCES] as const;

export function scenarioSchema(types: readonly ComponentType[], policies: readonly PolicyModule<any, any>[]): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://storsim.invalid/scenario.schema.json',
    title: 'storsim scenario',
    description: 'A storsim scenario: the world, its workload, faults, policies, metrics and sweep. Sizes, times and rates are strings with units.',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'stop', 'world'],
    properties: {
      $schema: { type: 'string', description: 'path or URL of this schema, for editors' },
      name: { type: 'string', pattern: ID_PATTERN, description: 'scenario name, used in run ids' },
      description: { type: 'string' },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'base seed; replication r runs with seed + r (default 1)' },
      stop: stopSchema(),
      world: section('world', 'the modeled systems, keyed by id'),
      workload: section('workload', 'what drives the world, keyed by id'),
      faults: section('faults', 'faults injected into the world, keyed by id'),
      policies: policiesSchema(policies),
      metrics: metricsSchema(),
      sweep: sweepSchema(),
      validation: validationSchema(),
    },
    $defs: Object.fromEntries(
      (['world', 'workload', 'faults'] as const).map((s) => [`${s}-component`, componentSchema(types.filter((t) => t.section === s))]),
    ),
  };
}

function section(name: ComponentSection, description: string): object {
  return {
    type: 'object',
    description,
    propertyNames: { pattern: ID_PATTERN },
    additionalProperties: { $ref: `#/$defs/${name}-component` },
  };
}

function componentSchema(types: readonly ComponentType[]): object {
  return {
    type: 'object',
    required: ['type'],
    properties: { type: { enum: types.map((t) => t.type), description: 'the kind of component' } },
    discriminator: { propertyName: 'type' },
    oneOf: types.map((t) => ({
      description: t.description,
      additionalProperties: false,
      required: ['type', ...(t.required ?? [])],
      properties: { type: { const: t.type }, ...t.properties },
    })),
  };
}

function stopSchema(): object {
  return {
    type: 'object',
    description: 'when each run stops: at a time, or when no event is left; with a guard on events',
    additionalProperties: false,
    properties: {
      at: quantity('time', 'stop at this simulated time'),
      whenIdle: { const: true, description: 'stop when no event is pending' },
      maxEvents: { type: 'integer', minimum: 1, description: 'guard: fail the run after this many events (default 1e10)' },
    },
  };
}

function policiesSchema(policies: readonly PolicyModule<any, any>[]): object {
  const points = [...new Set(policies.map((p) => p.decisionPoint))];
  const properties: Record<string, object> = {};
  for (const point of points) {
    const mine = policies.filter((p) => p.decisionPoint === point);
    properties[point] = {
      description: `policy for ${point}: a name, or {"name", "params"}`,
      if: { type: 'string' },
      then: { enum: mine.map((p) => p.name) },
      else: {
        type: 'object',
        required: ['name'],
        properties: { name: { enum: mine.map((p) => p.name) } },
        discriminator: { propertyName: 'name' },
        oneOf: mine.map((p) => ({
          description: p.description,
          additionalProperties: false,
          required: ['name'],
          properties: { name: { const: p.name }, params: p.paramsSchema },
        })),
      },
    };
  }
  return { type: 'object', description: 'the policy chosen at each decision point', additionalProperties: false, properties };
}

function metricsSchema(): object {
  return {
    type: 'object',
    additionalProperties: false,
    description: 'what is measured and when',
    properties: {
      warmup: quantity('time', 'period at the start excluded from summary metrics'),
      interval: quantity('time', 'sampling interval of timeseries.csv (default: no time series)'),
      series: {
        type: 'array',
        items: { type: 'string' },
        description: 'metric path prefixes to sample (default: all)',
      },
    },
  };
}

function sweepSchema(): object {
  const assignments = {
    type: 'object',
    propertyNames: { pattern: PARAMETER_PATH_PATTERN },
    description: 'values to set, by dotted path into the scenario',
  };
  return {
    type: 'object',
    additionalProperties: false,
    description: 'runs to make: variants x matrix x replications, in that order',
    properties: {
      variants: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['set'],
          properties: { name: { type: 'string', pattern: VARIANT_NAME_PATTERN }, set: assignments },
        },
      },
      matrix: {
        type: 'object',
        propertyNames: { pattern: PARAMETER_PATH_PATTERN },
        additionalProperties: { type: 'array', minItems: 1 },
        description: 'every combination of these values (the last key varies fastest)',
      },
      replications: { type: 'integer', minimum: 1, description: 'seeds per variant: seed, seed+1, ... (default 1)' },
    },
  };
}

function validationSchema(): object {
  return {
    type: 'object',
    additionalProperties: false,
    description: 'for scenarios in scenarios/validation: the closed-form reference the output is checked against',
    required: ['model', 'reference', 'metric', 'citation', 'tolerance'],
    properties: {
      model: { type: 'string', description: 'what is validated, e.g. "M/M/1" or "greedy GC"' },
      reference: { enum: [...VALIDATION_REFERENCES] },
      station: { type: 'string', description: 'queueing references: id of the queue-station measured' },
      source: { type: 'string', description: 'queueing references: id of the open-source feeding it' },
      ssd: { type: 'string', description: 'write-amplification references: id of the ssd measured' },
      metric: { type: 'string', description: 'summary column compared with the reference' },
      citation: { type: 'string', description: 'where the closed form comes from' },
      tolerance: quantity('dimensionless', 'largest relative error that passes'),
    },
    allOf: [
      { if: { properties: { reference: { enum: [...QUEUEING_REFERENCES] } } }, then: { properties: { station: true, source: true }, required: ['station', 'source'] } },
      { if: { properties: { reference: { enum: [...WRITE_AMPLIFICATION_REFERENCES] } } }, then: { properties: { ssd: true }, required: ['ssd'] } },
    ],
  };
}
