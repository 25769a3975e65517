/**
 * Multipart uploads against Amazon S3's published limits (Amazon S3 User Guide, "Amazon S3
 * multipart upload limits": part numbers 1 to 10,000 inclusive; part size 5 MiB to 5 GiB, no
 * minimum for the last part; at most 10,000 parts; maximum object size 5 TiB) and its error
 * codes (S3 API Reference, "Error responses": EntityTooSmall, EntityTooLarge, InvalidPart,
 * InvalidPartOrder, NoSuchUpload, InvalidArgument), each accepted exactly at the boundary and
 * rejected one past it. A single PUT is limited to 5 GiB.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CompletedPart, ObjectResult } from '../../../sim/models/cloud/object-call.ts';
import type { ObjectClient } from '../../../sim/models/cloud/object-client.ts';
import { sameContent, concatContent, extentOf } from '../../../sim/models/cloud/content.ts';
import { GiB, MiB, NO_RETRY, TiB, cloudHarness } from './harness.ts';

/** Runs one request to completion and returns its result. */
function run(h: ReturnType<typeof cloudHarness>, issue: (done: (r: ObjectResult) => void) => void): ObjectResult {
  let result: ObjectResult | undefined;
  issue((r) => (result = r));
  h.env.run();
  if (result === undefined) throw new Error('the request never completed');
  return result;
}

/** Creates an upload, uploads parts of the given sizes (numbered 1..n unless `numbers`), completes it. */
function multipart(sizes: readonly number[], numbers?: readonly number[]) {
  const h = cloudHarness({ requestRates: { writePerS: 1e9, readPerS: 1e9, scope: 'store', burstS: 1 } });
  const c = h.client({ retry: NO_RETRY });
  const created = run(h, (d) => c.createMultipartUpload('b', 'obj', d));
  const parts: CompletedPart[] = [];
  const partResults: ObjectResult[] = [];
  sizes.forEach((size, i) => {
    const partNumber = numbers?.[i] ?? i + 1;
    const r = run(h, (d) => c.uploadPart('b', 'obj', created.uploadId, partNumber, size, d));
    partResults.push(r);
    if (r.ok) parts.push({ partNumber, etag: r.etag });
  });
  const complete = () => run(h, (d) => c.completeMultipartUpload('b', 'obj', created.uploadId, parts, d));
  return { h, c, uploadId: created.uploadId, parts, partResults, complete };
}

test('a part of exactly 5 MiB followed by a 1-byte last part completes; 5 MiB - 1 is EntityTooSmall', () => {
  const ok = multipart([5 * MiB, 1]);
  const done = ok.complete();
  assert.is(done.ok, true, done.reason);
  assert.is(ok.h.store.inspect('b', 'obj')?.size, 5 * MiB + 1);
  assert.equal(ok.h.store.inspect('b', 'obj')?.partSizes, [5 * MiB, 1]);

  const small = multipart([5 * MiB - 1, 5 * MiB]);
  const failed = small.complete();
  assert.is(failed.error, 'EntityTooSmall');
  assert.match(failed.reason, /part 1 is 5242879 B, below the minimum part size of 5242880 B/);
  assert.is(small.h.store.inspect('b', 'obj'), undefined);
  assert.is(small.h.store.uploadsInProgress, 1, 'a failed completion leaves the upload in progress');
});

test('a single small part completes (the last part has no minimum)', () => {
  const m = multipart([1]);
  assert.is(m.complete().ok, true);
});

test('a part of exactly 5 GiB is accepted; 5 GiB + 1 is EntityTooLarge at upload', () => {
  const m = multipart([5 * GiB, 5 * GiB + 1]);
  assert.is(m.partResults[0]!.ok, true);
  assert.is(m.partResults[1]!.error, 'EntityTooLarge');
});

test('part numbers 1 and 10000 are accepted; 0 and 10001 are InvalidArgument', () => {
  const m = multipart([5 * MiB, 5 * MiB, 5 * MiB, 5 * MiB], [0, 1, 10000, 10001]);
  assert.equal(m.partResults.map((r) => r.error), ['InvalidArgument', null, null, 'InvalidArgument']);
  assert.match(m.partResults[0]!.reason, /between 1 and 10000, inclusive/);
  assert.is(m.complete().ok, true, 'parts need not be consecutive');
});

test('10,000 parts complete; the object is their concatenation in part order', () => {
  const m = multipart(Array.from({ length: 10_000 }, (_, i) => (i === 9_999 ? 7 : 5 * MiB)));
  const done = m.complete();
  assert.is(done.ok, true, done.reason);
  const object = m.h.store.inspect('b', 'obj')!;
  assert.is(object.size, 9_999 * 5 * MiB + 7);
  assert.is(object.partSizes?.length, 10_000);
  assert.match(done.etag, /-10000$/);
});

test('an object of exactly 5 TiB completes; 5 TiB + 1 is EntityTooLarge', () => {
  const exact = multipart(Array.from({ length: 1024 }, () => 5 * GiB));
  assert.is(exact.complete().ok, true);
  assert.is(exact.h.store.inspect('b', 'obj')?.size, 5 * TiB);
  const over = multipart([...Array.from({ length: 1024 }, () => 5 * GiB), 1]);
  const failed = over.complete();
  assert.is(failed.error, 'EntityTooLarge');
  assert.match(failed.reason, /above the maximum object size/);
});

test('a single PUT of exactly 5 GiB is accepted; 5 GiB + 1 is EntityTooLarge', () => {
  const h = cloudHarness();
  const c = h.client({ retry: NO_RETRY });
  assert.is(run(h, (d) => c.put('b', 'a', 5 * GiB, d)).ok, true);
  const r = run(h, (d) => c.put('b', 'b', 5 * GiB + 1, d));
  assert.is(r.error, 'EntityTooLarge');
  assert.match(r.reason, /use a multipart upload/);
});

test('parts listed out of order are InvalidPartOrder; a missing part or a wrong ETag is InvalidPart', () => {
  const m = multipart([5 * MiB, 5 * MiB, 1]);
  const completeWith = (parts: CompletedPart[]) => run(m.h, (d) => m.c.completeMultipartUpload('b', 'obj', m.uploadId, parts, d));
  const [p1, p2, p3] = m.parts as [CompletedPart, CompletedPart, CompletedPart];
  assert.is(completeWith([p2, p1, p3]).error, 'InvalidPartOrder');
  assert.is(completeWith([p1, { partNumber: 4, etag: p3.etag }]).error, 'InvalidPart');
  assert.is(completeWith([p1, { partNumber: 2, etag: p1.etag }]).error, 'InvalidPart');
  assert.is(completeWith([]).error, 'InvalidArgument');
  assert.is(completeWith([p1, p2, p3]).ok, true);
});

test('abort discards the parts (no longer stored); later steps on that upload are NoSuchUpload', () => {
  const m = multipart([5 * MiB, 3]);
  assert.is(m.h.store.storedBytes, 5 * MiB + 3, 'uploaded parts are stored (and billed) until complete or abort');
  assert.is(run(m.h, (d) => m.c.abortMultipartUpload('b', 'obj', m.uploadId, d)).ok, true);
  assert.is(m.h.store.storedBytes, 0);
  assert.is(m.complete().error, 'NoSuchUpload');
  assert.is(run(m.h, (d) => m.c.uploadPart('b', 'obj', m.uploadId, 3, 10, d)).error, 'NoSuchUpload');
});

test('completing replaces parts by the object; parts not listed are discarded; re-uploading a part replaces it', () => {
  const m = multipart([5 * MiB, 5 * MiB, 9]);
  const again = run(m.h, (d) => m.c.uploadPart('b', 'obj', m.uploadId, 2, 6 * MiB, d));
  assert.is(m.h.store.storedBytes, 5 * MiB + 6 * MiB + 9);
  const done = run(m.h, (d) => m.c.completeMultipartUpload('b', 'obj', m.uploadId, [m.parts[0]!, { partNumber: 2, etag: again.etag }], d));
  assert.is(done.ok, true, done.reason);
  assert.is(m.h.store.storedBytes, 11 * MiB);
  assert.is(m.h.store.objectCount, 1);
});

test('the completed object holds the parts\' content in order (content model)', () => {
  const h = cloudHarness();
  const c: ObjectClient = h.client();
  const a = extentOf('src', 5 * MiB, 0);
  const b = extentOf('other', 100, 42);
  const created = run(h, (d) => c.createMultipartUpload('b', 'k', d));
  const r1 = run(h, (d) => c.uploadPart('b', 'k', created.uploadId, 1, 5 * MiB, d, a));
  const r2 = run(h, (d) => c.uploadPart('b', 'k', created.uploadId, 2, 100, d, b));
  run(h, (d) => c.completeMultipartUpload('b', 'k', created.uploadId, [{ partNumber: 1, etag: r1.etag }, { partNumber: 2, etag: r2.etag }], d));
  const got = run(h, (d) => c.get('b', 'k', d, { offset: 5 * MiB - 10, length: 20 }));
  assert.ok(sameContent(got.content!, concatContent([extentOf('src', 10, 5 * MiB - 10), extentOf('other', 10, 42)])));
});

test.run();
