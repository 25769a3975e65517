/**
 * The backup service against rules worked out by hand: forward-incremental chains of
 * `fullEvery` restore points; retention that keeps at least `keep` restore points and deletes
 * only whole chains (an incremental never outlives its full); incrementals that copy exactly the
 * chunks changed since the last successful backup; restores that give back, chunk by chunk, the
 * dataset as it was when each backup started (reference: versions kept by the test itself and
 * the documented content convention, chunk i at version v = bytes [i × chunk, ...) of
 * "<name>@v<v>"); and durations from bandwidth and concurrency.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Environment, SimEvent } from '../../../sim/engine/index.ts';
import { BackupService, type BackupOutcome, type BackupServiceOptions, type RestoreOutcome } from '../../../sim/models/cloud/backup-service.ts';
import type { RetryPolicy } from '../../../sim/models/cloud/backoff.ts';
import { ChunkedDataset } from '../../../sim/models/cloud/chunked-dataset.ts';
import { normalizeContent, splitContent, type Content } from '../../../sim/models/cloud/content.ts';
import { MiB, NO_RETRY, S, cloudHarness, type HarnessOptions } from './harness.ts';


function setup(options: Partial<BackupServiceOptions> = {}, store: HarnessOptions = {}, datasetMiB = 24, retry?: RetryPolicy) {
  const h = cloudHarness(store);
  const dataset = new ChunkedDataset('db', datasetMiB * MiB, 1 * MiB);
  const service = new BackupService(h.env, 'bk', dataset, h.client({ path: 'bk/client', ...(retry === undefined ? {} : { retry }) }), {
    bucket: 'backups',
    intervalNs: 0,
    fullEvery: 3,
    keep: 4,
    upload: { partBytes: 5 * MiB, concurrency: 2 },
    download: { rangeBytes: 5 * MiB, concurrency: 2 },
    ...options,
  }, h.metrics);
  return { h, dataset, service };
}

function await_<T>(env: Environment, event: SimEvent<T>): T {
  return env.run({ until: event });
}

/** Checks a restored image chunk by chunk against the versions the test recorded. */
function assertImage(content: Content, dataset: ChunkedDataset, versions: Uint32Array): void {
  const lengths = Array.from({ length: dataset.chunkCount }, (_, i) => dataset.chunkLength(i));
  const chunks = splitContent(content, lengths);
  for (let i = 0; i < dataset.chunkCount; i++) {
    const expected = [{ length: lengths[i]!, source: `db@v${versions[i]}`, offset: i * dataset.chunkBytes }];
    assert.equal(normalizeContent(chunks[i]!), expected, `chunk ${i}`);
  }
}

test('retention keeps at least `keep` restore points and deletes only whole chains (fullEvery 3, keep 4)', () => {
  const { h, service } = setup();
  // Worked out from the rule: the oldest chain goes once `keep` newer restore points exist.
  const expected = [
    [1], [1, 2], [1, 2, 3], [1, 2, 3, 4], [1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6],
    [4, 5, 6, 7], [4, 5, 6, 7, 8], [4, 5, 6, 7, 8, 9], [7, 8, 9, 10],
  ];
  for (let n = 0; n < expected.length; n++) {
    const outcome = await_(h.env, service.backupEvent());
    assert.ok(outcome.ok, outcome.reason);
    assert.equal(service.catalog.map((r) => r.seq), expected[n], `after backup ${n + 1}`);
    h.env.run(); // let the DELETEs finish
    assert.equal(h.store.keysOf('backups'), service.catalog.map((r) => r.key).sort(), 'the bucket holds exactly the restore points');
  }
  assert.equal(service.catalog.map((r) => r.full), [true, false, false, true]);
  assert.equal(service.catalog.map((r) => r.baseSeq), [7, 7, 7, 10]);
  assert.is(h.value('bk/deleted_backups'), 6);
  assert.is(h.value('bk/full_backups'), 4);
});

test('an incremental copies exactly the chunks changed since the previous backup; a full copies all', () => {
  const { h, dataset, service } = setup({ fullEvery: 10 });
  const full = await_(h.env, service.backupEvent());
  assert.is(full.record?.sizeBytes, 24 * MiB);
  for (const i of [3, 5, 5, 20]) dataset.write(i);
  const incr = await_(h.env, service.backupEvent());
  assert.equal([...incr.record!.chunks], [3, 5, 20]);
  assert.is(incr.record?.sizeBytes, 3 * MiB);
  const none = await_(h.env, service.backupEvent());
  assert.is(none.record?.sizeBytes, 0, 'nothing changed: an empty incremental');
  assert.is(h.value('bk/uploaded_B'), 27 * MiB);
});

test('every restore point restores the dataset as it was when its backup started, chunk by chunk', () => {
  const { h, dataset, service } = setup({ fullEvery: 3, keep: 100 });
  const reference = new Uint32Array(dataset.chunkCount); // versions kept by the test
  const taken = new Map<number, Uint32Array>();
  let writes = 0;
  for (let b = 0; b < 7; b++) {
    for (let k = 0; k < 5; k++) {
      const chunk = (b * 7 + k * 11) % dataset.chunkCount;
      reference[chunk] = dataset.write(chunk);
      writes++;
    }
    const event = service.backupEvent();
    taken.set(b + 1, reference.slice());
    // A write during the upload belongs to the next backup.
    reference[0] = dataset.write(0);
    const outcome = await_(h.env, event);
    assert.ok(outcome.ok, outcome.reason);
  }
  for (const record of service.catalog) {
    const restored: RestoreOutcome = await_(h.env, service.restoreEvent(record.seq));
    assert.ok(restored.ok, restored.reason);
    assertImage(restored.content!, dataset, taken.get(record.seq)!);
    const chainBytes = service.chainOf(record.seq)!.reduce((a, r) => a + r.sizeBytes, 0);
    assert.is(restored.bytes, chainBytes, 'a restore GETs the whole chain');
  }
  assert.is(h.value('bk/restore_mismatches'), 0);
  assert.ok(writes > 0);
});

test('durations from bandwidth: 4 parts of 16 MiB, 2 at a time at 16 MiB/s take 2 s; restoring at 32 MiB/s aggregate takes 2 s', () => {
  const { h, service } = setup(
    { upload: { partBytes: 16 * MiB, concurrency: 2 }, download: { rangeBytes: 16 * MiB, concurrency: 4 } },
    { connectionBandwidthBps: 16 * MiB, aggregateBandwidthBps: 32 * MiB },
    64,
  );
  const outcome: BackupOutcome = await_(h.env, service.backupEvent());
  assert.is(outcome.durationNs, 2 * S);
  const restored = await_(h.env, service.restoreEvent());
  assert.is(restored.durationNs, 2 * S);
  assert.is(h.value('bk/backup_duration_max_s'), 2);
  assert.is(h.value('bk/restore_time_max_s'), 2);
});

test('a failed backup leaves no restore point; the next one still copies every change since the last success', () => {
  const { h, dataset, service } = setup({ fullEvery: 10 }, {}, 24, NO_RETRY);
  assert.ok(await_(h.env, service.backupEvent()).ok);
  dataset.write(1);
  h.store.setAvailable(false);
  const failed = await_(h.env, service.backupEvent());
  assert.is(failed.ok, false);
  assert.match(failed.reason, /ServiceUnavailable|unavailable/);
  assert.is(service.catalog.length, 1);
  h.store.setAvailable(true);
  dataset.write(2);
  const next = await_(h.env, service.backupEvent());
  assert.equal([...next.record!.chunks], [1, 2]);
  assert.is(h.value('bk/failed_backups'), 1);
});

test('a multipart completion rejected by the store (parts below the minimum) is aborted: no parts stay stored', () => {
  const { h, service } = setup({ upload: { partBytes: 3 * MiB, concurrency: 2 } });
  const outcome = await_(h.env, service.backupEvent());
  assert.is(outcome.ok, false);
  assert.match(outcome.reason, /below the minimum part size/);
  h.env.run();
  assert.is(h.store.uploadsInProgress, 0);
  assert.is(h.store.storedBytes, 0);
});

test('a scheduled backup that finds the previous one running is skipped', () => {
  const { h, service } = setup({ intervalNs: 1 * S, fullEvery: 1 }, { connectionBandwidthBps: 1 * MiB });
  service.start();
  // Each full: parts of 5, 5 | 5, 5 | 4 MiB at 1 MiB/s each = 14 s, so backups start at 1 s
  // and at 15 or 16 s; every tick in between is skipped.
  h.env.run({ until: 31 * S });
  assert.ok(h.value('bk/skipped_backups') >= 26, `skipped ${h.value('bk/skipped_backups')}`);
  assert.is(h.value('bk/backups'), 2);
});

test.run();
