/**
 * Which scenario component types are block devices (what a workload's `target` may name), and
 * the build-time check that a built component really speaks the `BlockDevice` contract.
 */
import type { BlockDevice } from '../block/io-request.ts';

/**
 * Component type names whose built object is a `BlockDevice`. The storage models register
 * under these names; `ideal-disk` is the reference device of this folder.
 */
export const BLOCK_DEVICE_TYPES: readonly string[] = ['ssd', 'nvme-function', 'vm-disk', 'array-volume', 'ideal-disk'];

/**
 * `component` as a `BlockDevice`, or an Error naming what is missing. `targetId` is the
 * component's id in the scenario, for the message.
 */
export function asBlockDevice(component: unknown, targetId: string): BlockDevice {
  const device = component as Partial<BlockDevice> | null;
  const missing: string[] = [];
  if (device === null || typeof device !== 'object') {
    throw new Error(`target "${targetId}" did not build into an object, so it cannot serve block requests`);
  }
  if (typeof device.submit !== 'function') missing.push('submit(request)');
  if (!(typeof device.capacityBytes === 'number' && device.capacityBytes > 0)) missing.push('capacityBytes > 0');
  if (!(typeof device.sectorBytes === 'number' && Number.isInteger(device.sectorBytes) && device.sectorBytes > 0)) {
    missing.push('sectorBytes (a positive integer)');
  }
  if (missing.length > 0) {
    throw new Error(`target "${targetId}" is not a block device: it lacks ${missing.join(', ')}; allowed: a component of type ${BLOCK_DEVICE_TYPES.join(', ')}`);
  }
  return device as BlockDevice;
}
