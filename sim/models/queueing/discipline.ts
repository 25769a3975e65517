/**
 * The decision point of a queueing station: in which order waiting jobs are served.
 * Policies live in `policies/queue-discipline/`; the station only calls this protocol.
 */

/** What a discipline may look at: a read-only view of one job. */
export interface JobView {
  /** When the job arrived at the station (ns). */
  readonly arrivalNs: number;
  /** The job's service requirement (ns), known on arrival (used by size-based disciplines). */
  readonly serviceNs: number;
  /** The job's class (0 = most important), for class-based disciplines. */
  readonly classId: number;
}

/**
 * A non-preemptive service discipline. `rank` returns the job's place in the queue:
 * lower ranks are served first, equal ranks in arrival order. It must be a pure function
 * of the view, so disciplines are testable without an engine.
 */
export interface QueueDiscipline {
  readonly name: string;
  rank(job: JobView): number;
}
