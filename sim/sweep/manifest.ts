/**
 * A sweep's `manifest.json`: what produced a results folder — storsim's version, the scenario
 * files and the input files they name (traces), with their SHA-256 content hashes, the command-line seed and replication overrides, the
 * shard, and the whole canonical run list (id and seed of every run, shards included, in
 * canonical order). It is written once, before the first run, and never rewritten by a sweep.
 *
 * `--resume` compares the manifest on disk with the one the command would write, and `merge`
 * compares the shards' manifests with each other; {@link manifestDifferences} says, in words a
 * user can act on, what differs. Nothing in a manifest depends on the time, the machine or the
 * worker count, so the same command writes the same manifest.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { LoadedScenario, LoadOptions } from '../scenario/load.ts';
import { SweepInputError } from './errors.ts';
import { shardLabel, type Shard } from './shard.ts';

export const MANIFEST_FORMAT = 'storsim-sweep-manifest/1';
export const MANIFEST_FILE = 'manifest.json';

export interface ManifestScenario {
  name: string;
  file: string;
  sha256: string;
  /** Files the scenario's components read, by the path written in the scenario, sorted. */
  inputs: ManifestInput[];
}

export interface ManifestInput {
  /** As written in the scenario: relative to its folder (so shards on other machines agree), or absolute. */
  path: string;
  sha256: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  storsim_version: string;
  scenarios: ManifestScenario[];
  /** `--seed` / `--replications` as given (null: the scenario's own value). */
  options: { seed: number | null; replications: number | null };
  /** 0-based index and count; the whole sweep is { index: 0, count: 1 }. */
  shard: { index: number; count: number; label: string };
  /** Runs of this shard. */
  shard_runs: number;
  /** Every run of the sweep, shards included, in canonical order (position = canonical index). */
  runs: { id: string; seed: number }[];
  /** Set by `storsim merge`: the folders it merged, as given. */
  merged_from?: string[];
}

let version: string | undefined;

/** storsim's version, from package.json. */
export function storsimVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}

export async function sha256OfFile(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** The manifest of a sweep of `scenarios` (loaded with `options`) restricted to `shard`. */
export async function buildManifest(scenarios: readonly LoadedScenario[], options: LoadOptions, shard: Shard, shardRuns: number): Promise<Manifest> {
  return {
    format: MANIFEST_FORMAT,
    storsim_version: storsimVersion(),
    scenarios: await Promise.all(
      scenarios.map(async (s) => ({
        name: s.name,
        file: s.file,
        sha256: await sha256OfFile(s.file),
        inputs: await Promise.all(s.inputs.map(async (path) => ({ path, sha256: await sha256OfFile(resolve(dirname(s.file), path)) }))),
      })),
    ),
    options: { seed: options.seed ?? null, replications: options.replications ?? null },
    shard: { index: shard.index, count: shard.count, label: shardLabel(shard) },
    shard_runs: shardRuns,
    runs: scenarios.flatMap((s) => s.runs.map((r) => ({ id: r.id, seed: r.seed }))),
  };
}

export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Reads and checks the shape of `path`; throws `SweepInputError` saying what is wrong. */
export async function readManifest(path: string): Promise<Manifest> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new SweepInputError(`${path}: cannot read the sweep manifest: ${(error as Error).message}`);
  }
  const m = value as Partial<Manifest> | null;
  const ok =
    m !== null && typeof m === 'object' && m.format === MANIFEST_FORMAT && typeof m.storsim_version === 'string' &&
    Array.isArray(m.scenarios) && m.scenarios.every((s) => typeof s?.name === 'string' && typeof s.sha256 === 'string') &&
    Array.isArray(m.runs) && m.runs.every((r) => typeof r?.id === 'string' && typeof r.seed === 'number') &&
    typeof m.shard?.index === 'number' && typeof m.shard.count === 'number' && m.options !== undefined;
  if (!ok) throw new SweepInputError(`${path}: not a storsim sweep manifest (${MANIFEST_FORMAT})`);
  // Manifests written before input files were recorded have no `inputs`: none recorded.
  for (const s of m.scenarios!) s.inputs ??= [];
  return m as Manifest;
}

/** What differs between the input files of scenario `a` and of the same-named `b`. */
function inputDifferences(a: ManifestScenario, b: ManifestScenario, aName: string, bName: string): string[] {
  const out: string[] = [];
  const bByPath = new Map(b.inputs.map((input) => [input.path, input.sha256]));
  for (const input of a.inputs) {
    const other = bByPath.get(input.path);
    if (other === undefined) {
      out.push(`scenario ${a.name} reads ${input.path} in ${aName} but not in ${bName}`);
    } else if (other !== input.sha256) {
      out.push(`scenario ${a.name}'s input ${input.path} has different contents: sha256 ${input.sha256.slice(0, 12)}… in ${aName}, ${other.slice(0, 12)}… in ${bName}`);
    }
  }
  const aPaths = new Set(a.inputs.map((input) => input.path));
  for (const input of b.inputs) {
    if (!aPaths.has(input.path)) out.push(`scenario ${a.name} reads ${input.path} in ${bName} but not in ${aName}`);
  }
  return out;
}

/** How a manifest's options read on a command line, for messages. */
export function describeOptions(options: Manifest['options']): string {
  const words = [options.seed === null ? '' : `--seed ${options.seed}`, options.replications === null ? '' : `--replications ${options.replications}`].filter(Boolean);
  return words.length === 0 ? 'no --seed or --replications' : words.join(' ');
}

/**
 * What differs between manifest `a` (called `aName` in messages) and `b` (`bName`) in what
 * decides the results: storsim's version, the scenarios (names, order, contents), the canonical
 * run list (ids and seeds) and, when `compareShard`, the shard. Empty when they match.
 */
export function manifestDifferences(a: Manifest, b: Manifest, aName: string, bName: string, compareShard: boolean): string[] {
  const out: string[] = [];
  if (a.storsim_version !== b.storsim_version) out.push(`storsim version: ${a.storsim_version} in ${aName}, ${b.storsim_version} in ${bName}`);
  const aNames = a.scenarios.map((s) => s.name);
  const bNames = b.scenarios.map((s) => s.name);
  if (aNames.join('\u0000') !== bNames.join('\u0000')) {
    out.push(`scenarios: ${aNames.join(', ') || '(none)'} in ${aName}; ${bNames.join(', ') || '(none)'} in ${bName}`);
  } else {
    a.scenarios.forEach((s, i) => {
      const other = b.scenarios[i]!;
      if (s.sha256 !== other.sha256) {
        out.push(`scenario ${s.name} has different contents: ${s.file} (sha256 ${s.sha256.slice(0, 12)}…) in ${aName}, ${other.file} (sha256 ${other.sha256.slice(0, 12)}…) in ${bName}`);
      }
      out.push(...inputDifferences(s, other, aName, bName));
    });
  }
  if (compareShard && (a.shard.index !== b.shard.index || a.shard.count !== b.shard.count)) {
    out.push(`shard: ${shardLabel(a.shard)} in ${aName}, ${shardLabel(b.shard)} in ${bName}`);
  }
  const runDiffs: string[] = [];
  if (a.runs.length !== b.runs.length) runDiffs.push(`${a.runs.length} runs in ${aName}, ${b.runs.length} in ${bName}`);
  const shown = 3;
  let differing = 0;
  for (let i = 0; i < Math.min(a.runs.length, b.runs.length); i++) {
    const x = a.runs[i]!;
    const y = b.runs[i]!;
    if (x.id === y.id && x.seed === y.seed) continue;
    if (differing++ < shown) runDiffs.push(`run ${i} is ${x.id} (seed ${x.seed}) in ${aName}, ${y.id} (seed ${y.seed}) in ${bName}`);
  }
  if (differing > shown) runDiffs.push(`and ${differing - shown} more differing run(s)`);
  if (runDiffs.length > 0) {
    const hint = describeOptions(a.options) === describeOptions(b.options) ? '' : ` (${aName} was made with ${describeOptions(a.options)}, ${bName} with ${describeOptions(b.options)})`;
    out.push(`run list: ${runDiffs.join('; ')}${hint}`);
  }
  return out;
}
