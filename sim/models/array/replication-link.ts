/**
 * A replication link between two arrays (typically a primary and its secondary). Copy segments
 * offloaded from a volume on one array to a volume on the other move over it: after the link's
 * latency (plus the copy manager's per-segment overhead) they share its bandwidth equally. The
 * link carries nothing else here (replication traffic is not modelled). If either array fails,
 * every segment on the link fails.
 *
 * Metrics under `<a>/link-<b>/`: `bytes` (B), `failed_segments`.
 */
import type { Environment } from '../../engine/index.ts';
import type { MetricRegistry } from '../../metrics/index.ts';
import { OffloadRunner } from './offload-runner.ts';
import type { StorageArray } from './storage-array.ts';

/** Options of a replication link. */
export interface ReplicationLinkOptions {
  /** B/s, finite and > 0. */
  bandwidthBytesPerS: number;
  /** One-way latency added to each segment, ns (default 0). */
  latencyNs?: number;
}

export class ReplicationLink {
  readonly path: string;
  readonly latencyNs: number;
  readonly runner: OffloadRunner;

  /** Use `linkArrays`, which also registers the link with both arrays. */
  constructor(
    env: Environment,
    readonly a: StorageArray,
    readonly b: StorageArray,
    options: ReplicationLinkOptions,
    metrics: MetricRegistry,
  ) {
    const latencyNs = options.latencyNs ?? 0;
    if (!(latencyNs >= 0 && latencyNs < Infinity)) throw new RangeError(`link latency must be >= 0 ns, got ${latencyNs}`);
    this.path = `${a.path}/link-${b.path}`;
    this.latencyNs = latencyNs;
    this.runner = new OffloadRunner(env, this.path, options.bandwidthBytesPerS, {
      bytes: metrics.counter(`${this.path}/bytes`, { unit: 'B', scale: 1 }),
      failedSegments: metrics.counter(`${this.path}/failed_segments`),
    });
  }

  /** The array at the other end from `array`. */
  peerOf(array: StorageArray): StorageArray {
    return array === this.a ? this.b : this.a;
  }
}

/** Links two arrays (at most one link per pair) and returns the link. */
export function linkArrays(env: Environment, a: StorageArray, b: StorageArray, options: ReplicationLinkOptions, metrics: MetricRegistry): ReplicationLink {
  if (a === b) throw new Error(`array "${a.path}" cannot be linked to itself`);
  if (a.linkTo(b) !== undefined) throw new Error(`arrays "${a.path}" and "${b.path}" are already linked; declare the link on one of them only`);
  const link = new ReplicationLink(env, a, b, options, metrics);
  a.addLink(link);
  b.addLink(link);
  return link;
}
