/**
 * The decision point `nvme-arbitration`: which submission queue (SQ) the controller fetches its
 * next command from. Policies live in `policies/nvme-arbitration/`; the controller only calls
 * this protocol.
 *
 * NVMe Base Specification 1.4, §4.13 "Command Arbitration": a command is "ready" once its SQ
 * tail doorbell has been written (the controller may fetch it); the arbiter chooses among SQs
 * with ready commands. The controller asks once per command it fetches, so an arbitration burst
 * (at most N commands from one SQ at a time) is state the arbiter keeps between calls.
 */

/**
 * Priority classes of SQs (§4.13.2; the Queue Priority field QPRIO of Create I/O Submission
 * Queue, §5.4, encodes urgent 00b, high 01b, medium 10b, low 11b). Admin is the admin SQ's class.
 * Lower values are more important.
 */
export const NvmePriorityClass = { Admin: 0, Urgent: 1, High: 2, Medium: 3, Low: 4 } as const;
export type NvmePriorityClass = (typeof NvmePriorityClass)[keyof typeof NvmePriorityClass];

/** Names of {@link NvmePriorityClass} values, for scenario files and messages. */
export const NVME_PRIORITY_CLASS_NAMES: readonly string[] = ['admin', 'urgent', 'high', 'medium', 'low'];

/**
 * What an arbiter may look at: the controller's SQs, indexed 0..count-1 in creation order
 * (functions in the order they were added, each function's queues in order). Queues are only
 * ever added, never renumbered, and a queue's class never changes.
 */
export interface SubmissionQueuesView {
  /** Number of SQs on the controller. */
  readonly count: number;
  /**
   * Whether SQ `index` holds a command the controller may fetch now: the SQ is not empty, its
   * function is enabled, and the function's rate limits have tokens for the command at its head.
   */
  isReady(index: number): boolean;
  /** The SQ's priority class. */
  priorityClass(index: number): NvmePriorityClass;
}

/** One controller's arbiter: stateful (round-robin position, burst and weight credits). */
export interface NvmeArbiter {
  /**
   * The SQ to fetch the next command from: the index of a ready queue, or -1 when no queue is
   * ready. The controller fetches exactly one command from the returned queue before asking again.
   */
  pickNext(queues: SubmissionQueuesView): number;
}

/** An arbitration mechanism chosen in the scenario; makes a fresh arbiter for each controller. */
export interface NvmeArbitration {
  readonly name: string;
  createArbiter(): NvmeArbiter;
}
