/**
 * `mm1-callbacks`: M/M/1 (λ 0.9 /s, μ 1 /s) on the callback path only — `env.schedule`
 * with static callbacks, no processes, no Resource. The queue is a counter plus a ring
 * buffer of arrival times, as in a hand-written model. Target: ≥ 5 million customers/s.
 */
import type { Environment } from '../engine/index.ts';
import { exponential, type RandomStream, type RandomStreams } from '../engine/random/index.ts';
import { MM1, type BenchResult } from './common.ts';
import { benchReplicatedQueue } from './replicated-queue.ts';

const interarrival = exponential(MM1.meanInterarrivalNs);
const service = exponential(MM1.meanServiceNs);

/** One M/M/1 queue driven by two static callbacks. */
class CallbackMm1 {
  readonly env: Environment;
  private readonly arrivalRng: RandomStream;
  private readonly serviceRng: RandomStream;
  private arrivalsLeft: number;
  /** Arrival times of the customers in the system (ring buffer, FIFO). */
  private arrivals = new Float64Array(1024);
  private mask = 1023;
  private head = 0;
  /** Customers in the system (queue + server). */
  private inSystem = 0;
  completed = 0;
  responseSumNs = 0;

  constructor(env: Environment, streams: RandomStreams, customers: number) {
    this.env = env;
    this.arrivalRng = streams.stream('mm1/arrivals');
    this.serviceRng = streams.stream('mm1/service');
    this.arrivalsLeft = customers;
  }

  start(): void {
    this.arrivalsLeft--;
    this.env.schedule(interarrival.sample(this.arrivalRng), CallbackMm1.onArrival, this);
  }

  private static onArrival(m: CallbackMm1): void {
    const env = m.env;
    if (m.arrivalsLeft > 0) {
      m.arrivalsLeft--;
      env.schedule(interarrival.sample(m.arrivalRng), CallbackMm1.onArrival, m);
    }
    if (m.inSystem === m.arrivals.length) m.grow();
    m.arrivals[(m.head + m.inSystem) & m.mask] = env.now;
    if (++m.inSystem === 1) env.schedule(service.sample(m.serviceRng), CallbackMm1.onDeparture, m);
  }

  private static onDeparture(m: CallbackMm1): void {
    const env = m.env;
    m.responseSumNs += env.now - m.arrivals[m.head]!;
    m.completed++;
    m.head = (m.head + 1) & m.mask;
    if (--m.inSystem > 0) env.schedule(service.sample(m.serviceRng), CallbackMm1.onDeparture, m);
  }

  private grow(): void {
    const bigger = new Float64Array(this.arrivals.length * 2);
    for (let i = 0; i < this.inSystem; i++) bigger[i] = this.arrivals[(this.head + i) & this.mask]!;
    this.arrivals = bigger;
    this.mask = bigger.length - 1;
    this.head = 0;
  }
}

export function benchMm1Callbacks(customers = 10_000_000): BenchResult {
  return benchReplicatedQueue('mm1-callbacks', (env, streams, n) => new CallbackMm1(env, streams, n), customers, 200_000);
}
