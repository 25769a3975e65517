/**
 * `mm1-callbacks`: M/M/1 (λ 0.9 /s, μ 1 /s) on the callback path only — `env.schedule`
 * with static callbacks, no processes, no Resource. The queue is a counter plus a ring
 * buffer of arrival times, as in a hand-written model. Target: ≥ 5 million customers/s.
 */
import { Environment, NS_PER_S } from '../engine/index.ts';
import { exponential, RandomStreams, type RandomStream } from '../engine/random/index.ts';
import {
  CUSTOMERS_PER_REPLICATION,
  MM1,
  checkCompleted,
  checkMeanResponse,
  round,
  wallNowMs,
  wallSecondsSince,
  type BenchResult,
} from './common.ts';

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

/** Runs `replications` independent queues of `customersEach`; returns the totals. */
function simulate(seed: number, replications: number, customersEach: number) {
  let events = 0;
  let completed = 0;
  let responseSumS = 0;
  for (let r = 0; r < replications; r++) {
    const env = new Environment();
    const model = new CallbackMm1(env, new RandomStreams(seed + r), customersEach);
    model.start();
    env.run();
    events += env.eventsProcessed;
    completed += model.completed;
    responseSumS += model.responseSumNs / NS_PER_S;
  }
  return { events, completed, responseSumS };
}

export function benchMm1Callbacks(customers = 10_000_000): BenchResult {
  const name = 'mm1-callbacks';
  simulate(1000, 1, 200_000); // JIT warm-up, untimed
  const replications = Math.ceil(customers / CUSTOMERS_PER_REPLICATION);
  const customersEach = Math.ceil(customers / replications);
  const start = wallNowMs();
  const { events, completed, responseSumS } = simulate(1, replications, customersEach);
  const wallS = wallSecondsSince(start);
  checkCompleted(name, completed, customersEach * replications);
  const meanResponseS = responseSumS / completed;
  checkMeanResponse(name, meanResponseS);
  return {
    name,
    events,
    wall_s: round(wallS, 4),
    events_per_s: Math.round(events / wallS),
    customers_per_s: Math.round(completed / wallS),
    mean_response_s: round(meanResponseS, 4),
    customers: completed,
    replications,
  };
}
