/**
 * One segment slot of a copy job: it copies one segment at a time, either offloaded to the
 * storage (XCOPY) or host-mediated (a read from the source, an optional host CPU charge, then a
 * write to the target, each IO crossing the arrays' front-end ports). A job owns
 * `maxOutstandingSegments` slots and reuses them, so a copy allocates nothing per segment.
 */
import { IoOp, IoRequest, IoStatus, type BlockDevice, type IoRequester } from '../block/io-request.ts';
import { ArrayVolume } from './array-volume.ts';
import type { OffloadClient } from './offload-runner.ts';
import type { StorageArray } from './storage-array.ts';

/** What a slot reports to its job. */
export interface SegmentOwner {
  readonly env: { readonly now: number };
  segmentDone(slot: CopySegment, ok: boolean, reason: string): void;
}

/** A host CPU charge for host-mediated copying: call `resume()` once the CPU work is done. */
export type HostCpuHook = (segmentBytes: number, resume: () => void) => void;

export class CopySegment implements IoRequester, OffloadClient {
  readonly request: IoRequest;
  /** Source offset of the segment being copied. */
  sourceOffsetBytes = 0;
  targetOffsetBytes = 0;
  bytes = 0;
  /** True while copying by offload, false when host-mediated. */
  offloaded = false;
  /** Content ids of the source blocks read (host-mediated copies of tracked volumes), else empty. */
  private readonly captured: Float64Array;
  private capturedFirstBlock = 0;
  private readonly resumeFn = () => this.writeToTarget();

  constructor(
    private readonly owner: SegmentOwner,
    private readonly source: BlockDevice,
    private readonly target: BlockDevice,
    private readonly hostCpu: HostCpuHook | undefined,
    segmentBytes: number,
  ) {
    this.request = new IoRequest(this);
    const sourceContent = source instanceof ArrayVolume ? source.content : null;
    const targetContent = target instanceof ArrayVolume ? target.content : null;
    this.captured = new Float64Array(sourceContent !== null && targetContent !== null ? Math.ceil(segmentBytes / sourceContent.blockBytes) + 1 : 0);
  }

  /** Copies by offload: the target's array runs it. */
  startOffload(manager: StorageArray): void {
    this.offloaded = true;
    manager.offload(this, this.source as ArrayVolume, this.sourceOffsetBytes, this.target as ArrayVolume, this.targetOffsetBytes, this.bytes);
  }

  /** Copies through the host: read, CPU, write. */
  startHost(): void {
    this.offloaded = false;
    this.source.submit(this.request.prepare(IoOp.Read, this.sourceOffsetBytes, this.bytes, this.owner.env.now));
  }

  offloadDone(ok: boolean, reason: string): void {
    this.owner.segmentDone(this, ok, reason);
  }

  ioCompleted(request: IoRequest): void {
    if (request.status !== IoStatus.Ok) {
      const what = request.op === IoOp.Read ? `read of ${this.source.path}` : `write of ${this.target.path}`;
      this.owner.segmentDone(this, false, `${what} failed: ${request.failure}`);
      return;
    }
    if (request.op === IoOp.Read) {
      if (this.captured.length > 0) {
        const content = (this.source as ArrayVolume).content!;
        this.capturedFirstBlock = Math.floor(this.sourceOffsetBytes / content.blockBytes);
        content.capture(this.sourceOffsetBytes, this.bytes, this.captured);
      }
      if (this.hostCpu) this.hostCpu(this.bytes, this.resumeFn);
      else this.writeToTarget();
      return;
    }
    if (this.captured.length > 0) {
      const source = (this.source as ArrayVolume).content!;
      (this.target as ArrayVolume).content!.copyIn(this.captured, this.capturedFirstBlock, source.blockBytes, this.sourceOffsetBytes, this.targetOffsetBytes, this.bytes);
    }
    this.owner.segmentDone(this, true, '');
  }

  private writeToTarget(): void {
    this.target.submit(this.request.prepare(IoOp.Write, this.targetOffsetBytes, this.bytes, this.owner.env.now));
  }
}
