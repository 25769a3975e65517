/**
 * Test doubles for the workload tests: a block device that is either a pure delay (every
 * request takes its service time, no queueing: an infinite-server station) or one FIFO
 * server, and logs every submission. Kept apart from `ideal-disk` so the workload tests do not
 * lean on another model of ours.
 */
import { Environment } from '../../../sim/engine/index.ts';
import { RandomStreams } from '../../../sim/engine/random/index.ts';
import { MetricRegistry } from '../../../sim/metrics/index.ts';
import { IoStatus, requestProblem, type BlockDevice, type IoRequest } from '../../../sim/models/block/io-request.ts';

export const S = 1e9;

export interface Submission {
  readonly atNs: number;
  readonly op: number;
  readonly offset: number;
  readonly size: number;
}

export class FakeDevice implements BlockDevice {
  readonly path = 'dev';
  readonly submissions: Submission[] = [];
  /** Throw away the log (for long runs); counts still kept. */
  keepLog = true;
  submitted = 0;
  private readonly waiting: IoRequest[] = [];
  private busy = false;

  constructor(
    private readonly env: Environment,
    readonly capacityBytes: number,
    readonly sectorBytes: number,
    private readonly serviceNs: (request: IoRequest) => number,
    private readonly oneServer: boolean,
  ) {}

  submit(request: IoRequest): void {
    const problem = requestProblem(this, request);
    if (problem !== undefined) throw new Error(`fake device got a bad request: ${problem}`);
    if (request.submittedNs !== this.env.now) throw new Error(`submittedNs ${request.submittedNs} is not now (${this.env.now})`);
    this.submitted++;
    if (this.keepLog) this.submissions.push({ atNs: this.env.now, op: request.op, offset: request.offsetBytes, size: request.sizeBytes });
    if (!this.oneServer) {
      this.env.schedule(this.serviceNs(request), (r: IoRequest) => this.complete(r), request);
    } else if (this.busy) {
      this.waiting.push(request);
    } else {
      this.startService(request);
    }
  }

  private startService(request: IoRequest): void {
    this.busy = true;
    this.env.schedule(this.serviceNs(request), (r: IoRequest) => {
      const next = this.waiting.shift();
      if (next === undefined) this.busy = false;
      else this.startService(next);
      this.complete(r);
    }, request);
  }

  private complete(request: IoRequest): void {
    request.status = IoStatus.Ok;
    request.requester.ioCompleted(request);
  }
}

/** A bare engine, metrics, streams and a fake device. */
export function harness(options: { capacityBytes?: number; sectorBytes?: number; serviceNs?: number | ((r: IoRequest) => number); oneServer?: boolean; seed?: number } = {}) {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const streams = new RandomStreams(options.seed ?? 1);
  const service = options.serviceNs ?? 1000;
  const device = new FakeDevice(env, options.capacityBytes ?? 2 ** 30, options.sectorBytes ?? 512, typeof service === 'number' ? () => service : service, options.oneServer ?? false);
  return {
    env,
    metrics,
    streams,
    device,
    /** Summary column value. */
    value(column: string): number | undefined {
      return metrics.summary().find((c) => c.column === column)?.value;
    },
  };
}

/** |x − mean| within z standard deviations. */
export function within(x: number, mean: number, sd: number, z: number, what: string): void {
  if (!(Math.abs(x - mean) <= z * sd)) throw new Error(`${what}: ${x} is more than ${z} sd (${sd}) from ${mean}`);
}

/** Pearson's chi-square statistic of observed counts against expected counts. */
export function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < observed.length; i++) sum += (observed[i]! - expected[i]!) ** 2 / expected[i]!;
  return sum;
}

/**
 * Upper 0.1% point of the chi-square distribution with k degrees of freedom, by the
 * Wilson–Hilferty approximation (Wilson & Hilferty 1931): k(1 − 2/(9k) + z√(2/(9k)))³, z = 3.0902.
 */
export function chiSquareCritical999(k: number): number {
  const z = 3.090232;
  return k * (1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k))) ** 3;
}
