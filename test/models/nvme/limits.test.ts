/**
 * Per-function IOPS and bandwidth limits under overload. Reference: a token bucket of rate ρ
 * and size σ lets through, over any interval of length t, at most ρ·t + σ (the (σ, ρ) arrival
 * curve; Le Boudec and Thiran, Network Calculus, 2001, §1.2.2), and a greedy shaper with a
 * backlog lets through ρ on average. Both are checked on what the backend actually received.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { IoOp } from '../../../sim/models/block/io-request.ts';
import { TokenBucket } from '../../../sim/models/nvme/token-bucket.ts';
import { ClosedLoopHost, MS, nvmeHarness, S, US, type BackendLogEntry } from './harness.ts';

const NS_BYTES = 64 * 1024 * 1024;

/** Largest excess over ρ·(t_j - t_i) of the costs let through in any window [t_i, t_j]. */
function worstWindowExcess(times: number[], costs: number[], ratePerS: number): number {
  // cost(i..j) - ρ(t_j - t_i) = (C_j - ρ t_j) - (C_{i-1} - ρ t_i): track the largest -(C_{i-1} - ρ t_i) seen so far.
  let cumulative = 0;
  let bestStart = -Infinity;
  let worst = -Infinity;
  for (let k = 0; k < times.length; k++) {
    const t = (times[k]! * ratePerS) / S;
    bestStart = Math.max(bestStart, t - cumulative);
    cumulative += costs[k]!;
    worst = Math.max(worst, cumulative - t + bestStart);
  }
  return worst; // max over i <= j of C_j - C_{i-1} - ρ(t_j - t_i)
}

/** Two functions on one controller: f0 limited and overloaded, f1 unlimited (and optionally overloaded too). */
function limitedWorld(limits: { iops?: number; iopsBurst?: number; bandwidth?: number; burstBytes?: number }, sizeBytes: number, otherLoad: boolean) {
  const h = nvmeHarness({
    serviceNs: 10 * US,
    parallelism: 8,
    capacityBytes: 2 * NS_BYTES,
    controller: { maxInFlight: 8, namespaces: [0, 1].map((i) => ({ nsid: i + 1, startBytes: i * NS_BYTES, sizeBytes: NS_BYTES, lbaBytes: 4096 })) },
  });
  const limited = h.controller.addFunction('f0', {
    kind: 'pf',
    namespaces: [1],
    ...(limits.iops === undefined ? {} : { iopsLimit: { perSecond: limits.iops, ...(limits.iopsBurst === undefined ? {} : { burst: limits.iopsBurst }) } }),
    ...(limits.bandwidth === undefined ? {} : { bandwidthLimit: { bytesPerSecond: limits.bandwidth, ...(limits.burstBytes === undefined ? {} : { burstBytes: limits.burstBytes }) } }),
  });
  const free = h.controller.addFunction('f1', { kind: 'pf', namespaces: [2] });
  const hosts = [new ClosedLoopHost(h.env, limited, 256, Infinity, { sizeBytes, op: IoOp.Write })];
  if (otherLoad) hosts.push(new ClosedLoopHost(h.env, free, 64, Infinity, { sizeBytes: 4096 }));
  const of = (f: number): BackendLogEntry[] => h.backend.log.filter((e) => Math.floor(e.offsetBytes / NS_BYTES) === f);
  return { h, limited, free, hosts, of };
}

test('IOPS limit under overload: ≈ the limit, never above limit + burst over any window, and the rest goes to the unlimited function', () => {
  const rate = 20000;
  const burst = 16;
  const { h, hosts, of } = limitedWorld({ iops: rate, iopsBurst: burst }, 4096, true);
  for (const host of hosts) host.start();
  const T = 100 * MS;
  h.env.run({ until: T });
  const sent = of(0);
  const completed = hosts[0]!.completed;
  assert.ok(completed <= (rate * T) / S + burst, `completed ${completed} <= ${(rate * T) / S + burst}`);
  assert.ok(completed >= (rate * T) / S - 8, `completed ${completed} ≈ limit (${(rate * T) / S})`);
  const excess = worstWindowExcess(sent.map((e) => e.submitNs), sent.map(() => 1), rate);
  assert.ok(excess <= burst + 1e-6, `worst window exceeds ρt by ${excess} > σ = ${burst}`);
  // The controller is work-conserving: capacity 8 / 10 us = 800 000 IOPS, minus the limited function's share.
  const other = hosts[1]!.completed;
  assert.ok(Math.abs(other - (800000 - rate) * (T / S)) <= 0.005 * 800000 * (T / S), `unlimited function ${other}`);
  // The two throttle metrics agree, up to the episode still open at the stop (at most one token's wait, 50 us).
  const throttledS = h.value('f0/throttled_time_s')!;
  assert.ok(throttledS > 0);
  assert.ok(Math.abs(throttledS - h.value('f0/throttled_mean')! * (T / S)) <= 50e-6 + 1e-12, `${throttledS} s`);
  assert.is(h.value('f1/throttled_time_s'), undefined, 'no limit, no throttle metrics');
});

test('bandwidth limit under overload with 64 KiB writes: ≈ the limit in bytes/s, never above ρt + σ', () => {
  const rate = 100e6; // 100 MB/s
  const burstBytes = 256 * 1024;
  const { h, hosts, of } = limitedWorld({ bandwidth: rate, burstBytes }, 64 * 1024, true);
  for (const host of hosts) host.start();
  const T = 100 * MS;
  h.env.run({ until: T });
  const bytes = hosts[0]!.completed * 64 * 1024;
  assert.ok(bytes <= (rate * T) / S + burstBytes, `${bytes} B`);
  assert.ok(bytes >= (rate * T) / S - 8 * 64 * 1024, `${bytes} B ≈ ${(rate * T) / S}`);
  const sent = of(0);
  const excess = worstWindowExcess(sent.map((e) => e.submitNs), sent.map((e) => e.sizeBytes), rate);
  assert.ok(excess <= burstBytes * (1 + 1e-9), `worst window exceeds ρt by ${excess} B > σ = ${burstBytes}`);
  assert.is(h.value('f0/write_bytes_B'), bytes);
});

test('both limits at once: the tighter one binds (IOPS × size vs bandwidth)', () => {
  for (const [iops, bandwidth, size, expectedPerS] of [
    [10000, 200e6, 8192, 10000], // 10 000 × 8 KiB = 82 MB/s < 200 MB/s: IOPS binds
    [50000, 100e6, 8192, 100e6 / 8192], // 50 000 × 8 KiB = 410 MB/s > 100 MB/s: bandwidth binds
  ] as const) {
    const { h, hosts } = limitedWorld({ iops, bandwidth }, size, false);
    hosts[0]!.start();
    h.env.run({ until: 200 * MS });
    const perS = hosts[0]!.completed / 0.2;
    assert.ok(Math.abs(perS - expectedPerS) <= 0.01 * expectedPerS, `${perS}/s vs ${expectedPerS}/s`);
  }
});

test('overloaded alone on an idle controller, a limited function is throttled all the time: it is fetched the instant tokens arrive', () => {
  const { h, hosts } = limitedWorld({ iops: 10000, iopsBurst: 4 }, 4096, false);
  hosts[0]!.start();
  h.env.run({ until: 100 * MS });
  assert.is(h.value('f0/throttled_mean'), 1, 'from t = 0 (the burst of 4 goes at once) to the stop');
  assert.ok(h.value('f0/throttled_time_s')! >= 0.1 - 100e-6, 'all but the open episode');
  assert.is(hosts[0]!.completed, 4 + 999, 'the burst, then one per token at 100 us, 200 us, ..., 99.9 ms (the next token comes at the stop)');
});

test('below its limit a function is not throttled at all and sees the bare latency', () => {
  const { h } = limitedWorld({ iops: 200000 }, 4096, false);
  const light = new ClosedLoopHost(h.env, h.controller.functions[0]!, 1, 50 * MS, { sizeBytes: 4096 });
  light.start();
  h.env.run({ until: 50 * MS });
  assert.is(h.value('f0/throttled_time_s'), 0);
  assert.is(h.value('f0/read_latency_max_us'), 10);
});

test('a command larger than the whole bucket still goes (from a full bucket) and the long-run rate holds', () => {
  const { h, hosts } = limitedWorld({ bandwidth: 10e6, burstBytes: 16 * 1024 }, 64 * 1024, false);
  hosts[0]!.start();
  h.env.run({ until: 1 * S });
  const bytes = hosts[0]!.completed * 64 * 1024;
  assert.ok(bytes <= 10e6 + 64 * 1024 && bytes >= 10e6 - 2 * 64 * 1024, `${bytes} B in 1 s`);
});

test('property: a greedy token-bucket shaper never lets more than ρt + max(σ, largest cost) through in any window', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1e6 }),
      fc.integer({ min: 1, max: 5000 }),
      fc.array(fc.record({ cost: fc.integer({ min: 1, max: 8000 }), gapNs: fc.integer({ min: 0, max: 1e6 }) }), { minLength: 1, maxLength: 200 }),
      (ratePerS, capacity, items) => {
        const bucket = new TokenBucket(ratePerS, capacity, 0);
        const times: number[] = [];
        let now = 0;
        let largest = 0;
        for (const { cost, gapNs } of items) {
          now += gapNs;
          const wait = bucket.waitNs(cost, now);
          if (wait > 0) {
            assert.ok(!bucket.allows(cost, now), 'waits only when it must');
            now += wait;
          }
          assert.ok(bucket.allows(cost, now), 'allowed after the computed wait');
          bucket.take(cost, now);
          times.push(now);
          largest = Math.max(largest, cost);
        }
        const excess = worstWindowExcess(times, items.map((i) => i.cost), ratePerS);
        assert.ok(excess <= Math.max(capacity, largest) * (1 + 1e-9) + 1e-6, `excess ${excess}`);
      },
    ),
    { numRuns: 200 },
  );
});

test.run();
