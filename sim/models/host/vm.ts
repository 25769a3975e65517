/**
 * A virtual machine: placed on a host, with virtual disks, a boot phase and a lifecycle.
 *
 * States: stopped → booting → running ⇄ paused; running/paused → migrating (switchover) →
 * running/paused on the new host; any → stopped (`powerOff`); any → crashed (its host crashed).
 * Only a running VM's disks take workload requests into their IO path; requests that
 * arrive in any other state wait (see `virtual-disk.ts`).
 *
 * Boot: `powerOn()` replays the boot working set through the boot disk (through the IO path,
 * so it pays the path's CPU and the device's latency); when the last read completes the VM
 * runs, and `boot_time` is the time from `powerOn()` to then. A failed boot read stops the
 * VM (`boot_failures`).
 *
 * Lifecycle hooks for mechanisms (all take effect at the current simulated time):
 * - `powerOn()`: boot (from stopped or crashed; the host must be up);
 * - `powerOff()`: shut down: the boot is abandoned, requests already in the IO path finish
 *   normally, held requests fail with "vm stopped";
 * - `pause()` / `resume()`: while paused, new requests wait;
 * - `migrateTo(host, {copyNs, downtimeNs})`: a stopped or crashed VM moves at once (cold).
 *   A running or paused one live-migrates: it keeps running while its memory is copied
 *   (`copyNs`, default memory / the slower host's migration rate), then at switchover new
 *   requests wait, requests in the path drain on the old host, and after `downtimeNs`
 *   (default the target's migration downtime) it runs on the target. The returned event
 *   succeeds with true once moved, or false if the migration was abandoned (the VM stopped
 *   or crashed, or the target was down at switchover). Each disk's format must be one the
 *   target's hypervisor can attach; disks on the passthrough path cannot live-migrate.
 * - `onStateChange(listener)`: told of every state change.
 * (`start()` is not a lifecycle hook: it is the world's start-up call: it checks the boot disk
 * and schedules the power-on at `autoStartAtNs`.)
 *
 * Metrics under the VM's path: `read_latency`, `write_latency` (µs, as the VM sees them,
 * from `submit` to completion, including time held), `reads`, `writes`, `trims`,
 * `failed_ios`, `held_ios` (requests that had to wait for the VM to run), `boot_time` (s,
 * the most recent boot; a gauge, so it survives the warm-up reset), `boots`, `boot_reads`,
 * `boot_failures`, `migrations`, `running` (fraction of time running).
 */
import type { Environment, SimEvent } from '../../engine/index.ts';
import { NS_PER_S } from '../../engine/index.ts';
import type { Counter, LatencyHistogram, MetricRegistry, TimeWeighted } from '../../metrics/index.ts';
import { IoOp } from '../block/io-request.ts';
import { BootRun, type BootSet } from './boot.ts';
import type { Host } from './host.ts';
import type { VirtualDisk } from './virtual-disk.ts';

export const VM_STATES = ['stopped', 'booting', 'running', 'paused', 'migrating', 'crashed'] as const;
export type VmState = (typeof VM_STATES)[number];

/** The reason given to held requests failed by `powerOff()`. */
export const VM_STOPPED = 'vm stopped';

export interface VmBootOptions {
  set: BootSet;
  /** Boot reads outstanding at once. Default 1 (serial). */
  concurrency?: number;
  /** Path of the boot disk; default the first disk attached. */
  diskPath?: string;
}

export interface VmOptions {
  /** Guest memory (bytes), copied by a live migration. Default 4 GiB. */
  memoryBytes?: number;
  boot?: VmBootOptions;
  /** Power on by itself at this time (ns) once the world starts; omit to leave it stopped. */
  autoStartAtNs?: number;
}

export interface MigrateOptions {
  copyNs?: number;
  downtimeNs?: number;
}

export type VmStateListener = (vm: VirtualMachine, from: VmState, to: VmState) => void;

interface Migration {
  readonly target: Host;
  readonly done: SimEvent<boolean>;
  readonly downtimeNs: number;
  resumeState: VmState;
  draining: boolean;
}

export class VirtualMachine {
  readonly path: string;
  readonly env: Environment;
  readonly memoryBytes: number;
  private currentHost: Host;
  private currentState: VmState = 'stopped';
  private readonly diskList: VirtualDisk[] = [];
  private readonly boot: VmBootOptions | undefined;
  private readonly autoStartAtNs: number | undefined;
  private bootRun: BootRun | null = null;
  /** Identifies the current boot; bumped when a boot ends or is abandoned, so stale answers are ignored. */
  private bootToken = 0;
  private bootStartNs = 0;
  private lastBootNs = NaN;
  private migration: Migration | null = null;
  private activeAtCrash = false;
  private readonly listeners: VmStateListener[] = [];
  private readonly readLatency: LatencyHistogram;
  private readonly writeLatency: LatencyHistogram;
  private readonly reads: Counter;
  private readonly writes: Counter;
  private readonly trims: Counter;
  private readonly failed: Counter;
  private readonly held: Counter;
  private readonly boots: Counter;
  private readonly bootReads: Counter;
  private readonly bootFailures: Counter;
  private readonly migrations: Counter;
  private readonly running: TimeWeighted;
  private readonly emptyBootFn = (token: number) => this.bootFinished(token, true);
  private readonly switchoverFn = (m: Migration) => this.switchover(m);
  private readonly finishMigrationFn = (m: Migration) => this.finishMigration(m);

  constructor(env: Environment, path: string, host: Host, options: VmOptions, metrics: MetricRegistry) {
    this.env = env;
    this.path = path;
    this.currentHost = host;
    this.memoryBytes = options.memoryBytes ?? 4 * 2 ** 30;
    this.boot = options.boot;
    this.autoStartAtNs = options.autoStartAtNs;
    if (this.boot !== undefined && !(Number.isInteger(this.boot.concurrency ?? 1) && (this.boot.concurrency ?? 1) >= 1)) {
      throw new RangeError(`${path}: boot concurrency must be an integer >= 1, got ${this.boot.concurrency}`);
    }
    host.place(this);
    this.readLatency = metrics.histogram(`${path}/read_latency`, { unit: 'us' });
    this.writeLatency = metrics.histogram(`${path}/write_latency`, { unit: 'us' });
    this.reads = metrics.counter(`${path}/reads`);
    this.writes = metrics.counter(`${path}/writes`);
    this.trims = metrics.counter(`${path}/trims`);
    this.failed = metrics.counter(`${path}/failed_ios`);
    this.held = metrics.counter(`${path}/held_ios`);
    this.boots = metrics.counter(`${path}/boots`);
    this.bootReads = metrics.counter(`${path}/boot_reads`);
    this.bootFailures = metrics.counter(`${path}/boot_failures`);
    this.migrations = metrics.counter(`${path}/migrations`);
    this.running = metrics.timeWeighted(`${path}/running`);
    metrics.gauge(`${path}/boot_time`, () => this.lastBootNs, { unit: 's' });
  }

  get host(): Host {
    return this.currentHost;
  }

  get state(): VmState {
    return this.currentState;
  }

  get disks(): readonly VirtualDisk[] {
    return this.diskList;
  }

  /** Whether its disks take workload requests into the IO path now. */
  get acceptsIo(): boolean {
    return this.currentState === 'running';
  }

  /** Duration (ns) of the most recent completed boot; NaN before the first. */
  get lastBootTimeNs(): number {
    return this.lastBootNs;
  }

  /** Whether the VM was booting, running, paused or migrating when its host last crashed. */
  get wasActiveAtCrash(): boolean {
    return this.activeAtCrash;
  }

  onStateChange(listener: VmStateListener): void {
    this.listeners.push(listener);
  }

  /** Called by a virtual disk's constructor. Checks the boot set fits the boot disk. */
  attachDisk(disk: VirtualDisk): void {
    if (this.diskList.some((d) => d.path === disk.path)) throw new Error(`${this.path}: a disk "${disk.path}" is already attached`);
    this.diskList.push(disk);
    if (this.boot === undefined || this.bootDisk() !== disk) return;
    const set = this.boot.set;
    for (let i = 0; i < set.length; i++) {
      const offset = set.offsets[i]!;
      const size = set.sizes[i]!;
      if (offset % disk.sectorBytes !== 0 || size % disk.sectorBytes !== 0 || !(size > 0) || offset + size > disk.capacityBytes) {
        throw new RangeError(
          `${this.path}: boot read ${i} [${offset}, ${offset + size}) B does not fit boot disk ${disk.path} ` +
            `(${disk.capacityBytes} B, ${disk.sectorBytes} B sectors); allowed: sector-aligned reads within the disk`,
        );
      }
      disk.markAllocated(offset, size); // the guest's OS image is data the disk already holds
    }
  }

  /**
   * World hook, called once when every component is built and before time starts: checks
   * that the boot disk exists and schedules the automatic power-on, if any.
   */
  start(): void {
    if (this.boot !== undefined && this.boot.set.length > 0 && this.bootDisk() === undefined) {
      throw new Error(`${this.path}: boots from ${this.boot.diskPath === undefined ? 'its first disk, but no disk is attached' : `"${this.boot.diskPath}", which is not one of its disks`}`);
    }
    // A host that is down at that time leaves the VM stopped.
    if (this.autoStartAtNs !== undefined) this.env.schedule(this.autoStartAtNs, () => this.currentHost.up && this.powerOn(), null);
  }

  /** Begins a boot (see the file comment). Does nothing while booting or running. */
  powerOn(): void {
    const state = this.currentState;
    if (state === 'booting' || state === 'running') return;
    if (state !== 'stopped' && state !== 'crashed') throw new Error(`${this.path}: cannot power on a ${state} VM; allowed from stopped or crashed (resume a paused one)`);
    if (!this.currentHost.up) throw new Error(`${this.path}: cannot power on: host ${this.currentHost.path} is down`);
    this.setState('booting');
    this.boots.add(1);
    this.bootStartNs = this.env.now;
    const token = ++this.bootToken;
    const set = this.boot?.set;
    if (set === undefined || set.length === 0) {
      this.env.schedule(0, this.emptyBootFn, token);
      return;
    }
    const disk = this.bootDisk();
    if (disk === undefined) {
      this.setState('stopped');
      throw new Error(`${this.path}: has boot reads but no boot disk ${this.boot?.diskPath === undefined ? '(no vm-disk attached)' : `"${this.boot.diskPath}"`}`);
    }
    const run = new BootRun(disk, set, this.boot!.concurrency ?? 1, (ok) => this.bootFinished(token, ok), () => this.env.now);
    this.bootRun = run;
    this.bootReads.add(set.length);
    run.start();
  }

  /** Shuts the VM down (see the file comment). Does nothing if stopped or crashed. */
  powerOff(): void {
    const state = this.currentState;
    if (state === 'stopped' || state === 'crashed') return;
    this.abandonBoot();
    this.abandonMigration();
    this.setState('stopped');
    for (const disk of this.diskList) disk.failHeld(VM_STOPPED);
  }

  /** Pauses a running VM: new requests wait until `resume`. */
  pause(): void {
    if (this.currentState === 'paused') return;
    if (this.currentState !== 'running') throw new Error(`${this.path}: cannot pause a ${this.currentState} VM; allowed when running`);
    this.setState('paused');
  }

  resume(): void {
    if (this.currentState === 'running') return;
    if (this.currentState !== 'paused') throw new Error(`${this.path}: cannot resume a ${this.currentState} VM; allowed when paused`);
    this.setState('running');
    this.releaseHeld();
  }

  /** Moves the VM to `target` (see the file comment). */
  migrateTo(target: Host, options: MigrateOptions = {}): SimEvent<boolean> {
    const done = this.env.event<boolean>();
    if (target === this.currentHost) return done.succeed(true);
    for (const disk of this.diskList) {
      if (!target.profile.formats.includes(disk.format)) {
        throw new Error(`${this.path}: disk ${disk.path} is ${disk.format}, which ${target.path} (${target.profile.label}) cannot attach; allowed: ${target.profile.formats.join(', ')} (convert the disk first)`);
      }
    }
    const state = this.currentState;
    if (state === 'stopped' || state === 'crashed') {
      this.move(target);
      this.migrations.add(1);
      return done.succeed(true);
    }
    if (this.migration !== null || state === 'migrating') throw new Error(`${this.path}: already migrating`);
    if (state !== 'running' && state !== 'paused') throw new Error(`${this.path}: cannot live-migrate a ${state} VM; allowed: running, paused, or (cold) stopped, crashed`);
    const passthrough = this.diskList.find((d) => d.pathKind === 'passthrough');
    if (passthrough !== undefined) throw new Error(`${this.path}: disk ${passthrough.path} is a passthrough device, which cannot be live-migrated; stop the VM first`);
    if (!target.up) throw new Error(`${this.path}: cannot migrate to ${target.path}: the host is down`);
    const rate = Math.min(this.currentHost.migrationRateBytesPerS, target.migrationRateBytesPerS);
    const copyNs = options.copyNs ?? Math.round((this.memoryBytes * NS_PER_S) / rate);
    const migration: Migration = { target, done, downtimeNs: options.downtimeNs ?? target.migrationDowntimeNs, resumeState: state, draining: false };
    this.migration = migration;
    this.env.schedule(copyNs, this.switchoverFn, migration);
    return done;
  }

  /**
   * Called by the host when it crashes: an active VM crashes (a stopped one stays stopped), and
   * every request its disks hold or carry fails with `reason`. Returns how many workload requests failed.
   */
  hostCrashed(reason: string): number {
    const state = this.currentState;
    this.activeAtCrash = state !== 'stopped' && state !== 'crashed';
    this.abandonBoot();
    this.abandonMigration();
    if (this.activeAtCrash) this.setState('crashed'); // a stopped VM stays stopped
    let failed = 0;
    for (const disk of this.diskList) failed += disk.failOutstanding(reason);
    return failed;
  }

  /** Called by a disk when one of the VM's workload requests completes. */
  recordIo(op: IoOp, latencyNs: number, ok: boolean): void {
    if (!ok) {
      this.failed.add(1);
    } else if (op === IoOp.Read) {
      this.reads.add(1);
      this.readLatency.record(latencyNs);
    } else if (op === IoOp.Write) {
      this.writes.add(1);
      this.writeLatency.record(latencyNs);
    } else {
      this.trims.add(1);
    }
  }

  countFailed(): void {
    this.failed.add(1);
  }

  countHeld(): void {
    this.held.add(1);
  }

  /** Called by a disk whose IO path has just emptied (a switchover may be waiting for it). */
  diskDrained(): void {
    const m = this.migration;
    if (m !== null && m.draining && this.diskList.every((d) => d.inFlight === 0)) {
      m.draining = false;
      this.env.schedule(m.downtimeNs, this.finishMigrationFn, m);
    }
  }

  private bootDisk(): VirtualDisk | undefined {
    const name = this.boot?.diskPath;
    return name === undefined ? this.diskList[0] : this.diskList.find((d) => d.path === name);
  }

  private bootFinished(token: number, ok: boolean): void {
    if (token !== this.bootToken) return;
    this.bootToken++;
    this.bootRun = null;
    if (!ok) {
      this.bootFailures.add(1);
      this.setState('stopped');
      return;
    }
    this.lastBootNs = this.env.now - this.bootStartNs;
    this.setState('running');
    this.releaseHeld();
  }

  private abandonBoot(): void {
    this.bootToken++;
    this.bootRun?.cancel();
    this.bootRun = null;
  }

  private abandonMigration(): void {
    const m = this.migration;
    if (m === null) return;
    this.migration = null;
    m.done.succeed(false);
  }

  private switchover(m: Migration): void {
    if (this.migration !== m) return;
    if (!m.target.up) {
      this.migration = null;
      m.done.succeed(false);
      return;
    }
    m.resumeState = this.currentState; // running or paused now
    this.setState('migrating');
    if (this.diskList.every((d) => d.inFlight === 0)) {
      this.env.schedule(m.downtimeNs, this.finishMigrationFn, m);
    } else {
      m.draining = true;
    }
  }

  private finishMigration(m: Migration): void {
    if (this.migration !== m) return;
    this.migration = null;
    const moved = m.target.up;
    if (moved) {
      this.move(m.target);
      this.migrations.add(1);
    }
    this.setState(m.resumeState);
    if (m.resumeState === 'running') this.releaseHeld();
    m.done.succeed(moved);
  }

  private move(target: Host): void {
    this.currentHost.remove(this);
    target.place(this);
    this.currentHost = target;
  }

  private releaseHeld(): void {
    for (const disk of this.diskList) disk.releaseHeld();
  }

  private setState(to: VmState): void {
    const from = this.currentState;
    if (from === to) return;
    this.currentState = to;
    this.running.set(to === 'running' ? 1 : 0);
    for (const listener of this.listeners) listener(this, from, to);
  }
}
