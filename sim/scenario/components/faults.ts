/**
 * Scenario glue for faults: one component type per kind of fault, each calling its target
 * model's own fault hooks at the times the `faults` section sets (see
 * `models/faults/fault-injector.ts`). What happens to work in flight is the target model's
 * rule, documented with its hook and counted in its metrics:
 *
 * | type | targets | inject / clear |
 * |---|---|---|
 * | `device-failure` | ssd, storage-array, ideal-disk, nvme-function | fail / repair: new requests fail with the reason (an array also fails its IOs and copy segments in flight; a function aborts its commands) |
 * | `controller-reset` | nvme-controller | controller-level reset for the fault's duration (commands in flight abort) |
 * | `link-down` | network (+ `link`) | link down / up: flows stall or fail, as the network's `onLinkDown` says |
 * | `port-down` | storage-array (+ `port`) | front-end port down / up: IOs crossing it fail, later ones use other ports |
 * | `cloud-outage` | object-store | unavailable / available: requests in flight fail with 503 and clients retry with backoff |
 * | `cloud-throttle` | object-store (+ `factor`) | request-rate limits × factor / back to normal: excess requests get SlowDown and retry |
 * | `host-crash` | host (+ `restartVms`) | crash / recover: every IO its VMs had accepted fails once with "host crashed" |
 */
import { FaultInjector, type FaultEffect, type FaultTiming } from '../../models/faults/fault-injector.ts';
import { StorageArray } from '../../models/array/storage-array.ts';
import { ObjectStore } from '../../models/cloud/object-store.ts';
import { Host } from '../../models/host/host.ts';
import { Network } from '../../models/network/network.ts';
import { NvmeController } from '../../models/nvme/controller.ts';
import { NvmeFunction } from '../../models/nvme/function.ts';
import { Ssd } from '../../models/ssd/ssd.ts';
import { IdealDisk } from '../../models/workload/ideal-disk.ts';
import type { BuildContext, ComponentType } from '../component-type.ts';
import { count, quantity } from '../schema-parts.ts';

/** Keys every fault type shares: when it holds. */
const TIMING_PROPERTIES: Record<string, object> = {
  at: quantity('time', 'when the fault starts (one window; with `duration`, or for good)'),
  duration: quantity('time', 'how long the fault holds after `at` (default: for good)'),
  schedule: {
    type: 'array',
    minItems: 1,
    description: 'a profile of windows, in time order and not overlapping',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['at'],
      properties: { at: quantity('time', 'window start'), duration: quantity('time', 'window length (default: for good; last window only)') },
    },
  },
  random: {
    type: 'object',
    additionalProperties: false,
    required: ['meanTimeBetween', 'meanDuration'],
    description: 'faults at random: exponential times between them and exponential durations, from the fault\'s own stream',
    properties: {
      meanTimeBetween: quantity('time', 'mean time from the end of one fault to the start of the next'),
      meanDuration: quantity('time', 'mean duration of a fault'),
      until: quantity('time', 'no fault starts after this time (default: never stop)'),
    },
  },
};

function timingOf(context: BuildContext, spec: Record<string, any>): FaultTiming {
  const given = ['at', 'schedule', 'random'].filter((k) => spec[k] !== undefined);
  if (given.length !== 1) throw new Error(`give exactly one of "at", "schedule" or "random" (got ${given.length === 0 ? 'none' : given.map((k) => `"${k}"`).join(' and ')})`);
  const time = (v: string) => context.quantity(v, 'time');
  if (spec.duration !== undefined && spec.at === undefined) throw new Error('"duration" goes with "at"');
  if (spec.at !== undefined) return { kind: 'windows', windows: [{ atNs: time(spec.at), durationNs: spec.duration === undefined ? null : time(spec.duration) }] };
  if (spec.schedule !== undefined) {
    return { kind: 'windows', windows: spec.schedule.map((w: any) => ({ atNs: time(w.at), durationNs: w.duration === undefined ? null : time(w.duration) })) };
  }
  const r = spec.random;
  return { kind: 'random', meanTimeBetweenNs: time(r.meanTimeBetween), meanDurationNs: time(r.meanDuration), untilNs: r.until === undefined ? Infinity : time(r.until) };
}

/** A fault component type: its own keys, the target types it accepts, and the effect on a target. */
function faultType(
  type: string,
  description: string,
  targets: readonly string[],
  properties: Record<string, object>,
  required: readonly string[],
  effect: (target: unknown, spec: Record<string, any>, id: string, context: BuildContext) => FaultEffect,
): ComponentType {
  return {
    type,
    section: 'faults',
    description,
    properties: { target: { type: 'string', description: `id of the ${targets.join(' or ')} it strikes` }, ...properties, ...TIMING_PROPERTIES },
    required: ['target', ...required],
    references: { target: targets },
    build(context, id, spec) {
      const injector = new FaultInjector(
        context.env,
        id,
        timingOf(context, spec),
        effect(context.component(spec.target), spec, id, context),
        context.streams.stream(`${id}/fault`),
        context.metrics,
      );
      return { start: () => injector.start() };
    },
  };
}

function notSupported(target: unknown, type: string): never {
  throw new Error(`a ${type} fault cannot strike a ${(target as object).constructor.name}`);
}

export const deviceFailureType = faultType(
  'device-failure',
  'A block device fails and is repaired: requests fail with the reason while it is down.',
  ['ssd', 'storage-array', 'ideal-disk', 'nvme-function'],
  { reason: { type: 'string', description: 'failure reason reported with each failed request (default "device failed")' } },
  [],
  (target, spec) => {
    const reason: string = spec.reason ?? 'device failed';
    if (target instanceof Ssd) return { inject: () => target.fail(reason), clear: () => target.repair() };
    if (target instanceof StorageArray) return { inject: () => target.fail(reason), clear: () => target.recover() };
    if (target instanceof IdealDisk) return { inject: () => target.setFailing(true, reason), clear: () => target.setFailing(false) };
    if (target instanceof NvmeFunction) return { inject: () => target.disable(), clear: () => target.enable() };
    return notSupported(target, 'device-failure');
  },
);

export const controllerResetType = faultType(
  'controller-reset',
  'An NVMe controller-level reset: commands in flight abort; the controller serves again after the fault\'s duration.',
  ['nvme-controller'],
  {},
  [],
  (target) => {
    if (!(target instanceof NvmeController)) return notSupported(target, 'controller-reset');
    return { inject: (durationNs) => target.reset(durationNs ?? 0), clear: () => {} };
  },
);

export const linkDownType = faultType(
  'link-down',
  'A network link goes down and comes back: flows crossing it stall or fail (the network\'s onLinkDown).',
  ['network'],
  { link: { type: 'string', description: 'id of the link' } },
  ['link'],
  (target, spec) => {
    if (!(target instanceof Network)) return notSupported(target, 'link-down');
    const link = target.link(spec.link);
    return { inject: () => link.down(), clear: () => link.up() };
  },
);

export const portDownType = faultType(
  'port-down',
  'A storage array front-end port goes down and comes back: IOs crossing it fail; later IOs use the other ports.',
  ['storage-array'],
  { port: count('index of the port (from 0)', 0) },
  ['port'],
  (target, spec) => {
    if (!(target instanceof StorageArray)) return notSupported(target, 'port-down');
    return { inject: () => target.portDown(spec.port), clear: () => target.portUp(spec.port) };
  },
);

export const cloudOutageType = faultType(
  'cloud-outage',
  'An object store is unavailable: requests in flight fail with 503 ServiceUnavailable and clients retry with backoff.',
  ['object-store'],
  {},
  [],
  (target) => {
    if (!(target instanceof ObjectStore)) return notSupported(target, 'cloud-outage');
    return { inject: () => target.setAvailable(false), clear: () => target.setAvailable(true) };
  },
);

export const cloudThrottleType = faultType(
  'cloud-throttle',
  'An object store\'s request-rate limits shrink by a factor: excess requests get 503 SlowDown and clients retry.',
  ['object-store'],
  { factor: { type: 'number', exclusiveMinimum: 0, description: 'multiplier of the request-rate limits while the fault holds (0.1 = a tenth)' } },
  ['factor'],
  (target, spec) => {
    if (!(target instanceof ObjectStore)) return notSupported(target, 'cloud-throttle');
    return { inject: () => target.throttle(spec.factor), clear: () => target.throttle(1) };
  },
);

export const hostCrashType = faultType(
  'host-crash',
  'A host crashes: its VMs stop and every IO they had accepted fails once with "host crashed"; it recovers after the duration.',
  ['host'],
  { restartVms: { type: 'boolean', description: 'on recovery, boot again the VMs that were running (default false)' } },
  [],
  (target, spec) => {
    if (!(target instanceof Host)) return notSupported(target, 'host-crash');
    return { inject: () => target.crash(), clear: () => target.recover(spec.restartVms ?? false) };
  },
);

export const FAULT_COMPONENT_TYPES: readonly ComponentType[] = [
  deviceFailureType, controllerResetType, linkDownType, portDownType, cloudOutageType, cloudThrottleType, hostCrashType,
];
