/**
 * Periodic snapshots of one chunked volume into a snapshot store, with retention and checked
 * restores: what a scenario's `snapshot-store` runs for each volume it declares.
 * - every `intervalNs` (first at `firstAtNs`), a snapshot of the chunks whose version changed
 *   since the last successful snapshot, as of that instant; skipped while the previous one is
 *   still being created;
 * - with `keep` > 0, the oldest snapshots are deleted once more than `keep` are live;
 * - `restoreLatest` restores the newest snapshot and compares the image, byte for byte through
 *   the content model, with the volume as it was when that snapshot was taken; a difference
 *   counts in `restore_mismatches` (it must stay 0).
 *
 * Metrics under `<path>/` (the store's id and the volume's name): `skipped_snapshots`,
 * `restore_mismatches`.
 */
import type { Environment } from '../../engine/index.ts';
import type { Counter, MetricRegistry } from '../../metrics/index.ts';
import type { ChunkedDataset } from './chunked-dataset.ts';
import { firstDifference } from './content.ts';
import type { ChunkWrite, SnapshotOutcome, SnapshotStore, VolumeRestoreOutcome } from './snapshot-store.ts';

export interface SnapshotScheduleOptions {
  /** Time between snapshots (ns); 0: none scheduled. */
  readonly intervalNs: number;
  /** First snapshot (ns). Default `intervalNs`. */
  readonly firstAtNs?: number;
  /** Live snapshots to keep (0: keep all). */
  readonly keep: number;
}

export class SnapshotSchedule {
  /** Chunk versions as of the last successful snapshot (all 0xffffffff before: everything is new). */
  private baseline: Uint32Array;
  /** The snapshot `baseline` describes (-1 before the first). */
  private baselineId = -1;
  /** Live snapshot id → volume versions when it was taken (the reference for restores). */
  private readonly taken = new Map<number, Uint32Array>();
  private creating = false;
  private readonly skipped: Counter;
  private readonly mismatches: Counter;

  constructor(
    private readonly env: Environment,
    readonly path: string,
    readonly store: SnapshotStore,
    readonly volume: ChunkedDataset,
    readonly options: SnapshotScheduleOptions,
    metrics: MetricRegistry,
  ) {
    if (!(options.intervalNs >= 0)) throw new RangeError(`snapshot interval must be >= 0 ns, got ${options.intervalNs}`);
    if (!(Number.isInteger(options.keep) && options.keep >= 0)) throw new RangeError(`keep must be an integer >= 0, got ${options.keep}`);
    if (volume.chunkBytes !== store.chunkBytes) {
      throw new RangeError(`volume ${volume.name} has ${volume.chunkBytes} B chunks but the snapshot store uses ${store.chunkBytes} B`);
    }
    store.addVolume(volume.name, volume.sizeBytes);
    this.baseline = new Uint32Array(volume.chunkCount).fill(0xffffffff);
    this.skipped = metrics.counter(`${path}/skipped_snapshots`);
    this.mismatches = metrics.counter(`${path}/restore_mismatches`);
  }

  /** Schedules the snapshots (call once, before the run). */
  start(): void {
    const interval = this.options.intervalNs;
    if (interval === 0) return;
    const tick = () => {
      this.snapshotNow();
      this.env.schedule(interval, tick, null);
    };
    this.env.schedule(this.options.firstAtNs ?? interval, tick, null);
  }

  /** Takes a snapshot now, unless one is being created. */
  snapshotNow(onDone?: (outcome: SnapshotOutcome) => void): void {
    if (this.creating) {
      this.skipped.add(1);
      return;
    }
    const versions = this.volume.captureVersions();
    const parent = this.store.latestSnapshot(this.volume.name);
    let changes: ChunkWrite[] = [];
    if (parent === this.baselineId) {
      for (let i = 0; i < versions.length; i++) {
        if (versions[i] !== this.baseline[i]) changes.push({ chunk: i, content: this.volume.chunkContent(i, versions[i]!) });
      }
    } else {
      // Our last snapshot was deleted by someone else: diff against the parent the store will use.
      changes = this.store.changesAgainst(this.volume.name, parent, (i) => this.volume.chunkContent(i, versions[i]!));
    }
    this.creating = true;
    this.store.createSnapshot(this.volume.name, changes, (outcome) => {
      this.creating = false;
      if (outcome.ok) {
        this.baseline = versions;
        this.baselineId = outcome.id;
        this.taken.set(outcome.id, versions);
        this.applyRetention();
      }
      onDone?.(outcome);
    });
  }

  /** Restores the newest snapshot and checks it against the volume as it was then. */
  restoreLatest(onDone?: (outcome: VolumeRestoreOutcome) => void): void {
    const id = this.store.latestSnapshot(this.volume.name);
    this.store.restore(id, (outcome) => {
      const reference = this.taken.get(id);
      if (outcome.ok && reference !== undefined && firstDifference(outcome.content!, this.volume.content(reference)) !== -1) {
        this.mismatches.add(1);
      }
      onDone?.(outcome);
    });
  }

  private applyRetention(): void {
    const keep = this.options.keep;
    if (keep === 0) return;
    const live = this.store.snapshots(this.volume.name);
    for (let k = 0; k < live.length - keep; k++) {
      const id = live[k]!.id;
      this.taken.delete(id);
      this.store.deleteSnapshot(id, () => {});
    }
  }
}
