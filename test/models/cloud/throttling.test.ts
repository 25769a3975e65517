/**
 * Request-rate limits and client backoff.
 * - Admission: a token bucket at the documented rate (S3: 3,500 PUT/COPY/POST/DELETE and 5,500
 *   GET/HEAD requests per second per partitioned prefix; Amazon S3 User Guide, "Optimizing
 *   Amazon S3 performance") admits, over T seconds of overload, between rate × T and
 *   rate × T + burst requests; the rest get 503 SlowDown.
 * - Backoff: "full jitter" (Brooker, "Exponential Backoff and Jitter", AWS Architecture Blog,
 *   2015): the sleep before retry k is uniform on [0, min(cap, base × 2^k)).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RandomStream } from '../../../sim/engine/random/index.ts';
import { backoffCeilingNs, fullJitterDelayNs, type RetryPolicy } from '../../../sim/models/cloud/backoff.ts';
import type { ObjectCall, ObjectResult } from '../../../sim/models/cloud/object-call.ts';
import type { ThrottleScope } from '../../../sim/models/cloud/object-store.ts';
import { MS, NO_RETRY, S, cloudHarness } from './harness.ts';

/** Offers `perS` zero-byte PUTs per second for `seconds` to keys from `keyOf(i)`; returns admission times (s). */
function offer(perS: number, seconds: number, options: { writePerS: number; scope?: ThrottleScope; keyOf?: (i: number) => string; throttle?: (h: ReturnType<typeof cloudHarness>) => void }) {
  const h = cloudHarness({ requestRates: { writePerS: options.writePerS, readPerS: 1e9, scope: options.scope ?? 'prefix', burstS: 1 } });
  const c = h.client({ retry: NO_RETRY });
  const accepted: number[] = [];
  const errors = new Set<string>();
  const n = perS * seconds;
  for (let i = 0; i < n; i++) {
    h.env.schedule(Math.round((i * S) / perS), () => c.put('b', options.keyOf?.(i) ?? `p/k${i}`, 0, (r) => {
      if (r.ok) accepted.push(h.env.now / S);
      else errors.add(r.error!);
    }), null);
  }
  options.throttle?.(h);
  h.env.run();
  return { h, accepted, errors, offered: n };
}

test('offered 300/s against a 100/s limit for 10 s: between 1000 and 1000 + burst (100) are admitted; the rest are SlowDown', () => {
  const { h, accepted, errors, offered } = offer(300, 10, { writePerS: 100 });
  assert.ok(accepted.length >= 1000 && accepted.length <= 1100 + 1, `admitted ${accepted.length}`);
  assert.equal([...errors], ['SlowDown']);
  assert.is(h.value('s3/throttled'), offered - accepted.length);
  // In steady state (after the burst is spent) the admitted rate is the limit.
  const late = accepted.filter((t) => t >= 5).length;
  assert.ok(late >= 499 && late <= 501, `admitted in the last 5 s: ${late}`);
});

test('limits are per prefix: two prefixes each get the limit; scope "store" shares one', () => {
  const keyOf = (i: number) => `p${i % 2}/k${i}`;
  const perPrefix = offer(300, 10, { writePerS: 100, keyOf });
  assert.ok(perPrefix.accepted.length >= 2000 && perPrefix.accepted.length <= 2201, `per prefix: ${perPrefix.accepted.length}`);
  const shared = offer(300, 10, { writePerS: 100, keyOf, scope: 'store' });
  assert.ok(shared.accepted.length >= 1000 && shared.accepted.length <= 1101, `per store: ${shared.accepted.length}`);
});

test('reads and writes have separate limits (S3 defaults: 5,500 and 3,500 per second)', () => {
  const h = cloudHarness();
  const c = h.client({ retry: NO_RETRY });
  c.put('b', 'p/k', 1, () => {});
  h.env.run();
  let gets = 0;
  let puts = 0;
  for (let i = 0; i < 20_000; i++) {
    h.env.schedule(Math.round((i * S) / 10_000), () => {
      c.get('b', 'p/k', (r) => (gets += r.ok ? 1 : 0));
      c.put('b', `p/x${i}`, 0, (r) => (puts += r.ok ? 1 : 0));
    }, null);
  }
  h.env.run();
  // 2 s of overload after a 1 s burst allowance (the first PUT took one write token).
  assert.ok(gets >= 11_000 && gets <= 16_501, `GETs admitted: ${gets}`);
  assert.ok(puts >= 7_000 && puts <= 10_500, `PUTs admitted: ${puts}`);
});

test('throttle(0.1) for 10 s cuts the admitted rate to a tenth, then it comes back', () => {
  const { accepted } = offer(300, 30, { writePerS: 100, throttle: (h) => h.env.schedule(10 * S, () => h.store.throttle(0.1, 10 * S), null) });
  const within = (a: number, b: number) => accepted.filter((t) => t >= a && t < b).length;
  assert.ok(within(0, 10) >= 1000 && within(0, 10) <= 1101, `before: ${within(0, 10)}`);
  // 10/s for 10 s, plus at most the tokens kept (the new depth is 10).
  assert.ok(within(10, 20) >= 99 && within(10, 20) <= 111, `throttled: ${within(10, 20)}`);
  assert.ok(within(20, 30) >= 999 && within(20, 30) <= 1011, `after: ${within(20, 30)}`);
});

test('full jitter: backoff ceilings double from the base up to the cap; sleeps are uniform below the ceiling', () => {
  const policy: RetryPolicy = { maxAttempts: 10, baseDelayNs: 100 * MS, maxDelayNs: 1 * S };
  assert.equal([0, 1, 2, 3, 4, 5, 60, 2000].map((k) => backoffCeilingNs(policy, k) / MS), [100, 200, 400, 800, 1000, 1000, 1000, 1000]);
  const stream = new RandomStream('test/backoff', 12345);
  for (const k of [0, 2, 5]) {
    const ceiling = backoffCeilingNs(policy, k);
    const n = 20_000;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    const deciles = new Array<number>(10).fill(0);
    for (let i = 0; i < n; i++) {
      const d = fullJitterDelayNs(policy, k, stream);
      assert.ok(Number.isInteger(d));
      sum += d;
      min = Math.min(min, d);
      max = Math.max(max, d);
      deciles[Math.floor((d / ceiling) * 10)]!++;
    }
    assert.ok(min >= 0 && max < ceiling, `retry ${k}: [${min}, ${max}] outside [0, ${ceiling})`);
    // Uniform: mean ceiling/2 (standard error ceiling/sqrt(12 n) ≈ 0.2% of the ceiling), each decile ≈ n/10.
    assert.ok(Math.abs(sum / n / ceiling - 0.5) < 0.01, `retry ${k}: mean ${sum / n / ceiling} of the ceiling`);
    for (const count of deciles) assert.ok(Math.abs(count - n / 10) < 0.1 * (n / 10), `retry ${k}: decile counts ${deciles}`);
  }
});

test('a throttled client retries after full-jitter sleeps, and gives up after maxAttempts with the reason', () => {
  const h = cloudHarness({ requestRates: { writePerS: 10, readPerS: 1e9, scope: 'prefix', burstS: 1 } });
  const policy: RetryPolicy = { maxAttempts: 4, baseDelayNs: 50 * MS, maxDelayNs: 300 * MS };
  const attemptsAt = new Map<ObjectCall, number[]>();
  const sleeps = new Map<ObjectCall, number[]>();
  const submit = h.store.submit.bind(h.store);
  h.store.submit = (call: ObjectCall) => {
    attemptsAt.set(call, [...(attemptsAt.get(call) ?? []), h.env.now]);
    submit(call);
  };
  const c = h.client({
    retry: policy,
    onRetry: (call, retry, delayNs) => {
      const list = sleeps.get(call) ?? [];
      assert.is(retry, list.length, 'retries are numbered from 0');
      assert.ok(delayNs >= 0 && delayNs < backoffCeilingNs(policy, retry), `sleep ${delayNs} ns before retry ${retry}`);
      sleeps.set(call, [...list, delayNs]);
    },
  });
  const results: ObjectResult[] = [];
  for (let i = 0; i < 60; i++) c.put('b', `p/k${i}`, 0, (r) => results.push(r));
  h.env.run();
  assert.is(results.length, 60);
  let retried = 0;
  for (const [call, times] of attemptsAt) {
    const slept = sleeps.get(call) ?? [];
    assert.is(times.length, slept.length + 1);
    // With no latency, each retry is submitted exactly its sleep after the previous attempt's answer.
    for (let j = 1; j < times.length; j++) assert.is(times[j]! - times[j - 1]!, slept[j - 1]!);
    if (times.length > 1) retried++;
    const r = call.result;
    assert.is(r.attempts, times.length);
    if (!r.ok) {
      assert.is(r.error, 'SlowDown');
      assert.is(r.attempts, policy.maxAttempts);
      assert.match(r.reason, /gave up after 4 attempts/);
    }
  }
  assert.ok(retried > 0, 'some requests were retried');
  assert.ok(results.some((r) => r.ok && r.attempts > 1), 'some retries succeeded');
  assert.ok(results.some((r) => !r.ok), 'some gave up (60 requests in well under a second against 10/s)');
  assert.is(h.value('c0/retries'), [...attemptsAt.values()].reduce((a, t) => a + t.length - 1, 0));
});

test.run();
