/**
 * `storsim sweep` as a function: expand the scenarios into the canonical run list exactly as
 * `storsim run` does (same ids, seeds, order), keep this shard's runs, run those that have no
 * part yet on worker threads (each part written whole as its run ends), and when every run of the
 * shard has its part, write runs.csv, timeseries.csv (and failures.csv) from the parts.
 *
 * The results folder:
 *   DIR/manifest.json   what the sweep is (see manifest.ts); written before the first run
 *   DIR/parts/NNNNNN.json   one per finished run (see part.ts), NNNNNN = canonical index
 *   DIR/runs.csv, DIR/timeseries.csv   when every run of the shard is done, byte-identical to `storsim run`
 *   DIR/failures.csv    run_id,error — only when some run failed
 *
 * Bad input (invalid scenarios, a folder that holds another sweep, a resume that does not match)
 * throws before anything is written: `ScenarioError` from the loader or `SweepInputError`.
 */
import { availableParallelism } from 'node:os';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../output/atomic-write.ts';
import { loadScenarios } from '../scenario/load.ts';
import { SweepInputError } from './errors.ts';
import { checkFolder, listParts, readPart, removeStaleTemporaries, writeResultFiles } from './folder.ts';
import { buildManifest, MANIFEST_FILE, manifestDifferences, manifestText, readManifest } from './manifest.ts';
import { partFileName, type PartOutcome } from './part.ts';
import { SweepPool, type SweepTask } from './pool.ts';
import { startProgress, type ProgressMode, type ProgressOptions } from './progress.ts';
import { partsDir, resultFiles } from './results.ts';
import { inShard, shardIndices, shardLabel, WHOLE_SWEEP, type Shard } from './shard.ts';

export interface SweepOptions {
  out: string;
  /** Worker threads (default: one per core). */
  workers?: number;
  seed?: number;
  replications?: number;
  resume?: boolean;
  shard?: Shard;
  progress?: ProgressMode;
  progressOptions?: ProgressOptions;
  /** Summary lines (default: none). */
  say?: (line: string) => void;
  /** Warnings (default: stderr). */
  warn?: (line: string) => void;
}

export interface SweepOutcome {
  /** Runs of the whole sweep, and of this shard. */
  totalRuns: number;
  shardRuns: number;
  /** Runs executed by this call (the others had parts already). */
  executed: number;
  failed: { runId: string; seed: number; error: string }[];
  /** Files written at the end. */
  written: string[];
}

export function defaultWorkers(): number {
  return availableParallelism();
}

export async function runSweep(paths: readonly string[], options: SweepOptions): Promise<SweepOutcome> {
  const say = options.say ?? (() => {});
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const shard = options.shard ?? WHOLE_SWEEP;
  const loadOptions = {
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.replications === undefined ? {} : { replications: options.replications }),
  };
  // What needs no scenario is checked first, at no cost: the folder.
  const dir = options.out;
  const hasManifest = await checkFolder(dir);
  if (hasManifest && !options.resume) {
    throw new SweepInputError(`${dir} already holds a sweep (${join(dir, MANIFEST_FILE)}): add --resume to finish it, or choose another --out`);
  }
  // Start the worker threads next: they get ready while this thread loads and checks the scenarios.
  const pool = new SweepPool(options.workers ?? defaultWorkers());
  try {
    return await sweepWith(pool, paths, options, loadOptions, shard, hasManifest, say, warn);
  } finally {
    pool.close();
  }
}

async function sweepWith(
  pool: SweepPool,
  paths: readonly string[],
  options: SweepOptions,
  loadOptions: { seed?: number; replications?: number },
  shard: Shard,
  hasManifest: boolean,
  say: (line: string) => void,
  warn: (line: string) => void,
): Promise<SweepOutcome> {
  const { scenarios } = await loadScenarios(paths, loadOptions);
  const runs = scenarios.flatMap((s) => s.runs);
  const mine = shardIndices(runs.length, shard);
  const manifest = await buildManifest(scenarios, loadOptions, shard, mine.length);
  const dir = options.out;
  const manifestPath = join(dir, MANIFEST_FILE);

  // A resumed sweep must be the same sweep; checked before writing anything.
  if (hasManifest) {
    const differences = manifestDifferences(await readManifest(manifestPath), manifest, 'the manifest', 'this command', true);
    if (differences.length > 0) {
      throw new SweepInputError(
        `cannot resume ${dir}: it holds a different sweep than this command asks for:\n${differences.map((d) => `  - ${d}`).join('\n')}\n` +
          'Resume with the same scenario files (unchanged) and options, or choose another --out.',
      );
    }
  } else if (options.resume) {
    warn(`storsim: ${dir} holds no sweep yet; starting it`);
  }

  await mkdir(partsDir(dir), { recursive: true });
  if (!hasManifest) await writeFileAtomic(manifestPath, manifestText(manifest));
  const removed = await removeStaleTemporaries(dir);
  if (removed > 0) warn(`storsim: removed ${removed} temporary file(s) of an interrupted sweep from ${partsDir(dir)}`);

  // Which runs of the shard are finished already (resume)?
  const existing = await listParts(dir);
  const done = new Set<number>();
  let failedBefore = 0;
  for (const [index, name] of existing) {
    if (index >= runs.length || !inShard(index, shard)) {
      throw new SweepInputError(`${join(partsDir(dir), name)} is not a run of this sweep${shard.count > 1 ? ` (shard ${shardLabel(shard)})` : ''}; remove it or choose another --out`);
    }
    let outcome: PartOutcome;
    try {
      outcome = (await readPart(dir, name)).outcome;
    } catch (error) {
      warn(`storsim: ${join(partsDir(dir), name)} is damaged (${(error as Error).message}); running ${runs[index]!.id} again`);
      await rm(join(partsDir(dir), name), { force: true });
      continue;
    }
    checkPartMatches(outcome, index, runs[index]!, join(partsDir(dir), name));
    done.add(index);
    if ('error' in outcome) failedBefore++;
  }

  const shardNote = shard.count > 1 ? `, shard ${shardLabel(shard)}: ${mine.length} run(s)` : '';
  const resumeNote = done.size > 0 ? `; ${done.size} already done` : '';
  say(`storsim: sweep of ${runs.length} run(s) from ${scenarios.length} scenario(s)${shardNote}${resumeNote}`);

  const tasks: SweepTask[] = mine
    .filter((index) => !done.has(index))
    .map((index) => ({ index, run: runs[index]!, partPath: join(partsDir(dir), partFileName(index, runs.length)) }));
  const progress = startProgress(options.progress ?? 'auto', mine.length, done.size, failedBefore, options.progressOptions);
  let finished = done.size;
  let failed = failedBefore;
  try {
    await pool.run(tasks, (task) => {
      finished++;
      if (task.error !== undefined) failed++;
      progress.update(finished, failed);
    });
  } finally {
    progress.stop();
  }

  // Every run of the shard has its part: write the CSV files from the parts.
  const parts = await listParts(dir);
  const outcomes: PartOutcome[] = [];
  for (const index of mine) {
    const name = parts.get(index);
    if (name === undefined) throw new Error(`the part of run ${runs[index]!.id} is missing from ${partsDir(dir)} (was the folder changed during the sweep?)`);
    const { outcome } = await readPart(dir, name);
    checkPartMatches(outcome, index, runs[index]!, join(partsDir(dir), name));
    outcomes.push(outcome);
  }
  const files = resultFiles(outcomes);
  const written = await writeResultFiles(dir, files);
  return { totalRuns: runs.length, shardRuns: mine.length, executed: tasks.length, failed: files.failed, written };
}

function checkPartMatches(outcome: PartOutcome, index: number, run: { id: string; seed: number }, path: string): void {
  const partRun = 'result' in outcome ? outcome.result.run : outcome.run;
  if (outcome.index !== index || partRun.id !== run.id || partRun.seed !== run.seed) {
    throw new SweepInputError(`${path} holds run ${partRun.id} (seed ${partRun.seed}, index ${outcome.index}), but run ${index} of this sweep is ${run.id} (seed ${run.seed}); remove it or choose another --out`);
  }
}
