/**
 * The array's own record of one host IO while it is inside the array (the requester's
 * `IoRequest` is not the array's to annotate). Records are pooled by the array, so an IO costs
 * no allocation once the pool has grown to the peak number in flight.
 *
 * Path of an IO: a write crosses a front-end port, then the backend; a read goes through the
 * backend, then back across a port; a trim only visits the backend.
 */
import type { IoRequest } from '../block/io-request.ts';
import type { ArrayVolume } from './array-volume.ts';
import type { BackendJob } from './backend.ts';
import type { FrontEndPort } from './front-end-port.ts';
import type { InFlightEntry } from './in-flight-set.ts';

/** Where an IO is. */
export const IoPhase = { Idle: 0, Port: 1, Backend: 2, Failing: 3 } as const;
export type IoPhase = (typeof IoPhase)[keyof typeof IoPhase];

/** What the record calls back into (the array's IO path). */
export interface ArrayIoHandler {
  portDone(io: ArrayIo): void;
  backendTransferDone(io: ArrayIo): void;
  backendDone(io: ArrayIo): void;
}

export class ArrayIo implements BackendJob, InFlightEntry {
  request: IoRequest | null = null;
  volume: ArrayVolume | null = null;
  port: FrontEndPort<ArrayIo> | null = null;
  phase: IoPhase = IoPhase.Idle;
  arrivedNs = 0;
  /** Why it failed, while `phase` is Failing. */
  failure = '';
  backendTimer = -1;
  inFlightSlot = -1;

  constructor(private readonly handler: ArrayIoHandler) {}

  get backendOp() {
    return this.request!.op;
  }

  get backendBytes(): number {
    return this.request!.sizeBytes;
  }

  transferDone(): void {
    if (this.phase === IoPhase.Port) this.handler.portDone(this);
    else this.handler.backendTransferDone(this);
  }

  backendDone(): void {
    this.handler.backendDone(this);
  }
}
