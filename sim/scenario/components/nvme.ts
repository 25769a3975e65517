/**
 * Scenario glue for the NVMe host interface: `nvme-controller` (in front of a block device
 * backend) and `nvme-function` (a PF or SR-IOV VF on a controller, itself a block device).
 */
import type { NvmeArbitration } from '../../models/nvme/arbitration.ts';
import { NvmePriorityClass } from '../../models/nvme/arbitration.ts';
import type { BlockDevice } from '../../models/block/io-request.ts';
import { NvmeController } from '../../models/nvme/controller.ts';
import { NvmeFunction, type NvmeFunctionOptions } from '../../models/nvme/function.ts';
import type { NvmeNamespaceSpec } from '../../models/nvme/namespace.ts';
import { MAX_QUEUE_DEPTH, MIN_QUEUE_DEPTH } from '../../models/nvme/queue-pair.ts';
import type { BuildContext, ComponentType } from '../component-type.ts';
import { count, quantity } from '../schema-parts.ts';

/** Component types an NVMe controller may sit in front of. */
export const NVME_BACKEND_TYPES: readonly string[] = ['ssd', 'array-volume', 'ideal-disk'];

const PRIORITIES: Record<string, NvmePriorityClass> = {
  urgent: NvmePriorityClass.Urgent,
  high: NvmePriorityClass.High,
  medium: NvmePriorityClass.Medium,
  low: NvmePriorityClass.Low,
};

export const nvmeControllerType: ComponentType = {
  type: 'nvme-controller',
  section: 'world',
  description:
    'An NVMe controller in front of a block device backend: its functions\' queue pairs, arbitration among SQs ' +
    '(nvme-arbitration policy), a limit on commands in flight to the backend, and namespaces carved out of the backend.',
  properties: {
    backend: { type: 'string', description: `id of the block device the controller serves from (${NVME_BACKEND_TYPES.join(', ')})` },
    maxInFlight: count('most commands in the controller at once, fetched and not yet answered by the backend (internal parallelism)', 1),
    commandOverhead: quantity('time', 'controller processing per command, between fetch and the backend (default 0)'),
    namespaces: {
      type: 'array',
      minItems: 1,
      description: 'namespaces on the backend, disjoint (default: NSID 1 over the whole backend, 4 KiB LBAs)',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['nsid', 'size'],
        properties: {
          nsid: { type: 'integer', minimum: 1, maximum: 4294967294, description: 'namespace ID' },
          start: quantity('size', 'first byte on the backend (default: right after the previous namespace in this list, or 0)'),
          size: quantity('size', 'length, a whole number of LBAs'),
          lbaSize: quantity('size', 'logical block size, 512B or 4KiB (default 4KiB)'),
        },
      },
    },
  },
  required: ['backend', 'maxInFlight'],
  references: { backend: NVME_BACKEND_TYPES },
  decisionPoints: ['nvme-arbitration'],
  build(context, id, spec) {
    const backend = blockDevice(builtBefore<unknown>(context, spec.backend, id), spec.backend);
    let next = 0;
    const namespaces: NvmeNamespaceSpec[] | undefined = spec.namespaces?.map((ns: Record<string, any>) => {
      const startBytes = ns.start === undefined ? next : context.quantity(ns.start, 'size');
      const sizeBytes = context.quantity(ns.size, 'size');
      next = startBytes + sizeBytes;
      return { nsid: ns.nsid, startBytes, sizeBytes, lbaBytes: ns.lbaSize === undefined ? 4096 : context.quantity(ns.lbaSize, 'size') };
    });
    return new NvmeController(
      context.env,
      id,
      backend,
      {
        maxInFlight: spec.maxInFlight,
        ...(spec.commandOverhead === undefined ? {} : { commandOverheadNs: context.quantity(spec.commandOverhead, 'time') }),
        ...(namespaces === undefined ? {} : { namespaces }),
      },
      context.policy<NvmeArbitration>('nvme-arbitration'),
      context.metrics,
    );
  },
};

export const nvmeFunctionType: ComponentType = {
  type: 'nvme-function',
  section: 'world',
  description:
    'A PCIe function of an NVMe controller: a physical function (pf) or an SR-IOV virtual function (vf) of a pf, ' +
    'with its own queue pairs, attached namespaces and optional IOPS and bandwidth limits. A block device: hosts and VMs submit to it.',
  properties: {
    controller: { type: 'string', description: 'id of the nvme-controller' },
    kind: { enum: ['pf', 'vf'], description: 'physical function or SR-IOV virtual function' },
    parent: { type: 'string', description: 'id of the pf a vf belongs to (required for a vf, not allowed for a pf)' },
    queues: {
      type: 'object',
      additionalProperties: false,
      description: 'I/O queue pairs (SQ + CQ); requests are spread over them round robin',
      properties: {
        count: count('number of queue pairs (default 1)', 1),
        depth: {
          type: 'integer',
          minimum: MIN_QUEUE_DEPTH,
          maximum: MAX_QUEUE_DEPTH,
          description: 'entries per queue (default 1024); a queue of depth d holds d - 1 commands (NVMe §4.1.2), more wait in the host driver',
        },
      },
    },
    priority: { enum: Object.keys(PRIORITIES), description: 'priority class of its SQs for weighted round robin arbitration (default medium)' },
    namespaces: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'integer', minimum: 1, maximum: 4294967294 },
      description: 'NSIDs attached to the function (default: all of the controller\'s); addresses go to the first',
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      description: 'token-bucket limits; commands wait in the SQ for tokens',
      properties: {
        iops: quantity('rate', 'most commands per second'),
        iopsBurst: count('commands the IOPS bucket holds (default: 1 ms of the rate, at least 1)', 1),
        bandwidth: quantity('datarate', 'most bytes per second'),
        bandwidthBurst: quantity('size', 'bytes the bandwidth bucket holds (default: 1 ms of the rate)'),
      },
    },
    interruptCoalescing: {
      type: 'object',
      additionalProperties: false,
      required: ['time', 'threshold'],
      description: 'completions wait in the CQ until "threshold" are pending or "time" has passed since the first (default: none)',
      properties: {
        time: quantity('time', 'aggregation time'),
        threshold: count('aggregation threshold, completions per interrupt', 1),
      },
    },
  },
  required: ['controller', 'kind'],
  references: { controller: ['nvme-controller'], parent: ['nvme-function'] },
  build(context, id, spec) {
    const controller = builtBefore<unknown>(context, spec.controller, id);
    if (!(controller instanceof NvmeController)) throw new Error(`controller "${spec.controller}" is not an nvme-controller`);
    const options: NvmeFunctionOptions = { kind: spec.kind };
    if (spec.kind === 'vf' && spec.parent === undefined) throw new Error('a vf needs "parent", the id of its pf');
    if (spec.kind === 'pf' && spec.parent !== undefined) throw new Error('a pf has no "parent"; only a vf belongs to a pf');
    if (spec.parent !== undefined) {
      const parent = builtBefore<unknown>(context, spec.parent, id);
      if (!(parent instanceof NvmeFunction)) throw new Error(`parent "${spec.parent}" is not an nvme-function`);
      if (parent.kind !== 'pf') throw new Error(`parent "${spec.parent}" is a vf; allowed: a pf`);
      if (parent.controller !== controller) throw new Error(`parent "${spec.parent}" is on controller "${parent.controller.path}", not "${spec.controller}"`);
      options.parent = parent;
    }
    if (spec.queues?.count !== undefined) options.queueCount = spec.queues.count;
    if (spec.queues?.depth !== undefined) options.queueDepth = spec.queues.depth;
    if (spec.priority !== undefined) options.priority = PRIORITIES[spec.priority]!;
    if (spec.namespaces !== undefined) options.namespaces = spec.namespaces;
    const limits = spec.limits ?? {};
    if (limits.iopsBurst !== undefined && limits.iops === undefined) throw new Error('limits.iopsBurst needs limits.iops');
    if (limits.bandwidthBurst !== undefined && limits.bandwidth === undefined) throw new Error('limits.bandwidthBurst needs limits.bandwidth');
    if (limits.iops !== undefined) {
      const perSecond = context.quantity(limits.iops, 'rate');
      if (!(perSecond > 0)) throw new Error(`limits.iops must be > 0, got ${limits.iops}`);
      options.iopsLimit = { perSecond, ...(limits.iopsBurst === undefined ? {} : { burst: limits.iopsBurst }) };
    }
    if (limits.bandwidth !== undefined) {
      const bytesPerSecond = context.quantity(limits.bandwidth, 'datarate');
      if (!(bytesPerSecond > 0)) throw new Error(`limits.bandwidth must be > 0, got ${limits.bandwidth}`);
      const burstBytes = limits.bandwidthBurst === undefined ? undefined : context.quantity(limits.bandwidthBurst, 'size');
      if (burstBytes !== undefined && !(burstBytes > 0)) throw new Error(`limits.bandwidthBurst must be > 0, got ${limits.bandwidthBurst}`);
      options.bandwidthLimit = { bytesPerSecond, ...(burstBytes === undefined ? {} : { burstBytes }) };
    }
    if (spec.interruptCoalescing !== undefined) {
      options.coalescing = { timeNs: context.quantity(spec.interruptCoalescing.time, 'time'), threshold: spec.interruptCoalescing.threshold };
    }
    return controller.addFunction(id, options);
  },
};

/** Every NVMe component type, for `components/index.ts`. */
export const NVME_COMPONENT_TYPES: readonly ComponentType[] = [nvmeControllerType, nvmeFunctionType];

/** The component `ref` names, built before `id` refers to it (see build-order.ts). */
function builtBefore<T>(context: BuildContext, ref: string, id: string): T {
  try {
    return context.component<T>(ref);
  } catch (error) {
    throw new Error(`"${id}" refers to "${ref}": ${(error as Error).message}`);
  }
}

/** `component` as a BlockDevice, or an Error saying what it lacks. */
function blockDevice(component: unknown, ref: string): BlockDevice {
  const device = component as Partial<BlockDevice> | null;
  const missing: string[] = [];
  if (device === null || typeof device !== 'object') throw new Error(`backend "${ref}" is not a block device`);
  if (typeof device.submit !== 'function') missing.push('submit(request)');
  if (!(typeof device.capacityBytes === 'number' && device.capacityBytes > 0)) missing.push('capacityBytes > 0');
  if (!(typeof device.sectorBytes === 'number' && Number.isInteger(device.sectorBytes) && device.sectorBytes > 0)) missing.push('sectorBytes');
  if (missing.length > 0) throw new Error(`backend "${ref}" is not a block device: it lacks ${missing.join(', ')}; allowed: ${NVME_BACKEND_TYPES.join(', ')}`);
  return device as BlockDevice;
}
