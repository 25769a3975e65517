/**
 * Runs one planned run to completion: build its world, start it, run the engine to the
 * stop condition (resetting metrics at the end of the warm-up), and read the metrics.
 * A pure function of the run and its seed: the same run gives the same result, always.
 */
import { dirname } from 'node:path';
import { BUILT_IN_POLICIES } from '../../policies/index.ts';
import { Priority } from '../engine/index.ts';
import type { SampleRow, SummaryColumn } from '../metrics/index.ts';
import { buildWorld } from '../scenario/build.ts';
import { COMPONENT_TYPES } from '../scenario/components/index.ts';
import type { PlannedRun } from '../scenario/load.ts';
import type { UnitParser } from '../scenario/units.ts';

/** Default guard on events per run. */
export const DEFAULT_MAX_EVENTS = 1e10;

/** What one run produced. */
export interface RunResult {
  readonly run: PlannedRun;
  /** Summary metrics, sorted by column name, plus `engine/events` and `engine/end_time_s`. */
  readonly summary: readonly SummaryColumn[];
  /** Time series rows, by time then metric. */
  readonly series: readonly SampleRow[];
}

export function executeRun(run: PlannedRun, units: UnitParser): RunResult {
  const spec = run.spec;
  const world = buildWorld(spec, run.seed, units, COMPONENT_TYPES, BUILT_IN_POLICIES, dirname(run.file));
  const { env, metrics } = world;
  const stopAtNs = spec.stop.at === undefined ? undefined : units.parse(spec.stop.at, 'time');
  const warmupNs = spec.metrics?.warmup === undefined ? 0 : units.parse(spec.metrics.warmup, 'time');
  if (spec.metrics?.interval !== undefined) {
    metrics.startSampling(env, units.parse(spec.metrics.interval, 'time'), {
      ...(spec.metrics.series === undefined ? {} : { include: spec.metrics.series }),
      ...(stopAtNs === undefined ? {} : { untilNs: stopAtNs }),
    });
  }
  // NORMAL priority: the sample due at the end of the warm-up (taken first, at URGENT) still
  // describes the warm-up interval; everything after the reset is measured afresh.
  if (warmupNs > 0) env.schedule(warmupNs, () => metrics.reset(), null, Priority.NORMAL);
  world.start();
  env.run({
    ...(stopAtNs === undefined ? {} : { until: stopAtNs }),
    maxEvents: spec.stop.maxEvents ?? DEFAULT_MAX_EVENTS,
  });
  metrics.flushSampling();
  const summary = [
    ...metrics.summary(),
    { column: 'engine/end_time_s', value: env.now / 1e9 },
    { column: 'engine/events', value: env.eventsProcessed },
  ].sort((a, b) => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0));
  return { run, summary, series: metrics.samples() };
}
