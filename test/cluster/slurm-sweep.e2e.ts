/**
 * End to end on a real Slurm: a sweep submitted as a job array of 4 shards (scenarios/cluster/sweep.sbatch,
 * `--shard auto`), merged by a dependent job (`--dependency=afterok:<array>`) and by `storsim merge` run
 * here, must give the same runs.csv and timeseries.csv, byte for byte, as a single-process `storsim sweep`.
 *
 * The cluster is one node on loopback, installed (Debian's slurm-wlm and munge) and started by
 * test/cluster/slurm-setup.sh, and stopped at the end. Where Slurm cannot be installed (not root, no
 * apt-get, no package registry) the test is skipped with the reason; a cluster that is installed but
 * does not start is a failure. Jobs run as root: Slurm allows that by default (DisableRootJobs=NO).
 *
 * Not part of `npm test` (the file name does not end in .test.ts): `npm run test:cluster` runs it.
 * Set STORSIM_CLUSTER_KEEP=1 to keep the work folder (scenario, shards, job logs) after a pass.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSlurmInstalled, SlurmCluster } from './slurm.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STORSIM = join(ROOT, 'bin/storsim.js');
const SBATCH_SCRIPT = join(ROOT, 'scenarios/cluster/sweep.sbatch');
const SHARDS = 4;

/**
 * 2 loads x 2 queue disciplines x 3 seeds = 12 short M/M/1 runs, so each of the 4 shards gets 3 and the
 * merge has real interleaving to undo. A time series (every 200 s) makes timeseries.csv non-trivial.
 */
const SCENARIO = {
  name: 'cluster-mm1',
  description: 'M/M/1 at two loads under two queue disciplines, three seeds each: 12 short runs for the Slurm end-to-end test.',
  seed: 42,
  stop: { at: '2000s' },
  world: { server: { type: 'queue-station', servers: 1 } },
  workload: {
    arrivals: {
      type: 'open-source',
      target: 'server',
      interarrival: { dist: 'exponential', mean: '2s' },
      service: { dist: 'exponential', mean: '1s' },
    },
  },
  policies: { 'queue-discipline': 'fifo' },
  metrics: { warmup: '200s', interval: '200s', series: ['server'] },
  sweep: {
    matrix: { 'workload.arrivals.interarrival.mean': ['2s', '1.25s'], 'policies.queue-discipline': ['fifo', 'sjf'] },
    replications: 3,
  },
};
const EXPECTED_RUNS = 12;

/** Prints how long each step took (for the report; nothing asserts on time). */
const clock = { start: performance.now(), last: performance.now() };
function step(what: string): void {
  const now = performance.now();
  console.log(`  [cluster e2e] ${what}: ${((now - clock.last) / 1000).toFixed(1)} s (total ${((now - clock.start) / 1000).toFixed(1)} s)`);
  clock.last = now;
}

const availability = ensureSlurmInstalled();
step('Slurm packages present or installed');

function storsim(args: string[]): string {
  const result = spawnSync(process.execPath, [STORSIM, ...args], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`storsim ${args.join(' ')} exited ${result.status ?? result.signal}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** The run ids (first column) of a runs.csv, header excluded. */
function runIds(runsCsv: string): string[] {
  return runsCsv
    .split('\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => line.split(',')[0]!);
}

function readLogs(dir: string): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .sort()
    .map((f) => `----- ${f}\n${readFileSync(join(dir, f), 'utf8')}`)
    .join('\n');
}

if (!availability.available) {
  console.log(`SKIP: Slurm end-to-end test: ${availability.reason}`);
  test.skip('a sweep as a Slurm job array of 4 shards merges to the single-process result, byte for byte', () => {});
} else {
  const work = mkdtempSync(join(tmpdir(), 'storsim-cluster-'));
  const scenarioFile = join(work, 'cluster-mm1.json');
  const out = join(work, 'results');
  const logs = join(work, 'logs');
  let cluster: SlurmCluster | undefined;
  let passed = false;

  test.before(() => {
    writeFileSync(scenarioFile, `${JSON.stringify(SCENARIO, null, 2)}\n`);
    mkdirSync(logs, { recursive: true });
  });

  test.after(() => {
    if (cluster) {
      cluster.stop();
      step('jobs cancelled, daemons stopped');
    }
    if (passed && process.env.STORSIM_CLUSTER_KEEP !== '1') rmSync(work, { recursive: true, force: true });
    else console.log(`cluster test work folder kept: ${work}`);
  });

  test('a single-node Slurm starts on loopback with the real CPU count and memory', () => {
    cluster = SlurmCluster.start();
    step('munged, slurmctld and slurmd started, node idle');
    const [node, state, cpus, memoryMb] = cluster.nodeSummary().split(/\s+/);
    assert.is(state, 'idle', `node ${node} state`);
    // `slurmd -C` reads the hardware; the configured node must say the same.
    const probe = spawnSync('slurmd', ['-C'], { encoding: 'utf8', env: cluster.env }).stdout;
    assert.is(cpus, /CPUs=(\d+)/.exec(probe)?.[1], 'CPUs configured = CPUs slurmd -C found');
    assert.is(memoryMb, /RealMemory=(\d+)/.exec(probe)?.[1], 'memory configured = RealMemory slurmd -C found');
  });

  test('a sweep as a Slurm job array of 4 shards merges to the single-process result, byte for byte', async () => {
    if (!cluster) throw new Error('the Slurm cluster did not start (see the previous test)');
    const env = { SCENARIO: scenarioFile, OUT: out };
    // The array range is given here (it overrides the script's #SBATCH --array); one CPU per task so
    // two shards run at once on a 2-core machine, each with one worker thread.
    const arrayJob = cluster.sbatch(
      [`--array=0-${SHARDS - 1}`, '--cpus-per-task=1', `--chdir=${ROOT}`, `--output=${join(logs, 'sweep-%A_%a.out')}`, SBATCH_SCRIPT],
      env,
    );
    const shardDirs = Array.from({ length: SHARDS }, (_, k) => join(out, `shard-${k}`));
    const mergedBySlurm = join(out, 'merged');
    const mergeJob = cluster.sbatch(
      [
        `--dependency=afterok:${arrayJob}`,
        `--chdir=${ROOT}`,
        `--output=${join(logs, 'merge-%j.out')}`,
        `--wrap=npx --no-install storsim merge ${shardDirs.join(' ')} --out ${mergedBySlurm}`,
      ],
      env,
    );

    try {
      await cluster.waitUntilGone([arrayJob, mergeJob]);
      const tasks = cluster.jobStates(arrayJob);
      assert.equal(
        tasks.map((t) => t.arrayTaskId).sort(),
        ['0', '1', '2', '3'],
        'the array has tasks 0..3',
      );
      const failed = tasks
        .filter((t) => t.state !== 'COMPLETED' || t.exitCode !== '0:0')
        .map((t) => `task ${t.arrayTaskId} (job ${t.jobId}) ${t.state}, exit ${t.exitCode}`);
      assert.ok(failed.length === 0, `array tasks that did not complete: ${failed.join('; ')}`);
      const [merge] = cluster.jobStates(mergeJob);
      assert.ok(merge?.state === 'COMPLETED' && merge.exitCode === '0:0', `dependent merge job ${mergeJob}: ${merge?.state} (${merge?.reason}), exit ${merge?.exitCode}`);
      step(`array job ${arrayJob} (4 shards) and dependent merge job ${mergeJob} done`);
      for (const t of [...tasks.sort((a, b) => Number(a.arrayTaskId) - Number(b.arrayTaskId)), merge!]) {
        console.log(`    job ${t.jobId}${t.arrayTaskId === null ? ' (merge)' : ` task ${t.arrayTaskId}`}: ${t.startTime} .. ${t.endTime} (${t.runTime})`);
      }
    } catch (error) {
      throw new Error(`${(error as Error).message}\n\njob logs:\n${readLogs(logs)}\n\nSlurm logs:\n${cluster.logTails()}`);
    }

    // Every shard ran a disjoint, non-empty part of the run list, and together they cover it.
    const shardRuns = shardDirs.map((dir) => runIds(readFileSync(join(dir, 'runs.csv'), 'utf8')));
    for (const [k, ids] of shardRuns.entries()) assert.ok(ids.length > 0, `shard ${k} ran no run`);
    const all = shardRuns.flat();
    assert.is(new Set(all).size, all.length, 'no run is in two shards');
    assert.is(all.length, EXPECTED_RUNS, 'the shards ran every run of the sweep');

    // Merge here too, as a person would by hand once the array is done.
    const mergedHere = join(work, 'merged-by-hand');
    storsim(['merge', ...shardDirs, '--out', mergedHere]);
    step('storsim merge by hand');

    // The reference: one process, all runs, worker threads as many as cores.
    const single = join(work, 'single');
    storsim(['sweep', scenarioFile, '--out', single]);
    step('single-process storsim sweep');
    const singleRuns = readFileSync(join(single, 'runs.csv'));
    assert.equal(runIds(singleRuns.toString('utf8')).sort(), [...all].sort(), 'single-process sweep and shards ran the same runs');

    for (const file of ['runs.csv', 'timeseries.csv']) {
      const reference = readFileSync(join(single, file));
      assert.ok(reference.length > 0, `single-process ${file} is empty`);
      for (const [label, dir] of [['merged by the dependent Slurm job', mergedBySlurm], ['merged by hand', mergedHere]] as const) {
        const merged = readFileSync(join(dir, file));
        // Byte for byte; on a difference show the first differing line rather than two whole files.
        if (!merged.equals(reference)) {
          const a = merged.toString('utf8').split('\n');
          const b = reference.toString('utf8').split('\n');
          const line = a.findIndex((l, i) => l !== b[i]);
          assert.unreachable(`${file} ${label} differs from the single-process sweep at line ${line + 1}:\n  merged: ${a[line]}\n  single: ${b[line]}`);
        }
      }
    }
    passed = true;
  });
}

test.run();
