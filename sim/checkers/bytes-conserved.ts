/**
 * Checker: a network conserves bytes. It watches a `Network` through its observer hook and keeps
 * its own books from the progress reports alone, then holds the network to them:
 * - a flow never reports progress before it starts or after it ends, nor more bytes than its size;
 * - every completed flow delivered its size (no more, no less);
 * - a failed or cancelled flow delivered at most its size, and the flow's own count agrees;
 * - per channel, the bytes the network says it carried equal the sum, over flows, of the bytes
 *   each flow reported while crossing it (its route);
 * - nothing is in flight at a `check()` that the network does not still hold as latent or active,
 *   and every flow the network holds was seen starting.
 * Sums are floating point, so "equal" means within `relativeTolerance` (default 1e-9) of the
 * larger side, plus 1e-6 B.
 *
 * It only reads: it schedules nothing and changes no flow, so a run with it is the same run.
 * By default a violation throws at once (stopping the run with the message); with
 * `mode: 'record'` violations are collected in `violations` instead.
 */
import { FLOW_STATUS_NAMES, FlowStatus, type Flow } from '../models/network/flow.ts';
import type { Network } from '../models/network/network.ts';
import type { NetworkObserver } from '../models/network/observer.ts';

export interface BytesConservedOptions {
  /** `throw` (default): throw on the first violation; `record`: collect them in `violations`. */
  mode?: 'throw' | 'record';
  /** Relative tolerance of byte comparisons (default 1e-9). */
  relativeTolerance?: number;
}

/** Thrown in `throw` mode. */
export class BytesNotConservedError extends Error {
  override name = 'BytesNotConservedError';
}

const ABSOLUTE_TOLERANCE_B = 1e-6;

export class BytesConservedChecker implements NetworkObserver {
  readonly violations: string[] = [];
  private readonly network: Network;
  private readonly mode: 'throw' | 'record';
  private readonly tolerance: number;
  /** Bytes each flow reported, by flow id, while it is in flight. */
  private readonly inFlight = new Map<number, { flow: Flow; sent: number }>();
  /** Per channel, the sum of the bytes reported by flows crossing it. */
  private readonly channelBytes: Float64Array;
  private started = 0;
  private ended = 0;

  /** Starts watching `network` (call before any transfer starts). */
  constructor(network: Network, options: BytesConservedOptions = {}) {
    this.network = network;
    this.mode = options.mode ?? 'throw';
    this.tolerance = options.relativeTolerance ?? 1e-9;
    this.channelBytes = new Float64Array(network.channelCount);
    network.observe(this);
  }

  /** Flows seen starting, and ending. */
  get counts(): { started: number; ended: number } {
    return { started: this.started, ended: this.ended };
  }

  onFlowStart(flow: Flow): void {
    this.started++;
    if (this.inFlight.has(flow.id)) this.violation(`flow ${flow.id} started twice`);
    this.inFlight.set(flow.id, { flow, sent: 0 });
  }

  onFlowProgress(flow: Flow, bytes: number): void {
    const entry = this.inFlight.get(flow.id);
    if (entry === undefined) {
      this.violation(`flow ${flow.id} (${flow.from} → ${flow.to}) reported ${bytes} B while not in flight`);
      return;
    }
    if (!(bytes > 0 && bytes < Infinity)) this.violation(`flow ${flow.id} reported progress of ${bytes} B; progress is a positive finite number`);
    entry.sent += bytes;
    if (!this.within(entry.sent, 0, flow.sizeBytes)) {
      this.violation(`flow ${flow.id} has reported ${entry.sent} B, more than its size of ${flow.sizeBytes} B`);
    }
    const channels = flow.route.channels;
    for (let k = 0; k < channels.length; k++) {
      const c = channels[k]!;
      this.channelBytes[c] = this.channelBytes[c]! + bytes;
    }
  }

  onFlowEnd(flow: Flow): void {
    this.ended++;
    const entry = this.inFlight.get(flow.id);
    if (entry === undefined) {
      this.violation(`flow ${flow.id} ended (${FLOW_STATUS_NAMES[flow.status]}) without having started, or twice`);
      return;
    }
    this.inFlight.delete(flow.id);
    const sent = entry.sent;
    if (flow.status === FlowStatus.Completed) {
      if (!this.close(sent, flow.sizeBytes)) {
        this.violation(`flow ${flow.id} (${flow.from} → ${flow.to}) completed having delivered ${sent} B of its ${flow.sizeBytes} B`);
      }
    } else if (flow.status === FlowStatus.Failed || flow.status === FlowStatus.Cancelled) {
      if (!this.within(sent, 0, flow.sizeBytes)) this.violation(`flow ${flow.id} ended having delivered ${sent} B, more than its ${flow.sizeBytes} B`);
    } else {
      this.violation(`flow ${flow.id} ended with status ${FLOW_STATUS_NAMES[flow.status]}`);
      return;
    }
    if (!this.close(sent, flow.bytesSent)) {
      this.violation(`flow ${flow.id} ended saying it sent ${flow.bytesSent} B, but reported ${sent} B`);
    }
  }

  /**
   * Checks the books at this moment (e.g. at the end of a run): per-channel sums, and that every
   * flow still in flight here is latent or active in the network with the bytes it reported.
   * Returns the violations found so far (throws on the first in `throw` mode).
   */
  check(): readonly string[] {
    for (let c = 0; c < this.channelBytes.length; c++) {
      const mine = this.channelBytes[c]!;
      const theirs = this.network.channelCarriedBytes(c);
      if (!this.close(mine, theirs)) {
        this.violation(`channel ${this.network.channelName(c)} carried ${theirs} B by the network's count, but its flows reported ${mine} B`);
      }
    }
    for (const { flow, sent } of this.inFlight.values()) {
      if (!flow.inFlight) this.violation(`flow ${flow.id} is ${FLOW_STATUS_NAMES[flow.status]} but never reported its end`);
      else if (!this.close(sent, flow.bytesSent)) this.violation(`flow ${flow.id} in flight says it sent ${flow.bytesSent} B, but reported ${sent} B`);
    }
    if (this.inFlight.size !== this.network.flowsInFlight) {
      this.violation(`the network holds ${this.network.flowsInFlight} flows in flight, but ${this.inFlight.size} started and did not end`);
    }
    return this.violations;
  }

  private close(a: number, b: number): boolean {
    return Math.abs(a - b) <= this.tolerance * Math.max(Math.abs(a), Math.abs(b)) + ABSOLUTE_TOLERANCE_B;
  }

  /** low <= value <= high, up to the tolerance. */
  private within(value: number, low: number, high: number): boolean {
    return value >= low && (value <= high || this.close(value, high));
  }

  private violation(message: string): void {
    this.violations.push(message);
    if (this.mode === 'throw') throw new BytesNotConservedError(`bytes not conserved: ${message}`);
  }
}
