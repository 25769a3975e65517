/** Test helpers: a network on a bare engine, with transfers placed by hand and their outcomes logged. */
import { Environment } from '../../../sim/engine/index.ts';
import { MetricRegistry } from '../../../sim/metrics/index.ts';
import { Network, type NetworkOptions } from '../../../sim/models/network/network.ts';
import type { Flow, TransferOptions } from '../../../sim/models/network/flow.ts';
import type { LinkSpec } from '../../../sim/models/network/topology.ts';

export const S = 1e9;
export const MS = 1e6;
/** 1 Gbit/s in bytes per second. */
export const GBIT = 1.25e8;

/** A link spec with bandwidth in bytes/s and latency in ns. */
export function link(from: string, to: string, bandwidthBytesPerS: number, latencyNs = 0, extra: Partial<LinkSpec> = {}): LinkSpec {
  return { from, to, bandwidthBytesPerS, latencyNs, ...extra };
}

export function networkHarness(options: NetworkOptions) {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const network = new Network(env, 'net', options, metrics);
  /** Flows whose callbacks ran, in callback order. */
  const done: Flow[] = [];
  const record = (flow: Flow) => done.push(flow);
  return {
    env,
    metrics,
    network,
    done,
    /** Starts a transfer at `atNs`; the flow is returned through `flows[index]` once started. */
    transferAt(atNs: number, from: string, to: string, bytes: number, options?: TransferOptions): { flow: Flow | null } {
      const holder: { flow: Flow | null } = { flow: null };
      env.schedule(atNs - env.now, () => (holder.flow = network.transfer(from, to, bytes, record, options)), null);
      return holder;
    },
    /** Starts a transfer now. */
    transfer(from: string, to: string, bytes: number, options?: TransferOptions): Flow {
      return network.transfer(from, to, bytes, record, options);
    },
    /** Summary column value. */
    value(column: string): number | undefined {
      return metrics.summary().find((c) => c.column === column)?.value;
    },
  };
}

/** Asserts |actual − expected| ≤ tolerance × |expected| (plus a tiny absolute slack). */
export function close(actual: number | undefined, expected: number, what: string, tolerance = 1e-9): void {
  if (actual === undefined || !(Math.abs(actual - expected) <= tolerance * Math.abs(expected) + 1e-12)) {
    throw new Error(`${what}: expected ${expected}, got ${actual}`);
  }
}
