/**
 * The results folder of a sweep on disk: `manifest.json`, `parts/`, and the CSV files. Shared by
 * `storsim sweep` and `storsim merge`.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFilesAtomic, type FileToWrite } from '../output/atomic-write.ts';
import { SweepInputError } from './errors.ts';
import { MANIFEST_FILE } from './manifest.ts';
import { decodePart, partIndexOf, type PartOutcome } from './part.ts';
import { FAILURES_FILE, partsDir, RUNS_FILE, TIMESERIES_FILE, type ResultFiles } from './results.ts';

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Finished part files of `dir` by canonical index (temporary files are not finished parts). */
export async function listParts(dir: string): Promise<Map<number, string>> {
  const parts = new Map<number, string>();
  let names: string[];
  try {
    names = await readdir(partsDir(dir));
  } catch {
    return parts;
  }
  for (const name of names.sort()) {
    const index = partIndexOf(name);
    if (index === undefined) continue;
    if (parts.has(index)) throw new SweepInputError(`${partsDir(dir)}: ${parts.get(index)} and ${name} are both parts of run ${index}`);
    parts.set(index, name);
  }
  return parts;
}

/** Reads and decodes one part file. */
export async function readPart(dir: string, name: string): Promise<{ text: string; outcome: PartOutcome }> {
  const text = await readFile(join(partsDir(dir), name), 'utf8');
  return { text, outcome: decodePart(text) };
}

/**
 * Removes temporary files left in `parts/` by a sweep that was killed while writing a part
 * (`.<part>.<pid>.tmp`, see sim/output/atomic-write.ts), when their process is gone. They were
 * never renamed, so they never counted as finished parts; this only tidies up.
 */
export async function removeStaleTemporaries(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(partsDir(dir));
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const match = /^\..*\.(\d+)\.tmp$/.exec(name);
    if (match === null || processAlive(Number(match[1]))) continue;
    await rm(join(partsDir(dir), name), { force: true });
    removed++;
  }
  return removed;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Refuses an output path that is a file, and a folder that holds parts but no manifest (nothing
 * says which sweep they belong to). Returns whether `dir` has a manifest.
 */
export async function checkFolder(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new SweepInputError(`--out ${dir} is a file, not a folder`);
  } catch (error) {
    if (error instanceof SweepInputError) throw error;
    return false; // does not exist yet
  }
  if (await exists(join(dir, MANIFEST_FILE))) return true;
  if ((await listParts(dir)).size > 0) {
    throw new SweepInputError(`${partsDir(dir)} holds part files but ${dir} has no ${MANIFEST_FILE}, so nothing says which sweep they belong to; choose another --out or remove that folder`);
  }
  return false;
}

/** Writes runs.csv, timeseries.csv and failures.csv (removing a stale one when no run failed). */
export async function writeResultFiles(dir: string, files: ResultFiles): Promise<string[]> {
  const toWrite: FileToWrite[] = [
    { path: join(dir, RUNS_FILE), contents: files.runs },
    { path: join(dir, TIMESERIES_FILE), contents: files.timeseries },
  ];
  if (files.failures !== null) toWrite.push({ path: join(dir, FAILURES_FILE), contents: files.failures });
  await writeFilesAtomic(toWrite);
  if (files.failures === null) await rm(join(dir, FAILURES_FILE), { force: true });
  return toWrite.map((f) => f.path);
}
