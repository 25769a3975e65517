/**
 * A physical host running a hypervisor: its cores (a `HostCpu`), the CPU cost of each IO
 * path on it (the hypervisor kind's defaults, overridable), the VMs placed on it, and its
 * crash and recovery.
 *
 * Metrics under the host's path:
 * - `cpu_utilization` (fraction of cores busy, time-weighted) and `cpu_run_queue` (see `cpu.ts`);
 * - `<path kind>/cpu_per_io` (µs histogram): core time each completed request used on the
 *   path, e.g. `host1/paravirtual/cpu_per_io_mean_us` (kinds are the generic names;
 *   `profile.pathNames` gives the product names);
 * - `up` (fraction of time up), `crashes`, `crash_failed_ios` (workload requests failed by crashes).
 *
 * Fault hooks:
 * - `crash()`: the host goes down at once. Every CPU task is dropped; every VM on it that was
 *   booting, running, paused or migrating goes to `crashed` (stopped ones stay stopped);
 *   every request its VMs' disks had accepted and not completed (held, waiting, on a core,
 *   or at the backing device) fails exactly once with reason "host crashed", from an engine
 *   event at the crash time. Answers the backing device gives later are absorbed.
 * - `recover(restartVms?)`: the host is up again. VMs stay crashed unless `restartVms` is
 *   true, when those that were running (or booting, paused, migrating) boot again; otherwise
 *   a mechanism decides where and when they start (`vm.powerOn()`, `vm.migrateTo()`).
 */
import type { Environment } from '../../engine/index.ts';
import type { Counter, LatencyHistogram, MetricRegistry, TimeWeighted } from '../../metrics/index.ts';
import { HostCpu } from './cpu.ts';
import { HYPERVISORS, type HypervisorKind, type HypervisorProfile } from './hypervisor.ts';
import { checkPathCost, IO_PATH_KINDS, type IoPathCost, type IoPathKind } from './io-path.ts';
import type { VirtualMachine } from './vm.ts';

/** The reason given to requests failed by a host crash. */
export const HOST_CRASHED = 'host crashed';

/** Illustrative defaults for the workflow rates (override per host). */
export const HOST_DEFAULTS = Object.freeze({
  /** Disk image conversion throughput: a few hundred MB/s, typical of `qemu-img convert` on SSDs (illustrative). */
  conversionRateBytesPerS: 500e6,
  /** Live migration copy bandwidth: a 10 Gbit/s link. */
  migrationRateBytesPerS: 10e9 / 8,
  /** Live migration switchover downtime: Clark et al., "Live Migration of Virtual Machines", NSDI 2005, report 60–210 ms. */
  migrationDowntimeNs: 100e6,
});

export interface HostOptions {
  cores: number;
  hypervisor: HypervisorKind;
  /** Per-path overrides of the hypervisor's default costs; unspecified fields keep the default. */
  pathCosts?: Partial<Record<IoPathKind, Partial<IoPathCost>>>;
  conversionRateBytesPerS?: number;
  migrationRateBytesPerS?: number;
  migrationDowntimeNs?: number;
}

export class Host {
  readonly path: string;
  readonly env: Environment;
  readonly cpu: HostCpu;
  readonly profile: HypervisorProfile;
  readonly conversionRateBytesPerS: number;
  readonly migrationRateBytesPerS: number;
  readonly migrationDowntimeNs: number;
  private readonly costs: Record<IoPathKind, IoPathCost>;
  private readonly residents: VirtualMachine[] = [];
  private isUp = true;
  private readonly metrics: MetricRegistry;
  private readonly cpuPerIo: Partial<Record<IoPathKind, LatencyHistogram>> = {};
  private readonly upMetric: TimeWeighted;
  private readonly crashes: Counter;
  private readonly crashFailed: Counter;

  constructor(env: Environment, path: string, options: HostOptions, metrics: MetricRegistry) {
    this.env = env;
    this.path = path;
    this.metrics = metrics;
    this.profile = HYPERVISORS[options.hypervisor];
    if (this.profile === undefined) throw new RangeError(`${path}: unknown hypervisor "${options.hypervisor}"; allowed: ${Object.keys(HYPERVISORS).join(', ')}`);
    this.cpu = new HostCpu(env, path, options.cores, metrics);
    const costs = {} as Record<IoPathKind, IoPathCost>;
    for (const kind of IO_PATH_KINDS) {
      const cost = { ...this.profile.defaultCosts[kind], ...options.pathCosts?.[kind] };
      checkPathCost(cost, `${path} ${kind} path`);
      costs[kind] = Object.freeze(cost);
    }
    this.costs = costs;
    this.conversionRateBytesPerS = options.conversionRateBytesPerS ?? HOST_DEFAULTS.conversionRateBytesPerS;
    this.migrationRateBytesPerS = options.migrationRateBytesPerS ?? HOST_DEFAULTS.migrationRateBytesPerS;
    this.migrationDowntimeNs = options.migrationDowntimeNs ?? HOST_DEFAULTS.migrationDowntimeNs;
    this.upMetric = metrics.timeWeighted(`${path}/up`, { initial: 1 });
    this.crashes = metrics.counter(`${path}/crashes`);
    this.crashFailed = metrics.counter(`${path}/crash_failed_ios`);
  }

  get up(): boolean {
    return this.isUp;
  }

  /** The VMs placed on this host, in placement order. */
  get vms(): readonly VirtualMachine[] {
    return this.residents;
  }

  /** The CPU cost of one request on `kind` here. */
  pathCost(kind: IoPathKind): IoPathCost {
    return this.costs[kind];
  }

  /** Called by the VM model when a VM is placed here or leaves. */
  place(vm: VirtualMachine): void {
    if (!this.residents.includes(vm)) this.residents.push(vm);
  }

  remove(vm: VirtualMachine): void {
    const i = this.residents.indexOf(vm);
    if (i >= 0) this.residents.splice(i, 1);
  }

  /** Called by virtual disks when a request completes: its core time on `kind`. */
  recordCpuPerIo(kind: IoPathKind, cpuNs: number): void {
    (this.cpuPerIo[kind] ??= this.metrics.histogram(`${this.path}/${kind}/cpu_per_io`, { unit: 'us' })).record(cpuNs);
  }

  /** Fault hook: the host fails now (see the file comment). Does nothing if it is already down. */
  crash(): void {
    if (!this.isUp) return;
    this.isUp = false;
    this.upMetric.set(0);
    this.crashes.add(1);
    this.cpu.abortAll();
    let failed = 0;
    for (const vm of this.residents.slice()) failed += vm.hostCrashed(HOST_CRASHED);
    this.crashFailed.add(failed);
  }

  /** Fault hook: the host is back (see the file comment). Does nothing if it is up. */
  recover(restartVms = false): void {
    if (this.isUp) return;
    this.isUp = true;
    this.upMetric.set(1);
    if (!restartVms) return;
    for (const vm of this.residents.slice()) if (vm.state === 'crashed' && vm.wasActiveAtCrash) vm.powerOn();
  }
}
