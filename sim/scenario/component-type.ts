import type { Environment } from '../engine/index.ts';
import type { Distribution, RandomStreams } from '../engine/random/index.ts';
import type { MetricRegistry } from '../metrics/index.ts';
import type { QuantityKind, UnitParser } from './units.ts';

/** The sections of a scenario that hold components keyed by id. */
export type ComponentSection = 'world' | 'workload' | 'faults';

/** The scenario sections that hold components, in build order. */
export const COMPONENT_SECTIONS: readonly ComponentSection[] = ['world', 'workload', 'faults'];

/** What a component's `build` gets: the run's engine, streams, metrics and neighbours. */
export interface BuildContext {
  readonly env: Environment;
  readonly streams: RandomStreams;
  readonly metrics: MetricRegistry;
  readonly units: UnitParser;
  /** A component built before this one, by id: every component this one `references` is (see build-order.ts). */
  component<T>(id: string): T;
  /** The policy chosen in the scenario for a decision point (or its default). */
  policy<T>(decisionPoint: string): T;
  /** Converts a quantity already checked by the schema (see `unitKind`). */
  quantity(value: string | number, kind: QuantityKind): number;
  /** Builds a distribution from a checked distribution spec, in the kind's internal unit. */
  distribution(spec: unknown, kind: QuantityKind): Distribution;
  /** A path written in the scenario (a trace file), resolved against the scenario file's folder. */
  resolvePath(path: string): string;
}

/**
 * A built component (the model object itself). If it has a `start()` method, that is
 * called once every component is built, before time starts.
 */
export type BuiltComponent = object & { start?(): void };

/**
 * A kind of component a scenario may declare (`"type": "queue-station"`): its schema, the
 * other components it refers to, and how to build it. Registered in `components/index.ts`.
 */
export interface ComponentType {
  readonly type: string;
  readonly section: ComponentSection;
  readonly description: string;
  /** JSON Schema properties of the component (besides `type`), draft 2020-12. */
  readonly properties: Record<string, object>;
  readonly required?: readonly string[];
  /** Keys whose value is another component's id, with the component types allowed there. */
  readonly references?: Readonly<Record<string, readonly string[]>>;
  /** Decision points this component consults (so the schema and docs can say so). */
  readonly decisionPoints?: readonly string[];
  /**
   * Keys whose value is the path of a file the component reads (relative to the scenario
   * file's folder). A sweep's manifest records their hashes, so `--resume` and `merge`
   * notice an edited input as they notice an edited scenario.
   */
  readonly inputFiles?: readonly string[];
  build(context: BuildContext, id: string, spec: Record<string, any>): BuiltComponent;
}
