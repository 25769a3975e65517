import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlannedRun } from '../../sim/scenario/load.ts';
import { decodePart } from '../../sim/sweep/part.ts';
import { SweepPool, type SweepTask, type TaskDone } from '../../sim/sweep/pool.ts';

// The pool with a stand-in worker (fixtures/flaky-worker.js) whose threads die in some runs:
// a thread that dies mid-run must not lose the sweep — that run is recorded as failed (its
// part written by the main thread), a fresh thread takes over, and every other run completes.

const FLAKY = new URL('./fixtures/flaky-worker.js', import.meta.url);

function fakeRun(id: string): PlannedRun {
  return { id, scenario: 's', file: 's.json', variant: { index: 0, name: '', baseIndex: 0, assignments: [] }, replication: 0, seed: 1, spec: {}, policies: [] };
}

test('threads that exit or throw mid-run: those runs fail with the reason, the others complete, every run is reported once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'storsim-pool-'));
  try {
    const ids = ['ok0', 'exits', 'ok2', 'throws', 'ok4', 'ok5'];
    const tasks: SweepTask[] = ids.map((id, index) => ({ index, run: fakeRun(id), partPath: join(dir, `${index}.json`) }));
    const done: TaskDone[] = [];
    const pool = new SweepPool(2, FLAKY);
    await pool.run(tasks, (d) => done.push(d));
    pool.close();
    assert.equal(done.map((d) => d.index).sort(), [0, 1, 2, 3, 4, 5]);
    const errors = Object.fromEntries(done.map((d) => [d.run.id, d.error]));
    assert.match(errors.exits!, /worker thread stopped during the run: exit code 7/);
    assert.match(errors.throws!, /worker thread stopped during the run: kaboom/);
    for (const id of ['ok0', 'ok2', 'ok4', 'ok5']) {
      assert.is(errors[id], undefined, id);
      assert.is(readFileSync(join(dir, `${ids.indexOf(id)}.json`), 'utf8'), 'ok', id);
    }
    const failed = decodePart(readFileSync(join(dir, '1.json'), 'utf8'));
    assert.ok('error' in failed && failed.run.id === 'exits' && failed.index === 1, 'the dead thread\'s run has a failed part');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty task list resolves at once', async () => {
  const pool = new SweepPool(1, FLAKY);
  await pool.run([], () => assert.unreachable('no task'));
});

test.run();
