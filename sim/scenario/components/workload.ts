/**
 * Scenario glue for block workloads: a synthetic generator (`block-workload`), trace replay
 * (`trace-replay`), and the reference block device `ideal-disk` they can drive. A workload's
 * `target` may name any component type listed in `BLOCK_DEVICE_TYPES`.
 */
import { IoExactlyOnceChecker } from '../../checkers/io-exactly-once.ts';
import type { BlockDevice } from '../../models/block/io-request.ts';
import type { AddressSkew } from '../../models/workload/address.ts';
import { asBlockDevice, BLOCK_DEVICE_TYPES } from '../../models/workload/block-targets.ts';
import { IdealDisk } from '../../models/workload/ideal-disk.ts';
import { SyntheticWorkload, type WorkloadLoop } from '../../models/workload/synthetic.ts';
import { TraceReplay } from '../../models/workload/trace-replay.ts';
import { exponential } from '../../engine/random/index.ts';
import type { BuildContext, ComponentType } from '../component-type.ts';
import { count, distribution, fraction, quantity } from '../schema-parts.ts';

const targetProperty = {
  type: 'string',
  description: `id of the block device the requests go to (a component of type ${BLOCK_DEVICE_TYPES.join(', ')})`,
};

const checkProperty = {
  type: 'boolean',
  description:
    'put the io-exactly-once checker between this workload and its target: the run fails at once if the device completes a request twice, ' +
    'completes one never submitted, completes one inside submit, or leaves one Pending (default false; changes no result)',
};

/** The target as a block device, behind the exactly-once checker when asked. */
function blockTarget(context: BuildContext, spec: Record<string, any>): BlockDevice {
  const device = asBlockDevice(context.component<unknown>(spec.target), spec.target);
  return spec.checkExactlyOnce === true ? new IoExactlyOnceChecker(context.env, device) : device;
}

/** A size quantity that must be a whole number of bytes. */
function wholeBytes(context: BuildContext, value: string, what: string): number {
  const bytes = context.quantity(value, 'size');
  if (!Number.isSafeInteger(bytes)) throw new RangeError(`${what} "${value}" is ${bytes} B, not a whole number of bytes`);
  return bytes;
}

export const idealDiskType: ComponentType = {
  type: 'ideal-disk',
  section: 'world',
  description:
    'Reference block device: servers identical servers behind one FIFO queue, each request taking latency + size / bandwidth. ' +
    'No caches or internal state, so queueing results about it have closed forms.',
  properties: {
    capacity: quantity('size', 'addressable bytes'),
    sector: quantity('size', 'offsets and sizes are multiples of this (default 512B)'),
    servers: count('requests served at once (default 1)', 1),
    latency: quantity('time', 'fixed time per request'),
    bandwidth: quantity('datarate', 'transfer rate added per byte (default: infinite)'),
  },
  required: ['capacity', 'latency'],
  build(context, id, spec) {
    return new IdealDisk(
      context.env,
      id,
      {
        capacityBytes: wholeBytes(context, spec.capacity, 'capacity'),
        sectorBytes: spec.sector === undefined ? 512 : wholeBytes(context, spec.sector, 'sector'),
        servers: spec.servers ?? 1,
        latencyNs: context.quantity(spec.latency, 'time'),
        ...(spec.bandwidth === undefined ? {} : { bandwidthBytesPerS: context.quantity(spec.bandwidth, 'datarate') }),
      },
      context.metrics,
    );
  },
};

const skewProperty = {
  description: 'how popularity is spread over the blocks of the span (random pattern only; default uniform)',
  type: 'object',
  required: ['kind'],
  properties: { kind: { enum: ['uniform', 'zipf', 'hot-cold'] } },
  discriminator: { propertyName: 'kind' },
  oneOf: [
    { type: 'object', additionalProperties: false, required: ['kind'], properties: { kind: { const: 'uniform' } }, description: 'every block equally likely' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'exponent'],
      properties: { kind: { const: 'zipf' }, exponent: { type: 'number', minimum: 0, description: 'Zipf exponent s: block of rank k has probability ∝ k^-s (0.99 is common)' } },
      description: 'bounded Zipf over the blocks, rank 1 first',
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'hotFraction', 'hotAccessFraction'],
      properties: {
        kind: { const: 'hot-cold' },
        hotFraction: { type: 'number', exclusiveMinimum: 0, maximum: 1, description: 'fraction of the blocks that are hot' },
        hotAccessFraction: fraction('fraction of the requests that go to the hot blocks'),
      },
      description: 'hotFraction of the span receives hotAccessFraction of the requests, uniformly within each part',
    },
  ],
};

export const blockWorkloadType: ComponentType = {
  type: 'block-workload',
  section: 'workload',
  description:
    'Synthetic block requests to a block device: open loop (rate or interarrival) or closed loop (queueDepth), with a read fraction, ' +
    'a size distribution, sequential or random (uniform, Zipf, hot/cold) addresses, on/off phases and a daily pattern.',
  properties: {
    target: targetProperty,
    rate: quantity('rate', 'open loop: Poisson arrivals at this rate'),
    interarrival: distribution('time', 'open loop: time between arrivals'),
    queueDepth: count('closed loop: requests kept in flight; each completion issues the next', 1),
    thinkTime: distribution('time', 'closed loop: pause between a completion and the next request of its slot (default none)'),
    readFraction: fraction('probability that a request is a read; the rest are writes'),
    size: distribution('size', 'request size; each draw is rounded to whole sectors of the target, at least one'),
    pattern: { enum: ['random', 'sequential'], description: 'random offsets, or one sequential cursor that wraps at the end of the span (default random)' },
    skew: skewProperty,
    block: quantity('size', 'granularity of random offsets and of the skew (default: the target\'s sector)'),
    scatter: { type: 'boolean', description: 'spread Zipf ranks / the hot region over the span with a fixed permutation instead of the first blocks (default false)' },
    span: {
      type: 'object',
      additionalProperties: false,
      description: 'the part of the device addressed (default all of it)',
      properties: {
        offset: quantity('size', 'start of the span (default 0B)'),
        length: quantity('size', 'length of the span (default: to the end of the device)'),
      },
    },
    phases: {
      type: 'object',
      additionalProperties: false,
      required: ['on', 'off'],
      description: 'alternating on and off phases, starting on at the start time; nothing is issued while off',
      properties: { on: distribution('time', 'length of an on phase'), off: distribution('time', 'length of an off phase') },
    },
    daily: {
      type: 'object',
      additionalProperties: false,
      required: ['hourly'],
      description: 'open loop: the arrival rate times a multiplier per hour of the day',
      properties: {
        hourly: { type: 'array', minItems: 24, maxItems: 24, items: { type: 'number', minimum: 0 }, description: '24 multipliers of the rate, from midnight' },
        startHour: { type: 'number', minimum: 0, exclusiveMaximum: 24, description: 'hour of the day at simulated time 0 (default 0)' },
      },
    },
    start: quantity('time', 'when the workload begins (default 0s)'),
    requestLimit: count('issue at most this many requests', 0),
    byteLimit: quantity('size', 'stop issuing once this many bytes were issued'),
    checkExactlyOnce: checkProperty,
  },
  required: ['target', 'readFraction', 'size'],
  references: { target: BLOCK_DEVICE_TYPES },
  build(context, id, spec) {
    const loops = ['rate', 'interarrival', 'queueDepth'].filter((key) => spec[key] !== undefined);
    if (loops.length !== 1) {
      throw new Error(
        `${loops.length === 0 ? 'no arrival process given' : `give only one of ${loops.join(', ')}`}; allowed: exactly one of "rate" or "interarrival" (open loop) or "queueDepth" (closed loop)`,
      );
    }
    if (spec.thinkTime !== undefined && spec.queueDepth === undefined) throw new Error('"thinkTime" needs a closed loop ("queueDepth")');
    let loop: WorkloadLoop;
    if (spec.queueDepth !== undefined) {
      loop = { kind: 'closed', queueDepth: spec.queueDepth, ...(spec.thinkTime === undefined ? {} : { thinkNs: context.distribution(spec.thinkTime, 'time') }) };
    } else if (spec.rate !== undefined) {
      const rate = context.quantity(spec.rate, 'rate');
      if (!(rate > 0)) throw new Error(`rate "${spec.rate}" must be above 0`);
      loop = { kind: 'open', interarrivalNs: exponential(1e9 / rate) };
    } else {
      loop = { kind: 'open', interarrivalNs: context.distribution(spec.interarrival, 'time') };
    }
    const target = blockTarget(context, spec);
    const workload = new SyntheticWorkload(
      context.env,
      id,
      {
        loop,
        readFraction: spec.readFraction,
        sizeBytes: context.distribution(spec.size, 'size'),
        pattern: spec.pattern ?? 'random',
        ...(spec.skew === undefined ? {} : { skew: spec.skew as AddressSkew }),
        ...(spec.block === undefined ? {} : { blockBytes: wholeBytes(context, spec.block, 'block') }),
        ...(spec.span?.offset === undefined ? {} : { spanOffsetBytes: wholeBytes(context, spec.span.offset, 'span offset') }),
        ...(spec.span?.length === undefined ? {} : { spanBytes: wholeBytes(context, spec.span.length, 'span length') }),
        scatter: spec.scatter ?? false,
        ...(spec.phases === undefined
          ? {}
          : { phases: { onNs: context.distribution(spec.phases.on, 'time'), offNs: context.distribution(spec.phases.off, 'time') } }),
        ...(spec.daily === undefined ? {} : { daily: { hourlyMultipliers: spec.daily.hourly, startHour: spec.daily.startHour ?? 0 } }),
        startNs: spec.start === undefined ? 0 : context.quantity(spec.start, 'time'),
        ...(spec.requestLimit === undefined ? {} : { requestLimit: spec.requestLimit }),
        ...(spec.byteLimit === undefined ? {} : { byteLimit: context.quantity(spec.byteLimit, 'size') }),
      },
      target,
      context.streams,
      context.metrics,
    );
    return workload;
  },
};

export const traceReplayType: ComponentType = {
  type: 'trace-replay',
  section: 'workload',
  description:
    'Replays a block IO trace file (MSR Cambridge CSV, or plain CSV "time_<unit>,op,offset,size") against a block device, ' +
    'at the recorded times (scaled by speedup) or closed loop at a queue depth. The file is read incrementally.',
  properties: {
    target: targetProperty,
    file: { type: 'string', minLength: 1, description: 'trace file path, relative to the scenario file\'s folder (or absolute)' },
    format: { enum: ['auto', 'msr', 'csv'], description: 'trace format (default auto: a first line that is a record or the header "Timestamp,..." means MSR, any other header plain CSV)' },
    speedup: { type: 'number', exclusiveMinimum: 0, description: 'open loop: recorded times are divided by this (default 1)' },
    queueDepth: count('closed loop at this many requests in flight, ignoring timestamps (default: open loop at the recorded times)', 1),
    disk: count('MSR traces: replay only records with this DiskNumber', 0),
    offsetShift: quantity('size', 'added to every offset, may be negative (default 0B)'),
    remap: { enum: ['none', 'wrap'], description: 'requests beyond the target: "none" fails the run naming the trace line, "wrap" takes offsets modulo the capacity (default none)' },
    start: quantity('time', 'when the replay begins (default 0s)'),
    requestLimit: count('issue at most this many records', 0),
    windowRecords: count('records parsed ahead of the replay: the reader\'s memory bound (default 1024)', 1),
    checkExactlyOnce: checkProperty,
  },
  required: ['target', 'file'],
  references: { target: BLOCK_DEVICE_TYPES },
  inputFiles: ['file'],
  build(context, id, spec) {
    const target = blockTarget(context, spec);
    return new TraceReplay(
      context.env,
      id,
      {
        file: context.resolvePath(spec.file),
        format: spec.format ?? 'auto',
        ...(spec.speedup === undefined ? {} : { speedup: spec.speedup }),
        ...(spec.queueDepth === undefined ? {} : { queueDepth: spec.queueDepth }),
        ...(spec.disk === undefined ? {} : { disk: spec.disk }),
        ...(spec.offsetShift === undefined ? {} : { offsetShiftBytes: wholeBytes(context, spec.offsetShift, 'offsetShift') }),
        remap: spec.remap ?? 'none',
        startNs: spec.start === undefined ? 0 : context.quantity(spec.start, 'time'),
        ...(spec.requestLimit === undefined ? {} : { requestLimit: spec.requestLimit }),
        ...(spec.windowRecords === undefined ? {} : { windowRecords: spec.windowRecords }),
      },
      target,
      context.metrics,
    );
  },
};

/** The component types of this file, for `components/index.ts`. */
export const WORKLOAD_COMPONENT_TYPES: readonly ComponentType[] = [idealDiskType, blockWorkloadType, traceReplayType];
