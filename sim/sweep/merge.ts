/**
 * `storsim merge` as a function: combine the results folders of a sweep's shards (or any
 * folders of the same sweep) into one folder holding exactly what a single-process sweep writes:
 * runs.csv, timeseries.csv (byte-identical), failures.csv when a run failed, parts/ (every part
 * copied byte for byte), and a manifest of the whole sweep (shard 1/1, with `merged_from`), so the
 * merged folder can itself be resumed or merged again.
 *
 * Checked first, before anything is written (else `SweepInputError`): every folder has a
 * manifest; all describe the same sweep (storsim version, scenario names and contents, canonical
 * run list with seeds); every run of the canonical list has a part in exactly one folder; every
 * part is the run its manifest says. The output folder is empty of sweeps, or holds this same
 * whole sweep (a merge done again), and is none of the inputs.
 */
import { mkdir, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../output/atomic-write.ts';
import { SweepInputError } from './errors.ts';
import { checkFolder, exists, listParts, readPart, writeResultFiles } from './folder.ts';
import { MANIFEST_FILE, manifestDifferences, manifestText, readManifest, type Manifest } from './manifest.ts';
import { partFileName, type PartOutcome } from './part.ts';
import { partsDir, resultFiles } from './results.ts';
import { shardLabel, WHOLE_SWEEP } from './shard.ts';

export interface MergeOutcome {
  totalRuns: number;
  failed: { runId: string; seed: number; error: string }[];
  written: string[];
}

/** At most this many run ids are named in one error message. */
const NAMED = 20;

function nameSome(items: readonly string[]): string {
  const shown = items.slice(0, NAMED).join(', ');
  return items.length > NAMED ? `${shown}, … and ${items.length - NAMED} more` : shown;
}

export async function mergeSweeps(dirs: readonly string[], out: string): Promise<MergeOutcome> {
  if (dirs.length === 0) throw new SweepInputError('no folder to merge: name the --out folders of the shards');
  const manifests: Manifest[] = [];
  for (const dir of dirs) {
    if (!(await exists(join(dir, MANIFEST_FILE)))) {
      throw new SweepInputError(`${dir}: no ${MANIFEST_FILE}; storsim merge takes the --out folders of storsim sweep (one per shard)`);
    }
    manifests.push(await readManifest(join(dir, MANIFEST_FILE)));
  }
  const first = manifests[0]!;
  const differing: string[] = [];
  manifests.forEach((m, i) => {
    if (i === 0) return;
    for (const d of manifestDifferences(first, m, dirs[0]!, dirs[i]!, false)) differing.push(`  - ${d}`);
  });
  if (differing.length > 0) {
    throw new SweepInputError(`the folders do not describe the same sweep, so they cannot be merged:\n${differing.join('\n')}`);
  }

  // Where is each run's part?
  const total = first.runs.length;
  const holders: string[][] = Array.from({ length: total }, () => []);
  const partNames: Map<number, string>[] = [];
  for (const dir of dirs) {
    const parts = await listParts(dir);
    partNames.push(parts);
    for (const index of parts.keys()) {
      if (index >= total) throw new SweepInputError(`${join(partsDir(dir), parts.get(index)!)}: run ${index} is not in the sweep, which has ${total} runs`);
      holders[index]!.push(dir);
    }
  }
  const missing = holders.flatMap((h, i) => (h.length === 0 ? [first.runs[i]!.id] : []));
  const duplicated = holders.flatMap((h, i) => (h.length > 1 ? [`${first.runs[i]!.id} (in ${h.join(', ')})`] : []));
  if (missing.length > 0 || duplicated.length > 0) {
    const what = [missing.length > 0 ? `missing: ${nameSome(missing)}` : '', duplicated.length > 0 ? `duplicated: ${nameSome(duplicated)}` : ''].filter(Boolean).join('; ');
    const shards = [...new Set(manifests.map((m) => m.shard.count))].join(' or ');
    throw new SweepInputError(
      `every run of the sweep must appear in exactly one folder: ${what}\n` +
        `(${total} runs in the sweep; the folders are shards of ${shards}: ${dirs.map((d, i) => `${d} is ${shardLabel(manifests[i]!.shard)} with ${partNames[i]!.size} part(s)`).join(', ')})`,
    );
  }

  // The output folder: not an input; empty of sweeps, or this same whole sweep.
  const outPath = await realpathOr(out);
  for (const dir of dirs) {
    if ((await realpathOr(dir)) === outPath) throw new SweepInputError(`--out ${out} is one of the folders to merge; choose a new folder`);
  }
  if (await checkFolder(out)) {
    const existing = await readManifest(join(out, MANIFEST_FILE));
    const same = existing.shard.count === 1 && manifestDifferences(existing, first, out, dirs[0]!, false).length === 0;
    if (!same) throw new SweepInputError(`${out} already holds a different sweep (${join(out, MANIFEST_FILE)}); choose another --out`);
  }

  // Read every part, check it against the manifest.
  const outcomes: PartOutcome[] = [];
  const texts: string[] = [];
  for (let index = 0; index < total; index++) {
    const d = dirs.indexOf(holders[index]![0]!);
    const dir = dirs[d]!;
    const name = partNames[d]!.get(index)!;
    const path = join(partsDir(dir), name);
    let read;
    try {
      read = await readPart(dir, name);
    } catch (error) {
      throw new SweepInputError(`${path} is damaged (${(error as Error).message}); run \`storsim sweep --resume\` on ${dir} to redo that run`);
    }
    const run = 'result' in read.outcome ? read.outcome.result.run : read.outcome.run;
    const expected = first.runs[index]!;
    if (read.outcome.index !== index || run.id !== expected.id || run.seed !== expected.seed) {
      throw new SweepInputError(`${path} holds run ${run.id} (seed ${run.seed}), but run ${index} of the sweep is ${expected.id} (seed ${expected.seed})`);
    }
    outcomes.push(read.outcome);
    texts.push(read.text);
  }

  const files = resultFiles(outcomes);
  const manifest: Manifest = {
    ...first,
    shard: { ...WHOLE_SWEEP, label: shardLabel(WHOLE_SWEEP) },
    shard_runs: total,
    merged_from: [...dirs],
  };
  await mkdir(partsDir(out), { recursive: true });
  await writeFileAtomic(join(out, MANIFEST_FILE), manifestText(manifest));
  for (let index = 0; index < total; index++) await writeFileAtomic(join(partsDir(out), partFileName(index, total)), texts[index]!);
  const written = await writeResultFiles(out, files);
  return { totalRuns: total, failed: files.failed, written };
}

async function realpathOr(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}
