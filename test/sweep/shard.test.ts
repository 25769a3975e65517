import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { SweepInputError } from '../../sim/sweep/errors.ts';
import { inShard, parseShard, shardIndices, shardLabel, type ShardOptions } from '../../sim/sweep/shard.ts';

// References: the shard conventions the issue names — 1-based `i/N` as node's test runner
// (`--test-shard=1/3`) and Playwright (`--shard=1/3`) write it; 0-based index as Kubernetes'
// JOB_COMPLETION_INDEX (0..completions-1); Slurm job arrays (`--array=1-3` sets
// SLURM_ARRAY_TASK_ID 1..3, SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_COUNT=3).

function rejects(options: ShardOptions, pattern: RegExp, env: Record<string, string> = {}): void {
  try {
    parseShard(options, env);
  } catch (error) {
    assert.ok(error instanceof SweepInputError, `a SweepInputError, not ${String(error)}`);
    assert.match((error as Error).message, pattern);
    return;
  }
  assert.unreachable(`${JSON.stringify(options)} ${JSON.stringify(env)} was accepted`);
}

test('no shard option is the whole sweep', () => {
  assert.equal(parseShard({}, {}), { index: 0, count: 1 });
  assert.equal(shardIndices(4, parseShard({}, {})), [0, 1, 2, 3]);
});

test('--shard i/N is 1-based: 1/3 is index 0, 3/3 is index 2', () => {
  assert.equal(parseShard({ shard: '1/3' }, {}), { index: 0, count: 3 });
  assert.equal(parseShard({ shard: '3/3' }, {}), { index: 2, count: 3 });
  assert.equal(parseShard({ shard: '1/1' }, {}), { index: 0, count: 1 });
  assert.is(shardLabel({ index: 0, count: 3 }), '1/3');
});

test('--shard-index K --shard-count N is 0-based: index 2 of 3 is the third shard', () => {
  assert.equal(parseShard({ shardIndex: '2', shardCount: '3' }, {}), { index: 2, count: 3 });
  assert.equal(parseShard({ shardIndex: '0', shardCount: '1' }, {}), { index: 0, count: 1 });
  assert.equal(parseShard({ shardIndex: '2', shardCount: '3' }, {}), parseShard({ shard: '3/3' }, {}));
});

test('--shard auto reads a Slurm job array: --array=1-3 (MIN=1) task 1 is the first shard, task 3 the last', () => {
  const env = (id: string) => ({ SLURM_ARRAY_TASK_ID: id, SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_COUNT: '3' });
  assert.equal(parseShard({ shard: 'auto' }, env('1')), { index: 0, count: 3 });
  assert.equal(parseShard({ shard: 'auto' }, env('3')), { index: 2, count: 3 });
  // MIN defaults to 0 (--array=0-3)
  assert.equal(parseShard({ shard: 'auto' }, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4' }), { index: 2, count: 4 });
  // a range with a step: --array=0-6:2 gives tasks 0, 2, 4, 6
  assert.equal(parseShard({ shard: 'auto' }, { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_COUNT: '4' }), { index: 2, count: 4 });
});

test('shard k of N takes the canonical indices congruent to k mod N', () => {
  assert.equal(shardIndices(10, parseShard({ shard: '1/3' }, {})), [0, 3, 6, 9]);
  assert.equal(shardIndices(10, parseShard({ shardIndex: '2', shardCount: '3' }, {})), [2, 5, 8]);
  assert.equal(shardIndices(2, { index: 2, count: 3 }), [], 'a shard can be empty when there are fewer runs than shards');
});

test('property: the N shards partition the run list (each index in exactly one shard, sizes differ by at most one)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 40 }), (total, count) => {
      const seen = new Array<number>(total).fill(0);
      const sizes: number[] = [];
      for (let index = 0; index < count; index++) {
        const mine = shardIndices(total, { index, count });
        sizes.push(mine.length);
        for (const i of mine) {
          seen[i]!++;
          if (!inShard(i, { index, count })) return false;
        }
        if (mine.some((v, j) => j > 0 && v <= mine[j - 1]!)) return false; // canonical order
      }
      return seen.every((n) => n === 1) && Math.max(...sizes) - Math.min(...sizes) <= 1;
    }),
  );
});

test('bad shard specs are rejected with a message saying what is allowed', () => {
  rejects({ shard: '0/3' }, /1 to 3.*1-based/);
  rejects({ shard: '4/3' }, /1 to 3/);
  rejects({ shard: '1/0' }, /at least 1/);
  rejects({ shard: 'x' }, /expected i\/N/);
  rejects({ shard: '1/3/4' }, /expected i\/N/);
  rejects({ shard: '-1/3' }, /expected i\/N/);
  rejects({ shard: '1.5/3' }, /expected i\/N/);
  rejects({ shardIndex: '3', shardCount: '3' }, /0-based, from 0 to 2/);
  rejects({ shardIndex: '-1', shardCount: '3' }, /non-negative integer/);
  rejects({ shardIndex: '0', shardCount: '0' }, /at least 1/);
  rejects({ shardIndex: '1' }, /go together/);
  rejects({ shardCount: '3' }, /go together/);
  rejects({ shard: '1/3', shardIndex: '0', shardCount: '3' }, /cannot be combined/);
});

test('--shard auto outside a Slurm job array, or with variables that do not name a shard, is rejected', () => {
  rejects({ shard: 'auto' }, /SLURM_ARRAY_TASK_ID is not set/);
  rejects({ shard: 'auto' }, /SLURM_ARRAY_TASK_COUNT is not set/, { SLURM_ARRAY_TASK_ID: '1' });
  rejects({ shard: 'auto' }, /does not name one of 3 shards/, { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' });
  rejects({ shard: 'auto' }, /does not name one of 3 shards/, { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' });
  rejects({ shard: 'auto' }, /SLURM_ARRAY_TASK_ID "a"/, { SLURM_ARRAY_TASK_ID: 'a', SLURM_ARRAY_TASK_COUNT: '3' });
});

test.run();
