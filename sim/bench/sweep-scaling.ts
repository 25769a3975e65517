/**
 * `sweep-scaling`: the same sweep of 40 short runs (an M/M/1 queue at load 0.8, FIFO and
 * shortest-job-first, 20 seeds each; a few hundred ms of CPU per run) run as a user runs it,
 * `node bin/storsim.js sweep ... --workers 1`, then `--workers 2`, each into a fresh results
 * folder. Reports the two wall times (the whole command: start-up, loading the scenario, starting
 * workers, running, writing parts and CSVs) and `speedup` = wall_s_1 / wall_s_2 (target >= 1.7 on
 * 2 cores). Both commands must succeed with byte-identical runs.csv and timeseries.csv, or the
 * benchmark fails instead of posting a number.
 *
 * The whole command includes a fixed part that does not parallelise (~2 s here: process start,
 * checking the scenario in the main thread, starting the worker threads), so `run_phase_s_1/2`
 * and `run_phase_speedup` also report the run phase alone: from the manifest (written just before
 * the first run starts) to the last part file (written as the last run ends), by file times.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { progress, round, wallNowMs, wallSecondsSince, type BenchResult } from './common.ts';

const RUNS = 40;

/** The benchmark's scenario: 2 disciplines x 20 replications. */
function scenario(stopS: number): object {
  return {
    name: 'sweep-scaling',
    seed: 1,
    stop: { at: `${stopS}s` },
    world: { server: { type: 'queue-station', servers: 1 } },
    workload: {
      arrivals: {
        type: 'open-source',
        target: 'server',
        interarrival: { dist: 'exponential', mean: '1.25s' },
        service: { dist: 'exponential', mean: '1s' },
      },
    },
    metrics: { warmup: `${stopS / 10}s`, interval: `${stopS / 20}s` },
    sweep: { matrix: { 'policies.queue-discipline': ['fifo', 'sjf'] }, replications: RUNS / 2 },
  };
}

const BIN = fileURLToPath(new URL('../../bin/storsim.js', import.meta.url));

function timedSweep(file: string, out: string, workers: number): number {
  const start = wallNowMs();
  const child = spawnSync(process.execPath, [BIN, 'sweep', file, '--out', out, '--workers', String(workers), '--progress', 'none', '--quiet'], { encoding: 'utf8' });
  const wallS = wallSecondsSince(start);
  if (child.status !== 0) throw new Error(`sweep-scaling: storsim sweep --workers ${workers} exited ${child.status ?? child.signal}: ${child.stderr}`);
  return wallS;
}

/** Seconds from the manifest's write to the last part's. */
function runPhaseS(out: string): number {
  const manifestMs = statSync(join(out, 'manifest.json')).mtimeMs;
  const partsMs = readdirSync(join(out, 'parts')).map((name) => statSync(join(out, 'parts', name)).mtimeMs);
  return (Math.max(...partsMs) - manifestMs) / 1000;
}

export function benchSweepScaling(): BenchResult {
  const dir = mkdtempSync(join(tmpdir(), 'storsim-bench-sweep-'));
  try {
    const file = join(dir, 'sweep-scaling.json');
    writeFileSync(file, JSON.stringify(scenario(1_500_000)));
    progress(`sweep-scaling: ${RUNS} runs, 1 worker`);
    const wall1 = timedSweep(file, join(dir, 'w1'), 1);
    progress(`sweep-scaling: ${RUNS} runs, 2 workers`);
    const wall2 = timedSweep(file, join(dir, 'w2'), 2);
    for (const name of ['runs.csv', 'timeseries.csv']) {
      if (readFileSync(join(dir, 'w1', name), 'utf8') !== readFileSync(join(dir, 'w2', name), 'utf8')) {
        throw new Error(`sweep-scaling: ${name} differs between 1 and 2 workers`);
      }
    }
    const phase1 = runPhaseS(join(dir, 'w1'));
    const phase2 = runPhaseS(join(dir, 'w2'));
    const lines = readFileSync(join(dir, 'w1', 'runs.csv'), 'utf8').trim().split('\n');
    const at = lines[0]!.split(',').indexOf('engine/events');
    const events = lines.slice(1).reduce((sum, line) => sum + Number(line.split(',')[at]), 0);
    return {
      name: 'sweep-scaling',
      events,
      wall_s: round(wall2, 3),
      events_per_s: Math.round(events / wall2),
      runs: RUNS,
      cores: availableParallelism(),
      wall_s_1: round(wall1, 3),
      wall_s_2: round(wall2, 3),
      speedup: round(wall1 / wall2, 3),
      speedup_target: 1.7,
      run_phase_s_1: round(phase1, 3),
      run_phase_s_2: round(phase2, 3),
      run_phase_speedup: round(phase1 / phase2, 3),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
