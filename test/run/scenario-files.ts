/** Test helpers: scenario files written to a temporary directory and loaded as a user's would be. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarios, type LoadOptions, type PlannedRun } from '../../sim/scenario/load.ts';
import type { UnitParser } from '../../sim/scenario/units.ts';

/** A temporary directory of scenario files; `remove()` deletes it. */
export interface ScenarioDir {
  readonly dir: string;
  path(file: string): string;
  remove(): void;
}

/** Writes each `{ "<file>.json": spec }` into a fresh temporary directory. */
export function writeScenarios(files: Readonly<Record<string, object>>): ScenarioDir {
  const dir = mkdtempSync(join(tmpdir(), 'storsim-scenarios-'));
  for (const [name, spec] of Object.entries(files)) writeFileSync(join(dir, name), `${JSON.stringify(spec, null, 2)}\n`);
  return { dir, path: (file) => join(dir, file), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Loads scenario files (or directories) through the real loader; returns every run in canonical order. */
export async function loadRuns(paths: readonly string[], options: LoadOptions = {}): Promise<{ runs: PlannedRun[]; units: UnitParser }> {
  const { scenarios, units } = await loadScenarios(paths, options);
  return { runs: scenarios.flatMap((s) => s.runs), units };
}

/**
 * A one-server queue with constant interarrival and service times: jobs arrive at 1 s, 2 s, ...
 * and each takes `serviceS` seconds, so every number it produces can be worked out by hand.
 */
export function deterministicQueue(name: string, options: { serviceS?: number; stopS?: number; extra?: Record<string, unknown> } = {}): object {
  return {
    name,
    seed: 1,
    stop: { at: `${options.stopS ?? 100}s` },
    world: { server: { type: 'queue-station', servers: 1 } },
    workload: {
      arrivals: {
        type: 'open-source',
        target: 'server',
        interarrival: { dist: 'constant', value: '1s' },
        service: { dist: 'constant', value: `${options.serviceS ?? 0.5}s` },
      },
    },
    ...options.extra,
  };
}

/** A small stochastic M/M/1-like scenario with a sweep, replications and a time series. */
export function smallSweep(name: string, stopS: number): object {
  return {
    name,
    seed: 5,
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
    metrics: { warmup: `${stopS / 10}s`, interval: `${stopS / 5}s` },
    sweep: { matrix: { 'policies.queue-discipline': ['fifo', 'sjf'] }, replications: 2 },
  };
}

/** The value of one summary column of a run result (undefined when the column is absent). */
export function column(result: { summary: readonly { column: string; value: number }[] }, name: string): number | undefined {
  return result.summary.find((c) => c.column === name)?.value;
}
