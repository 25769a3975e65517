/**
 * Snapshot lineage in the object store, against a reference model kept here: the volume's
 * bytes at each snapshot (plain byte arrays) and, for each chunk, which snapshot last wrote it.
 * Restoring any live snapshot must give exactly those bytes, byte for byte, whatever was
 * deleted in between; the restore plan must name the right snapshot for every chunk; and the
 * store must hold exactly the chunk objects some live snapshot still needs.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Environment } from '../../../sim/engine/index.ts';
import { extentOf, zeroContent } from '../../../sim/models/cloud/content.ts';
import { SnapshotStore, type ChunkWrite, type SnapshotOutcome } from '../../../sim/models/cloud/snapshot-store.ts';
import { S3_UPLOAD_LIMITS } from '../../../sim/models/cloud/s3-limits.ts';
import { NO_RETRY, byteOf, bytesOf, cloudHarness, firstByteDifference } from './harness.ts';

const VOLUME_BYTES = 500;
const CHUNK = 64; // 8 chunks, the last one 52 B
const CHUNKS = Math.ceil(VOLUME_BYTES / CHUNK);

function setup(limits = S3_UPLOAD_LIMITS) {
  const h = cloudHarness({ limits, connectionBandwidthBps: 1000 });
  const snapshots = new SnapshotStore(h.env, 'snaps', h.client({ path: 'snaps/client', retry: NO_RETRY }), {
    bucket: 'snapshots', chunkBytes: CHUNK, uploadConcurrency: 3, restoreConcurrency: 2,
  }, h.metrics);
  snapshots.addVolume('vol', VOLUME_BYTES);
  return { h, snapshots };
}

function runTo<T>(env: Environment, issue: (done: (value: T) => void) => void): T {
  let out: T | undefined;
  let done = false;
  issue((v) => {
    out = v;
    done = true;
  });
  env.run();
  if (!done) throw new Error('never finished');
  return out as T;
}

/**
 * The reference: the volume's bytes, the source written last to each chunk ('' = never), and
 * for each live snapshot its bytes, chunk sources and which snapshot uploaded each chunk.
 */
class Reference {
  bytes = new Uint8Array(VOLUME_BYTES);
  sources: string[] = new Array<string>(CHUNKS).fill('');
  readonly live: number[] = [];
  readonly atSnapshot = new Map<number, { bytes: Uint8Array; sources: string[]; writer: Int32Array }>();
  private writes = 0;

  /** Writes chunk `i` with new content; returns the write as the snapshot store takes it. */
  write(i: number): ChunkWrite {
    const source = `w${++this.writes}`;
    const length = chunkLength(i);
    for (let k = 0; k < length; k++) this.bytes[i * CHUNK + k] = byteOf(source, k);
    this.sources[i] = source;
    return { chunk: i, content: extentOf(source, length) };
  }

  /** The latest live snapshot (-1 if none) and the chunks that differ from it now. */
  diffAgainstLatest(): { parent: number; changed: number[] } {
    const parent = this.live[this.live.length - 1] ?? -1;
    const before = parent === -1 ? new Array<string>(CHUNKS).fill('') : this.atSnapshot.get(parent)!.sources;
    const changed: number[] = [];
    for (let i = 0; i < CHUNKS; i++) if (this.sources[i] !== before[i]) changed.push(i);
    return { parent, changed };
  }

  snapshotTaken(id: number, parent: number, changed: readonly number[]): void {
    const writer = parent === -1 ? new Int32Array(CHUNKS).fill(-1) : this.atSnapshot.get(parent)!.writer.slice();
    for (const i of changed) writer[i] = id;
    this.atSnapshot.set(id, { bytes: this.bytes.slice(), sources: this.sources.slice(), writer });
    this.live.push(id);
  }

  deleted(id: number): void {
    this.atSnapshot.delete(id);
    this.live.splice(this.live.indexOf(id), 1);
  }
}

function chunkLength(i: number): number {
  return Math.min(CHUNK, VOLUME_BYTES - i * CHUNK);
}

test('restoring any live snapshot gives exactly the bytes written up to it, whatever was deleted (property)', () => {
  const step = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('snap' as const), writes: fc.array(fc.integer({ min: 0, max: CHUNKS - 1 }), { maxLength: 2 * CHUNKS }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  );
  fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 10 }), (steps) => {
    const { h, snapshots } = setup();
    const ref = new Reference();
    for (const s of steps) {
      if (s.kind === 'snap') {
        // Random writes (a chunk may be written several times), then a snapshot of what
        // differs from its parent, the latest live snapshot.
        for (const i of s.writes) ref.write(i);
        const { parent, changed } = ref.diffAgainstLatest();
        const changes = changed.map((i) => ({ chunk: i, content: extentOf(ref.sources[i]!, chunkLength(i)) }));
        const fromStore = snapshots.changesAgainst('vol', parent, (i) => (ref.sources[i] === '' ? zeroContent(chunkLength(i)) : extentOf(ref.sources[i]!, chunkLength(i))));
        assert.equal(fromStore.map((c) => c.chunk), changed, 'changesAgainst agrees with the reference diff');
        assert.is(snapshots.latestSnapshot('vol'), parent);
        const outcome = runTo<SnapshotOutcome>(h.env, (d) => snapshots.createSnapshot('vol', changes, d));
        assert.ok(outcome.ok, outcome.reason);
        ref.snapshotTaken(outcome.id, parent, changed);
        assert.is(snapshots.snapshots('vol').find((x) => x.id === outcome.id)?.uploadedChunks, changed.length, 'only changed chunks are uploaded');
      } else {
        if (ref.live.length === 0) continue;
        const victim = ref.live[s.pick % ref.live.length]!;
        runTo(h.env, (d) => snapshots.deleteSnapshot(victim, d));
        ref.deleted(victim);
      }
    }
    assert.equal(snapshots.snapshots('vol').map((x) => x.id), ref.live);
    const needed = new Set<string>();
    for (const id of ref.live) {
      const expected = ref.atSnapshot.get(id)!;
      const restored = runTo<{ ok: boolean; reason: string; content: any }>(h.env, (d) => snapshots.restore(id, d));
      assert.ok(restored.ok, restored.reason);
      assert.is(firstByteDifference(bytesOf(restored.content), expected.bytes), -1, `snapshot ${id} differs`);
      for (const p of snapshots.restorePlan(id)) {
        assert.is(p.fromSnapshot, expected.writer[p.chunk], `chunk ${p.chunk} of snapshot ${id} comes from the wrong snapshot`);
        if (p.key !== '') needed.add(p.key);
      }
    }
    assert.equal(h.store.keysOf('snapshots'), [...needed].sort(), 'the store holds exactly the chunks live snapshots need');
    assert.is(snapshots.chunkObjectCount, needed.size);
  }), { numRuns: 80 });
});

test('deleting a middle snapshot keeps the later ones restorable and frees only what nobody references', () => {
  const { h, snapshots } = setup();
  const ref = new Reference();
  const snap = (chunks: number[]) => {
    const changes = chunks.map((i) => ref.write(i));
    const o = runTo<SnapshotOutcome>(h.env, (d) => snapshots.createSnapshot('vol', changes, d));
    assert.ok(o.ok, o.reason);
    return { id: o.id, bytes: ref.bytes.slice() };
  };
  const s1 = snap([0, 1, 2, 3, 4, 5, 6, 7]);
  const s2 = snap([0]);
  const s3 = snap([1]);
  assert.equal(snapshots.lineage(s3.id), [s3.id, s2.id, s1.id]);
  // s2's chunk 0 is still s3's chunk 0: nothing is freed.
  const d2 = runTo<{ freedChunks: number }>(h.env, (d) => snapshots.deleteSnapshot(s2.id, d));
  assert.is(d2.freedChunks, 0);
  assert.equal(snapshots.lineage(s3.id), [s3.id, s1.id], 's3 is re-linked to s1');
  // s1's chunks 0 and 1 were overwritten by s2 and s3: those two are freed, 2..7 stay for s3.
  const d1 = runTo<{ freedChunks: number; freedBytes: number }>(h.env, (d) => snapshots.deleteSnapshot(s1.id, d));
  assert.is(d1.freedChunks, 2);
  assert.is(d1.freedBytes, 2 * CHUNK);
  assert.equal(snapshots.lineage(s3.id), [s3.id]);
  const restored = runTo<{ ok: boolean; content: any }>(h.env, (d) => snapshots.restore(s3.id, d));
  assert.is(firstByteDifference(bytesOf(restored.content), s3.bytes), -1);
  assert.equal(snapshots.restorePlan(s3.id).map((p) => p.fromSnapshot), [s2.id, s3.id, s1.id, s1.id, s1.id, s1.id, s1.id, s1.id]);
  assert.is(h.store.keysOf('snapshots').length, 8);
  assert.is(h.value('snaps/chunks_freed'), 2);
});

test('chunks never written restore as zeros; the first snapshot of an untouched volume uploads nothing', () => {
  const { h, snapshots } = setup();
  const empty = runTo<SnapshotOutcome>(h.env, (d) => snapshots.createSnapshot('vol', [], d));
  assert.ok(empty.ok);
  assert.is(empty.uploadedBytes, 0);
  const restored = runTo<{ ok: boolean; content: any }>(h.env, (d) => snapshots.restore(empty.id, d));
  assert.equal(bytesOf(restored.content), new Uint8Array(VOLUME_BYTES));
  assert.ok(snapshots.restorePlan(empty.id).every((p) => p.key === '' && p.fromSnapshot === -1));
});

test('a failed snapshot leaves no chunk object behind and is not a parent', () => {
  // Chunk PUTs above 60 B fail (EntityTooLarge): every full chunk fails, the short last one succeeds and is cleaned up.
  const { h, snapshots } = setup({ ...S3_UPLOAD_LIMITS, maxPutBytes: 60 });
  const ref = new Reference();
  const first = runTo<SnapshotOutcome>(h.env, (d) => snapshots.createSnapshot('vol', [ref.write(7)], d));
  assert.ok(first.ok, 'the 52 B last chunk fits');
  const failed = runTo<SnapshotOutcome>(h.env, (d) => snapshots.createSnapshot('vol', [0, 1, 7].map((i) => ref.write(i)), d));
  assert.is(failed.ok, false);
  assert.match(failed.reason, /EntityTooLarge|exceeds the maximum/);
  assert.is(snapshots.latestSnapshot('vol'), first.id);
  assert.is(h.store.keysOf('snapshots').length, 1, 'only the first snapshot\'s chunk remains');
  assert.is(h.value('snaps/failed_snapshots'), 1);
});

test('bad input is rejected with a clear message', () => {
  const { h, snapshots } = setup();
  assert.throws(() => snapshots.createSnapshot('vol', [{ chunk: 8, content: extentOf('x', 10) }], () => {}), /chunk 8 is outside 0..7/);
  assert.throws(() => snapshots.createSnapshot('vol', [{ chunk: 0, content: extentOf('x', 10) }], () => {}), /chunk 0 content is 10 B; the chunk is 64 B/);
  assert.throws(() => snapshots.createSnapshot('nope', [], () => {}), /no volume "nope"/);
  assert.throws(() => snapshots.createSnapshot('vol', [], () => {}, 99), /snapshot 99 is not a live snapshot/);
  void h;
});

test.run();
