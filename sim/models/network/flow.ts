/**
 * A flow: one transfer of a number of bytes from one node to another across a route, and the
 * handle its starter gets back from `Network.transfer`.
 *
 * Life of a flow: `Latent` while the route latency runs (no bandwidth used), then `Active`,
 * sharing the channels of its route max-min fairly with the other active flows, then one of
 * `Completed` (every byte delivered), `Failed` (a link on its route went down while the network
 * fails flows on link loss; `failure` says which) or `Cancelled` (its starter called `cancel()`).
 */
import type { SimEvent } from '../../engine/index.ts';
import type { Route } from './topology.ts';

/** Where a flow stands. */
export const FlowStatus = { Latent: 0, Active: 1, Completed: 2, Failed: 3, Cancelled: 4 } as const;
export type FlowStatus = (typeof FlowStatus)[keyof typeof FlowStatus];

/** Names of {@link FlowStatus} values, for messages. */
export const FLOW_STATUS_NAMES: readonly string[] = ['latent', 'active', 'completed', 'failed', 'cancelled'];

/** Called once when a flow completes or fails (not when its starter cancels it). */
export type FlowCallback = (flow: Flow) => void;

/** Options of a transfer. Read when the transfer starts and not kept, so one object may be reused. */
export interface TransferOptions {
  /** Rate cap of this flow, bytes/s (e.g. a cloud connection's per-stream limit). Default none. */
  maxRateBytesPerS?: number;
  /** Free for the starter (copied to `flow.tag`). */
  tag?: number;
  /** Free for the starter (copied to `flow.context`). */
  context?: unknown;
}

/** What a flow needs from the network that owns it. */
export interface FlowOwner {
  cancelFlow(flow: Flow): boolean;
}

/** One transfer in flight or finished. Fields are read-only for everyone but the network. */
export class Flow {
  /** Network-local sequence number, in order of `transfer` calls. */
  readonly id: number;
  readonly from: string;
  readonly to: string;
  readonly sizeBytes: number;
  readonly route: Route;
  /** Rate cap, bytes/s (Infinity for none). */
  readonly maxRateBytesPerS: number;
  /** When `transfer` was called (ns). */
  readonly startNs: number;
  readonly tag: number;
  readonly context: unknown;
  status: FlowStatus = FlowStatus.Latent;
  /** Why the flow failed (empty unless `status` is `Failed`). */
  failure = '';
  /** When the flow completed, failed or was cancelled (ns); -1 while in flight. */
  endNs = -1;
  /**
   * Bytes not yet delivered, as of the network's last update (the network advances every
   * flow whenever rates change or a flow ends).
   */
  remainingBytes: number;
  /**
   * Current rate, bytes/s, as of the last recomputation of rates. Rates are recomputed once
   * per instant at which flows start or end (an engine event at that time), so right after a
   * `transfer` call it still reads 0.
   */
  rate = 0;
  /** Whether a down link holds this active flow at rate 0. */
  stalled = false;

  /** Network internals: index in the network's latent or active list; -1 when in neither. */
  slot = -1;
  /** Network internals: the latency timer while latent. */
  timer = -1;
  /** Network internals: who to tell. */
  onDone: FlowCallback | null;
  /** Network internals: the event of `transferEvent`, if that started the flow. */
  doneEvent: SimEvent<Flow> | null = null;
  private readonly owner: FlowOwner;

  constructor(
    owner: FlowOwner,
    id: number,
    from: string,
    to: string,
    sizeBytes: number,
    route: Route,
    startNs: number,
    onDone: FlowCallback | null,
    options: TransferOptions | undefined,
  ) {
    this.owner = owner;
    this.id = id;
    this.from = from;
    this.to = to;
    this.sizeBytes = sizeBytes;
    this.remainingBytes = sizeBytes;
    this.route = route;
    this.startNs = startNs;
    this.onDone = onDone;
    this.maxRateBytesPerS = options?.maxRateBytesPerS ?? Infinity;
    this.tag = options?.tag ?? 0;
    this.context = options?.context ?? null;
  }

  /** Bytes delivered so far (as of the network's last update). */
  get bytesSent(): number {
    return this.sizeBytes - this.remainingBytes;
  }

  /** True while latent or active. */
  get inFlight(): boolean {
    return this.status <= FlowStatus.Active;
  }

  /**
   * Stops the flow now: it frees its share of bandwidth (the others speed up) and its bytes
   * not yet sent are never sent. The `onDone` callback is not called (the starter knows); a
   * `transferEvent` event succeeds with the flow, status `Cancelled`, so a waiting process
   * goes on. Returns false (and does nothing) when the flow had already ended.
   */
  cancel(): boolean {
    return this.owner.cancelFlow(this);
  }
}
