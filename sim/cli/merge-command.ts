/** `storsim merge`: combine the results folders of a sweep's shards into one. See sim/sweep/merge.ts. */
import { SweepInputError } from '../sweep/errors.ts';
import { mergeSweeps } from '../sweep/merge.ts';
import { ExitCode } from './exit-codes.ts';

export interface MergeCommandOptions {
  out: string;
  quiet?: boolean;
}

export async function mergeCommand(dirs: string[], options: MergeCommandOptions): Promise<number> {
  const say = options.quiet ? () => {} : (line: string) => console.log(line);
  try {
    const outcome = await mergeSweeps(dirs, options.out);
    for (const f of outcome.failed) console.error(`storsim: run ${f.runId} failed (seed ${f.seed}): ${f.error}`);
    say(`storsim: merged ${outcome.totalRuns} run(s) from ${dirs.length} folder(s), ${outcome.failed.length} failed`);
    say(`storsim: wrote ${outcome.written.join(', ')}`);
    return outcome.failed.length > 0 ? ExitCode.FAILED : ExitCode.OK;
  } catch (error) {
    if (error instanceof SweepInputError) {
      console.error(`storsim: cannot merge, nothing was written: ${error.message}`);
      return ExitCode.BAD_INPUT;
    }
    throw error;
  }
}
