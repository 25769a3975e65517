import type { Environment, Request } from '../../engine/index.ts';
import { Resource } from '../../engine/index.ts';
import type { LatencyHistogram, MetricRegistry } from '../../metrics/index.ts';
import type { QueueDiscipline } from './discipline.ts';
import type { Job } from './job.ts';

/** Options of a `QueueStation`. */
export interface QueueStationOptions {
  /** Identical servers working in parallel (c in M/M/c). Integer >= 1. */
  servers: number;
  /** Most jobs that may wait (not counting those in service); arrivals beyond it are dropped. Default Infinity. */
  queueLimit?: number;
}

/** Rank that puts an outage ahead of every waiting job. */
const OUTAGE_RANK = -Infinity;

/**
 * A queueing station: c servers in front of one queue, ordered by a `QueueDiscipline`
 * policy (non-preemptive). Built on the engine's `Resource` through its callback path,
 * so one job costs two queue events (its arrival is the caller's, plus its departure).
 *
 * Metrics under the station's path:
 * - `wait_time` (s): time from arrival to start of service;
 * - `response_time` (s): time from arrival to departure (sojourn time);
 * - `queue_length`: jobs waiting, time-averaged; `in_system`: waiting plus in service;
 * - `utilization`: fraction of servers busy, time-averaged;
 * - `completed`, `dropped`: job counts;
 * - `class<k>/response_time` (s): per job class, once a source declares more than one class.
 */
export class QueueStation {
  readonly path: string;
  private readonly env: Environment;
  private readonly servers: Resource;
  private readonly discipline: QueueDiscipline;
  private readonly queueLimit: number;
  private readonly serverCount: number;
  private waiting = 0;
  private busy = 0;
  private readonly waitTime;
  private readonly responseTime;
  private readonly queueLength;
  private readonly inSystem;
  private readonly utilization;
  private readonly completed;
  private readonly dropped;
  private readonly metrics: MetricRegistry;
  private classResponseTime: LatencyHistogram[] = [];
  private readonly startServiceFn = (request: Request, job: Job) => this.startService(request, job);
  private readonly departFn = (job: Job) => this.depart(job);

  constructor(env: Environment, path: string, options: QueueStationOptions, discipline: QueueDiscipline, metrics: MetricRegistry) {
    this.env = env;
    this.path = path;
    this.serverCount = options.servers;
    this.servers = new Resource(env, { capacity: options.servers, name: path });
    this.discipline = discipline;
    this.queueLimit = options.queueLimit ?? Infinity;
    this.waitTime = metrics.histogram(`${path}/wait_time`, { unit: 's' });
    this.responseTime = metrics.histogram(`${path}/response_time`, { unit: 's' });
    this.queueLength = metrics.timeWeighted(`${path}/queue_length`);
    this.inSystem = metrics.timeWeighted(`${path}/in_system`);
    this.utilization = metrics.timeWeighted(`${path}/utilization`);
    this.completed = metrics.counter(`${path}/completed`);
    this.dropped = metrics.counter(`${path}/dropped`);
    this.metrics = metrics;
  }

  /** Called by sources at build time: with more than one class, response times are also kept per class. */
  declareClasses(count: number): void {
    for (let k = this.classResponseTime.length; k < count && count > 1; k++) {
      this.classResponseTime.push(this.metrics.histogram(`${this.path}/class${k}/response_time`, { unit: 's' }));
    }
  }

  /** A job arrives now: it is served at once if a server is free, else it waits (or is dropped). */
  arrive(job: Job): void {
    job.arrivalNs = this.env.now;
    if (this.servers.inUse === this.serverCount && this.waiting >= this.queueLimit) {
      this.dropped.add(1);
      return;
    }
    this.waiting++;
    this.inSystem.set(this.waiting + this.busy);
    job.request = this.servers.acquire(this.startServiceFn, job, { priority: this.discipline.rank(job) });
    // After the grant (if any): a job served at once never shows in queue_length, not even its max.
    this.queueLength.set(this.waiting);
  }

  /** Takes every server out of service for `durationNs` once the jobs in service finish. */
  outage(durationNs: number): void {
    for (let i = 0; i < this.serverCount; i++) {
      this.servers.acquire(
        (request) => this.env.schedule(durationNs, (r: Request) => this.servers.release(r), request),
        null,
        { priority: OUTAGE_RANK },
      );
    }
  }

  private startService(_request: Request, job: Job): void {
    const now = this.env.now;
    this.waiting--;
    this.busy++;
    this.queueLength.set(this.waiting);
    this.utilization.set(this.busy / this.serverCount);
    this.waitTime.record(now - job.arrivalNs);
    this.env.schedule(job.serviceNs, this.departFn, job);
  }

  private depart(job: Job): void {
    this.busy--;
    const responseNs = this.env.now - job.arrivalNs;
    this.responseTime.record(responseNs);
    this.classResponseTime[job.classId]?.record(responseNs);
    this.completed.add(1);
    this.utilization.set(this.busy / this.serverCount);
    this.inSystem.set(this.waiting + this.busy);
    this.servers.release(job.request!);
    job.request = null;
  }
}
