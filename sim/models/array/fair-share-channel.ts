/**
 * A bandwidth pool shared equally by every transfer in progress (egalitarian processor
 * sharing, fluid model: Kleinrock 1976, Queueing Systems vol. II, ch. 4). With n transfers in
 * progress each moves at rate / n; a transfer that starts or ends changes everyone's share at
 * that instant. The pool is work-conserving: while any transfer is in progress the full rate is
 * used, so a batch of work W started together drains in exactly W / rate.
 *
 * One engine event per completion instant. Each start or completion advances every transfer's
 * remaining bytes (O(n)) and re-arms one timer. Completion times are rounded to the nearest
 * integer ns, as the engine rounds every delay; transfers within one nanosecond's share of the
 * end finish together.
 */
import type { Environment } from '../../engine/index.ts';
import type { Counter, TimeWeighted } from '../../metrics/index.ts';
import { checkRate, type Channel, type Transfer } from './channel.ts';

const NS_PER_S = 1e9;

export class FairShareChannel<T extends Transfer> implements Channel<T> {
  readonly rateBytesPerS: number;
  private readonly env: Environment;
  private readonly busy: TimeWeighted | undefined;
  private readonly bytesMoved: Counter | undefined;
  private readonly flows: T[] = [];
  private readonly remaining: number[] = [];
  private readonly sizes: number[] = [];
  /** Transfers finished at the current instant, before they are told (reused). */
  private readonly finished: T[] = [];
  private lastUpdateNs: number;
  private timer = -1;

  /**
   * @param busy set to 1 while any transfer is in progress, else 0 (utilization)
   * @param bytesMoved counts each transfer's bytes when it completes
   */
  constructor(env: Environment, rateBytesPerS: number, options: { busy?: TimeWeighted; bytesMoved?: Counter; name?: string } = {}) {
    checkRate(rateBytesPerS, options.name ?? 'fair-share channel');
    this.env = env;
    this.rateBytesPerS = rateBytesPerS;
    this.busy = options.busy;
    this.bytesMoved = options.bytesMoved;
    this.lastUpdateNs = env.now;
  }

  get active(): number {
    return this.flows.length;
  }

  start(bytes: number, transfer: T): void {
    if (!(bytes >= 0 && bytes < Infinity)) throw new RangeError(`transfer size must be finite and >= 0, got ${bytes}`);
    this.advance();
    this.flows.push(transfer);
    this.remaining.push(bytes);
    this.sizes.push(bytes);
    if (this.flows.length === 1) this.busy?.set(1);
    this.rearm();
  }

  abortAll(visit?: (transfer: T) => void): void {
    if (this.timer !== -1) this.env.cancel(this.timer);
    this.timer = -1;
    const flows = this.flows.splice(0);
    this.remaining.length = 0;
    this.sizes.length = 0;
    if (flows.length > 0) this.busy?.set(0);
    if (visit) for (const flow of flows) visit(flow);
  }

  /** Takes the bytes moved since the last update off every transfer in progress. */
  private advance(): void {
    const now = this.env.now;
    const n = this.flows.length;
    if (n > 0 && now > this.lastUpdateNs) {
      const share = (this.rateBytesPerS * (now - this.lastUpdateNs)) / NS_PER_S / n;
      const remaining = this.remaining;
      for (let i = 0; i < n; i++) remaining[i]! -= share;
    }
    this.lastUpdateNs = now;
  }

  /** Schedules the next completion: the transfer with the least left, at the current share. */
  private rearm(): void {
    if (this.timer !== -1) this.env.cancel(this.timer);
    this.timer = -1;
    const n = this.flows.length;
    if (n === 0) return;
    let least = Infinity;
    for (let i = 0; i < n; i++) least = Math.min(least, this.remaining[i]!);
    const delayNs = Math.round((Math.max(0, least) * n * NS_PER_S) / this.rateBytesPerS);
    this.timer = this.env.schedule(delayNs, FairShareChannel.fire, this as FairShareChannel<Transfer>);
  }

  private static fire(channel: FairShareChannel<Transfer>): void {
    channel.timer = -1;
    channel.complete();
  }

  private complete(): void {
    this.advance();
    const n = this.flows.length;
    // Anything with less than one nanosecond's share left is done now.
    const tolerance = this.rateBytesPerS / NS_PER_S / n;
    const { flows, remaining, sizes, finished } = this;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      if (remaining[i]! <= tolerance) {
        finished.push(flows[i]!);
        this.bytesMoved?.add(sizes[i]!);
      } else {
        flows[kept] = flows[i]!;
        remaining[kept] = remaining[i]!;
        sizes[kept] = sizes[i]!;
        kept++;
      }
    }
    flows.length = kept;
    remaining.length = kept;
    sizes.length = kept;
    if (kept === 0) this.busy?.set(0);
    this.rearm();
    // Tell them last: a transfer's owner may start a new transfer here at once.
    const count = finished.length;
    for (let i = 0; i < count; i++) finished[i]!.transferDone();
    finished.length = 0;
  }
}
