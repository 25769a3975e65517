/**
 * A backup service that protects one chunked dataset in an object store with full and
 * forward-incremental backups:
 * - each backup is one object holding the chunks it copies, back to back, in ascending chunk
 *   order; a full copies every chunk, an incremental the chunks whose version changed since the
 *   previous successful backup. A backup is a point-in-time copy of the dataset as it was when
 *   the backup started (writes during the upload belong to the next one);
 * - a chain is a full followed by its incrementals; a backup is full when there is no previous
 *   backup or the latest chain already holds `fullEvery` restore points;
 * - retention keeps at least `keep` restore points: the oldest chain is deleted (its objects
 *   DELETEd) once `keep` newer restore points exist without it (an incremental cannot outlive
 *   the full it depends on);
 * - restore of backup s GETs every object of its chain (full first, ranged GETs in parallel) and
 *   rebuilds the dataset image from the downloaded content: for each chunk, the copy in the
 *   newest backup of the chain that holds it.
 *
 * A failed upload (after the client's retries) leaves no restore point and no object (the
 * multipart upload is aborted); the next backup still copies everything changed since the last
 * successful one. A scheduled backup that finds the previous one still running is skipped.
 *
 * Every successful restore is checked against the dataset as it was at that backup (from the
 * catalog's chunk versions, `versionsAt`): a difference counts in `restore_mismatches`, which
 * must stay 0.
 *
 * Metrics under `<id>/`: `backups`, `full_backups`, `failed_backups`, `skipped_backups`,
 * `deleted_backups`, `delete_failures`, `backup_duration` (s), `uploaded_B`, `restore_points`
 * (time-weighted), `restores`, `failed_restores`, `restore_time` (s), `restored_B`,
 * `restore_mismatches`.
 */
import type { Environment, SimEvent } from '../../engine/index.ts';
import type { Counter, LatencyHistogram, MetricRegistry, TimeWeighted } from '../../metrics/index.ts';
import type { ChunkedDataset } from './chunked-dataset.ts';
import { concatContent, firstDifference, splitContent, type Content } from './content.ts';
import type { ObjectClient } from './object-client.ts';
import { downloadObjectEvent, uploadObjectEvent, type DownloadOptions, type TransferOutcome } from './transfer-manager.ts';

export interface BackupServiceOptions {
  readonly bucket: string;
  /** Key prefix of the backup objects. Default `<id>/`. */
  readonly prefix?: string;
  /** Time between scheduled backups (ns); 0: no schedule (backups only on `backupNow`). */
  readonly intervalNs: number;
  /** Time of the first scheduled backup (ns). Default `intervalNs`. */
  readonly firstAtNs?: number;
  /** Restore points per chain: 1 makes every backup full. */
  readonly fullEvery: number;
  /** Restore points to keep (>= 1). */
  readonly keep: number;
  /** Upload: part size and parts in flight; objects up to `partBytes` go in one PUT. */
  readonly upload: { readonly partBytes: number; readonly concurrency: number };
  /** Restore: bytes per ranged GET and GETs in flight. */
  readonly download: DownloadOptions;
}

/** One restore point. */
export interface BackupRecord {
  /** Backup number (attempts are numbered; failed ones leave gaps). */
  readonly seq: number;
  readonly full: boolean;
  /** The full backup this one depends on (itself for a full). */
  readonly baseSeq: number;
  readonly key: string;
  readonly sizeBytes: number;
  /** The dataset as of this time. */
  readonly startedNs: number;
  readonly completedNs: number;
  /** Chunks held, ascending. */
  readonly chunks: Uint32Array;
  /** Their versions, as of `startedNs`. */
  readonly versions: Uint32Array;
}

export interface BackupOutcome {
  readonly ok: boolean;
  /** Why it failed or was skipped ('' when ok). */
  readonly reason: string;
  readonly record: BackupRecord | null;
  readonly durationNs: number;
}

export interface RestoreOutcome {
  readonly ok: boolean;
  readonly reason: string;
  readonly seq: number;
  /** The dataset image rebuilt from downloaded bytes (null on failure). */
  readonly content: Content | null;
  readonly bytes: number;
  readonly durationNs: number;
}

export class BackupService {
  readonly path: string;
  readonly prefix: string;
  private readonly records: BackupRecord[] = [];
  /** Chunk versions as of the last successful backup (all 0xffffffff before the first). */
  private baseline: Uint32Array;
  private attempts = 0;
  private running = false;
  private readonly m: {
    backups: Counter;
    full: Counter;
    failed: Counter;
    skipped: Counter;
    deleted: Counter;
    duration: LatencyHistogram;
    uploaded: Counter;
    points: TimeWeighted;
    restores: Counter;
    failedRestores: Counter;
    restoreTime: LatencyHistogram;
    restored: Counter;
    deleteFailures: Counter;
    mismatches: Counter;
  };

  constructor(
    private readonly env: Environment,
    path: string,
    readonly dataset: ChunkedDataset,
    readonly client: ObjectClient,
    readonly options: BackupServiceOptions,
    metrics: MetricRegistry,
  ) {
    this.path = path;
    this.prefix = options.prefix ?? `${path}/`;
    if (!(options.intervalNs >= 0)) throw new RangeError(`backup interval must be >= 0 ns, got ${options.intervalNs}`);
    if (!(Number.isInteger(options.fullEvery) && options.fullEvery >= 1)) throw new RangeError(`fullEvery must be an integer >= 1, got ${options.fullEvery}`);
    if (!(Number.isInteger(options.keep) && options.keep >= 1)) throw new RangeError(`keep must be an integer >= 1, got ${options.keep}`);
    client.store.createBucket(options.bucket);
    this.baseline = new Uint32Array(dataset.chunkCount).fill(0xffffffff);
    const bytes = { unit: 'B', scale: 1 };
    this.m = {
      backups: metrics.counter(`${path}/backups`),
      full: metrics.counter(`${path}/full_backups`),
      failed: metrics.counter(`${path}/failed_backups`),
      skipped: metrics.counter(`${path}/skipped_backups`),
      deleted: metrics.counter(`${path}/deleted_backups`),
      duration: metrics.histogram(`${path}/backup_duration`, { unit: 's' }),
      uploaded: metrics.counter(`${path}/uploaded`, bytes),
      points: metrics.timeWeighted(`${path}/restore_points`),
      restores: metrics.counter(`${path}/restores`),
      failedRestores: metrics.counter(`${path}/failed_restores`),
      restoreTime: metrics.histogram(`${path}/restore_time`, { unit: 's' }),
      restored: metrics.counter(`${path}/restored`, bytes),
      deleteFailures: metrics.counter(`${path}/delete_failures`),
      mismatches: metrics.counter(`${path}/restore_mismatches`),
    };
  }

  /** Schedules the backups (call once, before the run). */
  start(): void {
    const interval = this.options.intervalNs;
    if (interval === 0) return;
    const tick = () => {
      this.backupNow();
      this.env.schedule(interval, tick, null);
    };
    this.env.schedule(this.options.firstAtNs ?? interval, tick, null);
  }

  /** The restore points, oldest first. */
  get catalog(): readonly BackupRecord[] {
    return this.records;
  }

  /** The newest restore point, if any. */
  latest(): BackupRecord | undefined {
    return this.records[this.records.length - 1];
  }

  /** The chain restoring backup `seq` needs (its full first), or undefined if `seq` is not a restore point. */
  chainOf(seq: number): BackupRecord[] | undefined {
    const end = this.records.findIndex((r) => r.seq === seq);
    if (end < 0) return undefined;
    let begin = end;
    while (!this.records[begin]!.full) begin--;
    return this.records.slice(begin, end + 1);
  }

  /** The chunk versions of the dataset image backup `seq` restores (from the catalog), or undefined. */
  versionsAt(seq: number): Uint32Array | undefined {
    const chain = this.chainOf(seq);
    return chain === undefined ? undefined : this.chainVersions(chain);
  }

  private chainVersions(chain: readonly BackupRecord[]): Uint32Array {
    const versions = new Uint32Array(this.dataset.chunkCount);
    const set = new Uint8Array(this.dataset.chunkCount);
    for (let r = chain.length - 1; r >= 0; r--) {
      const record = chain[r]!;
      for (let k = 0; k < record.chunks.length; k++) {
        const chunk = record.chunks[k]!;
        if (set[chunk] === 0) {
          set[chunk] = 1;
          versions[chunk] = record.versions[k]!;
        }
      }
    }
    return versions;
  }

  /** Starts a backup now (skipped if one is running); `onDone` gets the outcome. */
  backupNow(onDone?: (outcome: BackupOutcome) => void): void {
    if (this.running) {
      this.m.skipped.add(1);
      if (onDone) this.env.schedule(0, onDone, { ok: false, reason: 'skipped: the previous backup is still running', record: null, durationNs: 0 });
      return;
    }
    this.running = true;
    // The point in time is now: capture it before the process first runs.
    const process = this.env.process(this.backup(this.env.now, this.dataset.captureVersions()));
    if (onDone) process.addCallback(() => onDone(process.value));
  }

  /** {@link backupNow} as an event. */
  backupEvent(): SimEvent<BackupOutcome> {
    const event = this.env.event<BackupOutcome>();
    this.backupNow((outcome) => event.succeed(outcome));
    return event;
  }

  /** Restores backup `seq` (default: the latest); `onDone` gets the rebuilt image. */
  restore(seq: number | undefined, onDone: (outcome: RestoreOutcome) => void): void {
    const target = seq ?? this.latest()?.seq ?? -1;
    // The chain is fixed now: retention deleting it meanwhile makes the GETs fail, as it would.
    const process = this.env.process(this.restoreBody(target, this.env.now, this.chainOf(target)));
    process.addCallback(() => onDone(process.value));
  }

  /** {@link restore} as an event. */
  restoreEvent(seq?: number): SimEvent<RestoreOutcome> {
    const event = this.env.event<RestoreOutcome>();
    this.restore(seq, (outcome) => event.succeed(outcome));
    return event;
  }

  private *backup(startedNs: number, versions: Uint32Array): Generator<SimEvent<any>, BackupOutcome, any> {
    const seq = ++this.attempts;
    const last = this.latest();
    const full = last === undefined || this.chainOf(last.seq)!.length >= this.options.fullEvery;
    const chunks: number[] = [];
    for (let i = 0; i < versions.length; i++) if (full || versions[i] !== this.baseline[i]) chunks.push(i);
    const pieces: Content[] = [];
    let sizeBytes = 0;
    for (const i of chunks) {
      pieces.push(this.dataset.chunkContent(i, versions[i]!));
      sizeBytes += this.dataset.chunkLength(i);
    }
    const key = `${this.prefix}${this.dataset.name}/${String(seq).padStart(6, '0')}-${full ? 'full' : 'incr'}`;
    const outcome: TransferOutcome = yield uploadObjectEvent(this.client, this.env, this.options.bucket, key, sizeBytes, {
      ...this.options.upload,
      content: concatContent(pieces),
    });
    this.running = false;
    const durationNs = this.env.now - startedNs;
    if (!outcome.ok) {
      this.m.failed.add(1);
      return { ok: false, reason: `backup ${seq} of ${this.dataset.name} failed: ${outcome.reason}`, record: null, durationNs };
    }
    const chunkArray = Uint32Array.from(chunks);
    const record: BackupRecord = {
      seq,
      full,
      baseSeq: full ? seq : last!.baseSeq,
      key,
      sizeBytes,
      startedNs,
      completedNs: this.env.now,
      chunks: chunkArray,
      versions: Uint32Array.from(chunks, (i) => versions[i]!),
    };
    this.records.push(record);
    this.baseline = versions;
    this.m.backups.add(1);
    if (full) this.m.full.add(1);
    this.m.duration.record(durationNs);
    this.m.uploaded.add(outcome.bytes);
    this.applyRetention();
    this.m.points.set(this.records.length);
    return { ok: true, reason: '', record, durationNs };
  }

  private applyRetention(): void {
    const keep = this.options.keep;
    while (this.records.length > keep) {
      let chainLength = 1;
      while (chainLength < this.records.length && !this.records[chainLength]!.full) chainLength++;
      if (this.records.length - chainLength < keep) break;
      for (const record of this.records.splice(0, chainLength)) {
        this.m.deleted.add(1);
        this.client.delete(this.options.bucket, record.key, (r) => {
          if (!r.ok) this.m.deleteFailures.add(1);
        });
      }
    }
  }

  private *restoreBody(seq: number, startedNs: number, chain: BackupRecord[] | undefined): Generator<SimEvent<any>, RestoreOutcome, any> {
    const fail = (reason: string, bytes: number): RestoreOutcome => {
      this.m.failedRestores.add(1);
      return { ok: false, reason, seq, content: null, bytes, durationNs: this.env.now - startedNs };
    };
    if (chain === undefined) return fail(`backup ${seq} of ${this.dataset.name} is not a restore point`, 0);
    const contents: Content[] = [];
    let bytes = 0;
    for (const record of chain) {
      const outcome: TransferOutcome = yield downloadObjectEvent(this.client, this.env, this.options.bucket, record.key, record.sizeBytes, this.options.download);
      bytes += outcome.bytes;
      this.m.restored.add(outcome.bytes);
      if (!outcome.ok) return fail(`restore of backup ${seq}: GET ${record.key} failed: ${outcome.reason}`, bytes);
      contents.push(outcome.content!);
    }
    const content = this.rebuild(chain, contents);
    if (firstDifference(content, this.dataset.content(this.chainVersions(chain))) !== -1) this.m.mismatches.add(1);
    const durationNs = this.env.now - startedNs;
    this.m.restores.add(1);
    this.m.restoreTime.record(durationNs);
    return { ok: true, reason: '', seq, content, bytes, durationNs };
  }

  /** The dataset image from a chain's downloaded objects: each chunk from the newest backup holding it. */
  private rebuild(chain: readonly BackupRecord[], contents: readonly Content[]): Content {
    const dataset = this.dataset;
    const perChunk: (Content | undefined)[] = new Array(dataset.chunkCount);
    for (let r = chain.length - 1; r >= 0; r--) {
      const record = chain[r]!;
      const lengths = Array.from(record.chunks, (i) => dataset.chunkLength(i));
      const pieces = splitContent(contents[r]!, lengths);
      for (let k = 0; k < record.chunks.length; k++) perChunk[record.chunks[k]!] ??= pieces[k]!;
    }
    // A full backup holds every chunk, so none is missing.
    return concatContent(perChunk as Content[]);
  }
}
