/**
 * Sweep expansion: a scenario's `sweep` section becomes a list of variants (each a set of
 * parameter assignments), and each variant is run once per replication. The order is fixed:
 * variants as listed, then matrix combinations with the last key varying fastest, then
 * replications 0..n-1. Run ids name those positions, so they are stable for a given file.
 */

/** One parameter assignment: a dotted path into the scenario and the value written there. */
export type Assignment = readonly [path: string, value: unknown];

/** One point of the sweep. */
export interface Variant {
  /** Position in the sweep, from 0. */
  readonly index: number;
  /** The variant's own name (from `variants[].name`), or '' when it has none. */
  readonly name: string;
  /** Which entry of `sweep.variants` it comes from (0 when the sweep lists none). */
  readonly baseIndex: number;
  /** Assignments in application order: the variant's `set`, then its matrix point. */
  readonly assignments: readonly Assignment[];
}

/** The `sweep` section as written in a scenario. */
export interface SweepSpec {
  variants?: { name?: string; set: Record<string, unknown> }[];
  matrix?: Record<string, unknown[]>;
  replications?: number;
}

/** Every variant of a sweep (one empty variant when there is no sweep). */
export function expandVariants(sweep: SweepSpec | undefined): Variant[] {
  const bases = sweep?.variants ?? [{ set: {} }];
  const matrixKeys = Object.keys(sweep?.matrix ?? {});
  const points = cartesian(matrixKeys.map((key) => sweep!.matrix![key]!.map((value): Assignment => [key, value])));
  const variants: Variant[] = [];
  for (const [baseIndex, base] of bases.entries()) {
    for (const point of points) {
      variants.push({
        index: variants.length,
        name: base.name ?? '',
        baseIndex,
        assignments: [...Object.entries(base.set), ...point],
      });
    }
  }
  return variants;
}

function cartesian(axes: Assignment[][]): Assignment[][] {
  let combos: Assignment[][] = [[]];
  for (const axis of axes) combos = combos.flatMap((combo) => axis.map((value) => [...combo, value]));
  return combos;
}

/**
 * A copy of `spec` with `value` set at the dotted `path`; objects along the path are created
 * when missing. Never mutates `spec`.
 */
export function withAssignment<T>(spec: T, path: string, value: unknown): T {
  const copy = structuredClone(spec) as Record<string, unknown>;
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = structuredClone(value);
  return copy as T;
}

/** `spec` with every assignment of `variant` applied, in order. */
export function applyVariant<T>(spec: T, variant: Variant): T {
  return variant.assignments.reduce((acc, [path, value]) => withAssignment(acc, path, value), spec);
}

/** The stable id of one run: `<scenario>/v<variant>/r<replication>`. */
export function runId(scenario: string, variantIndex: number, replication: number): string {
  return `${scenario}/v${variantIndex}/r${replication}`;
}
