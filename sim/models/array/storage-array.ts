/**
 * A storage array (primary or secondary): front-end ports, a backend, volumes, an internal copy
 * engine with XCOPY copy offload, and optional replication links to peer arrays.
 *
 * Host IO to a volume: a write crosses a front-end port (its bytes at the port's rate), then the
 * backend (`Backend`: slots, a latency per IO, shared internal bandwidth); a read goes through
 * the backend first, then back across a port; a trim visits only the backend. The port is picked
 * round-robin among the volume's ports that are up, when the IO reaches the port phase.
 *
 * Copy offload (SCSI EXTENDED COPY, T10 SPC-4 §6.4; VMware VAAI "Full Copy"): the array acting as
 * copy manager for a segment (the target volume's array, as ESXi sends XCOPY to the destination
 * device) accepts it when XCOPY is enabled, the segment is no longer than `maxSegmentBytes` (the
 * MAXIMUM SEGMENT LENGTH reported by RECEIVE COPY OPERATING PARAMETERS), its offsets and length are
 * multiples of `alignmentBytes`, and the source volume is on this array or on a linked peer whose
 * XCOPY is enabled too. An accepted segment waits `segmentOverheadNs` (plus the link's latency when
 * it crosses a link) and then shares the copy engine's bandwidth (or the link's) with the other
 * segments in flight. It uses no front-end port and no host. The copy engine is a bandwidth pool
 * of its own: offloaded copies and host IO do not slow each other in this model.
 *
 * Faults (each states what happens to work in flight):
 * - `fail(reason?)`: every IO inside the array and every offloaded segment on its copy engine or
 *   its links fails, each exactly once (requesters hear from engine events), with the reason
 *   `array <id> failed[: reason]`. While failed, new IOs and segments fail at once (from an event).
 *   Copy jobs do not retry: a failed segment fails its job (see `CopyJob`).
 * - `recover()`: new work is accepted again. Nothing failed is replayed.
 * - `portDown(i)` / `portUp(i)`: IOs crossing port i when it goes down fail ("port down"); later
 *   IOs use the volume's other ports; with none up, an IO fails when it needs a port.
 *
 * Metrics under `<array>/`: `backend/utilization` (busy slots / slots), `backend/queue_length`,
 * `copy_engine/bytes` (B), `xcopy_segments`, `fallback_segments`, `xcopy_refusals`, `failed_ios`,
 * `failed_segments`, `copy_jobs_ok`, `copy_jobs_failed`, `copy_job_duration` (s), and per port
 * (see `FrontEndPort`).
 */
import type { Environment } from '../../engine/index.ts';
import type { RandomStreams } from '../../engine/random/index.ts';
import type { Counter, LatencyHistogram, MetricRegistry } from '../../metrics/index.ts';
import { IoOp, IoStatus, requestProblem, type IoRequest } from '../block/io-request.ts';
import { ArrayIo, IoPhase, type ArrayIoHandler } from './array-io.ts';
import { ArrayVolume, type ArrayVolumeOptions } from './array-volume.ts';
import { Backend, type BackendOptions } from './backend.ts';
import { FrontEndPort, type PortOptions } from './front-end-port.ts';
import { InFlightSet } from './in-flight-set.ts';
import { OffloadRunner, type OffloadClient } from './offload-runner.ts';
import type { ReplicationLink } from './replication-link.ts';

/** What an array is for (a label; both roles behave alike given their parameters). */
export type ArrayRole = 'primary' | 'secondary';

/** XCOPY (copy offload) support of an array. */
export interface XcopyOptions {
  /** Whether the array accepts EXTENDED COPY at all (default true). */
  enabled?: boolean;
  /** Longest segment accepted, bytes (default 256 MiB; longer ones are refused). */
  maxSegmentBytes?: number;
  /** Offsets and lengths must be multiples of this, bytes (default 512; others are refused). */
  alignmentBytes?: number;
  /** Fixed time per segment before its bytes move, ns (default 0). */
  segmentOverheadNs?: number;
}

/** Options of a `StorageArray`. */
export interface StorageArrayOptions {
  role?: ArrayRole;
  backend: BackendOptions;
  /** One entry per front-end port (at least one). */
  ports: readonly PortOptions[];
  /** Bandwidth of the internal copy engine, B/s. */
  copyEngineBytesPerS: number;
  xcopy?: XcopyOptions;
}

const DEFAULT_MAX_SEGMENT_BYTES = 256 * 1024 * 1024;

export class StorageArray implements ArrayIoHandler {
  readonly env: Environment;
  readonly path: string;
  readonly role: ArrayRole;
  readonly ports: readonly FrontEndPort<ArrayIo>[];
  readonly backend: Backend;
  readonly copyEngine: OffloadRunner;
  readonly xcopyEnabled: boolean;
  readonly maxSegmentBytes: number;
  readonly alignmentBytes: number;
  readonly segmentOverheadNs: number;
  private readonly volumes: ArrayVolume[] = [];
  private readonly links: ReplicationLink[] = [];
  private readonly metrics: MetricRegistry;
  private readonly pool: ArrayIo[] = [];
  private readonly inFlight = new InFlightSet<ArrayIo>();
  private isFailed = false;
  private failReason = '';
  private readonly failedIos: Counter;
  readonly xcopySegments: Counter;
  readonly fallbackSegments: Counter;
  readonly xcopyRefusals: Counter;
  readonly copyJobsOk: Counter;
  readonly copyJobsFailed: Counter;
  readonly copyJobDuration: LatencyHistogram;
  private readonly deliverFailureFn = (io: ArrayIo) => this.deliverFailure(io);

  constructor(env: Environment, path: string, options: StorageArrayOptions, streams: RandomStreams, metrics: MetricRegistry) {
    if (options.ports.length === 0) throw new RangeError(`array "${path}" needs at least one front-end port`);
    const xcopy = options.xcopy ?? {};
    this.env = env;
    this.path = path;
    this.role = options.role ?? 'primary';
    this.metrics = metrics;
    this.xcopyEnabled = xcopy.enabled ?? true;
    this.maxSegmentBytes = xcopy.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES;
    this.alignmentBytes = xcopy.alignmentBytes ?? 512;
    this.segmentOverheadNs = xcopy.segmentOverheadNs ?? 0;
    if (!(this.maxSegmentBytes > 0)) throw new RangeError(`maximum XCOPY segment must be > 0 B, got ${this.maxSegmentBytes}`);
    if (!(Number.isInteger(this.alignmentBytes) && this.alignmentBytes > 0)) throw new RangeError(`XCOPY alignment must be a positive integer of bytes, got ${this.alignmentBytes}`);
    if (!(this.segmentOverheadNs >= 0 && this.segmentOverheadNs < Infinity)) throw new RangeError(`XCOPY segment overhead must be >= 0 ns, got ${this.segmentOverheadNs}`);
    this.ports = options.ports.map((port, i) => new FrontEndPort<ArrayIo>(env, path, i, port, metrics));
    this.backend = new Backend(
      env,
      options.backend,
      { read: streams.stream(`${path}/backend/read-latency`), write: streams.stream(`${path}/backend/write-latency`) },
      { utilization: metrics.timeWeighted(`${path}/backend/utilization`), queueLength: metrics.timeWeighted(`${path}/backend/queue_length`) },
    );
    const failedSegments = metrics.counter(`${path}/failed_segments`);
    this.copyEngine = new OffloadRunner(env, `${path}/copy_engine`, options.copyEngineBytesPerS, {
      bytes: metrics.counter(`${path}/copy_engine/bytes`, { unit: 'B', scale: 1 }),
      failedSegments,
    });
    this.failedIos = metrics.counter(`${path}/failed_ios`);
    this.xcopySegments = metrics.counter(`${path}/xcopy_segments`);
    this.fallbackSegments = metrics.counter(`${path}/fallback_segments`);
    this.xcopyRefusals = metrics.counter(`${path}/xcopy_refusals`);
    this.copyJobsOk = metrics.counter(`${path}/copy_jobs_ok`);
    this.copyJobsFailed = metrics.counter(`${path}/copy_jobs_failed`);
    this.copyJobDuration = metrics.histogram(`${path}/copy_job_duration`, { unit: 's' });
  }

  /** Whether the array is failed (see `fail`). */
  get failed(): boolean {
    return this.isFailed;
  }

  /** Host IOs inside the array now. */
  get iosInFlight(): number {
    return this.inFlight.size;
  }

  /** Creates a volume on this array; `path` is its component path (metrics go there). */
  addVolume(path: string, options: ArrayVolumeOptions): ArrayVolume {
    const volume = new ArrayVolume(this, path, options, this.metrics);
    this.volumes.push(volume);
    return volume;
  }

  /** The volumes, in creation order. */
  get volumeList(): readonly ArrayVolume[] {
    return this.volumes;
  }

  /** Registers a link (called by `linkArrays`). */
  addLink(link: ReplicationLink): void {
    this.links.push(link);
  }

  /** The link between this array and `peer`, if any. */
  linkTo(peer: StorageArray): ReplicationLink | undefined {
    return this.links.find((link) => link.peerOf(this) === peer && (link.a === this || link.b === this));
  }

  // ---- host IO -------------------------------------------------------------------------------

  /** A volume's `submit`: starts the IO, or fails it (from an engine event) if malformed or the array is failed. */
  submitIo(volume: ArrayVolume, request: IoRequest): void {
    const io = this.pool.pop() ?? new ArrayIo(this);
    io.request = request;
    io.volume = volume;
    io.arrivedNs = this.env.now;
    const problem = requestProblem(volume, request);
    if (problem !== undefined) return this.failSoon(io, `${volume.path}: ${problem}`, false);
    if (this.isFailed) return this.failSoon(io, this.failReason, true);
    this.inFlight.add(io);
    if (request.op === IoOp.Write) this.toPort(io);
    else this.toBackend(io);
  }

  portDone(io: ArrayIo): void {
    io.port = null;
    if (io.request!.op === IoOp.Write) this.toBackend(io);
    else this.succeed(io);
  }

  backendTransferDone(io: ArrayIo): void {
    this.backend.transferDone(io);
  }

  backendDone(io: ArrayIo): void {
    if (io.request!.op === IoOp.Read) this.toPort(io);
    else this.succeed(io);
  }

  private toPort(io: ArrayIo): void {
    const port = io.volume!.pickPort();
    if (port === null) {
      this.inFlight.remove(io);
      return this.failSoon(io, `no front-end port of array ${this.path} is up for ${io.volume!.path}`, true);
    }
    io.phase = IoPhase.Port;
    io.port = port;
    port.channel.start(io.request!.sizeBytes, io);
  }

  private toBackend(io: ArrayIo): void {
    io.phase = IoPhase.Backend;
    this.backend.submit(io);
  }

  private succeed(io: ArrayIo): void {
    this.inFlight.remove(io);
    const request = io.request!;
    io.volume!.ioSucceeded(request, this.env.now - io.arrivedNs);
    this.release(io);
    request.status = IoStatus.Ok;
    request.requester.ioCompleted(request);
  }

  /** Fails `io` from an engine event at the current time (it must not be in flight any more). */
  private failSoon(io: ArrayIo, reason: string, countAsFault: boolean): void {
    io.phase = IoPhase.Failing;
    io.port = null;
    io.failure = reason;
    io.volume!.failedIos.add(1);
    if (countAsFault) this.failedIos.add(1);
    this.env.schedule(0, this.deliverFailureFn, io);
  }

  private deliverFailure(io: ArrayIo): void {
    const request = io.request!;
    const reason = io.failure;
    this.release(io);
    request.status = IoStatus.Failed;
    request.failure = reason;
    request.requester.ioCompleted(request);
  }

  private release(io: ArrayIo): void {
    io.request = null;
    io.volume = null;
    io.port = null;
    io.phase = IoPhase.Idle;
    io.failure = '';
    this.pool.push(io);
  }

  // ---- copy offload --------------------------------------------------------------------------

  /**
   * Why this array, as copy manager, refuses to offload a segment from `source` to `target`
   * (a volume of this array), or undefined when it accepts it. A failed array does not refuse:
   * its segments fail instead.
   */
  offloadRefusal(source: ArrayVolume, sourceOffsetBytes: number, target: ArrayVolume, targetOffsetBytes: number, bytes: number): string | undefined {
    if (target.array !== this) return `target ${target.path} is not on array ${this.path}`;
    if (!this.xcopyEnabled) return `XCOPY is disabled on array ${this.path}`;
    if (source.array !== this) {
      if (this.linkTo(source.array) === undefined) return `arrays ${source.array.path} and ${this.path} are not linked`;
      if (!source.array.xcopyEnabled) return `XCOPY is disabled on source array ${source.array.path}`;
    }
    if (bytes > this.maxSegmentBytes) return `segment of ${bytes} B exceeds the maximum segment length ${this.maxSegmentBytes} B of array ${this.path}`;
    const a = this.alignmentBytes;
    if (sourceOffsetBytes % a !== 0 || targetOffsetBytes % a !== 0 || bytes % a !== 0) {
      return `segment (source offset ${sourceOffsetBytes} B, target offset ${targetOffsetBytes} B, ${bytes} B) is not aligned to ${a} B on array ${this.path}`;
    }
    return undefined;
  }

  /**
   * Runs one offloaded segment that `offloadRefusal` accepted; `client` hears once. Segments
   * between two volumes of this array use the copy engine; from a linked peer, the link.
   */
  offload(client: OffloadClient, source: ArrayVolume, sourceOffsetBytes: number, target: ArrayVolume, targetOffsetBytes: number, bytes: number): void {
    const refusal = this.offloadRefusal(source, sourceOffsetBytes, target, targetOffsetBytes, bytes);
    if (refusal !== undefined) throw new Error(`offload called for a segment the array refuses: ${refusal}`);
    const link = source.array === this ? undefined : this.linkTo(source.array)!;
    const runner = link === undefined ? this.copyEngine : link.runner;
    const down = this.isFailed ? this : source.array.failed ? source.array : undefined;
    if (down !== undefined) return runner.reject(client, down.failReason);
    this.xcopySegments.add(1);
    runner.run(client, source, sourceOffsetBytes, target, targetOffsetBytes, bytes, this.segmentOverheadNs + (link?.latencyNs ?? 0));
  }

  // ---- faults --------------------------------------------------------------------------------

  /**
   * Fails the array: every IO inside it and every offloaded segment on its copy engine or links
   * fails once, from engine events, with reason `array <id> failed[: reason]`; new work fails at
   * once until `recover()`. No effect if already failed.
   */
  fail(reason?: string): void {
    if (this.isFailed) return;
    this.isFailed = true;
    this.failReason = `array ${this.path} failed${reason ? `: ${reason}` : ''}`;
    for (const port of this.ports) port.channel.abortAll();
    this.backend.abortAll();
    this.copyEngine.failAll(this.failReason);
    for (const link of this.links) link.runner.failAll(this.failReason);
    for (const io of this.inFlight.drain()) this.failSoon(io, this.failReason, true);
  }

  /** Accepts work again after `fail`. */
  recover(): void {
    this.isFailed = false;
    this.failReason = '';
  }

  /** Takes port `index` down: IOs crossing it fail ("port down"); later IOs avoid it. */
  portDown(index: number): void {
    const port = this.port(index);
    if (!port.up) return;
    port.setUp(false);
    port.channel.abortAll((io) => {
      this.inFlight.remove(io);
      port.failedTransfers.add(1);
      this.failSoon(io, `port ${index} of array ${this.path} went down`, true);
    });
  }

  /** Brings port `index` back up. */
  portUp(index: number): void {
    this.port(index).setUp(true);
  }

  private port(index: number): FrontEndPort<ArrayIo> {
    const port = this.ports[index];
    if (port === undefined) throw new RangeError(`array ${this.path} has no port ${index} (ports 0 to ${this.ports.length - 1})`);
    return port;
  }

  // ---- copy jobs (book-keeping for the jobs this array manages) --------------------------------

  /** A copy job managed by this array ended. */
  copyJobEnded(ok: boolean, durationNs: number): void {
    (ok ? this.copyJobsOk : this.copyJobsFailed).add(1);
    this.copyJobDuration.record(durationNs);
  }
}
