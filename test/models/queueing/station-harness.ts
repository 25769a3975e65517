/**
 * A queue station on a bare engine, with jobs placed by hand and a log of what happened:
 * when each job started service (and when it had arrived) and when each job left. The log
 * comes from the station's own wait and response time histograms, so it records exactly
 * what the station measured.
 */
import { Environment } from '../../../sim/engine/index.ts';
import { MetricRegistry } from '../../../sim/metrics/index.ts';
import type { QueueDiscipline } from '../../../sim/models/queueing/discipline.ts';
import { Job } from '../../../sim/models/queueing/job.ts';
import { QueueStation, type QueueStationOptions } from '../../../sim/models/queueing/queue-station.ts';
import type { LatencyHistogram } from '../../../sim/metrics/histogram.ts';
import { fifo } from '../../../policies/queue-discipline/fifo.ts';

export const S = 1e9;

/** Calls `observe(value)` before every `record(value)` of `histogram`. */
export function spyOnRecord(histogram: LatencyHistogram, observe: (value: number) => void): void {
  const record = histogram.record.bind(histogram);
  histogram.record = (value: number) => {
    observe(value);
    record(value);
  };
}

export interface StationLog {
  /** Service starts, in order: when (s) and when that job had arrived (s). */
  readonly starts: { atS: number; arrivalS: number }[];
  /** Departure times (s), in order. */
  readonly departuresS: number[];
}

export function stationHarness(options: QueueStationOptions, discipline: QueueDiscipline = fifo.create({})) {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const station = new QueueStation(env, 'server', options, discipline, metrics);
  const log: StationLog = { starts: [], departuresS: [] };
  spyOnRecord(metrics.histogram('server/wait_time'), (waitNs) => log.starts.push({ atS: env.now / S, arrivalS: (env.now - waitNs) / S }));
  spyOnRecord(metrics.histogram('server/response_time'), () => log.departuresS.push(env.now / S));
  return {
    env,
    metrics,
    station,
    log,
    /** A job of `serviceS` seconds (and class `classId`) arrives at `atS` seconds. */
    arriveAt(atS: number, serviceS: number, classId = 0): void {
      env.schedule(atS * S, (job: Job) => station.arrive(job), new Job(serviceS * S, classId));
    },
    /** Every server goes down at `atS` for `durationS` (once the jobs in service finish). */
    outageAt(atS: number, durationS: number): void {
      env.schedule(atS * S, () => station.outage(durationS * S), null);
    },
    /** Summary column value. */
    value(column: string): number | undefined {
      return metrics.summary().find((c) => c.column === column)?.value;
    },
    /** Waits (s) in order of service start. */
    waitsS(): number[] {
      return log.starts.map((s) => s.atS - s.arrivalS);
    },
  };
}

/** |a - b| small enough for sums of a few seconds in ns. */
export function close(actual: number | undefined, expected: number, what: string, tolerance = 1e-12): void {
  if (actual === undefined || !(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)))) {
    throw new Error(`${what}: expected ${expected}, got ${actual}`);
  }
}
