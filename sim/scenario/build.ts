/**
 * Turns one checked scenario (a variant with its assignments applied) and a seed into a
 * ready world: the environment, metrics, streams and every component, built in a fixed
 * order (world, then workload, then faults; by key order within a section).
 */
import type { PolicyModule } from '../../policies/policy.ts';
import { Environment } from '../engine/index.ts';
import { RandomStreams } from '../engine/random/index.ts';
import { MetricRegistry } from '../metrics/index.ts';
import { COMPONENT_SECTIONS, type BuildContext, type BuiltComponent, type ComponentType } from './component-type.ts';
import { buildOrder } from './build-order.ts';
import { distributionFromSpec } from './distribution-spec.ts';
import { resolve } from 'node:path';
import type { UnitParser } from './units.ts';

/** A component whose construction failed, with the JSON Pointer of its spec. */
export class BuildError extends Error {
  override name = 'BuildError';
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super(message);
  }
}

/** A world ready to run. */
export interface BuiltWorld {
  readonly env: Environment;
  readonly metrics: MetricRegistry;
  readonly streams: RandomStreams;
  /** The built components by id (for checkers and tests that inspect a world after a run). */
  readonly components: ReadonlyMap<string, BuiltComponent>;
  /** Starts every component (schedules their first events). Call once, before running. */
  start(): void;
}


export function buildWorld(
  spec: Record<string, any>,
  seed: number,
  units: UnitParser,
  types: readonly ComponentType[],
  policies: readonly PolicyModule<any, any>[],
  /** Folder that relative paths in the scenario are resolved against (the scenario file's); default the working directory. */
  baseDir = '.',
): BuiltWorld {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const streams = new RandomStreams(seed);
  const built = new Map<string, BuiltComponent>();
  const policyInstances = new Map<string, unknown>();

  const context: BuildContext = {
    env,
    streams,
    metrics,
    units,
    component<T>(id: string): T {
      const component = built.get(id);
      if (component === undefined) throw new Error(`component "${id}" is not built yet: components that refer to each other in a cycle cannot be built`);
      return component as T;
    },
    policy<T>(decisionPoint: string): T {
      if (!policyInstances.has(decisionPoint)) {
        policyInstances.set(decisionPoint, createPolicy(decisionPoint, spec.policies?.[decisionPoint], policies));
      }
      return policyInstances.get(decisionPoint) as T;
    },
    quantity: (value, kind) => units.quantity(value, kind),
    distribution: (distSpec, kind) => distributionFromSpec(distSpec as Record<string, any>, (v) => units.quantity(v, kind)),
    resolvePath: (path) => resolve(baseDir, path),
  };

  for (const { section, id, spec: componentSpec } of buildOrder(spec, types)) {
    const type = types.find((t) => t.type === componentSpec.type && t.section === section);
    if (type === undefined) throw new BuildError(`/${section}/${id}/type`, `unknown ${section} component type "${componentSpec.type}"`);
    try {
      built.set(id, type.build(context, id, componentSpec));
    } catch (error) {
      throw new BuildError(`/${section}/${id}`, error instanceof Error ? error.message : String(error));
    }
  }
  return {
    env,
    metrics,
    streams,
    components: built,
    start() {
      for (const component of built.values()) component.start?.();
    },
  };
}

/** The policy named in the scenario for a decision point, or the first registered one. */
function createPolicy(decisionPoint: string, choice: unknown, policies: readonly PolicyModule<any, any>[]): unknown {
  const candidates = policies.filter((p) => p.decisionPoint === decisionPoint);
  const name = typeof choice === 'string' ? choice : (choice as { name?: string } | undefined)?.name;
  const module = name === undefined ? candidates[0] : candidates.find((p) => p.name === name);
  if (module === undefined) throw new Error(`no policy "${name ?? '(default)'}" for decision point "${decisionPoint}"`);
  const params = typeof choice === 'object' && choice !== null ? ((choice as { params?: object }).params ?? {}) : {};
  return module.create(params);
}

/**
 * The policy in force at each decision point the scenario's components use, as runs.csv
 * shows it: the name, followed by the parameters written in the scenario, if any, sorted by
 * key (`d-choices(d=5)`). A sweep over a policy parameter therefore shows it in the policy
 * column, and compare and report tell the settings apart.
 */
export function policyNames(
  spec: Record<string, any>,
  types: readonly ComponentType[],
  policies: readonly PolicyModule<any, any>[],
): [decisionPoint: string, name: string][] {
  const points = new Set<string>();
  for (const section of COMPONENT_SECTIONS) {
    for (const componentSpec of Object.values<Record<string, any>>(spec[section] ?? {})) {
      for (const point of types.find((t) => t.type === componentSpec.type)?.decisionPoints ?? []) points.add(point);
    }
  }
  for (const point of Object.keys(spec.policies ?? {})) points.add(point);
  return [...points].sort().map((point) => {
    const choice = spec.policies?.[point];
    const name = typeof choice === 'string' ? choice : (choice?.name ?? policies.find((p) => p.decisionPoint === point)?.name ?? '');
    return [point, `${name}${describeParams(typeof choice === 'object' && choice !== null ? choice.params : undefined)}`];
  });
}

/** `(key=value key2=value2)`, keys sorted, or '' without parameters. */
function describeParams(params: Record<string, unknown> | undefined): string {
  const keys = Object.keys(params ?? {}).sort();
  if (keys.length === 0) return '';
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value));
  return `(${keys.map((key) => `${key}=${text(params![key])}`).join(' ')})`;
}
