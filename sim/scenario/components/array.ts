/**
 * Scenario glue for storage arrays: the `storage-array` and `array-volume` world components and
 * the `array-copy` workload (a copy job started at a set time, to compare XCOPY offload with a
 * host-mediated copy).
 */
import type { Environment } from '../../engine/index.ts';
import type { MetricRegistry } from '../../metrics/index.ts';
import { ArrayVolume } from '../../models/array/array-volume.ts';
import { CopyJob, type CopyMode } from '../../models/array/copy-job.ts';
import { linkArrays } from '../../models/array/replication-link.ts';
import { StorageArray } from '../../models/array/storage-array.ts';
import type { BuildContext, ComponentType } from '../component-type.ts';
import { count, distribution, quantity } from '../schema-parts.ts';

/** A component of type `cls` that this one refers to (built first: see build-order.ts). */
function earlier<T>(context: BuildContext, id: string, type: string, what: string, cls: new (...args: any[]) => T): T {
  let component: unknown;
  try {
    component = context.component(id);
  } catch (error) {
    throw new Error(`${what} "${id}": ${(error as Error).message}`);
  }
  if (!(component instanceof cls)) throw new Error(`${what} "${id}" is not a ${type}`);
  return component;
}

export const storageArrayType: ComponentType = {
  type: 'storage-array',
  section: 'world',
  description:
    'A storage array (primary or secondary): front-end ports, a backend (slots, per-IO latency, internal bandwidth), ' +
    'volumes (array-volume), a copy engine with XCOPY copy offload, and an optional replication link to a peer array.',
  properties: {
    role: { enum: ['primary', 'secondary'], description: 'what the array is for (a label; default primary)' },
    backend: {
      type: 'object',
      additionalProperties: false,
      required: ['parallelism', 'readLatency', 'writeLatency'],
      description: 'service model: IOs hold one of `parallelism` slots (FIFO queue) for a latency, then share `bandwidth`',
      properties: {
        parallelism: count('IOs in service at once', 1),
        readLatency: distribution('time', 'latency of a read in service'),
        writeLatency: distribution('time', 'latency of a write (and a trim) in service'),
        bandwidth: quantity('datarate', 'internal bandwidth shared by the IOs moving data (default: unlimited)'),
      },
    },
    ports: {
      type: 'object',
      additionalProperties: false,
      required: ['count', 'bandwidth'],
      description: 'identical front-end ports; every byte a host reads or writes crosses one',
      properties: {
        count: count('number of ports', 1),
        bandwidth: quantity('datarate', 'bandwidth of each port (both directions together)'),
        sharing: { enum: ['shared', 'fifo'], description: 'transfers at a port share it equally (default) or go one at a time' },
      },
    },
    copyEngine: {
      type: 'object',
      additionalProperties: false,
      required: ['bandwidth'],
      description: 'the internal copy engine that runs offloaded (XCOPY) segments between volumes of this array',
      properties: { bandwidth: quantity('datarate', 'bandwidth shared equally by the segments in flight') },
    },
    xcopy: {
      type: 'object',
      additionalProperties: false,
      description: 'copy offload (SCSI EXTENDED COPY / VAAI Full Copy) support',
      properties: {
        enabled: { type: 'boolean', description: 'whether the array accepts XCOPY (default true)' },
        maxSegment: quantity('size', 'longest segment accepted; longer ones are refused (default 256MiB)'),
        alignment: quantity('size', 'offsets and lengths must be multiples of this, else refused (default 512B)'),
        segmentOverhead: quantity('time', 'fixed time per segment before its bytes move (default 0s)'),
      },
    },
    peer: { type: 'string', description: 'id of a storage-array to link to; segments between them are offloaded over the link' },
    link: {
      type: 'object',
      additionalProperties: false,
      required: ['bandwidth'],
      description: 'the replication link to `peer`',
      properties: {
        bandwidth: quantity('datarate', 'link bandwidth shared by the segments crossing it'),
        latency: quantity('time', 'added to each segment crossing the link (default 0s)'),
      },
    },
  },
  required: ['backend', 'ports', 'copyEngine'],
  references: { peer: ['storage-array'] },
  build(context, id, spec) {
    if ((spec.peer === undefined) !== (spec.link === undefined)) throw new Error('give "peer" and "link" together (a link needs both ends and a bandwidth)');
    const backend = spec.backend;
    const ports = spec.ports;
    const xcopy = spec.xcopy ?? {};
    const portBandwidth = context.quantity(ports.bandwidth, 'datarate');
    const array = new StorageArray(
      context.env,
      id,
      {
        role: spec.role ?? 'primary',
        backend: {
          parallelism: backend.parallelism,
          readLatencyNs: context.distribution(backend.readLatency, 'time'),
          writeLatencyNs: context.distribution(backend.writeLatency, 'time'),
          bandwidthBytesPerS: backend.bandwidth === undefined ? Infinity : context.quantity(backend.bandwidth, 'datarate'),
        },
        ports: Array.from({ length: ports.count }, () => ({ bandwidthBytesPerS: portBandwidth, sharing: ports.sharing ?? 'shared' })),
        copyEngineBytesPerS: context.quantity(spec.copyEngine.bandwidth, 'datarate'),
        xcopy: {
          enabled: xcopy.enabled ?? true,
          ...(xcopy.maxSegment === undefined ? {} : { maxSegmentBytes: context.quantity(xcopy.maxSegment, 'size') }),
          ...(xcopy.alignment === undefined ? {} : { alignmentBytes: context.quantity(xcopy.alignment, 'size') }),
          ...(xcopy.segmentOverhead === undefined ? {} : { segmentOverheadNs: context.quantity(xcopy.segmentOverhead, 'time') }),
        },
      },
      context.streams,
      context.metrics,
    );
    if (spec.peer !== undefined) {
      const peer = earlier(context, spec.peer, 'storage-array', 'peer', StorageArray);
      linkArrays(context.env, array, peer, {
        bandwidthBytesPerS: context.quantity(spec.link.bandwidth, 'datarate'),
        latencyNs: spec.link.latency === undefined ? 0 : context.quantity(spec.link.latency, 'time'),
      }, context.metrics);
    }
    return array;
  },
};

export const arrayVolumeType: ComponentType = {
  type: 'array-volume',
  section: 'world',
  description: 'A volume (LUN) of a storage-array: a block device that hosts, VM disks and block workloads can target.',
  properties: {
    array: { type: 'string', description: 'id of the storage-array holding the volume' },
    size: quantity('size', 'capacity, a multiple of the sector size'),
    sectorSize: quantity('size', 'sector size (default 512B)'),
    ports: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'integer', minimum: 0 },
      description: 'indices of the array ports the volume is exported through (default all); IOs go round-robin over those up',
    },
    contentBlock: quantity('size', 'track content per block of this size for copy checks (default off); a multiple of the sector size dividing the size'),
  },
  required: ['array', 'size'],
  references: { array: ['storage-array'] },
  build(context, id, spec) {
    const array = earlier(context, spec.array, 'storage-array', 'storage-array', StorageArray);
    return array.addVolume(id, {
      capacityBytes: context.quantity(spec.size, 'size'),
      sectorBytes: spec.sectorSize === undefined ? 512 : context.quantity(spec.sectorSize, 'size'),
      ...(spec.ports === undefined ? {} : { ports: spec.ports }),
      ...(spec.contentBlock === undefined ? {} : { contentBlockBytes: context.quantity(spec.contentBlock, 'size') }),
    });
  },
};

/** The `array-copy` component: starts one copy job at `at` and reports it through gauges. */
function copyAction(env: Environment, metrics: MetricRegistry, id: string, atNs: number, makeJob: () => CopyJob): { start(): void } {
  const job = makeJob();
  const ended = () => job.state === 'ok' || job.state === 'failed';
  metrics.gauge(`${id}/duration`, () => (ended() ? job.durationNs : NaN), { unit: 's' });
  metrics.gauge(`${id}/ok`, () => (ended() ? (job.state === 'ok' ? 1 : 0) : NaN));
  metrics.gauge(`${id}/bytes_offloaded`, () => job.bytesOffloaded, { unit: 'B', scale: 1 });
  metrics.gauge(`${id}/bytes_fallback`, () => job.bytesFallback, { unit: 'B', scale: 1 });
  metrics.gauge(`${id}/segments_offloaded`, () => job.segmentsOffloaded);
  metrics.gauge(`${id}/segments_fallback`, () => job.segmentsFallback);
  return { start: () => env.schedule(atNs, () => job.start(), null) };
}

export const arrayCopyType: ComponentType = {
  type: 'array-copy',
  section: 'workload',
  description:
    'Starts one copy job between two array volumes at a set time: offloaded to the storage (XCOPY), host-mediated, ' +
    'or auto (offload where the array accepts it, else the host). Reports its duration, bytes and segments by each way.',
  properties: {
    source: { type: 'string', description: 'id of the source array-volume' },
    target: { type: 'string', description: 'id of the target array-volume' },
    sourceOffset: quantity('size', 'start of the source range (default 0B)'),
    targetOffset: quantity('size', 'start of the target range (default 0B)'),
    length: quantity('size', 'bytes to copy (default: from sourceOffset to the end of the source)'),
    at: quantity('time', 'when the copy starts (default 0s)'),
    mode: { enum: ['auto', 'offload', 'host'], description: 'auto (default): offload each segment the array accepts, else copy it through the host' },
    segment: quantity('size', 'segment size (default 4MiB, ESXi\'s default XCOPY transfer size)'),
    maxOutstanding: count('segments in flight at once (default 8)', 1),
  },
  required: ['source', 'target'],
  references: { source: ['array-volume'], target: ['array-volume'] },
  build(context, id, spec) {
    const source = context.component<ArrayVolume>(spec.source);
    const target = context.component<ArrayVolume>(spec.target);
    const sourceOffsetBytes = spec.sourceOffset === undefined ? 0 : context.quantity(spec.sourceOffset, 'size');
    const lengthBytes = spec.length === undefined ? source.capacityBytes - sourceOffsetBytes : context.quantity(spec.length, 'size');
    const atNs = spec.at === undefined ? 0 : context.quantity(spec.at, 'time');
    return copyAction(context.env, context.metrics, id, atNs, () =>
      new CopyJob(context.env, {
        source,
        target,
        sourceOffsetBytes,
        targetOffsetBytes: spec.targetOffset === undefined ? 0 : context.quantity(spec.targetOffset, 'size'),
        lengthBytes,
        mode: (spec.mode ?? 'auto') as CopyMode,
        ...(spec.segment === undefined ? {} : { segmentBytes: context.quantity(spec.segment, 'size') }),
        ...(spec.maxOutstanding === undefined ? {} : { maxOutstandingSegments: spec.maxOutstanding }),
      }),
    );
  },
};

export const ARRAY_COMPONENT_TYPES: readonly ComponentType[] = [storageArrayType, arrayVolumeType, arrayCopyType];
