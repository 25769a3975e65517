/**
 * Runs offloaded copy segments (XCOPY segments) inside the storage: each waits a fixed
 * per-segment overhead (command processing, plus the latency of a replication link), then moves
 * its bytes through a fair-share channel: an array's copy engine, or the replication link between
 * two arrays. No front-end port, host CPU or network is involved. When the bytes are through,
 * the target volume receives the source's content and the client is told.
 *
 * Segments are pooled records; `failAll` fails every segment in flight exactly once (its client
 * hears from an engine event, never from inside the call).
 */
import type { Environment } from '../../engine/index.ts';
import type { Counter } from '../../metrics/index.ts';
import type { ArrayVolume } from './array-volume.ts';
import type { Transfer } from './channel.ts';
import { FairShareChannel } from './fair-share-channel.ts';
import { InFlightSet, type InFlightEntry } from './in-flight-set.ts';

/** Whoever asked for an offloaded segment; told once when it is done. */
export interface OffloadClient {
  /** `ok` false: `reason` says why (array failure, link failure). */
  offloadDone(ok: boolean, reason: string): void;
}

class OffloadOp implements Transfer, InFlightEntry {
  client: OffloadClient | null = null;
  source: ArrayVolume | null = null;
  target: ArrayVolume | null = null;
  sourceOffsetBytes = 0;
  targetOffsetBytes = 0;
  bytes = 0;
  timer = -1;
  failure = '';
  inFlightSlot = -1;

  constructor(private readonly runner: OffloadRunner) {}

  transferDone(): void {
    this.runner.moved(this);
  }
}

export class OffloadRunner {
  readonly channel: FairShareChannel<OffloadOp>;
  private readonly env: Environment;
  private readonly pool: OffloadOp[] = [];
  private readonly inFlight = new InFlightSet<OffloadOp>();
  private readonly failedSegments: Counter | undefined;
  private readonly overheadDoneFn = (op: OffloadOp) => this.overheadDone(op);
  private readonly deliverFailureFn = (op: OffloadOp) => this.deliverFailure(op);

  /**
   * @param rateBytesPerS the channel's bandwidth (B/s)
   * @param metrics `bytes` counts segment bytes as they complete; `failedSegments` counts failures
   */
  constructor(
    env: Environment,
    name: string,
    rateBytesPerS: number,
    metrics: { bytes?: Counter; failedSegments?: Counter } = {},
  ) {
    this.env = env;
    this.channel = new FairShareChannel<OffloadOp>(env, rateBytesPerS, { ...(metrics.bytes ? { bytesMoved: metrics.bytes } : {}), name });
    this.failedSegments = metrics.failedSegments;
  }

  /** Segments in flight. */
  get activeSegments(): number {
    return this.inFlight.size;
  }

  /**
   * Copies `bytes` from `source` at `sourceOffsetBytes` to `target` at `targetOffsetBytes`,
   * after a fixed `overheadNs`; `client` hears once.
   */
  run(
    client: OffloadClient,
    source: ArrayVolume,
    sourceOffsetBytes: number,
    target: ArrayVolume,
    targetOffsetBytes: number,
    bytes: number,
    overheadNs: number,
  ): void {
    const op = this.pool.pop() ?? new OffloadOp(this);
    op.client = client;
    op.source = source;
    op.target = target;
    op.sourceOffsetBytes = sourceOffsetBytes;
    op.targetOffsetBytes = targetOffsetBytes;
    op.bytes = bytes;
    op.failure = '';
    this.inFlight.add(op);
    op.timer = this.env.schedule(overheadNs, this.overheadDoneFn, op);
  }

  /** Tells `client` from an engine event that its segment failed, without running it. */
  reject(client: OffloadClient, reason: string): void {
    const op = this.pool.pop() ?? new OffloadOp(this);
    op.client = client;
    op.failure = reason;
    this.failedSegments?.add(1);
    this.env.schedule(0, this.deliverFailureFn, op);
  }

  /** Fails every segment in flight with `reason`; each client hears once, from an engine event. */
  failAll(reason: string): void {
    this.channel.abortAll();
    for (const op of this.inFlight.drain()) {
      if (op.timer !== -1) this.env.cancel(op.timer);
      op.timer = -1;
      op.failure = reason;
      this.failedSegments?.add(1);
      this.env.schedule(0, this.deliverFailureFn, op);
    }
  }

  /** Called by a segment when its bytes are through. */
  moved(op: OffloadOp): void {
    this.inFlight.remove(op);
    op.target!.receiveCopy(op.source!, op.sourceOffsetBytes, op.targetOffsetBytes, op.bytes);
    const client = op.client!;
    this.release(op);
    client.offloadDone(true, '');
  }

  private overheadDone(op: OffloadOp): void {
    op.timer = -1;
    this.channel.start(op.bytes, op);
  }

  private deliverFailure(op: OffloadOp): void {
    const client = op.client!;
    const reason = op.failure;
    this.release(op);
    client.offloadDone(false, reason);
  }

  private release(op: OffloadOp): void {
    op.client = null;
    op.source = null;
    op.target = null;
    op.failure = '';
    this.pool.push(op);
  }
}
