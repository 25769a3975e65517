/**
 * A bandwidth pool that serves one transfer at a time at the full rate, in arrival order
 * (a FIFO link: a transfer of b bytes holds it for b / rate after the ones ahead of it).
 */
import type { Environment } from '../../engine/index.ts';
import type { Counter, TimeWeighted } from '../../metrics/index.ts';
import { checkRate, type Channel, type Transfer } from './channel.ts';

const NS_PER_S = 1e9;

export class FifoChannel<T extends Transfer> implements Channel<T> {
  readonly rateBytesPerS: number;
  private readonly env: Environment;
  private readonly busy: TimeWeighted | undefined;
  private readonly bytesMoved: Counter | undefined;
  private readonly queue: T[] = [];
  private readonly queuedBytes: number[] = [];
  /** Index of the transfer in service in `queue` (the ones before it are done). */
  private head = 0;
  private timer = -1;

  constructor(env: Environment, rateBytesPerS: number, options: { busy?: TimeWeighted; bytesMoved?: Counter; name?: string } = {}) {
    checkRate(rateBytesPerS, options.name ?? 'FIFO channel');
    this.env = env;
    this.rateBytesPerS = rateBytesPerS;
    this.busy = options.busy;
    this.bytesMoved = options.bytesMoved;
  }

  get active(): number {
    return this.queue.length - this.head;
  }

  start(bytes: number, transfer: T): void {
    if (!(bytes >= 0 && bytes < Infinity)) throw new RangeError(`transfer size must be finite and >= 0, got ${bytes}`);
    this.queue.push(transfer);
    this.queuedBytes.push(bytes);
    if (this.timer === -1) {
      this.busy?.set(1);
      this.serveHead();
    }
  }

  abortAll(visit?: (transfer: T) => void): void {
    if (this.timer !== -1) this.env.cancel(this.timer);
    this.timer = -1;
    const dropped = this.queue.splice(this.head);
    this.reset();
    if (dropped.length > 0) this.busy?.set(0);
    if (visit) for (const transfer of dropped) visit(transfer);
  }

  private serveHead(): void {
    // Drop the finished prefix now and then, so a port that never idles does not grow its arrays.
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue.splice(0, this.head);
      this.queuedBytes.splice(0, this.head);
      this.head = 0;
    }
    const bytes = this.queuedBytes[this.head]!;
    this.timer = this.env.schedule((bytes * NS_PER_S) / this.rateBytesPerS, FifoChannel.fire, this as FifoChannel<Transfer>);
  }

  private static fire(channel: FifoChannel<Transfer>): void {
    channel.timer = -1;
    const done = channel.queue[channel.head]!;
    channel.bytesMoved?.add(channel.queuedBytes[channel.head]!);
    channel.head++;
    if (channel.head === channel.queue.length) {
      channel.reset();
      channel.busy?.set(0);
    } else {
      channel.serveHead();
    }
    done.transferDone();
  }

  /** Empties the queue arrays (after the last transfer, or an abort). */
  private reset(): void {
    this.queue.length = 0;
    this.queuedBytes.length = 0;
    this.head = 0;
  }
}
