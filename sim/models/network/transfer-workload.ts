/**
 * An open-loop stream of transfers over a network: at each arrival (interarrival times from a
 * distribution) it picks a node pair by weight and a size from a distribution, and starts one
 * flow. Three named random streams (interarrival, size, pair), so runs that differ only in the
 * network or its policies see the same transfers (common random numbers).
 *
 * Metrics under its path: `issued` (transfers started), `completed`, `failed` (flows that ended
 * so), `transfer_time` (s, completed flows only: its own view of the network's histogram).
 */
import type { Environment } from '../../engine/index.ts';
import type { Distribution, RandomStream } from '../../engine/random/index.ts';
import type { MetricRegistry } from '../../metrics/index.ts';
import { FlowStatus, type Flow, type TransferOptions } from './flow.ts';
import type { Network } from './network.ts';

/** One source–destination pair and its relative weight. */
export interface TransferPair {
  from: string;
  to: string;
  weight: number;
}

/** Options of a `TransferWorkload`. */
export interface TransferWorkloadOptions {
  pairs: readonly TransferPair[];
  /** Bytes per transfer (rounded to an integer, negative draws count as 0). */
  sizeBytes: Distribution;
  /** Time between transfer starts (ns). */
  interarrivalNs: Distribution;
  /** Rate cap of every flow, bytes/s; default none. */
  maxRateBytesPerS?: number;
  /** Stop after this many transfers (default no limit). */
  transferLimit?: number;
}

/** The named streams a transfer workload draws from, one per purpose. */
export interface TransferWorkloadStreams {
  interarrival: RandomStream;
  size: RandomStream;
  pair: RandomStream;
}

export class TransferWorkload {
  readonly path: string;
  private readonly env: Environment;
  private readonly network: Network;
  private readonly options: TransferWorkloadOptions;
  private readonly streams: TransferWorkloadStreams;
  private readonly cumulativeWeights: Float64Array;
  private readonly transferOptions: TransferOptions;
  private issued = 0;
  private readonly issuedCount;
  private readonly completedCount;
  private readonly failedCount;
  private readonly transferTime;
  private readonly arriveFn = () => this.arrive();
  private readonly doneFn = (flow: Flow) => this.done(flow);

  /** @throws Error when a pair names an unknown node or has no route, or the weights are all 0. */
  constructor(env: Environment, path: string, network: Network, options: TransferWorkloadOptions, streams: TransferWorkloadStreams, metrics: MetricRegistry) {
    this.env = env;
    this.path = path;
    this.network = network;
    this.options = options;
    this.streams = streams;
    if (options.pairs.length === 0) throw new Error('list at least one node pair');
    options.pairs.forEach((pair, i) => {
      if (!(pair.weight >= 0 && pair.weight < Infinity)) throw new Error(`pair ${i}: weight must be a finite number >= 0, got ${pair.weight}`);
      let route;
      try {
        route = network.route(pair.from, pair.to);
      } catch (error) {
        throw new Error(`pair ${i} (${pair.from} → ${pair.to}): ${(error as Error).message}`);
      }
      if (route === undefined) throw new Error(`pair ${i}: network "${network.path}" has no route from "${pair.from}" to "${pair.to}"`);
    });
    const total = options.pairs.reduce((sum, pair) => sum + pair.weight, 0);
    if (!(total > 0)) throw new Error('pair weights must not all be 0');
    this.cumulativeWeights = new Float64Array(options.pairs.length);
    let sum = 0;
    options.pairs.forEach((pair, i) => (this.cumulativeWeights[i] = sum += pair.weight / total));
    this.transferOptions = options.maxRateBytesPerS === undefined ? {} : { maxRateBytesPerS: options.maxRateBytesPerS };
    this.issuedCount = metrics.counter(`${path}/issued`);
    this.completedCount = metrics.counter(`${path}/completed`);
    this.failedCount = metrics.counter(`${path}/failed`);
    this.transferTime = metrics.histogram(`${path}/transfer_time`, { unit: 's' });
  }

  /** Schedules the first transfer one interarrival time from now. */
  start(): void {
    this.scheduleNext();
  }

  private arrive(): void {
    this.issued++;
    this.issuedCount.add(1);
    const pair = this.options.pairs[this.drawPair()]!;
    const size = Math.max(0, Math.round(this.options.sizeBytes.sample(this.streams.size)));
    this.scheduleNext();
    this.network.transfer(pair.from, pair.to, size, this.doneFn, this.transferOptions);
  }

  private done(flow: Flow): void {
    if (flow.status === FlowStatus.Completed) {
      this.completedCount.add(1);
      this.transferTime.record(flow.endNs - flow.startNs);
    } else {
      this.failedCount.add(1);
    }
  }

  private scheduleNext(): void {
    if (this.issued >= (this.options.transferLimit ?? Infinity)) return;
    this.env.schedule(this.options.interarrivalNs.sample(this.streams.interarrival), this.arriveFn, null);
  }

  private drawPair(): number {
    const weights = this.cumulativeWeights;
    const u = this.streams.pair.next();
    let k = 0;
    while (k < weights.length - 1 && u >= weights[k]!) k++;
    return k;
  }
}
