/**
 * Scenario glue for hosts, VMs and virtual disks: the `host`, `vm` and `vm-disk` world
 * component types. A `vm-disk` is a block device, so a `block-workload` may target it.
 * A host is built before its VMs, and a VM and its backing device before the VM's disks,
 * whatever order they are written in (see build-order.ts).
 */
import type { BlockDevice } from '../../models/block/io-request.ts';
import { BOOT_ORDERS, BootSet, generateBootSet } from '../../models/host/boot.ts';
import { DISK_FORMATS, type DiskFormat } from '../../models/host/disk-format.ts';
import { Host } from '../../models/host/host.ts';
import { HYPERVISOR_KINDS } from '../../models/host/hypervisor.ts';
import { IO_PATH_KINDS, type IoPathCost, type IoPathKind } from '../../models/host/io-path.ts';
import { VirtualDisk } from '../../models/host/virtual-disk.ts';
import { VirtualMachine } from '../../models/host/vm.ts';
import type { BuildContext, ComponentType } from '../component-type.ts';
import { count, quantity } from '../schema-parts.ts';

/** Component types whose built object is a block device a `vm-disk` may be backed by. */
export const VM_DISK_BACKING_TYPES: readonly string[] = ['ssd', 'nvme-function', 'array-volume', 'ideal-disk'];

const pathCostSchema = (kind: IoPathKind) => ({
  type: 'object',
  additionalProperties: false,
  description: `CPU cost per request of the ${kind} path (unset fields keep the hypervisor's default)`,
  properties: {
    submit: quantity('time', 'core time before the request goes to the device'),
    complete: quantity('time', 'core time after the device completes it'),
    copyRate: quantity('datarate', 'throughput of copying data through hypervisor buffers: each byte costs 1/copyRate of core time (writes before the device, reads after)'),
  },
});

export const hostType: ComponentType = {
  type: 'host',
  section: 'world',
  description:
    'A physical host running a hypervisor (ESXi-, Hyper-V- or KVM-like): cores that IO paths charge CPU time to, and the VMs placed on it. ' +
    'Default path costs are illustrative (see sim/models/host/hypervisor.ts); override them with pathCosts.',
  properties: {
    cores: count('CPU cores; IO path work of every VM on the host shares them (one FIFO run queue)', 1),
    hypervisor: { enum: [...HYPERVISOR_KINDS], description: 'hypervisor kind: esxi (VMDK), hyperv (VHDX) or kvm (QCOW2)' },
    pathCosts: {
      type: 'object',
      additionalProperties: false,
      description: 'per-path overrides of the CPU cost per request',
      properties: Object.fromEntries(IO_PATH_KINDS.map((kind) => [kind, pathCostSchema(kind)])),
    },
    conversionRate: quantity('datarate', 'disk image conversion throughput (default 500MB/s, illustrative)'),
    migrationRate: quantity('datarate', 'live migration copy bandwidth (default 10Gbit/s)'),
    migrationDowntime: quantity('time', 'live migration switchover downtime (default 100ms)'),
  },
  required: ['cores', 'hypervisor'],
  build(context, id, spec) {
    const pathCosts: Partial<Record<IoPathKind, Partial<IoPathCost>>> = {};
    for (const kind of IO_PATH_KINDS) {
      const override = spec.pathCosts?.[kind];
      if (override === undefined) continue;
      pathCosts[kind] = {
        ...(override.submit === undefined ? {} : { submitNs: context.quantity(override.submit, 'time') }),
        ...(override.complete === undefined ? {} : { completeNs: context.quantity(override.complete, 'time') }),
        ...(override.copyRate === undefined ? {} : { copyBytesPerS: context.quantity(override.copyRate, 'datarate') }),
      };
    }
    return new Host(
      context.env,
      id,
      {
        cores: spec.cores,
        hypervisor: spec.hypervisor,
        pathCosts,
        ...(spec.conversionRate === undefined ? {} : { conversionRateBytesPerS: positive(context.quantity(spec.conversionRate, 'datarate'), 'conversionRate') }),
        ...(spec.migrationRate === undefined ? {} : { migrationRateBytesPerS: positive(context.quantity(spec.migrationRate, 'datarate'), 'migrationRate') }),
        ...(spec.migrationDowntime === undefined ? {} : { migrationDowntimeNs: context.quantity(spec.migrationDowntime, 'time') }),
      },
      context.metrics,
    );
  },
};

export const vmType: ComponentType = {
  type: 'vm',
  section: 'world',
  description:
    'A virtual machine on a host. It boots by reading its boot working set through its boot disk, then runs; ' +
    'requests to its disks wait while it is not running.',
  properties: {
    host: { type: 'string', description: 'id of the host it runs on' },
    memory: quantity('size', 'guest memory, copied by a live migration (default 4GiB)'),
    autoStart: { type: 'boolean', description: 'start (boot) at startAt (default true)' },
    startAt: quantity('time', 'when it starts booting (default 0s)'),
    boot: {
      type: 'object',
      additionalProperties: false,
      description: 'the boot working set: exactly one of "reads" (explicit, in order) or "generate"',
      properties: {
        disk: { type: 'string', description: 'id of the vm-disk it boots from (default: its first vm-disk)' },
        reads: {
          type: 'array',
          description: 'the reads, in boot order',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['offset', 'size'],
            properties: { offset: quantity('size', 'where on the boot disk'), size: quantity('size', 'how much') },
          },
        },
        generate: {
          type: 'object',
          additionalProperties: false,
          required: ['count', 'size'],
          description: 'a generated set: sequential blocks, the same blocks shuffled, or independent random blocks',
          properties: {
            count: count('number of reads', 1),
            size: quantity('size', 'size of each read'),
            order: { enum: [...BOOT_ORDERS], description: 'sequential (default), shuffled, or random (uniform over the span, repeats possible)' },
            start: quantity('size', 'start of the boot region on the disk (default 0B)'),
            span: quantity('size', 'random: length of the region drawn from (default count × size)'),
          },
        },
        concurrency: count('boot reads outstanding at once (default 1: serial)', 1),
      },
    },
  },
  required: ['host'],
  references: { host: ['host'] },
  build(context, id, spec) {
    const host = built(context, spec.host, Host, 'host', 'the host');
    let set: BootSet | undefined;
    const boot = spec.boot;
    if (boot !== undefined) {
      if ((boot.reads === undefined) === (boot.generate === undefined)) throw new Error('boot: give exactly one of "reads" or "generate"');
      if (boot.reads !== undefined) {
        set = BootSet.fromList(
          (boot.reads as { offset: string; size: string }[]).map((r, i) => ({
            offsetBytes: wholeBytes(context, r.offset, `boot read ${i} offset`),
            sizeBytes: wholeBytes(context, r.size, `boot read ${i} size`),
          })),
        );
      } else {
        const g = boot.generate;
        set = generateBootSet(
          {
            count: g.count,
            sizeBytes: wholeBytes(context, g.size, 'boot read size'),
            order: g.order ?? 'sequential',
            ...(g.start === undefined ? {} : { startBytes: wholeBytes(context, g.start, 'boot region start') }),
            ...(g.span === undefined ? {} : { spanBytes: wholeBytes(context, g.span, 'boot span') }),
          },
          context.streams.stream(`${id}/boot`),
        );
      }
    }
    const vm = new VirtualMachine(
      context.env,
      id,
      host,
      {
        ...(spec.memory === undefined ? {} : { memoryBytes: wholeBytes(context, spec.memory, 'memory') }),
        ...(set === undefined ? {} : { boot: { set, concurrency: boot.concurrency ?? 1, ...(boot.disk === undefined ? {} : { diskPath: boot.disk }) } }),
        ...(spec.autoStart === false ? {} : { autoStartAtNs: spec.startAt === undefined ? 0 : context.quantity(spec.startAt, 'time') }),
      },
      context.metrics,
    );
    return vm;
  },
};

export const vmDiskType: ComponentType = {
  type: 'vm-disk',
  section: 'world',
  description:
    'A virtual disk of a VM: a block device backed by a range of another block device, reached through the VM\'s IO path on its host ' +
    '(emulated, paravirtual or passthrough). A block-workload may target it.',
  properties: {
    vm: { type: 'string', description: 'id of the vm it belongs to' },
    size: quantity('size', 'virtual size'),
    format: { enum: [...DISK_FORMATS], description: 'image format (default: the host hypervisor\'s native one; raw for passthrough)' },
    path: { enum: [...IO_PATH_KINDS], description: 'IO path: emulated, paravirtual or passthrough (an SR-IOV function assigned to the guest)' },
    backing: { type: 'string', description: `id of the block device holding the data (${VM_DISK_BACKING_TYPES.join(', ')})` },
    offset: quantity('size', 'where the disk starts on the backing device (default 0B)'),
    sector: quantity('size', 'sector size the guest sees, a multiple of the backing device\'s (default: the backing\'s)'),
    queueDepth: count('most requests in the IO path at once; more wait (default unlimited)', 1),
    thin: { type: 'boolean', description: 'thin provisioned: reads of never-written grains return zeros without a device read (default false)' },
    thinGrain: quantity('size', 'thin allocation grain (default 64KiB)'),
  },
  required: ['vm', 'size', 'path', 'backing'],
  references: { vm: ['vm'], backing: VM_DISK_BACKING_TYPES },
  build(context, id, spec) {
    const vm = built(context, spec.vm, VirtualMachine, 'vm', 'its vm');
    const backing = asBacking(context, spec.backing);
    const path: IoPathKind = spec.path;
    const profile = vm.host.profile;
    const format: DiskFormat = spec.format ?? (path === 'passthrough' ? 'raw' : profile.nativeFormat);
    if (path === 'passthrough' && format !== 'raw') {
      throw new Error(`format "${format}" on a passthrough path: the guest drives the device itself, so there is no image format; allowed: raw`);
    }
    if (!profile.formats.includes(format)) {
      throw new Error(`format "${format}" cannot be attached by host "${vm.host.path}" (${profile.label}); allowed: ${profile.formats.join(', ')}`);
    }
    if (spec.thinGrain !== undefined && spec.thin !== true) throw new Error('"thinGrain" needs "thin": true');
    return new VirtualDisk(context.env, id, vm, {
      sizeBytes: wholeBytes(context, spec.size, 'size'),
      format,
      path,
      backing,
      ...(spec.offset === undefined ? {} : { backingOffsetBytes: wholeBytes(context, spec.offset, 'offset') }),
      ...(spec.sector === undefined ? {} : { sectorBytes: wholeBytes(context, spec.sector, 'sector') }),
      ...(spec.queueDepth === undefined ? {} : { queueDepth: spec.queueDepth }),
      ...(spec.thin === true ? { thinGrainBytes: spec.thinGrain === undefined ? 64 * 1024 : wholeBytes(context, spec.thinGrain, 'thinGrain') } : {}),
    });
  },
};

export const HOST_COMPONENT_TYPES: readonly ComponentType[] = [hostType, vmType, vmDiskType];

/** A component this one refers to (built first), of class `cls`, or an Error saying what to fix. */
function built<T>(context: BuildContext, ref: string, cls: abstract new (...args: any[]) => T, type: string, what: string): T {
  let component: unknown;
  try {
    component = context.component<unknown>(ref);
  } catch (error) {
    throw new Error(`${what} "${ref}": ${(error as Error).message}`);
  }
  if (!(component instanceof cls)) throw new Error(`"${ref}" is not a ${type}`);
  return component;
}

function asBacking(context: BuildContext, ref: string): BlockDevice {
  let component: unknown;
  try {
    component = context.component<unknown>(ref);
  } catch (error) {
    throw new Error(`backing device "${ref}": ${(error as Error).message}`);
  }
  const device = component as Partial<BlockDevice> | null;
  if (
    device === null ||
    typeof device !== 'object' ||
    typeof device.submit !== 'function' ||
    !(typeof device.capacityBytes === 'number' && device.capacityBytes > 0) ||
    !(typeof device.sectorBytes === 'number' && Number.isInteger(device.sectorBytes) && device.sectorBytes > 0)
  ) {
    throw new Error(`backing "${ref}" is not a block device; allowed: a component of type ${VM_DISK_BACKING_TYPES.join(', ')}`);
  }
  return device as BlockDevice;
}

function wholeBytes(context: BuildContext, value: string, what: string): number {
  const bytes = context.quantity(value, 'size');
  if (!(Number.isSafeInteger(bytes) && bytes >= 0)) throw new RangeError(`${what} "${value}" is ${bytes} B, not a whole number of bytes`);
  return bytes;
}

function positive(value: number, what: string): number {
  if (!(value > 0)) throw new RangeError(`${what} must be above 0`);
  return value;
}

