/**
 * Test helpers for the host models: a fixed-latency fake block device, a requester that
 * logs every completion, and a one-host/one-VM/one-disk world built by hand.
 */
import { Environment } from '../../../sim/engine/index.ts';
import { MetricRegistry } from '../../../sim/metrics/index.ts';
import { IoOp, IoRequest, IoStatus, type BlockDevice, type IoRequester } from '../../../sim/models/block/io-request.ts';
import { BootSet } from '../../../sim/models/host/boot.ts';
import type { DiskFormat } from '../../../sim/models/host/disk-format.ts';
import { Host, type HostOptions } from '../../../sim/models/host/host.ts';
import type { IoPathKind } from '../../../sim/models/host/io-path.ts';
import { VirtualDisk, type VirtualDiskOptions } from '../../../sim/models/host/virtual-disk.ts';
import { VirtualMachine, type VmOptions } from '../../../sim/models/host/vm.ts';

export const US = 1e3;
export const MS = 1e6;
export const S = 1e9;

/** One submission the fake device saw. */
export interface DeviceLogEntry {
  op: IoOp;
  offsetBytes: number;
  sizeBytes: number;
  atNs: number;
}

/**
 * A block device that completes every request `latencyNs` after it arrives, any number at
 * once (no queueing), and logs what it was asked. `failWith` makes it fail requests.
 */
export class FixedLatencyDevice implements BlockDevice {
  readonly log: DeviceLogEntry[] = [];
  failWith = '';
  private readonly completeFn = (request: IoRequest) => this.complete(request);

  constructor(
    private readonly env: Environment,
    readonly path: string,
    readonly latencyNs: number,
    readonly capacityBytes = 2 ** 40,
    readonly sectorBytes = 512,
  ) {}

  submit(request: IoRequest): void {
    this.log.push({ op: request.op, offsetBytes: request.offsetBytes, sizeBytes: request.sizeBytes, atNs: this.env.now });
    this.env.schedule(this.latencyNs, this.completeFn, request);
  }

  private complete(request: IoRequest): void {
    request.status = this.failWith === '' ? IoStatus.Ok : IoStatus.Failed;
    request.failure = this.failWith;
    request.requester.ioCompleted(request);
  }
}

/** One completion a `LoggingRequester` saw. */
export interface Completion {
  id: number;
  ok: boolean;
  failure: string;
  latencyNs: number;
  atNs: number;
}

/** Submits fresh requests (one object each, so completions can be counted per request) and logs completions. */
export class LoggingRequester implements IoRequester {
  readonly completions: Completion[] = [];
  /** Completions per request id. */
  readonly timesCompleted: number[] = [];
  submitted = 0;
  onComplete: ((c: Completion) => void) | null = null;

  constructor(
    private readonly env: Environment,
    private readonly device: BlockDevice,
  ) {}

  submit(op: IoOp, offsetBytes: number, sizeBytes: number): number {
    const request = new IoRequest(this);
    const id = this.submitted++;
    request.tag = id;
    this.timesCompleted[id] = 0;
    this.device.submit(request.prepare(op, offsetBytes, sizeBytes, this.env.now));
    return id;
  }

  /** Submits at absolute time `atNs`. */
  submitAt(atNs: number, op: IoOp, offsetBytes: number, sizeBytes: number): void {
    this.env.scheduleAt(atNs, () => this.submit(op, offsetBytes, sizeBytes), null);
  }

  ioCompleted(request: IoRequest): void {
    this.timesCompleted[request.tag] = (this.timesCompleted[request.tag] ?? 0) + 1;
    const c = {
      id: request.tag,
      ok: request.status === IoStatus.Ok,
      failure: request.failure,
      latencyNs: this.env.now - request.submittedNs,
      atNs: this.env.now,
    };
    this.completions.push(c);
    this.onComplete?.(c);
  }
}

export interface WorldOptions {
  host?: Partial<HostOptions>;
  vm?: VmOptions;
  disk?: Partial<Omit<VirtualDiskOptions, 'backing'>>;
  path?: IoPathKind;
  format?: DiskFormat;
  deviceLatencyNs?: number;
  /** Boot reads as [offset, size] pairs (default: none, the VM runs right after power-on). */
  bootReads?: [number, number][];
}

/** A host with one VM and one disk on a fixed-latency device; the VM is powered on at time 0. */
export function oneVmWorld(options: WorldOptions = {}) {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const host = new Host(env, 'host1', { cores: 1, hypervisor: 'kvm', ...options.host }, metrics);
  const device = new FixedLatencyDevice(env, 'dev', options.deviceLatencyNs ?? 0);
  const boot = options.bootReads === undefined ? undefined : { set: BootSet.fromList(options.bootReads.map(([offsetBytes, sizeBytes]) => ({ offsetBytes, sizeBytes }))) };
  const vm = new VirtualMachine(env, 'vm1', host, { ...(boot === undefined ? {} : { boot }), ...options.vm }, metrics);
  const path = options.path ?? 'paravirtual';
  const disk = new VirtualDisk(env, 'disk1', vm, {
    sizeBytes: 2 ** 30,
    format: options.format ?? (path === 'passthrough' ? 'raw' : 'qcow2'),
    path,
    backing: device,
    ...options.disk,
  });
  vm.powerOn();
  const requester = new LoggingRequester(env, disk);
  return {
    env,
    metrics,
    host,
    vm,
    disk,
    device,
    requester,
    /** Summary column value (undefined when absent). */
    value(column: string): number | undefined {
      return metrics.summary().find((c) => c.column === column)?.value;
    },
  };
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
