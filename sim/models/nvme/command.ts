/**
 * One NVMe command's state from the host's submit to its completion: which request it carries,
 * where it stands, and the times its latency is measured from. Commands are pooled by the
 * controller and reused, so the hot path allocates nothing once the pool has grown.
 */
import { IoRequest, type IoRequester } from '../block/io-request.ts';
import type { NvmeFunction } from './function.ts';
import type { NvmeNamespace } from './namespace.ts';
import type { QueuePair } from './queue-pair.ts';

/** Where a command stands. */
export const CommandState = {
  /** In the pool. */
  Free: 0,
  /** Waiting in the host driver for a free slot on its queue pair. */
  DriverQueued: 1,
  /** In the SQ: its tail doorbell was written, so the controller may fetch it. */
  InSq: 2,
  /** Fetched: the controller works on it or the backend serves it. */
  InController: 3,
  /** Its completion is posted and waits in the CQ for the interrupt (with coalescing). */
  InCq: 4,
  /** Fetched but failed a check; its error completion is posted by a zero-delay event. */
  Failing: 5,
  /** Aborted while the backend still holds it: the host has its failure, the slot returns when the backend answers. */
  Orphaned: 6,
  /** Refused by the host driver before reaching a queue; its failure is delivered by a zero-delay event. */
  Rejected: 7,
} as const;
export type CommandState = (typeof CommandState)[keyof typeof CommandState];

export class NvmeCommand {
  state: CommandState = CommandState.Free;
  /** The host's request (null once the host has been answered). */
  upper: IoRequest | null = null;
  fn: NvmeFunction | null = null;
  pair: QueuePair | null = null;
  namespace: NvmeNamespace | null = null;
  /** When the host submitted it (ns). */
  submitNs = 0;
  /** When the controller fetched it (ns). */
  fetchNs = 0;
  /** Index in the controller's in-flight table while fetched (-1 otherwise). */
  slot = -1;
  /** Outcome to report: empty for success, else the reason, filled when the backend answers or a check fails. */
  failure = '';
  /** Whether it failed because a reset or disable aborted it after its doorbell. */
  aborted = false;
  /** Whether it holds a slot of its queue pair (from its doorbell until the host is answered). */
  inPair = false;
  /** The request this command sends to the backend (reused). */
  readonly backendRequest: IoRequest;

  constructor(controller: IoRequester) {
    this.backendRequest = new IoRequest(controller);
    this.backendRequest.context = this;
  }
}
