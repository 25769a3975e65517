/**
 * The process-path M/M/1 model shared by `mm1-processes` and `mm1-1000-queues`: a source
 * process spawns one customer process per arrival, and each customer holds a one-unit
 * `Resource` for an exponential service time.
 */
import { Resource, type Environment, type ProcessBody } from '../engine/index.ts';
import { exponential, type RandomStream, type RandomStreams } from '../engine/random/index.ts';
import { MM1 } from './common.ts';

const interarrival = exponential(MM1.meanInterarrivalNs);
const service = exponential(MM1.meanServiceNs);

/** One queue: its server, its streams, and its response-time tally. */
export class ProcessQueue {
  readonly env: Environment;
  readonly server: Resource;
  readonly arrivalRng: RandomStream;
  readonly serviceRng: RandomStream;
  readonly customers: number;
  completed = 0;
  responseSumNs = 0;

  /** `path` names the queue's streams: `${path}/arrivals` and `${path}/service`. */
  constructor(env: Environment, streams: RandomStreams, path: string, customers: number) {
    this.env = env;
    this.server = new Resource(env, { capacity: 1, name: `${path}/server` });
    this.arrivalRng = streams.stream(`${path}/arrivals`);
    this.serviceRng = streams.stream(`${path}/service`);
    this.customers = customers;
  }

  /** Starts the source process. */
  start(): void {
    this.env.process(source(this), 'source');
  }
}

function* source(q: ProcessQueue): ProcessBody<void> {
  const env = q.env;
  for (let i = 0; i < q.customers; i++) {
    yield interarrival.sample(q.arrivalRng);
    env.process(customer(q), 'customer');
  }
}

function* customer(q: ProcessQueue): ProcessBody<void> {
  const env = q.env;
  const server = q.server;
  const arrivedNs = env.now;
  const req = server.request();
  yield req;
  yield service.sample(q.serviceRng);
  server.release(req);
  q.responseSumNs += env.now - arrivedNs;
  q.completed++;
}
