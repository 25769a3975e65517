/**
 * Atomic file writes for run outputs: a reader (or a crash) never sees a half-written file, and a
 * run's set of files appears together or, on error, not at all.
 *
 * Method: write to a temporary file in the target's directory, fsync it, then rename it over the
 * target (rename is atomic within one file system on POSIX), then fsync the directory (best
 * effort; not possible on every platform).
 */
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** One file of a multi-file write. */
export interface FileToWrite {
  path: string;
  contents: string | Uint8Array;
}

/**
 * The temporary path used for `target`: `.<name>.<pid>.tmp` in the same directory, so the rename is
 * within one file system and two processes writing the same target do not share a temp file.
 * (One process must not write the same target twice concurrently.)
 */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
}

/**
 * Writes `contents` (strings as UTF-8) to `path` atomically: temp file, fsync, rename.
 * On failure the temp file is removed and the target is left as it was.
 */
export async function writeFileAtomic(path: string, contents: string | Uint8Array): Promise<void> {
  await writeFilesAtomic([{ path, contents }]);
}

/**
 * Writes several files so that either all of them are replaced or, on error, none of the new ones
 * appear: every temp file is written and fsynced first (on any failure all temps are removed and
 * nothing is renamed), then they are renamed one by one. Renames within a directory essentially
 * never fail; if one does, the targets already renamed that did not exist before are removed again
 * (a target that existed before has already lost its old contents) and the error is rethrown.
 * Paths must be distinct.
 */
export async function writeFilesAtomic(files: readonly FileToWrite[]): Promise<void> {
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`writeFilesAtomic: ${f.path} is listed twice`);
    seen.add(f.path);
  }
  const temps: string[] = [];
  try {
    for (const f of files) {
      const tmp = tempPathFor(f.path);
      temps.push(tmp);
      await writeAndSync(tmp, f.contents);
    }
  } catch (e) {
    await Promise.all(temps.map(removeQuietly));
    throw e;
  }

  const existedBefore = await Promise.all(files.map((f) => exists(f.path)));
  let renamed = 0;
  try {
    for (const [i, f] of files.entries()) {
      await rename(temps[i]!, f.path);
      renamed++;
    }
  } catch (e) {
    await Promise.all(temps.slice(renamed).map(removeQuietly));
    await Promise.all(files.slice(0, renamed).filter((_, i) => !existedBefore[i]).map((f) => removeQuietly(f.path)));
    throw e;
  }
  await Promise.all([...new Set(files.map((f) => dirname(f.path)))].map(syncDirectory));
}

async function writeAndSync(path: string, contents: string | Uint8Array): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(contents);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Removes a file we created; never throws (e.g. when a directory is in the way). */
async function removeQuietly(path: string): Promise<void> {
  try {
    await rm(path, { force: true });
  } catch {
    // nothing more to do: the original error is what matters
  }
}

/** Makes the renames durable; directories cannot be opened for fsync everywhere (e.g. Windows). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // best effort
  }
}
