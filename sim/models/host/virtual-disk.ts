/**
 * A VM's virtual disk: a `BlockDevice` of its own size and format, backed by a range of
 * another block device (a slice of an SSD, an NVMe virtual function, an array volume),
 * reached through the VM's IO path on its current host.
 *
 * One request's journey (latency as the VM sees it = the sum of these):
 *   [wait for a path slot when `queueDepth` requests are already in the path]
 *   → CPU before the device on the host (path's submit cost; waits for a free core)
 *   → the backing device, at `backingOffset + offset`
 *   → CPU after the device (path's completion cost; waits for a free core)
 *   → completed to the requester.
 * Address mapping is linear: format metadata is not interleaved with data on the backing
 * range (it only matters for conversion; see `disk-format.ts`).
 *
 * While the VM is not running (booting, paused, migrating, stopped, crashed), requests
 * from outside wait ("held") and enter the path in arrival order when it runs again: the
 * workload stands for the guest's applications, which do not run either. Boot reads use
 * `submitBoot` and bypass the hold.
 *
 * Thin provisioning (optional): a bitmap of allocated grains. A read entirely within
 * never-written grains returns zeros without touching the backing device (it still costs
 * the path's CPU); writes allocate, trims deallocate the grains they cover fully.
 *
 * Faults: `failOutstanding(reason)` (called when the host crashes, and by `VirtualMachine.powerOff`
 * for held requests) fails every request the disk has accepted but not completed, exactly
 * once, from an engine event. Requests that were at the backing device are completed as
 * failed at once; the device's later answer is absorbed. Counted in the VM's `failed_ios`.
 *
 * No allocation per request once the slot pool has grown to the highest concurrency seen.
 */
import type { Environment } from '../../engine/index.ts';
import { IoOp, IoRequest, IoStatus, requestProblem, type BlockDevice, type IoRequester } from '../block/io-request.ts';
import type { CpuTask } from './cpu.ts';
import type { DiskFormat } from './disk-format.ts';
import { Fifo } from './fifo.ts';
import type { Host } from './host.ts';
import { completeCpuNs, submitCpuNs, type IoPathKind } from './io-path.ts';
import type { VirtualMachine } from './vm.ts';

const IDLE = 0;
const WAITING = 1;
const CPU_SUBMIT = 2;
const AT_DEVICE = 3;
const CPU_COMPLETE = 4;

/** One request in the path: the requester's request, our own request to the device, and where it stands. */
class Slot implements CpuTask {
  cpuNs = 0;
  phase = IDLE;
  upper: IoRequest | null = null;
  readonly lower: IoRequest;
  arrivalNs = 0;
  /** Core time charged so far (both phases). */
  cpuSpentNs = 0;
  /** The host whose CPU this request uses (the VM's host when it entered the path). */
  host: Host | null = null;
  /** A boot read (not counted in the workload's metrics). */
  boot = false;
  /** The request was failed (crash) while its lower request was at the device: absorb the answer. */
  orphaned = false;
  /** Why the device (or the disk) failed the request; '' when it succeeded. */
  failure = '';

  constructor(readonly disk: VirtualDisk) {
    this.lower = new IoRequest(disk);
    this.lower.context = this;
  }

  cpuDone(): void {
    this.disk.cpuPhaseDone(this);
  }
}

/** How a virtual disk is built. */
export interface VirtualDiskOptions {
  /** Virtual size (bytes), a multiple of the sector size. */
  sizeBytes: number;
  format: DiskFormat;
  path: IoPathKind;
  backing: BlockDevice;
  /** Where the disk starts on the backing device (bytes). Default 0. */
  backingOffsetBytes?: number;
  /** Sector size the guest sees; a multiple of the backing device's. Default: the backing's. */
  sectorBytes?: number;
  /** Most requests in the path at once (the virtual controller's queue); more wait. Default unlimited. */
  queueDepth?: number;
  /** Thin provisioning with this allocation grain (bytes); omit for a thick disk. */
  thinGrainBytes?: number;
}

export class VirtualDisk implements BlockDevice, IoRequester {
  readonly path: string;
  readonly capacityBytes: number;
  readonly sectorBytes: number;
  readonly pathKind: IoPathKind;
  readonly queueDepth: number;
  /** The disk's format; changed by a conversion. */
  format: DiskFormat;
  private backingDevice: BlockDevice;
  private backingOffset: number;
  private readonly env: Environment;
  private readonly slots: Slot[] = [];
  private readonly freeSlots: Slot[] = [];
  private readonly waiting = new Fifo<Slot>();
  private readonly held = new Fifo<IoRequest>();
  private inPath = 0;
  private readonly grainBytes: number;
  private readonly allocated: Uint32Array | null;
  private allocatedGrains = 0;
  private readonly completeFailedFn = (request: IoRequest) => this.completeFailed(request);
  private readonly deviceSkippedFn = (slot: Slot) => this.deviceDone(slot);

  constructor(
    env: Environment,
    path: string,
    readonly vm: VirtualMachine,
    options: VirtualDiskOptions,
  ) {
    this.env = env;
    this.path = path;
    this.format = options.format;
    this.pathKind = options.path;
    this.sectorBytes = options.sectorBytes ?? options.backing.sectorBytes;
    this.capacityBytes = options.sizeBytes;
    this.queueDepth = options.queueDepth ?? Infinity;
    if (!(Number.isInteger(this.capacityBytes) && this.capacityBytes > 0 && this.capacityBytes % this.sectorBytes === 0)) {
      throw new RangeError(`${path}: size ${this.capacityBytes} B must be a positive multiple of the ${this.sectorBytes} B sector`);
    }
    if (!(this.queueDepth >= 1)) throw new RangeError(`${path}: queueDepth must be >= 1, got ${this.queueDepth}`);
    this.backingDevice = options.backing;
    this.backingOffset = options.backingOffsetBytes ?? 0;
    this.checkBacking(options.backing, this.backingOffset);
    this.grainBytes = options.thinGrainBytes ?? 0;
    if (options.thinGrainBytes !== undefined) {
      const grain = options.thinGrainBytes;
      if (!(Number.isInteger(grain) && grain > 0 && grain % this.sectorBytes === 0)) {
        throw new RangeError(`${path}: thin grain ${grain} B must be a positive multiple of the ${this.sectorBytes} B sector`);
      }
      this.allocated = new Uint32Array(Math.ceil(Math.ceil(this.capacityBytes / grain) / 32));
    } else {
      this.allocated = null;
    }
    vm.attachDisk(this);
  }

  /** The device the disk's data lives on now. */
  get backing(): BlockDevice {
    return this.backingDevice;
  }

  /** Where the disk starts on its backing device (bytes). */
  get backingOffsetBytes(): number {
    return this.backingOffset;
  }

  get thin(): boolean {
    return this.allocated !== null;
  }

  /** Bytes of data the disk holds: allocated grains for a thin disk, the whole size for a thick one. */
  get allocatedBytes(): number {
    return this.allocated === null ? this.capacityBytes : Math.min(this.allocatedGrains * this.grainBytes, this.capacityBytes);
  }

  /** Requests accepted and not yet completed: held, waiting for a slot, or in the path. */
  get outstanding(): number {
    return this.held.size + this.waiting.size + this.inPath;
  }

  /** Requests in the path (CPU or device), not counting held or waiting ones. */
  get inFlight(): number {
    return this.inPath;
  }

  /**
   * Points the disk at a new backing range from now on: requests that enter the path later
   * go to `device` at `offsetBytes + offset`; requests already at the old device finish there.
   * For "VMs running while their data is restored", or after a conversion that copied the data.
   */
  swapBacking(device: BlockDevice, offsetBytes = 0): void {
    this.checkBacking(device, offsetBytes);
    this.backingDevice = device;
    this.backingOffset = offsetBytes;
  }

  /** Marks [offset, offset + size) as allocated on a thin disk (data that was there before the run, e.g. the OS image). */
  markAllocated(offsetBytes: number, sizeBytes: number): void {
    if (this.allocated === null) return;
    const first = Math.floor(offsetBytes / this.grainBytes);
    const last = Math.ceil((offsetBytes + sizeBytes) / this.grainBytes) - 1;
    for (let g = first; g <= last; g++) this.setGrain(g);
  }

  /** Whether any grain of [offset, offset + size) is allocated (always true on a thick disk). */
  isAllocated(offsetBytes: number, sizeBytes: number): boolean {
    const bits = this.allocated;
    if (bits === null) return true;
    const first = Math.floor(offsetBytes / this.grainBytes);
    const last = Math.ceil((offsetBytes + sizeBytes) / this.grainBytes) - 1;
    for (let g = first; g <= last; g++) if ((bits[g >>> 5]! & (1 << (g & 31))) !== 0) return true;
    return false;
  }

  /**
   * The allocated data as byte ranges [offset, end), in order (whole disk when thick),
   * merged where grains are adjacent. For conversions and copies.
   */
  allocatedRanges(): [offsetBytes: number, endBytes: number][] {
    if (this.allocated === null) return [[0, this.capacityBytes]];
    const ranges: [number, number][] = [];
    const grains = Math.ceil(this.capacityBytes / this.grainBytes);
    for (let g = 0; g < grains; g++) {
      if ((this.allocated[g >>> 5]! & (1 << (g & 31))) === 0) continue;
      const start = g * this.grainBytes;
      const end = Math.min(start + this.grainBytes, this.capacityBytes);
      const last = ranges[ranges.length - 1];
      if (last !== undefined && last[1] === start) last[1] = end;
      else ranges.push([start, end]);
    }
    return ranges;
  }

  /** BlockDevice: accepts a request from the VM's workload. */
  submit(request: IoRequest): void {
    const problem = requestProblem(this, request);
    if (problem !== undefined) {
      this.vm.countFailed();
      this.failLater(request, `${this.path}: ${problem}`);
      return;
    }
    if (!this.vm.acceptsIo) {
      this.held.push(request);
      this.vm.countHeld();
      return;
    }
    this.begin(request, false);
  }

  /** A boot read: like `submit`, but not held while the VM boots and not counted as workload IO. */
  submitBoot(request: IoRequest): void {
    const problem = requestProblem(this, request);
    if (problem !== undefined) throw new RangeError(`${this.path}: boot read ${problem}`);
    this.begin(request, true);
  }

  /** Called by the VM when it runs: held requests enter the path, oldest first. */
  releaseHeld(): void {
    while (this.held.size > 0 && this.vm.acceptsIo) this.begin(this.held.shift()!, false);
  }

  /**
   * Fails every request the disk holds, waits on or has in its path, each exactly once and
   * from an engine event, with `reason`. The host's CPU must already have dropped the
   * tasks of this disk's requests (the host crashed). Returns how many workload requests
   * were failed (boot reads fail too, but are the VM's own and not counted).
   */
  failOutstanding(reason: string): number {
    let failed = this.failHeld(reason);
    this.waiting.drain();
    for (const slot of this.slots) {
      if (slot.phase === IDLE) continue;
      const upper = slot.upper!;
      if (!slot.boot) {
        this.vm.countFailed();
        failed++;
      }
      this.failLater(upper, reason);
      if (slot.phase !== WAITING) this.inPath--;
      if (slot.phase === AT_DEVICE) {
        // The device still owns our lower request: keep the slot until it answers.
        slot.orphaned = true;
        slot.upper = null;
        slot.phase = IDLE;
        continue;
      }
      this.freeSlot(slot);
    }
    return failed;
  }

  /** Fails the requests held while the VM is not running. Returns how many. */
  failHeld(reason: string): number {
    let failed = 0;
    for (let request = this.held.shift(); request !== undefined; request = this.held.shift()) {
      this.vm.countFailed();
      this.failLater(request, reason);
      failed++;
    }
    return failed;
  }

  /** IoRequester: our request to the backing device is done. */
  ioCompleted(lower: IoRequest): void {
    const slot = lower.context as Slot;
    if (slot.orphaned) {
      slot.orphaned = false;
      this.freeSlot(slot);
      return;
    }
    slot.failure = lower.status === IoStatus.Ok ? '' : lower.failure || `${this.backingDevice.path}: failed`;
    if (slot.failure === '' && this.allocated !== null) {
      const upper = slot.upper!;
      if (upper.op === IoOp.Write) this.markAllocated(upper.offsetBytes, upper.sizeBytes);
      else if (upper.op === IoOp.Trim) this.deallocate(upper.offsetBytes, upper.sizeBytes);
    }
    this.deviceDone(slot);
  }

  /** Called by a slot when its CPU phase is over. */
  cpuPhaseDone(slot: Slot): void {
    if (slot.phase === CPU_SUBMIT) this.toDevice(slot);
    else this.finish(slot);
  }

  private begin(request: IoRequest, boot: boolean): void {
    const slot = this.freeSlots.pop() ?? this.newSlot();
    slot.upper = request;
    slot.boot = boot;
    slot.arrivalNs = this.env.now;
    slot.failure = '';
    slot.cpuSpentNs = 0;
    if (this.inPath >= this.queueDepth) {
      slot.phase = WAITING;
      this.waiting.push(slot);
      return;
    }
    this.enterPath(slot);
  }

  private enterPath(slot: Slot): void {
    this.inPath++;
    const host = this.vm.host;
    const upper = slot.upper!;
    slot.host = host;
    const cpuNs = submitCpuNs(host.pathCost(this.pathKind), upper.op, upper.sizeBytes);
    slot.cpuSpentNs = cpuNs;
    if (cpuNs > 0) {
      slot.phase = CPU_SUBMIT;
      slot.cpuNs = cpuNs;
      host.cpu.run(slot);
    } else {
      this.toDevice(slot);
    }
  }

  private toDevice(slot: Slot): void {
    slot.phase = AT_DEVICE;
    const upper = slot.upper!;
    if (upper.op === IoOp.Read && !this.isAllocated(upper.offsetBytes, upper.sizeBytes)) {
      // A thin disk answers reads of never-written grains with zeros itself.
      this.env.schedule(0, this.deviceSkippedFn, slot);
      return;
    }
    slot.lower.prepare(upper.op, this.backingOffset + upper.offsetBytes, upper.sizeBytes, this.env.now);
    this.backingDevice.submit(slot.lower);
  }

  private deviceDone(slot: Slot): void {
    if (slot.orphaned) {
      // Only for a skipped read: its scheduled answer arrives after a crash failed it.
      slot.orphaned = false;
      this.freeSlot(slot);
      return;
    }
    const upper = slot.upper!;
    const cpuNs = completeCpuNs(slot.host!.pathCost(this.pathKind), upper.op, upper.sizeBytes);
    slot.cpuSpentNs += cpuNs;
    if (cpuNs > 0) {
      slot.phase = CPU_COMPLETE;
      slot.cpuNs = cpuNs;
      slot.host!.cpu.run(slot);
    } else {
      this.finish(slot);
    }
  }

  private finish(slot: Slot): void {
    this.inPath--;
    const upper = slot.upper!;
    const ok = slot.failure === '';
    upper.status = ok ? IoStatus.Ok : IoStatus.Failed;
    upper.failure = slot.failure;
    if (!slot.boot) this.vm.recordIo(upper.op, this.env.now - slot.arrivalNs, ok);
    slot.host!.recordCpuPerIo(this.pathKind, slot.cpuSpentNs);
    this.freeSlot(slot);
    if (this.waiting.size > 0 && this.inPath < this.queueDepth) this.enterPath(this.waiting.shift()!);
    if (this.inPath === 0) this.vm.diskDrained();
    upper.requester.ioCompleted(upper);
  }

  private newSlot(): Slot {
    const slot = new Slot(this);
    this.slots.push(slot);
    return slot;
  }

  private freeSlot(slot: Slot): void {
    slot.phase = IDLE;
    slot.upper = null;
    slot.host = null;
    this.freeSlots.push(slot);
  }

  private failLater(request: IoRequest, reason: string): void {
    request.status = IoStatus.Failed;
    request.failure = reason;
    this.env.schedule(0, this.completeFailedFn, request);
  }

  private completeFailed(request: IoRequest): void {
    request.requester.ioCompleted(request);
  }

  private setGrain(g: number): void {
    const bits = this.allocated!;
    const mask = 1 << (g & 31);
    if ((bits[g >>> 5]! & mask) === 0) {
      bits[g >>> 5]! |= mask;
      this.allocatedGrains++;
    }
  }

  /** Clears the grains that [offset, offset + size) covers entirely (the last grain may be short). */
  private deallocate(offsetBytes: number, sizeBytes: number): void {
    const bits = this.allocated!;
    const grain = this.grainBytes;
    const end = offsetBytes + sizeBytes;
    for (let g = Math.ceil(offsetBytes / grain); Math.min((g + 1) * grain, this.capacityBytes) <= end && g * grain < end; g++) {
      const mask = 1 << (g & 31);
      if ((bits[g >>> 5]! & mask) !== 0) {
        bits[g >>> 5]! &= ~mask;
        this.allocatedGrains--;
      }
    }
  }

  private checkBacking(device: BlockDevice, offsetBytes: number): void {
    if (this.sectorBytes % device.sectorBytes !== 0) {
      throw new RangeError(`${this.path}: sector ${this.sectorBytes} B must be a multiple of ${device.path}'s ${device.sectorBytes} B sector`);
    }
    if (!(Number.isInteger(offsetBytes) && offsetBytes >= 0 && offsetBytes % device.sectorBytes === 0)) {
      throw new RangeError(`${this.path}: backing offset ${offsetBytes} B must be a non-negative multiple of ${device.path}'s ${device.sectorBytes} B sector`);
    }
    if (offsetBytes + this.capacityBytes > device.capacityBytes) {
      throw new RangeError(
        `${this.path}: [${offsetBytes}, ${offsetBytes + this.capacityBytes}) B does not fit on ${device.path} (${device.capacityBytes} B); ` +
          `allowed: an offset of at most ${device.capacityBytes - this.capacityBytes} B, or a smaller disk`,
      );
    }
  }
}
