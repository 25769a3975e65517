/**
 * Shared by the golden script and test: run `storsim run <scenario> --out <dir>` in a child
 * process, exactly as a user would, and read back the two result files.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'storsim.js');
export const EXAMPLES_DIR = join(ROOT, 'scenarios', 'examples');
export const EXPECTED_DIR = join(ROOT, 'test', 'golden', 'expected');
/** The result files compared byte for byte. */
export const GOLDEN_FILES = ['runs.csv', 'timeseries.csv'] as const;

/** Every example scenario file, in name order. */
export function exampleScenarios(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(EXAMPLES_DIR, name));
}

/** The directory holding the expected files of one scenario file: its base name without `.json`. */
export function expectedDirFor(scenarioFile: string): string {
  return join(EXPECTED_DIR, basename(scenarioFile, '.json'));
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/storsim.js <args>` from the repository root. */
export function storsim(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') {
        reject(error);
        return;
      }
      resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}
