/**
 * Bandwidth sharing: max-min fairness with per-connection caps on one link, checked against
 * (1) its definition (Bertsekas & Gallager, Data Networks, 2nd ed., section 6.5.2: no flow can
 * get more without taking from a flow that has no more) and a progressive-filling reference
 * written here, and (2) completion times of transfers worked out by hand.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { constant } from '../../../sim/engine/random/index.ts';
import { maxMinFairRates } from '../../../sim/models/cloud/fair-share.ts';
import type { ObjectResult } from '../../../sim/models/cloud/object-call.ts';
import { MS, S, cloudHarness } from './harness.ts';

const MB = 1e6;

/** Progressive filling: raise all unfrozen flows equally; freeze a flow at its cap; stop when the link is full. */
function progressiveFilling(caps: readonly number[], capacity: number): number[] {
  const rates = caps.map(() => 0);
  const frozen = caps.map(() => false);
  let left = capacity;
  for (;;) {
    const active = caps.map((_, i) => i).filter((i) => !frozen[i]);
    if (active.length === 0 || left <= 1e-12 * capacity) return rates;
    const step = Math.min(left / active.length, ...active.map((i) => caps[i]! - rates[i]!));
    for (const i of active) {
      rates[i]! += step;
      if (rates[i]! >= caps[i]! * (1 - 1e-12)) frozen[i] = true;
    }
    left -= step * active.length;
  }
}

test('water-filling by hand: 100 shared by caps 10, 20, 50, 100 gives 10, 20, 35, 35', () => {
  assert.equal(maxMinFairRates([50, 10, 100, 20], 100), [35, 10, 35, 20]);
  assert.equal(maxMinFairRates([10, 20], 100), [10, 20], 'under-subscribed: everyone gets its cap');
  assert.equal(maxMinFairRates([Infinity, Infinity], 100), [50, 50]);
  assert.equal(maxMinFairRates([5, 7], Infinity), [5, 7]);
});

test('water-filling equals progressive filling and is max-min fair (property)', () => {
  const cap = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constant(Infinity));
  fc.assert(fc.property(fc.array(cap, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 5000 }), (caps, capacity) => {
    const rates = maxMinFairRates(caps, capacity);
    const reference = progressiveFilling(caps, capacity);
    rates.forEach((r, i) => assert.ok(Math.abs(r - reference[i]!) <= 1e-9 * capacity, `flow ${i}: ${r} vs ${reference[i]}`));
    const sum = rates.reduce((a, b) => a + b, 0);
    const demand = caps.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - Math.min(capacity, demand)) <= 1e-9 * capacity, 'the link is full or every flow is at its cap');
    rates.forEach((r, i) => {
      assert.ok(r <= caps[i]! * (1 + 1e-12));
      // A flow below its cap has at least the rate of every other flow.
      if (r < caps[i]! * (1 - 1e-9)) for (const other of rates) assert.ok(r >= other * (1 - 1e-9));
    });
  }));
});

test('one transfer takes the first-byte latency plus size / min(connection cap, aggregate)', () => {
  for (const [connection, aggregate] of [[40 * MB, 100 * MB], [100 * MB, 25 * MB]] as const) {
    const h = cloudHarness({ firstByteLatencyNs: constant(7 * MS), connectionBandwidthBps: connection, aggregateBandwidthBps: aggregate });
    let result: ObjectResult | undefined;
    h.client().put('b', 'k', 300 * MB, (r) => (result = r));
    h.env.run();
    const expectedNs = 7 * MS + Math.round(((300 * MB) / Math.min(connection, aggregate)) * S);
    assert.is(result?.ok, true);
    assert.is(result?.latencyNs, expectedNs);
    assert.is(h.env.now, expectedNs);
  }
});

test('a GET of a range moves only the range', () => {
  const h = cloudHarness({ connectionBandwidthBps: 10 * MB });
  const c = h.client();
  c.put('b', 'k', 100 * MB, () => {});
  h.env.run();
  const start = h.env.now;
  let result: ObjectResult | undefined;
  c.get('b', 'k', (r) => (result = r), { offset: 90 * MB, length: 50 * MB });
  h.env.run();
  assert.is(result?.bytes, 10 * MB, 'clipped at the end of the object');
  assert.is(result?.size, 100 * MB);
  assert.is(h.env.now - start, 1 * S);
});

test('three transfers with caps 10, 30 and 80 MB/s on 100 MB/s end at 1, 2 and 2.875 s (worked out by hand)', () => {
  // Rates 10/30/60 until A (10 MB) ends at 1 s; then B 30, C 70 until B (60 MB) ends at 2 s
  // (C has 60 + 70 = 130 of 200 MB); then C alone at its cap of 80: 70 MB in 0.875 s.
  const h = cloudHarness({ firstByteLatencyNs: constant(5 * MS), connectionBandwidthBps: 80 * MB, aggregateBandwidthBps: 100 * MB });
  const ends: Record<string, number> = {};
  const put = (name: string, capBps: number, bytes: number) =>
    h.client({ connectionBandwidthBps: capBps }).put('b', name, bytes, (r) => {
      assert.ok(r.ok);
      ends[name] = h.env.now;
    });
  put('a', 10 * MB, 10 * MB);
  put('b', 30 * MB, 60 * MB);
  put('c', 1000 * MB, 200 * MB);
  h.env.run();
  assert.equal(ends, { a: 5 * MS + 1 * S, b: 5 * MS + 2 * S, c: 5 * MS + 2.875 * S });
  assert.is(h.value('s3/active_transfers_max'), 3);
});

test('a transfer starting later takes its fair share from then on', () => {
  // A alone at 100 MB/s for 1 s (100 of 300 MB); then A and B at 50 each: B (50 MB) ends at
  // 2 s, A has 150 left... 100 + 50 = 150 moved, 150 left at 100 MB/s: ends at 3.5 s.
  const h = cloudHarness({ aggregateBandwidthBps: 100 * MB });
  const ends: Record<string, number> = {};
  h.client().put('b', 'a', 300 * MB, () => (ends.a = h.env.now));
  h.env.schedule(1 * S, () => h.client().put('b', 'b', 50 * MB, () => (ends.b = h.env.now)), null);
  h.env.run();
  assert.equal(ends, { a: 3.5 * S, b: 2 * S });
});

test.run();
