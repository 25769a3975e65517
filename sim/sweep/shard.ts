/**
 * Shards: splitting one sweep's canonical run list across independent processes or machines.
 *
 * Shard k of N (k from 0) takes the runs whose canonical index i satisfies i mod N = k, so every
 * run belongs to exactly one shard, shards differ in size by at most one run, and a shard's runs
 * are spread over the whole list (neighbouring variants, which often cost alike, land on
 * different shards). A run's seed comes from the run itself, never from its shard.
 *
 * Three ways to name a shard:
 * - `--shard i/N`: 1-based, as node's test runner and Playwright write it (`1/3` is the first of three);
 * - `--shard-index K --shard-count N`: 0-based, as Kubernetes' `JOB_COMPLETION_INDEX` and CI matrices count;
 * - `--shard auto`: from a Slurm job array: index = (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP,
 *   count = SLURM_ARRAY_TASK_COUNT (MIN defaults to 0 and STEP to 1 when unset).
 */
import { SweepInputError } from './errors.ts';

/** One shard of a sweep: `index` from 0, `index < count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The whole sweep as one shard. */
export const WHOLE_SWEEP: Shard = { index: 0, count: 1 };

/** The shard options of `storsim sweep`, as typed on the command line (all strings). */
export interface ShardOptions {
  shard?: string;
  shardIndex?: string;
  shardCount?: string;
}

/** `1/3` style label of a shard (1-based). */
export function shardLabel(shard: Shard): string {
  return `${shard.index + 1}/${shard.count}`;
}

/** Whether the run at canonical `index` belongs to `shard`. */
export function inShard(index: number, shard: Shard): boolean {
  return index % shard.count === shard.index;
}

/** The canonical indices of the runs of `shard` among `total` runs, in canonical order. */
export function shardIndices(total: number, shard: Shard): number[] {
  const indices: number[] = [];
  for (let i = shard.index; i < total; i += shard.count) indices.push(i);
  return indices;
}

/**
 * The shard named by the options (the whole sweep when none is given). Throws `SweepInputError`
 * saying what is wrong for a malformed or out-of-range spec, for `--shard` together with
 * `--shard-index`/`--shard-count`, for one of those two without the other, and for `--shard auto`
 * outside a Slurm job array. `env` is the process environment (a parameter for tests).
 */
export function parseShard(options: ShardOptions, env: Readonly<Record<string, string | undefined>> = process.env): Shard {
  const { shard, shardIndex, shardCount } = options;
  if (shard !== undefined && (shardIndex !== undefined || shardCount !== undefined)) {
    throw new SweepInputError('--shard cannot be combined with --shard-index/--shard-count: name the shard one way');
  }
  if (shardIndex !== undefined || shardCount !== undefined) {
    if (shardIndex === undefined || shardCount === undefined) {
      throw new SweepInputError('--shard-index and --shard-count go together (0-based index K of N shards, e.g. --shard-index 0 --shard-count 4)');
    }
    const count = integer(shardCount, '--shard-count');
    const index = integer(shardIndex, '--shard-index');
    if (count < 1) throw new SweepInputError(`--shard-count ${shardCount}: must be at least 1`);
    if (index >= count) {
      throw new SweepInputError(`--shard-index ${shardIndex} is out of range for --shard-count ${shardCount}: the index is 0-based, from 0 to ${count - 1}`);
    }
    return { index, count };
  }
  if (shard === undefined) return WHOLE_SWEEP;
  if (shard === 'auto') return slurmShard(env);
  const match = /^(\d+)\/(\d+)$/.exec(shard.trim());
  if (match === null) {
    throw new SweepInputError(`--shard ${JSON.stringify(shard)}: expected i/N (1-based, e.g. 1/4 is the first of four shards) or "auto" (Slurm job array)`);
  }
  const position = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw new SweepInputError(`--shard ${shard}: the shard count must be at least 1`);
  if (position < 1 || position > count) {
    throw new SweepInputError(`--shard ${shard}: i must be from 1 to ${count} (--shard is 1-based; use --shard-index for a 0-based index)`);
  }
  return { index: position - 1, count };
}

/** The shard of this Slurm job-array task. */
function slurmShard(env: Readonly<Record<string, string | undefined>>): Shard {
  const id = env.SLURM_ARRAY_TASK_ID;
  const countText = env.SLURM_ARRAY_TASK_COUNT;
  if (id === undefined || id === '') {
    throw new SweepInputError('--shard auto: SLURM_ARRAY_TASK_ID is not set; it reads the Slurm job-array variables, so run it in a task of `sbatch --array=...`, or name the shard with --shard i/N or --shard-index K --shard-count N');
  }
  if (countText === undefined || countText === '') {
    throw new SweepInputError('--shard auto: SLURM_ARRAY_TASK_COUNT is not set (SLURM_ARRAY_TASK_ID is); it is needed for the number of shards');
  }
  const taskId = integer(id, 'SLURM_ARRAY_TASK_ID');
  const min = env.SLURM_ARRAY_TASK_MIN === undefined || env.SLURM_ARRAY_TASK_MIN === '' ? 0 : integer(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN');
  const step = env.SLURM_ARRAY_TASK_STEP === undefined || env.SLURM_ARRAY_TASK_STEP === '' ? 1 : integer(env.SLURM_ARRAY_TASK_STEP, 'SLURM_ARRAY_TASK_STEP');
  const count = integer(countText, 'SLURM_ARRAY_TASK_COUNT');
  const where = `SLURM_ARRAY_TASK_ID=${id}, SLURM_ARRAY_TASK_MIN=${min}, SLURM_ARRAY_TASK_STEP=${step}, SLURM_ARRAY_TASK_COUNT=${count}`;
  if (count < 1 || step < 1) throw new SweepInputError(`--shard auto: ${where}: the count and step must be at least 1`);
  const offset = taskId - min;
  const index = offset / step;
  if (offset < 0 || !Number.isInteger(index) || index >= count) {
    throw new SweepInputError(`--shard auto: ${where} does not name one of ${count} shards; the array must be a range such as --array=0-${count - 1} or --array=1-${count} (a step is allowed), not a list`);
  }
  return { index, count };
}

function integer(text: string, what: string): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new SweepInputError(`${what} ${JSON.stringify(text)}: must be a non-negative integer`);
  return Number(text);
}
