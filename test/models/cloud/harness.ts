/**
 * Test helpers for the cloud models: a store on a bare engine with clients made to order, a
 * summary lookup, and a byte-level expansion of content descriptions (each byte of source s at
 * offset o is a hash of (s, o); zero-source bytes are 0), so tests can compare what objects hold
 * byte for byte against reference arrays they keep themselves.
 */
import { Environment } from '../../../sim/engine/index.ts';
import { RandomStreams, constant, type Distribution } from '../../../sim/engine/random/index.ts';
import { MetricRegistry } from '../../../sim/metrics/index.ts';
import type { RetryPolicy } from '../../../sim/models/cloud/backoff.ts';
import { ZERO_SOURCE, type Content } from '../../../sim/models/cloud/content.ts';
import type { ObjectClient, ObjectClientOptions } from '../../../sim/models/cloud/object-client.ts';
import { ObjectStore, type ObjectStoreOptions } from '../../../sim/models/cloud/object-store.ts';
import type { Region } from '../../../sim/models/cloud/region.ts';

export const S = 1e9;
export const MS = 1e6;
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;

export const EU: Region = { name: 'eu-west-1', jurisdiction: 'EU' };

export const NO_RETRY: RetryPolicy = { maxAttempts: 1, baseDelayNs: 0, maxDelayNs: 0 };

export interface HarnessOptions extends Partial<Omit<ObjectStoreOptions, 'firstByteLatencyNs'>> {
  firstByteLatencyNs?: Distribution;
  seed?: number;
}

export function cloudHarness(options: HarnessOptions = {}) {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const streams = new RandomStreams(options.seed ?? 1);
  const store = new ObjectStore(
    env,
    's3',
    { region: EU, firstByteLatencyNs: constant(0), ...options } as ObjectStoreOptions,
    streams.stream('s3/latency'),
    metrics,
  );
  store.createBucket('b');
  let clients = 0;
  const client = (o: Partial<ObjectClientOptions> = {}): ObjectClient => {
    const path = o.path ?? `c${clients++}`;
    return store.client({ ...o, path }, streams.stream(`${path}/backoff`));
  };
  const value = (column: string): number => {
    const found = metrics.summary().find((c) => c.column === column);
    if (found === undefined) throw new Error(`no column ${column}`);
    return found.value;
  };
  return { env, metrics, streams, store, client, value };
}

/** A byte of source `source` at `offset` (0 for the zero source): a fixed hash, never content-dependent. */
export function byteOf(source: string, offset: number): number {
  if (source === ZERO_SOURCE) return 0;
  let h = 2166136261 ^ offset;
  for (let i = 0; i < source.length; i++) h = Math.imul(h ^ source.charCodeAt(i), 16777619);
  h = Math.imul(h ^ (offset >>> 8), 16777619);
  return (h >>> 24) & 0xff;
}

/** The bytes a content description stands for. */
export function bytesOf(content: Content): Uint8Array {
  let length = 0;
  for (const e of content) length += e.length;
  const out = new Uint8Array(length);
  let p = 0;
  for (const e of content) for (let k = 0; k < e.length; k++) out[p++] = byteOf(e.source, e.offset + k);
  return out;
}

/** Index of the first differing byte, or -1. */
export function firstByteDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
