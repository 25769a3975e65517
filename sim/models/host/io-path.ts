/**
 * IO paths: how a VM's block requests reach the backing device, and the CPU each request
 * costs on the host on the way.
 *
 * - `emulated`: the hypervisor emulates a real controller (IDE, LSI Logic, ...). Every
 *   register access of the guest driver traps (a VM exit) into the device model, and data
 *   is copied through hypervisor buffers: the highest cost per IO and per byte.
 * - `paravirtual`: the guest runs a driver written for virtualization (virtio-blk, PVSCSI,
 *   Hyper-V storvsc over VMBus) that shares a request ring with the host backend: one
 *   notification per batch, no register emulation, usually no data copy; moderate cost in
 *   guest and host.
 * - `passthrough`: an SR-IOV virtual function (or a whole device) assigned to the guest
 *   (VFIO, DirectPath I/O, Discrete Device Assignment): only the guest's own driver runs;
 *   the hypervisor is not on the data path.
 *
 * The cost model: a request costs `submitNs` of core time before it goes to the device
 * and `completeNs` after the device answers (interrupt handling and, for virtual paths,
 * interrupt injection). With a `copyBytesPerS` throughput, each byte also costs
 * 1/copyBytesPerS seconds, charged where the copy happens: before the device for writes,
 * after it for reads. A phase that costs 0 skips the CPU entirely (no queueing).
 */
import { IoOp } from '../block/io-request.ts';
import { NS_PER_S } from '../../engine/index.ts';

export const IO_PATH_KINDS = ['emulated', 'paravirtual', 'passthrough'] as const;
export type IoPathKind = (typeof IO_PATH_KINDS)[number];

/** The host CPU one request costs on a path. */
export interface IoPathCost {
  /** Core time before the request goes to the device (ns). */
  readonly submitNs: number;
  /** Core time after the device completes it (ns). */
  readonly completeNs: number;
  /** Copy throughput (bytes/s) of data through hypervisor buffers; Infinity (or 0 bytes) for none. */
  readonly copyBytesPerS: number;
}

/** Core time (ns, integer) of the phase before the device, for a request of `op` and `sizeBytes`. */
export function submitCpuNs(cost: IoPathCost, op: IoOp, sizeBytes: number): number {
  return op === IoOp.Write ? cost.submitNs + copyNs(cost, sizeBytes) : cost.submitNs;
}

/** Core time (ns, integer) of the phase after the device. */
export function completeCpuNs(cost: IoPathCost, op: IoOp, sizeBytes: number): number {
  return op === IoOp.Read ? cost.completeNs + copyNs(cost, sizeBytes) : cost.completeNs;
}

/** Total core time (ns) one request costs on the path. */
export function totalCpuNs(cost: IoPathCost, op: IoOp, sizeBytes: number): number {
  return submitCpuNs(cost, op, sizeBytes) + completeCpuNs(cost, op, sizeBytes);
}

function copyNs(cost: IoPathCost, sizeBytes: number): number {
  return cost.copyBytesPerS === Infinity ? 0 : Math.round((sizeBytes * NS_PER_S) / cost.copyBytesPerS);
}

/** Throws a RangeError naming the bad field, if `cost` is not a valid cost. */
export function checkPathCost(cost: IoPathCost, what: string): void {
  for (const key of ['submitNs', 'completeNs'] as const) {
    if (!(Number.isInteger(cost[key]) && cost[key] >= 0)) throw new RangeError(`${what}: ${key} must be an integer number of ns >= 0, got ${cost[key]}`);
  }
  if (!(cost.copyBytesPerS > 0)) throw new RangeError(`${what}: copy throughput must be > 0 B/s (omit it for no copy cost), got ${cost.copyBytesPerS}`);
}
