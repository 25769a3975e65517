/**
 * Outages: requests in flight when the store goes down fail with 503 ServiceUnavailable and
 * are retried by the client with backoff; new requests fail the same way while it is down;
 * after the outage a retry succeeds, or the client gives up after maxAttempts. Times are
 * worked out by hand from the bandwidth, the outage window and the recorded backoff sleeps.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RetryPolicy } from '../../../sim/models/cloud/backoff.ts';
import type { ObjectResult } from '../../../sim/models/cloud/object-call.ts';
import { INTERNET } from '../../../sim/models/cloud/region.ts';
import { MS, NO_RETRY, S, cloudHarness } from './harness.ts';

const MB = 1e6;

test('a PUT in flight when an outage starts fails, is retried, and succeeds after the outage', () => {
  const h = cloudHarness({ aggregateBandwidthBps: 100 * MB });
  const retry: RetryPolicy = { maxAttempts: 20, baseDelayNs: 500 * MS, maxDelayNs: 1 * S };
  const submits: number[] = [];
  const submit = h.store.submit.bind(h.store);
  h.store.submit = (call) => {
    submits.push(h.env.now);
    submit(call);
  };
  let result: ObjectResult | undefined;
  h.client({ retry }).put('b', 'k', 200 * MB, (r) => (result = r));
  h.env.schedule(1 * S, () => h.store.outage(2 * S), null);
  let existedDuringOutage = true;
  h.env.schedule(2.9 * S, () => (existedDuringOutage = h.store.inspect('b', 'k') !== undefined), null);
  h.env.run();
  assert.ok(result?.ok, result?.reason);
  assert.is(existedDuringOutage, false, 'the partial upload was discarded');
  const last = submits[submits.length - 1]!;
  assert.ok(last >= 3 * S, 'the successful attempt started after the outage');
  assert.ok(submits.slice(1, -1).every((t) => t >= 1 * S && t < 3 * S), 'the attempts in between fell in the outage');
  assert.is(h.env.now, last + 2 * S, 'the last attempt moved all 200 MB at 100 MB/s');
  assert.is(result!.attempts, submits.length);
  assert.is(result!.latencyNs, h.env.now);
  assert.is(h.value('s3/failed_in_flight'), 1);
  assert.is(h.value('s3/unavailable'), submits.length - 2);
  assert.is(h.value('s3/uploaded_B'), 200 * MB, 'only the completed transfer counts as uploaded');
  assert.is(h.store.storedBytes, 200 * MB);
});

test('an outage longer than the retries: the client gives up with ServiceUnavailable after maxAttempts', () => {
  const h = cloudHarness();
  const retry: RetryPolicy = { maxAttempts: 3, baseDelayNs: 10 * MS, maxDelayNs: 10 * MS };
  h.store.outage(60 * S);
  let result: ObjectResult | undefined;
  h.client({ retry }).get('b', 'anything', (r) => (result = r));
  h.env.run();
  assert.is(result?.ok, false);
  assert.is(result?.error, 'ServiceUnavailable');
  assert.is(result?.attempts, 3);
  assert.match(result!.reason, /unavailable.*\(gave up after 3 attempts\)/);
  assert.ok(result!.latencyNs < 20 * MS, 'two sleeps of less than 10 ms each');
});

test('a GET cut by an outage has sent part of its bytes: they count as egress, and the retry sends them all again', () => {
  // 100 MB at 100 MB/s from 0 s; cut at 0.25 s (25 MB sent); the retry after the 1 s outage sends 100 MB.
  const h = cloudHarness({ connectionBandwidthBps: 100 * MB });
  h.client().put('b', 'k', 100 * MB, () => {});
  h.env.run();
  const t0 = h.env.now;
  let result: ObjectResult | undefined;
  h.client({ region: INTERNET, retry: { maxAttempts: 10, baseDelayNs: 1 * S, maxDelayNs: 1 * S } }).get('b', 'k', (r) => (result = r));
  h.env.schedule(0.25 * S, () => h.store.outage(1 * S), null);
  h.env.run();
  assert.ok(result?.ok);
  assert.is(result!.bytes, 100 * MB);
  assert.is(h.value('s3/egress_B') , 125 * MB);
  assert.ok(h.env.now - t0 >= 1.25 * S + 1 * S);
});

test('setAvailable(false) fails new requests until setAvailable(true); 5xx answers are not billed', () => {
  const h = cloudHarness({ prices: { storageUsdPerByteS: 0, putRequestUsd: 1, getRequestUsd: 1, egressInternetUsdPerB: 0, egressInterRegionUsdPerB: 0, intraRegionUsdPerB: 0 } });
  const c = h.client({ retry: NO_RETRY });
  h.store.setAvailable(false);
  assert.is(h.store.available, false);
  const errors: (string | null)[] = [];
  c.put('b', 'k', 10, (r) => errors.push(r.error));
  h.env.run();
  h.store.setAvailable(true);
  c.put('b', 'k', 10, (r) => errors.push(r.error));
  h.env.run();
  assert.equal(errors, ['ServiceUnavailable', null]);
  assert.is(h.value('s3/request_cost_USD'), 1, 'only the successful PUT is billed');
});

test('overlapping outages: the store is back only when the last one ends', () => {
  const h = cloudHarness();
  h.store.outage(2 * S);
  h.env.schedule(1 * S, () => h.store.outage(3 * S), null);
  const seen: [number, boolean][] = [];
  for (const t of [0.5, 2.5, 3.5, 4.5]) h.env.schedule(t * S, () => seen.push([t, h.store.available]), null);
  h.env.run();
  assert.equal(seen, [[0.5, false], [2.5, false], [3.5, false], [4.5, true]]);
});

test.run();
