/**
 * `storsim sweep`: run scenarios' canonical run list on worker threads into a results folder
 * that survives interruption (`--resume`) and splits into shards (`--shard`). See sim/sweep/sweep.ts.
 */
import { ScenarioError } from '../scenario/errors.ts';
import { SweepInputError } from '../sweep/errors.ts';
import { PROGRESS_MODES, type ProgressMode } from '../sweep/progress.ts';
import { parseShard, shardLabel } from '../sweep/shard.ts';
import { ExitCode } from './exit-codes.ts';

export interface SweepCommandOptions {
  out?: string;
  workers?: number;
  seed?: number;
  replications?: number;
  resume?: boolean;
  shard?: string;
  shardIndex?: string;
  shardCount?: string;
  progress?: string;
  quiet?: boolean;
}

/** The output folder when --out is not given: `out`, or `out/shard-<i>-of-<N>` for a shard. */
export function defaultSweepOut(shard: { index: number; count: number }): string {
  return shard.count === 1 ? 'out' : `out/shard-${shard.index + 1}-of-${shard.count}`;
}

export async function sweepCommand(paths: string[], options: SweepCommandOptions): Promise<number> {
  const say = options.quiet ? () => {} : (line: string) => console.log(line);
  const started = performance.now(); // wall-clock ok: summary line only
  try {
    const progress = (options.progress ?? 'auto') as ProgressMode;
    if (!PROGRESS_MODES.includes(progress)) {
      throw new SweepInputError(`--progress ${options.progress}: must be one of ${PROGRESS_MODES.join(', ')}`);
    }
    const shard = parseShard(options);
    const out = options.out ?? defaultSweepOut(shard);
    const { runSweep } = await import('../sweep/sweep.ts'); // after the option checks: it loads the scenario machinery
    const outcome = await runSweep(paths, {
      out,
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.replications === undefined ? {} : { replications: options.replications }),
      resume: options.resume === true,
      shard,
      progress: options.quiet && options.progress === undefined ? 'none' : progress,
      say,
    });
    for (const f of outcome.failed) console.error(`storsim: run ${f.runId} failed (seed ${f.seed}): ${f.error}`);
    const wallS = (performance.now() - started) / 1000; // wall-clock ok
    const of = shard.count > 1 ? ` of shard ${shardLabel(shard)}` : '';
    say(`storsim: ${outcome.shardRuns} run(s)${of} done (${outcome.executed} run now), ${outcome.failed.length} failed, in ${wallS.toFixed(1)} s`);
    say(`storsim: wrote ${outcome.written.join(', ')}`);
    return outcome.failed.length > 0 ? ExitCode.FAILED : ExitCode.OK;
  } catch (error) {
    if (error instanceof ScenarioError) {
      console.error(`storsim: invalid input, nothing was run or written:\n${error.message}`);
      return ExitCode.BAD_INPUT;
    }
    if (error instanceof SweepInputError) {
      console.error(`storsim: ${error.message}`);
      return ExitCode.BAD_INPUT;
    }
    throw error;
  }
}
