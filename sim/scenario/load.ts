/**
 * Loading scenario files: read, parse with positions, validate against the schema, check
 * cross-references, expand the sweep, and dry-build every variant — all before any run
 * starts. Every problem in every file is collected and thrown together as one
 * `ScenarioError`, so a user fixes a file in one pass.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BUILT_IN_POLICIES } from '../../policies/index.ts';
import { buildWorld, BuildError, policyNames } from './build.ts';
import { ScenarioError, escapePointerToken, type Locate, type ScenarioIssue } from './errors.ts';
import { parseJsonWithPositions, ScenarioSyntaxError } from './json-source.ts';
import { inputFilePaths } from './input-files.ts';
import { semanticIssues } from './semantics.ts';
import { applyVariant, expandVariants, runId, type Variant } from './sweep.ts';
import { loadUnits, type UnitParser } from './units.ts';
import { createValidator, type ScenarioValidator } from './validator.ts';

/** Command-line overrides of what a scenario says. */
export interface LoadOptions {
  /** Base seed for every scenario (replication r uses seed + r). */
  seed?: number;
  /** Replications per variant. */
  replications?: number;
}

/** One run to make: a variant of a scenario with one seed. */
export interface PlannedRun {
  readonly id: string;
  readonly scenario: string;
  readonly file: string;
  readonly variant: Variant;
  readonly replication: number;
  readonly seed: number;
  /** The scenario with the variant's assignments applied (units still as written). */
  readonly spec: Record<string, any>;
  /** Policy in force at each decision point, sorted by decision point. */
  readonly policies: readonly [string, string][];
}

/** A checked scenario file and the runs it asks for, in canonical order. */
export interface LoadedScenario {
  readonly file: string;
  readonly name: string;
  readonly spec: Record<string, any>;
  readonly runs: readonly PlannedRun[];
  /** Files its components read (e.g. traces), as written, relative to `file`'s folder; sorted. */
  readonly inputs: readonly string[];
}

/**
 * Loads every scenario named by `paths` (files, or directories whose `*.json` files are
 * taken in name order). Throws `ScenarioError` with every issue found in any of them.
 */
export async function loadScenarios(paths: readonly string[], options: LoadOptions = {}): Promise<{ scenarios: LoadedScenario[]; units: UnitParser }> {
  const issues: ScenarioIssue[] = [];
  const files = await listScenarioFiles(paths, issues);
  const units = await loadUnits();
  const validator = await createValidator(units);
  const scenarios: LoadedScenario[] = [];
  for (const file of files) {
    const result = await loadOne(file, validator, units, options, issues);
    if (result === undefined) continue;
    const { scenario: loaded, locate } = result;
    const clash = scenarios.find((s) => s.name === loaded.name);
    if (clash !== undefined) {
      issues.push({ file, pointer: '/name', ...(locate('/name') ?? {}), message: `scenario name "${loaded.name}" is also used by ${clash.file}`, allowed: 'a name unique among the scenarios run together' });
    }
    scenarios.push(loaded);
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  return { scenarios, units };
}

async function listScenarioFiles(paths: readonly string[], issues: ScenarioIssue[]): Promise<string[]> {
  const files: string[] = [];
  if (paths.length === 0) issues.push({ file: '(command line)', pointer: '', message: 'no scenario given', allowed: 'one or more scenario files or directories' });
  for (const path of paths) {
    try {
      if ((await stat(path)).isDirectory()) {
        const names = (await readdir(path)).filter((n) => n.endsWith('.json')).sort();
        if (names.length === 0) issues.push({ file: path, pointer: '', message: 'directory holds no .json scenario' });
        files.push(...names.map((n) => join(path, n)));
      } else {
        files.push(path);
      }
    } catch {
      issues.push({ file: path, pointer: '', message: 'no such file or directory' });
    }
  }
  return files;
}

async function loadOne(
  file: string,
  validator: ScenarioValidator,
  units: UnitParser,
  options: LoadOptions,
  issues: ScenarioIssue[],
): Promise<{ scenario: LoadedScenario; locate: Locate } | undefined> {
  let source;
  try {
    source = parseJsonWithPositions(await readFile(file, 'utf8'), file);
  } catch (error) {
    if (error instanceof ScenarioSyntaxError) issues.push(...error.issues);
    else issues.push({ file, pointer: '', message: `cannot read: ${(error as Error).message}` });
    return undefined;
  }
  const at = (pointer: string) => ({ file, pointer, ...(source.locate(pointer) ?? {}) });
  const schemaIssues = validator.check(source.value, file, source.locate);
  if (schemaIssues.length > 0) {
    issues.push(...schemaIssues);
    return undefined;
  }
  const spec = source.value as Record<string, any>;
  const semantic = semanticIssues(spec, validator.componentTypes);
  if (semantic.length > 0) {
    issues.push(...semantic.map((i) => ({ ...i, ...at(i.pointer) })));
    return undefined;
  }

  const variants = expandVariants(spec.sweep);
  const replications = options.replications ?? spec.sweep?.replications ?? 1;
  const baseSeed = options.seed ?? spec.seed ?? 1;
  const runs: PlannedRun[] = [];
  const variantSpecs: Record<string, any>[] = [];
  const before = issues.length;
  for (const variant of variants) {
    const variantSpec = applyVariant(spec, variant);
    variantSpecs.push(variantSpec);
    const where = sweepPointer(spec, variant);
    const problems = [
      ...validator.check(variantSpec, file),
      ...semanticIssues(variantSpec, validator.componentTypes).map((i) => ({ ...i, file })),
    ];
    if (problems.length === 0) {
      try {
        buildWorld(variantSpec, baseSeed, units, validator.componentTypes, BUILT_IN_POLICIES, dirname(file));
      } catch (error) {
        if (!(error instanceof BuildError)) throw error;
        problems.push({ file, pointer: error.pointer, message: error.message });
      }
    }
    for (const problem of problems) {
      const fromSweep = variants.length > 1 || variant.assignments.length > 0;
      issues.push(
        fromSweep
          ? { ...at(where), message: `in sweep variant ${variant.index} (${describeAssignments(variant)}): ${problem.pointer || '/'}: ${problem.message}`, ...(problem.allowed ? { allowed: problem.allowed } : {}) }
          : { ...problem, ...at(problem.pointer) },
      );
    }
    const policies = policyNames(variantSpec, validator.componentTypes, BUILT_IN_POLICIES);
    for (let replication = 0; replication < replications; replication++) {
      runs.push({
        id: runId(spec.name, variant.index, replication),
        scenario: spec.name,
        file,
        variant,
        replication,
        seed: baseSeed + replication,
        spec: variantSpec,
        policies,
      });
    }
  }
  if (issues.length > before) return undefined;
  const inputs = inputFilePaths(variantSpecs, validator.componentTypes);
  return { scenario: { file, name: spec.name, spec, runs, inputs }, locate: source.locate };
}

/** Where a variant's assignments are written: its `variants` entry, or the first matrix key. */
function sweepPointer(spec: Record<string, any>, variant: Variant): string {
  if (spec.sweep?.variants !== undefined) return `/sweep/variants/${variant.baseIndex}`;
  const firstKey = Object.keys(spec.sweep?.matrix ?? {})[0];
  return firstKey === undefined ? '' : `/sweep/matrix/${escapePointerToken(firstKey)}`;
}

function describeAssignments(variant: Variant): string {
  return variant.assignments.map(([path, value]) => `${path}=${JSON.stringify(value)}`).join(', ');
}
