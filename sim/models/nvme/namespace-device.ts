/**
 * A `BlockDevice` for one namespace attached to an NVMe function: byte offsets are within the
 * namespace, and requests go through the function's queue pairs (round robin, or a named one).
 */
import type { BlockDevice, IoRequest } from '../block/io-request.ts';
import type { NvmeNamespace } from './namespace.ts';

export class NvmeNamespaceDevice implements BlockDevice {
  readonly path: string;
  readonly capacityBytes: number;
  readonly sectorBytes: number;

  constructor(
    owner: { readonly path: string },
    readonly namespace: NvmeNamespace,
    private readonly send: (request: IoRequest, queue?: number) => void,
  ) {
    this.path = `${owner.path}/ns${namespace.nsid}`;
    this.capacityBytes = namespace.sizeBytes;
    this.sectorBytes = namespace.lbaBytes;
  }

  submit(request: IoRequest): void {
    this.send(request);
  }

  /** Submits on the function's queue pair `q`. */
  submitToQueue(request: IoRequest, q: number): void {
    this.send(request, q);
  }
}
