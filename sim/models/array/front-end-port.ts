/**
 * A front-end port of an array (an FC or iSCSI target port): every byte a host reads or writes
 * passes it at the port's rate. One bandwidth for both directions (a half-duplex simplification:
 * a host-mediated copy's reads and writes through one port share it). `sharing` chooses FIFO
 * (one transfer at a time) or fair sharing among the transfers in progress.
 *
 * Metrics under `<array>/port<i>/`: `bytes` (B, counted as transfers complete), `utilization`
 * (fraction of time with a transfer in progress), `failed_transfers` (dropped by `down()`).
 */
import type { Environment } from '../../engine/index.ts';
import type { Counter, MetricRegistry } from '../../metrics/index.ts';
import type { Channel, Transfer } from './channel.ts';
import { FairShareChannel } from './fair-share-channel.ts';
import { FifoChannel } from './fifo-channel.ts';

/** How the transfers at a port share it. */
export type PortSharing = 'fifo' | 'shared';

/** Options of one port. */
export interface PortOptions {
  /** B/s, finite and > 0. */
  bandwidthBytesPerS: number;
  /** Default 'shared'. */
  sharing?: PortSharing;
}

export class FrontEndPort<T extends Transfer> {
  readonly index: number;
  readonly path: string;
  readonly channel: Channel<T>;
  readonly failedTransfers: Counter;
  private isUp = true;

  constructor(env: Environment, arrayPath: string, index: number, options: PortOptions, metrics: MetricRegistry) {
    this.index = index;
    this.path = `${arrayPath}/port${index}`;
    const channelOptions = {
      busy: metrics.timeWeighted(`${this.path}/utilization`),
      bytesMoved: metrics.counter(`${this.path}/bytes`, { unit: 'B', scale: 1 }),
      name: this.path,
    };
    this.channel = (options.sharing ?? 'shared') === 'fifo'
      ? new FifoChannel<T>(env, options.bandwidthBytesPerS, channelOptions)
      : new FairShareChannel<T>(env, options.bandwidthBytesPerS, channelOptions);
    this.failedTransfers = metrics.counter(`${this.path}/failed_transfers`);
  }

  get up(): boolean {
    return this.isUp;
  }

  /** Marks the port up or down (the array fails what was crossing it). */
  setUp(up: boolean): void {
    this.isUp = up;
  }
}
