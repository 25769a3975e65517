import type { Environment } from '../../engine/index.ts';
import type { Distribution, RandomStream } from '../../engine/random/index.ts';
import type { MetricRegistry } from '../../metrics/index.ts';
import { Job } from './job.ts';
import type { QueueStation } from './queue-station.ts';

/** Options of an `OpenSource`. */
export interface OpenSourceOptions {
  /** Time between arrivals (ns). Exponential gives a Poisson process. */
  interarrivalNs: Distribution;
  /** Service requirement of each job (ns), drawn on arrival. */
  serviceNs: Distribution;
  /** Probability of each class (index = class id); default one class. Must sum to 1. */
  classWeights?: readonly number[];
  /** Stop after this many arrivals. Default Infinity. */
  jobLimit?: number;
}

/** The named random streams a source draws from, one per purpose. */
export interface OpenSourceStreams {
  interarrival: RandomStream;
  service: RandomStream;
  jobClass: RandomStream;
}

/**
 * An open-loop arrival process feeding one station. Interarrival times, service times and
 * classes come from three separate named streams, so two runs with the same seed offer
 * the same jobs (same arrival times, sizes and classes) to whatever policy is in place:
 * common random numbers.
 */
export class OpenSource {
  readonly path: string;
  private readonly env: Environment;
  private readonly options: OpenSourceOptions;
  private readonly streams: OpenSourceStreams;
  private readonly target: QueueStation;
  private readonly cumulativeWeights: Float64Array | null;
  private readonly arrivals;
  private issued = 0;
  private readonly arriveFn = () => this.arrive();

  constructor(env: Environment, path: string, options: OpenSourceOptions, streams: OpenSourceStreams, target: QueueStation, metrics: MetricRegistry) {
    this.env = env;
    this.path = path;
    this.options = options;
    this.streams = streams;
    this.target = target;
    this.cumulativeWeights = cumulative(options.classWeights);
    this.arrivals = metrics.counter(`${path}/jobs`);
    target.declareClasses(options.classWeights?.length ?? 1);
  }

  /** Schedules the first arrival one interarrival time from now. */
  start(): void {
    this.scheduleNext();
  }

  private arrive(): void {
    this.issued++;
    this.arrivals.add(1);
    const job = new Job(this.options.serviceNs.sample(this.streams.service), this.drawClass());
    this.scheduleNext();
    this.target.arrive(job);
  }

  private scheduleNext(): void {
    if (this.issued >= (this.options.jobLimit ?? Infinity)) return;
    this.env.schedule(this.options.interarrivalNs.sample(this.streams.interarrival), this.arriveFn, null);
  }

  private drawClass(): number {
    const weights = this.cumulativeWeights;
    if (weights === null) return 0;
    const u = this.streams.jobClass.next();
    let k = 0;
    while (k < weights.length - 1 && u >= weights[k]!) k++;
    return k;
  }
}

function cumulative(weights: readonly number[] | undefined): Float64Array | null {
  if (weights === undefined || weights.length <= 1) return null;
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (out[i] = sum += w));
  return out;
}
