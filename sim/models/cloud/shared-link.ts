/**
 * Transfers sharing one link max-min fairly, each under its own per-connection cap: the
 * object store's aggregate bandwidth. Rates are recomputed (by water-filling, `fair-share.ts`)
 * only when a transfer starts, ends or is aborted, and one engine event is scheduled, for the
 * next completion. Between those instants every rate is constant, so a transfer's progress is
 * exact: bytes moved = rate × time.
 *
 * A transfer finishes at the earliest nanosecond by which its bytes have moved (completion
 * times are rounded to the nearest ns, as the engine rounds every delay). Completions that fall
 * at the same instant are reported in the order the transfers started.
 */
import type { Environment } from '../../engine/index.ts';
import { fillFairRates } from './fair-share.ts';

/** One transfer on a link. Owned by the link; callers keep it only to abort it. */
export class Transfer {
  /** Bytes still to move. */
  remainingBytes: number;
  /** Current rate, bytes/s. */
  rateBps = 0;
  /** Position in the link's active list, -1 once finished or aborted. */
  index = -1;

  constructor(
    readonly sizeBytes: number,
    readonly capBps: number,
    readonly startNs: number,
    readonly onDone: (transfer: Transfer) => void,
    /** Free for the caller. */
    readonly context: unknown,
  ) {
    this.remainingBytes = sizeBytes;
  }

  /** Bytes moved so far (as of the link's last update). */
  get movedBytes(): number {
    return this.sizeBytes - this.remainingBytes;
  }
}

export class SharedLink {
  private readonly active: Transfer[] = [];
  private readonly caps: number[] = [];
  private readonly rates: number[] = [];
  private readonly order: number[] = [];
  private lastUpdateNs: number;
  private timer = -1;
  private readonly completeFn = () => this.onTimer();

  /**
   * @param capacityBps aggregate bandwidth shared by all transfers (bytes/s, > 0, may be Infinity)
   * @param onActiveChange told the number of active transfers whenever it changes (for metrics)
   */
  constructor(
    private readonly env: Environment,
    private capacityBps: number,
    private readonly onActiveChange: (active: number) => void = () => {},
  ) {
    if (!(capacityBps > 0)) throw new RangeError(`link capacity must be > 0 bytes/s, got ${capacityBps}`);
    this.lastUpdateNs = env.now;
  }

  /** Transfers in progress. */
  get activeCount(): number {
    return this.active.length;
  }

  get capacity(): number {
    return this.capacityBps;
  }

  /**
   * Starts moving `sizeBytes` (> 0) at up to `capBps`; `onDone(transfer)` is called from an
   * engine event when the last byte has moved.
   */
  start(sizeBytes: number, capBps: number, onDone: (transfer: Transfer) => void, context: unknown = null): Transfer {
    if (!(sizeBytes > 0 && sizeBytes < Infinity)) throw new RangeError(`transfer size must be a finite number of bytes > 0, got ${sizeBytes}`);
    if (!(capBps > 0)) throw new RangeError(`per-connection cap must be > 0 bytes/s, got ${capBps}`);
    this.advance();
    const transfer = new Transfer(sizeBytes, capBps, this.env.now, onDone, context);
    transfer.index = this.active.length;
    this.active.push(transfer);
    this.reshare();
    this.onActiveChange(this.active.length);
    return transfer;
  }

  /** Stops a transfer in progress (its `onDone` is never called). Returns the bytes it had moved. */
  abort(transfer: Transfer): number {
    if (transfer.index < 0) return transfer.movedBytes;
    this.advance();
    this.remove(transfer);
    this.reshare();
    this.onActiveChange(this.active.length);
    return transfer.movedBytes;
  }

  /** Changes the aggregate bandwidth from now on (e.g. a degraded link). */
  setCapacity(capacityBps: number): void {
    if (!(capacityBps > 0)) throw new RangeError(`link capacity must be > 0 bytes/s, got ${capacityBps}`);
    this.advance();
    this.capacityBps = capacityBps;
    this.reshare();
  }

  /** Moves every transfer forward to now at its current rate. */
  private advance(): void {
    const now = this.env.now;
    const dtS = (now - this.lastUpdateNs) / 1e9;
    this.lastUpdateNs = now;
    if (dtS === 0) return;
    for (const t of this.active) {
      t.remainingBytes = t.rateBps === Infinity ? 0 : Math.max(0, t.remainingBytes - t.rateBps * dtS);
    }
  }

  private remove(transfer: Transfer): void {
    // Keep start order (it orders simultaneous completions): shift the tail down.
    const list = this.active;
    for (let i = transfer.index + 1; i < list.length; i++) {
      const t = list[i]!;
      t.index = i - 1;
      list[i - 1] = t;
    }
    list.length--;
    transfer.index = -1;
  }

  /** Recomputes rates and schedules the next completion. */
  private reshare(): void {
    const n = this.active.length;
    const caps = this.caps;
    caps.length = n;
    for (let i = 0; i < n; i++) caps[i] = this.active[i]!.capBps;
    this.rates.length = n;
    fillFairRates(caps, n, this.capacityBps, this.rates, this.order);
    let nextS = Infinity;
    for (let i = 0; i < n; i++) {
      const t = this.active[i]!;
      t.rateBps = this.rates[i]!;
      const s = t.rateBps === Infinity ? 0 : t.remainingBytes / t.rateBps;
      if (s < nextS) nextS = s;
    }
    if (this.timer >= 0) this.env.cancel(this.timer);
    this.timer = nextS === Infinity ? -1 : this.env.schedule(nextS * 1e9, this.completeFn, null);
  }

  private onTimer(): void {
    this.timer = -1;
    this.advance();
    let finished: Transfer[] | null = null;
    for (const t of this.active) {
      // Done when what is left would move within the next nanosecond (completion times are
      // rounded to whole ns), allowing for float error relative to the size.
      if (t.rateBps === Infinity || t.remainingBytes <= t.rateBps * 1e-9 + t.sizeBytes * 1e-12) (finished ??= []).push(t);
    }
    if (finished !== null) {
      for (const t of finished) {
        this.remove(t);
        t.remainingBytes = 0;
      }
    }
    this.reshare();
    if (finished !== null) {
      this.onActiveChange(this.active.length);
      for (const t of finished) t.onDone(t);
    }
  }
}
