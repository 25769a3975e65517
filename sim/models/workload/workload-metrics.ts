/**
 * The metrics every block workload keeps under its own path, recorded when its requests
 * complete: latency histograms per operation, completed counts and bytes, failures, and the
 * time-weighted number of requests in flight.
 *
 * | path                          | kind          | columns                                                  |
 * |-------------------------------|---------------|----------------------------------------------------------|
 * | `<id>/issued`                 | counter       | `<id>/issued` (requests submitted)                       |
 * | `<id>/reads`, `/writes`       | counter       | completed successfully                                   |
 * | `<id>/read_bytes`, `/write_bytes` | counter (B) | `<id>/read_bytes_B`, `<id>/write_bytes_B`              |
 * | `<id>/read_latency`, `/write_latency` | histogram (us) | `<id>/read_latency_{count,mean,p50,...}_us`       |
 * | `<id>/failed`                 | counter       | requests the device completed with `IoStatus.Failed`     |
 * | `<id>/in_flight`              | time-weighted | `<id>/in_flight_mean`, `<id>/in_flight_max`              |
 *
 * With `trims` (replay of a plain CSV trace), also `<id>/trims`, `<id>/trim_bytes_B`, `<id>/trim_latency_*_us`.
 * Latency is submit to completion. Failed requests count only in `failed` (not in the
 * per-operation counts, bytes or latencies).
 */
import type { Counter, LatencyHistogram, MetricRegistry, TimeWeighted } from '../../metrics/index.ts';
import { IO_OP_NAMES, IoOp, IoStatus, type IoRequest } from '../block/io-request.ts';

const BYTES = { unit: 'B', scale: 1 } as const;
const MICROSECONDS = { unit: 'us' } as const;

export class WorkloadMetrics {
  private readonly issuedCount: Counter;
  private readonly failedCount: Counter;
  private readonly inFlight: TimeWeighted;
  /** Indexed by `IoOp`; trim entries exist only with `trims`. */
  private readonly completedByOp: Counter[] = [];
  private readonly bytesByOp: Counter[] = [];
  private readonly latencyByOp: LatencyHistogram[] = [];
  private outstanding = 0;

  constructor(
    metrics: MetricRegistry,
    private readonly path: string,
    options: { trims?: boolean } = {},
  ) {
    this.issuedCount = metrics.counter(`${path}/issued`);
    this.failedCount = metrics.counter(`${path}/failed`);
    this.inFlight = metrics.timeWeighted(`${path}/in_flight`);
    const ops = options.trims ? [IoOp.Read, IoOp.Write, IoOp.Trim] : [IoOp.Read, IoOp.Write];
    for (const op of ops) {
      const name = IO_OP_NAMES[op]!;
      this.completedByOp[op] = metrics.counter(`${path}/${name}s`);
      this.bytesByOp[op] = metrics.counter(`${path}/${name}_bytes`, BYTES);
      this.latencyByOp[op] = metrics.histogram(`${path}/${name}_latency`, MICROSECONDS);
    }
  }

  /** Requests submitted and not yet completed. */
  get inFlightNow(): number {
    return this.outstanding;
  }

  /** Call right before submitting `request`. */
  recordIssue(): void {
    this.issuedCount.add(1);
    this.inFlight.set(++this.outstanding);
  }

  /**
   * Call when `request` comes back at `nowNs`.
   * @throws Error when the device completed it with status still Pending (a contract violation).
   */
  recordCompletion(request: IoRequest, nowNs: number): void {
    this.inFlight.set(--this.outstanding);
    if (request.status === IoStatus.Ok) {
      const op = request.op;
      const completed = this.completedByOp[op];
      if (completed === undefined) throw new Error(`${this.path}: a ${IO_OP_NAMES[op]} request completed, but this workload does not issue them`);
      completed.add(1);
      this.bytesByOp[op]!.add(request.sizeBytes);
      this.latencyByOp[op]!.record(nowNs - request.submittedNs);
    } else if (request.status === IoStatus.Failed) {
      this.failedCount.add(1);
    } else {
      throw new Error(
        `${this.path}: the device completed a ${IO_OP_NAMES[request.op]} of ${request.sizeBytes} B at offset ${request.offsetBytes} B ` +
          `(submitted at ${request.submittedNs} ns) with status still Pending; allowed: IoStatus.Ok or IoStatus.Failed`,
      );
    }
  }
}
