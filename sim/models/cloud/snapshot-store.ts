/**
 * Volume snapshots kept as chunk objects in an object store, with lineage:
 * - a snapshot of a volume names its parent (by default the volume's latest snapshot) and the
 *   chunks written since the parent; only those are uploaded, one object per chunk, keyed
 *   `<prefix><volume>/<snapshot>/<chunk>`. Every other chunk is shared with the parent: the
 *   snapshot's chunk table (one 32-bit word per chunk) points at the same chunk object;
 * - chunk objects are reference-counted by the tables that point at them; deleting a snapshot
 *   drops its references and DELETEs the chunk objects no snapshot references any more, so the
 *   later snapshots of a lineage stay restorable when a middle one is deleted (the deleted
 *   snapshot's children are re-linked to its parent);
 * - `restorePlan(s)` says, for every chunk of the volume, which chunk object to fetch and which
 *   snapshot uploaded it (or that the chunk was never written: zeros); `restore(s)` GETs them
 *   (up to `restoreConcurrency` at once) and rebuilds the volume image from the downloaded
 *   content, which a checker can compare byte for byte with a reference.
 *
 * A snapshot becomes visible (restorable, a possible parent) only once all its chunks are
 * uploaded. If an upload fails for good (after the client's retries), creation fails: the
 * chunks it had uploaded are deleted and the references it took are dropped. A snapshot being
 * created holds references to the chunks it inherits, so deleting its parent meanwhile frees
 * nothing it needs.
 *
 * Metrics under `<id>/`: `snapshots`, `failed_snapshots`, `snapshot_duration` (s), `uploaded_B`,
 * `chunks_uploaded`, `chunks_shared` (chunks of new snapshots not uploaded: inherited from the
 * parent or never written), `deleted_snapshots`, `chunks_freed`, `delete_failures`,
 * `live_snapshots` and `chunk_objects` (time-weighted), `restores`, `failed_restores`,
 * `restore_time` (s), `restored_B`.
 */
import type { Environment, SimEvent } from '../../engine/index.ts';
import type { Counter, LatencyHistogram, MetricRegistry, TimeWeighted } from '../../metrics/index.ts';
import { concatContent, contentLength, sameContent, zeroContent, type Content } from './content.ts';
import type { ObjectClient } from './object-client.ts';

export interface SnapshotStoreOptions {
  readonly bucket: string;
  /** Key prefix of the chunk objects. Default `<id>/`. */
  readonly prefix?: string;
  /** Chunk size (bytes): the unit of sharing between snapshots. */
  readonly chunkBytes: number;
  /** Chunk PUTs in flight at once while creating a snapshot. */
  readonly uploadConcurrency: number;
  /** Chunk GETs in flight at once while restoring. */
  readonly restoreConcurrency: number;
}

/** A chunk written since the parent snapshot, with its new content (exactly the chunk's length). */
export interface ChunkWrite {
  readonly chunk: number;
  readonly content: Content;
}

/** A snapshot as listed. */
export interface SnapshotInfo {
  readonly id: number;
  readonly volume: string;
  /** The nearest live ancestor, or -1. */
  readonly parent: number;
  readonly createdNs: number;
  /** Chunks this snapshot uploaded. */
  readonly uploadedChunks: number;
}

/** Where one chunk of a restored volume comes from. */
export interface PlannedChunk {
  readonly chunk: number;
  /** Object key, or '' for a chunk never written (zeros). */
  readonly key: string;
  /** The snapshot that uploaded it, or -1 for zeros. */
  readonly fromSnapshot: number;
  readonly bytes: number;
}

export interface SnapshotOutcome {
  readonly ok: boolean;
  readonly reason: string;
  /** The new snapshot's id (-1 on failure). */
  readonly id: number;
  readonly uploadedBytes: number;
  readonly durationNs: number;
}

export interface DeleteOutcome {
  readonly ok: boolean;
  readonly reason: string;
  readonly freedChunks: number;
  readonly freedBytes: number;
}

export interface VolumeRestoreOutcome {
  readonly ok: boolean;
  readonly reason: string;
  /** The volume image (null on failure). */
  readonly content: Content | null;
  readonly bytes: number;
  readonly durationNs: number;
}

interface Volume {
  readonly name: string;
  readonly sizeBytes: number;
  readonly chunkCount: number;
  /** Live complete snapshots, oldest first. */
  readonly snapshots: number[];
}

interface Snapshot {
  readonly id: number;
  readonly volume: Volume;
  parent: number;
  readonly createdNs: number;
  readonly uploadedChunks: number;
  /** Chunk object id per chunk, -1 for never written. */
  readonly table: Int32Array;
}

const NONE = -1;

export class SnapshotStore {
  readonly path: string;
  readonly prefix: string;
  private readonly volumes = new Map<string, Volume>();
  private readonly snapshotsById = new Map<number, Snapshot>();
  /** Deleted snapshot id → its parent when deleted (to link snapshots whose parent died while they were created). */
  private readonly parentOfDeleted = new Map<number, number>();
  private nextSnapshotId = 1;
  // Chunk objects, indexed by id (ids are never reused).
  private readonly chunkKeys: string[] = [];
  private readonly chunkOwner: number[] = [];
  private readonly chunkSize: number[] = [];
  private readonly chunkRefs: number[] = [];
  /** What each chunk object holds (the content model; for `changesAgainst`). */
  private readonly chunkContents: Content[] = [];
  private liveChunkObjects = 0;
  private readonly m: {
    snapshots: Counter;
    failed: Counter;
    duration: LatencyHistogram;
    uploaded: Counter;
    chunksUploaded: Counter;
    chunksShared: Counter;
    deleted: Counter;
    freed: Counter;
    live: TimeWeighted;
    chunkObjects: TimeWeighted;
    restores: Counter;
    failedRestores: Counter;
    restoreTime: LatencyHistogram;
    restored: Counter;
    deleteFailures: Counter;
  };

  constructor(
    private readonly env: Environment,
    path: string,
    readonly client: ObjectClient,
    readonly options: SnapshotStoreOptions,
    metrics: MetricRegistry,
  ) {
    this.path = path;
    this.prefix = options.prefix ?? `${path}/`;
    if (!(Number.isInteger(options.chunkBytes) && options.chunkBytes > 0)) throw new RangeError(`chunk size must be a positive integer number of bytes, got ${options.chunkBytes}`);
    for (const name of ['uploadConcurrency', 'restoreConcurrency'] as const) {
      if (!(Number.isInteger(options[name]) && options[name] >= 1)) throw new RangeError(`${name} must be an integer >= 1, got ${options[name]}`);
    }
    client.store.createBucket(options.bucket);
    const bytes = { unit: 'B', scale: 1 };
    this.m = {
      snapshots: metrics.counter(`${path}/snapshots`),
      failed: metrics.counter(`${path}/failed_snapshots`),
      duration: metrics.histogram(`${path}/snapshot_duration`, { unit: 's' }),
      uploaded: metrics.counter(`${path}/uploaded`, bytes),
      chunksUploaded: metrics.counter(`${path}/chunks_uploaded`),
      chunksShared: metrics.counter(`${path}/chunks_shared`),
      deleted: metrics.counter(`${path}/deleted_snapshots`),
      freed: metrics.counter(`${path}/chunks_freed`),
      live: metrics.timeWeighted(`${path}/live_snapshots`),
      chunkObjects: metrics.timeWeighted(`${path}/chunk_objects`),
      restores: metrics.counter(`${path}/restores`),
      failedRestores: metrics.counter(`${path}/failed_restores`),
      restoreTime: metrics.histogram(`${path}/restore_time`, { unit: 's' }),
      restored: metrics.counter(`${path}/restored`, bytes),
      deleteFailures: metrics.counter(`${path}/delete_failures`),
    };
  }

  get chunkBytes(): number {
    return this.options.chunkBytes;
  }

  /** Declares a volume of `sizeBytes` (idempotent for the same size). */
  addVolume(name: string, sizeBytes: number): void {
    if (!(Number.isInteger(sizeBytes) && sizeBytes > 0)) throw new RangeError(`volume size must be a positive integer number of bytes, got ${sizeBytes}`);
    const existing = this.volumes.get(name);
    if (existing !== undefined) {
      if (existing.sizeBytes !== sizeBytes) throw new RangeError(`volume ${name} already exists with ${existing.sizeBytes} B, not ${sizeBytes} B`);
      return;
    }
    this.volumes.set(name, { name, sizeBytes, chunkCount: Math.ceil(sizeBytes / this.options.chunkBytes), snapshots: [] });
  }

  /** Bytes in chunk `chunk` of `volume` (the last may be short). */
  chunkLength(volume: string, chunk: number): number {
    const v = this.volume(volume);
    return Math.min(this.options.chunkBytes, v.sizeBytes - chunk * this.options.chunkBytes);
  }

  /** The volume's live snapshots, oldest first. */
  snapshots(volume: string): SnapshotInfo[] {
    return this.volume(volume).snapshots.map((id) => this.info(this.snapshotsById.get(id)!));
  }

  /** The volume's newest live snapshot id, or -1. */
  latestSnapshot(volume: string): number {
    const list = this.volume(volume).snapshots;
    return list.length === 0 ? NONE : list[list.length - 1]!;
  }

  /** The snapshot and its live ancestors, newest first. */
  lineage(id: number): number[] {
    const out: number[] = [];
    for (let s = this.snapshotsById.get(id); s !== undefined; s = this.snapshotsById.get(s.parent)) out.push(s.id);
    return out;
  }

  /** Chunk objects currently in the store on behalf of snapshots. */
  get chunkObjectCount(): number {
    return this.liveChunkObjects;
  }

  /**
   * The writes that turn snapshot `parent` (-1: a volume of zeros) into a volume whose chunk i
   * holds `contentOf(i)`: every chunk whose content differs. For a caller whose own change
   * tracking is relative to a snapshot that no longer exists (deleted meanwhile).
   */
  changesAgainst(volume: string, parent: number, contentOf: (chunk: number) => Content): ChunkWrite[] {
    const v = this.volume(volume);
    const base = parent === NONE ? undefined : this.snapshotsById.get(parent);
    if (parent !== NONE && (base === undefined || base.volume !== v)) throw new RangeError(`snapshot ${parent} is not a live snapshot of volume ${volume}`);
    const changes: ChunkWrite[] = [];
    for (let chunk = 0; chunk < v.chunkCount; chunk++) {
      const content = contentOf(chunk);
      const objectId = base === undefined ? NONE : base.table[chunk]!;
      const before = objectId === NONE ? zeroContent(this.chunkLength(volume, chunk)) : this.chunkContents[objectId]!;
      if (!sameContent(before, content)) changes.push({ chunk, content });
    }
    return changes;
  }

  /**
   * Creates a snapshot of `volume` whose content is `parent`'s (default: the latest snapshot,
   * `latestSnapshot(volume)`; -1: all zeros) with `changes` applied, uploading the changed
   * chunks. The changes are relative to that parent: a caller that tracks changes since the
   * last snapshot it made, which was deleted since, gets the right set from `changesAgainst`.
   */
  createSnapshot(volume: string, changes: readonly ChunkWrite[], onDone: (outcome: SnapshotOutcome) => void, parent?: number): void {
    const v = this.volume(volume);
    const parentId = parent ?? this.latestSnapshot(volume);
    const parentSnapshot = parentId === NONE ? undefined : this.snapshotsById.get(parentId);
    if (parentId !== NONE && (parentSnapshot === undefined || parentSnapshot.volume !== v)) {
      throw new RangeError(`snapshot ${parentId} is not a live snapshot of volume ${volume}`);
    }
    const seen = new Set<number>();
    for (const { chunk, content } of changes) {
      if (!(Number.isInteger(chunk) && chunk >= 0 && chunk < v.chunkCount)) throw new RangeError(`chunk ${chunk} is outside 0..${v.chunkCount - 1} of volume ${volume}`);
      if (seen.has(chunk)) throw new RangeError(`chunk ${chunk} is listed twice in one snapshot`);
      seen.add(chunk);
      const expected = this.chunkLength(volume, chunk);
      if (contentLength(content) !== expected) throw new RangeError(`chunk ${chunk} content is ${contentLength(content)} B; the chunk is ${expected} B`);
    }
    const id = this.nextSnapshotId++;
    const table = parentSnapshot === undefined ? new Int32Array(v.chunkCount).fill(NONE) : parentSnapshot.table.slice();
    this.retainAll(table); // pin what we inherit while uploading
    const startedNs = this.env.now;
    const uploaded: number[] = []; // chunk object ids created by this snapshot, by position in `changes`
    const objectIds = new Array<number>(changes.length).fill(NONE);
    let next = 0;
    let inFlight = 0;
    let uploadedBytes = 0;
    let failure = '';
    const issue = () => {
      while (failure === '' && inFlight < this.options.uploadConcurrency && next < changes.length) {
        const position = next++;
        const { chunk, content } = changes[position]!;
        const key = `${this.prefix}${volume}/${id}/${chunk}`;
        const bytes = contentLength(content);
        inFlight++;
        this.client.put(this.options.bucket, key, bytes, (r) => {
          inFlight--;
          if (r.ok) {
            const objectId = this.newChunkObject(key, id, bytes, content);
            objectIds[position] = objectId;
            uploaded.push(objectId);
            uploadedBytes += r.bytes;
            this.m.uploaded.add(r.bytes);
            this.m.chunksUploaded.add(1);
          } else if (failure === '') {
            failure = `PUT ${key} failed: ${r.reason}`;
          }
          issue();
        }, content);
      }
      if (inFlight > 0 || (failure === '' && next < changes.length)) return;
      const durationNs = this.env.now - startedNs;
      if (failure !== '') {
        this.releaseAll(table);
        for (const objectId of uploaded) this.release(objectId); // refcount 1 → 0: deleted
        this.m.failed.add(1);
        onDone({ ok: false, reason: `snapshot of ${volume} failed: ${failure}`, id: NONE, uploadedBytes, durationNs });
        return;
      }
      for (let k = 0; k < changes.length; k++) {
        const chunk = changes[k]!.chunk;
        const old = table[chunk]!;
        table[chunk] = objectIds[k]!; // the new object's reference moves into the table
        if (old !== NONE) this.release(old);
      }
      const snapshot: Snapshot = { id, volume: v, parent: parentSnapshot?.id ?? NONE, createdNs: this.env.now, uploadedChunks: changes.length, table };
      // A parent deleted while we uploaded: link to its nearest live ancestor.
      while (snapshot.parent !== NONE && !this.snapshotsById.has(snapshot.parent)) snapshot.parent = this.parentOfDeleted.get(snapshot.parent) ?? NONE;
      this.snapshotsById.set(id, snapshot);
      v.snapshots.push(id);
      this.m.snapshots.add(1);
      this.m.chunksShared.add(v.chunkCount - changes.length);
      this.m.duration.record(durationNs);
      this.m.live.set(this.snapshotsById.size);
      onDone({ ok: true, reason: '', id, uploadedBytes, durationNs });
    };
    if (changes.length === 0) this.env.schedule(0, issue, null);
    else issue();
  }

  /** {@link createSnapshot} as an event. */
  createSnapshotEvent(volume: string, changes: readonly ChunkWrite[], parent?: number): SimEvent<SnapshotOutcome> {
    const event = this.env.event<SnapshotOutcome>();
    this.createSnapshot(volume, changes, (o) => event.succeed(o), parent);
    return event;
  }

  /**
   * Deletes snapshot `id`: it is no longer listed or restorable from now on; its children are
   * re-linked to its parent; chunk objects no snapshot references are DELETEd. `onDone` comes
   * once those DELETEs have finished.
   */
  deleteSnapshot(id: number, onDone: (outcome: DeleteOutcome) => void): void {
    const snapshot = this.snapshotsById.get(id);
    if (snapshot === undefined) {
      this.env.schedule(0, onDone, { ok: false, reason: `snapshot ${id} does not exist`, freedChunks: 0, freedBytes: 0 });
      return;
    }
    this.snapshotsById.delete(id);
    const list = snapshot.volume.snapshots;
    list.splice(list.indexOf(id), 1);
    for (const other of this.snapshotsById.values()) if (other.parent === id) other.parent = snapshot.parent;
    this.parentOfDeleted.set(id, snapshot.parent);
    this.m.deleted.add(1);
    this.m.live.set(this.snapshotsById.size);
    const freed: number[] = [];
    for (const objectId of snapshot.table) if (objectId !== NONE && this.dropRef(objectId)) freed.push(objectId);
    let pending = freed.length;
    let freedBytes = 0;
    let failures = 0;
    const finish = () =>
      onDone({ ok: failures === 0, reason: failures === 0 ? '' : `${failures} chunk DELETEs failed`, freedChunks: freed.length, freedBytes });
    if (pending === 0) {
      this.env.schedule(0, finish, null);
      return;
    }
    for (const objectId of freed) {
      freedBytes += this.chunkSize[objectId]!;
      this.deleteChunkObject(objectId, (ok) => {
        if (!ok) failures++;
        if (--pending === 0) finish();
      });
    }
  }

  /** {@link deleteSnapshot} as an event. */
  deleteSnapshotEvent(id: number): SimEvent<DeleteOutcome> {
    const event = this.env.event<DeleteOutcome>();
    this.deleteSnapshot(id, (o) => event.succeed(o));
    return event;
  }

  /** For every chunk of the snapshot's volume: where its content comes from. */
  restorePlan(id: number): PlannedChunk[] {
    const snapshot = this.snapshotsById.get(id);
    if (snapshot === undefined) throw new RangeError(`snapshot ${id} does not exist`);
    const plan: PlannedChunk[] = [];
    const volume = snapshot.volume.name;
    for (let chunk = 0; chunk < snapshot.table.length; chunk++) {
      const objectId = snapshot.table[chunk]!;
      const bytes = this.chunkLength(volume, chunk);
      plan.push(objectId === NONE
        ? { chunk, key: '', fromSnapshot: NONE, bytes }
        : { chunk, key: this.chunkKeys[objectId]!, fromSnapshot: this.chunkOwner[objectId]!, bytes });
    }
    return plan;
  }

  /** Restores the volume image of snapshot `id` by GETting its chunks (zeros for chunks never written). */
  restore(id: number, onDone: (outcome: VolumeRestoreOutcome) => void): void {
    const startedNs = this.env.now;
    if (!this.snapshotsById.has(id)) {
      this.m.failedRestores.add(1);
      this.env.schedule(0, onDone, { ok: false, reason: `snapshot ${id} does not exist`, content: null, bytes: 0, durationNs: 0 });
      return;
    }
    const plan = this.restorePlan(id);
    const pieces: Content[] = plan.map((p) => (p.key === '' ? zeroContent(p.bytes) : []));
    const fetch = plan.filter((p) => p.key !== '');
    let next = 0;
    let inFlight = 0;
    let bytes = 0;
    let failure = '';
    const issue = () => {
      while (failure === '' && inFlight < this.options.restoreConcurrency && next < fetch.length) {
        const p = fetch[next++]!;
        inFlight++;
        this.client.get(this.options.bucket, p.key, (r) => {
          inFlight--;
          if (r.ok) {
            bytes += r.bytes;
            this.m.restored.add(r.bytes);
            pieces[p.chunk] = r.content ?? [];
          } else if (failure === '') {
            failure = `GET ${p.key} failed: ${r.reason}`;
          }
          issue();
        });
      }
      if (inFlight > 0 || (failure === '' && next < fetch.length)) return;
      const durationNs = this.env.now - startedNs;
      if (failure !== '') {
        this.m.failedRestores.add(1);
        onDone({ ok: false, reason: `restore of snapshot ${id} failed: ${failure}`, content: null, bytes, durationNs });
        return;
      }
      this.m.restores.add(1);
      this.m.restoreTime.record(durationNs);
      onDone({ ok: true, reason: '', content: concatContent(pieces), bytes, durationNs });
    };
    if (fetch.length === 0) this.env.schedule(0, issue, null);
    else issue();
  }

  /** {@link restore} as an event. */
  restoreEvent(id: number): SimEvent<VolumeRestoreOutcome> {
    const event = this.env.event<VolumeRestoreOutcome>();
    this.restore(id, (o) => event.succeed(o));
    return event;
  }

  // ------------------------------------------------------------ reference counting

  private volume(name: string): Volume {
    const v = this.volumes.get(name);
    if (v === undefined) throw new RangeError(`no volume "${name}" in snapshot store ${this.path}; add it with addVolume`);
    return v;
  }

  private info(s: Snapshot): SnapshotInfo {
    return { id: s.id, volume: s.volume.name, parent: s.parent, createdNs: s.createdNs, uploadedChunks: s.uploadedChunks };
  }

  private newChunkObject(key: string, owner: number, bytes: number, content: Content): number {
    const id = this.chunkKeys.length;
    this.chunkKeys.push(key);
    this.chunkContents.push(content);
    this.chunkOwner.push(owner);
    this.chunkSize.push(bytes);
    this.chunkRefs.push(1);
    this.liveChunkObjects++;
    this.m.chunkObjects.set(this.liveChunkObjects);
    return id;
  }

  private retainAll(table: Int32Array): void {
    for (const objectId of table) if (objectId !== NONE) this.chunkRefs[objectId]!++;
  }

  private releaseAll(table: Int32Array): void {
    for (const objectId of table) if (objectId !== NONE) this.release(objectId);
  }

  /** Drops a reference; DELETEs the object when it was the last. */
  private release(objectId: number): void {
    if (this.dropRef(objectId)) this.deleteChunkObject(objectId, () => {});
  }

  /** Drops a reference; true when none is left. */
  private dropRef(objectId: number): boolean {
    const refs = --this.chunkRefs[objectId]!;
    if (refs < 0) throw new Error(`chunk object ${this.chunkKeys[objectId]} released more often than retained`);
    return refs === 0;
  }

  private deleteChunkObject(objectId: number, onDone: (ok: boolean) => void): void {
    this.liveChunkObjects--;
    this.m.chunkObjects.set(this.liveChunkObjects);
    this.m.freed.add(1);
    this.client.delete(this.options.bucket, this.chunkKeys[objectId]!, (r) => {
      if (!r.ok) this.m.deleteFailures.add(1);
      onDone(r.ok);
    });
  }
}
