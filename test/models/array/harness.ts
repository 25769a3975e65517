/**
 * Test helpers for the array models: an engine with metrics and streams, arrays with simple
 * defaults that a test overrides, and a requester that logs every completion (who, when, status).
 */
import { Environment } from '../../../sim/engine/index.ts';
import { constant, RandomStreams } from '../../../sim/engine/random/index.ts';
import { MetricRegistry } from '../../../sim/metrics/index.ts';
import { IoOp, IoRequest, IoStatus, type BlockDevice, type IoRequester } from '../../../sim/models/block/io-request.ts';
import { StorageArray, type StorageArrayOptions } from '../../../sim/models/array/storage-array.ts';

export const S = 1e9;
export const MiB = 1024 * 1024;

export function world(seed = 1) {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const streams = new RandomStreams(seed);
  return {
    env,
    metrics,
    streams,
    /** An array with zero backend latency, unlimited backend bandwidth, one 1 GB/s port, a 1 GB/s copy engine. */
    array(path: string, options: Partial<StorageArrayOptions> = {}): StorageArray {
      return new StorageArray(
        env,
        path,
        {
          backend: { parallelism: 64, readLatencyNs: constant(0), writeLatencyNs: constant(0), bandwidthBytesPerS: Infinity },
          ports: [{ bandwidthBytesPerS: 1e9 }],
          copyEngineBytesPerS: 1e9,
          ...options,
        },
        streams,
        metrics,
      );
    },
    /** Summary column value. */
    value(column: string): number | undefined {
      return metrics.summary().find((c) => c.column === column)?.value;
    },
  };
}

/** One logged completion. */
export interface Completion {
  readonly tag: number;
  readonly atNs: number;
  readonly ok: boolean;
  readonly failure: string;
  readonly latencyNs: number;
}

/** A requester that owns its requests and logs each completion; `insideSubmit` catches completions during submit. */
export class LoggingRequester implements IoRequester {
  readonly log: Completion[] = [];
  completedInsideSubmit = 0;
  private submitting = false;

  constructor(private readonly env: Environment) {}

  /** Submits a fresh request (tests only; real requesters reuse theirs). */
  submit(device: BlockDevice, op: IoOp, offsetBytes: number, sizeBytes: number, tag = 0): IoRequest {
    const request = new IoRequest(this).prepare(op, offsetBytes, sizeBytes, this.env.now);
    request.tag = tag;
    this.submitting = true;
    device.submit(request);
    this.submitting = false;
    return request;
  }

  /** Submits at absolute time `atNs`. */
  submitAt(atNs: number, device: BlockDevice, op: IoOp, offsetBytes: number, sizeBytes: number, tag = 0): void {
    this.env.scheduleAt(atNs, () => this.submit(device, op, offsetBytes, sizeBytes, tag), null);
  }

  ioCompleted(request: IoRequest): void {
    if (this.submitting) this.completedInsideSubmit++;
    this.log.push({
      tag: request.tag,
      atNs: this.env.now,
      ok: request.status === IoStatus.Ok,
      failure: request.failure,
      latencyNs: this.env.now - request.submittedNs,
    });
  }
}

/** |actual - expected| <= tolerance (absolute), with a message. */
export function near(actual: number | undefined, expected: number, tolerance: number, what: string): void {
  if (actual === undefined || !(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(`${what}: expected ${expected} ± ${tolerance}, got ${actual}`);
  }
}
