import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { constant, empiricalFromPoints, exponential } from '../../../sim/engine/random/index.ts';
import { IoOp, IoStatus, type IoRequest } from '../../../sim/models/block/io-request.ts';
import { BlockPermutation } from '../../../sim/models/workload/address.ts';
import { SyntheticWorkload, type SyntheticWorkloadOptions } from '../../../sim/models/workload/synthetic.ts';
import { chiSquare, chiSquareCritical999, harness, S, within } from './fake-device.ts';

const KiB = 1024;
const H = 3600 * S;

type Harness = ReturnType<typeof harness>;

function workload(h: Harness, options: Partial<SyntheticWorkloadOptions> & Pick<SyntheticWorkloadOptions, 'loop'>, path = 'w'): SyntheticWorkload {
  const full: SyntheticWorkloadOptions = { readFraction: 0.5, sizeBytes: constant(4 * KiB), pattern: 'random', ...options };
  const w = new SyntheticWorkload(h.env, path, full, h.device, h.streams, h.metrics);
  w.start();
  return w;
}

const poisson = (ratePerS: number) => ({ kind: 'open' as const, interarrivalNs: exponential(S / ratePerS) });

// ---- arrivals ----------------------------------------------------------------------------

test('open loop Poisson: the count over 20 s is within 4 sd of rate·T, and counts per window have variance ≈ mean', () => {
  // Reference: a Poisson process of rate λ has N(T) ~ Poisson(λT) with independent counts in
  // disjoint windows, so the index of dispersion var/mean of window counts is 1.
  const h = harness();
  const rate = 1000;
  const T = 20;
  const w = workload(h, { loop: poisson(rate) });
  h.env.run({ until: T * S });
  const n = w.issuedCount;
  within(n, rate * T, Math.sqrt(rate * T), 4, 'arrivals in 20 s');
  const windows = new Array(200).fill(0);
  for (const s of h.device.submissions) windows[Math.floor(s.atNs / (0.1 * S))]++;
  const mean = windows.reduce((a, b) => a + b, 0) / windows.length;
  const variance = windows.reduce((a, b) => a + (b - mean) ** 2, 0) / (windows.length - 1);
  within(variance / mean, 1, Math.sqrt(2 / (windows.length - 1)), 4, 'index of dispersion');
  assert.is(h.value('w/issued'), n);
});

test('closed loop at depth Q on one server with fixed service S: throughput 1/S, latency Q·S, N = X·R (Little 1961)', () => {
  // Little, "A proof for the queuing formula L = λW", Operations Research 9(3), 1961.
  // With Q requests always in a FIFO single server of constant service S, the server never
  // idles (X = 1/S) and each request waits behind the Q − 1 others (R = Q·S after the first round).
  const Q = 4;
  const serviceNs = 1e6;
  const h = harness({ serviceNs, oneServer: true });
  workload(h, { loop: { kind: 'closed', queueDepth: Q } });
  const T = 10 * S;
  h.env.run({ until: T });
  const completed = h.value('w/reads')! + h.value('w/writes')!;
  assert.ok(Math.abs(completed - T / serviceNs) <= 1, `throughput: ${completed} completions in 10 s`);
  const meanLatencyUs = (h.value('w/read_latency_mean_us')! * h.value('w/read_latency_count')! + h.value('w/write_latency_mean_us')! * h.value('w/write_latency_count')!) / completed;
  within(meanLatencyUs, (Q * serviceNs) / 1e3, (Q * serviceNs) / 1e3 / 1000, 1, 'mean latency (within 0.1%: only the first round is shorter)');
  assert.is(h.value('w/in_flight_mean'), Q, 'Q requests always in flight');
  const X = completed / (T / S);
  const R = meanLatencyUs / 1e6;
  within(X * R, Q, Q * 0.002, 1, 'Little: N = X·R');
});

test('closed loop with think time Z: X = Q/(S + Z) when the server is not the bottleneck, and R = N/X − Z (interactive response time law)', () => {
  // Denning & Buzen, "The operational analysis of queueing network models", Computing Surveys 10(3), 1978.
  const serviceNs = 1e6;
  const thinkNs = 3e6;
  const Q = 2;
  const h = harness({ serviceNs, oneServer: true });
  workload(h, { loop: { kind: 'closed', queueDepth: Q, thinkNs: constant(thinkNs) } });
  const T = 10 * S;
  h.env.run({ until: T });
  const completed = h.value('w/reads')! + h.value('w/writes')!;
  const X = completed / 10;
  within(X, Q / ((serviceNs + thinkNs) / S), 2, 1, 'throughput per second');
  const meanLatencyS = (h.value('w/read_latency_mean_us')! * h.value('w/read_latency_count')! + h.value('w/write_latency_mean_us')! * h.value('w/write_latency_count')!) / completed / 1e6;
  const N = h.value('w/in_flight_mean')!; // requests at the device: queued or in service
  within(meanLatencyS, N / X, 1e-5, 1, 'Little at the device');
  within(meanLatencyS, Q / X - thinkNs / S, 2e-5, 1, 'R = Q/X − Z');
});

// ---- request mix -------------------------------------------------------------------------

test('read fraction 0.3: reads are Binomial(n, 0.3) within 4 sd; reads + writes = completed', () => {
  const h = harness();
  const n = 20000;
  workload(h, { loop: poisson(10000), readFraction: 0.3, requestLimit: n });
  h.env.run();
  const reads = h.device.submissions.filter((s) => s.op === IoOp.Read).length;
  within(reads, 0.3 * n, Math.sqrt(n * 0.3 * 0.7), 4, 'reads');
  assert.is(h.value('w/reads'), reads);
  assert.is(h.value('w/writes'), n - reads);
  assert.is(h.value('w/read_bytes_B'), reads * 4 * KiB);
});

test('read fraction 0 and 1 give only writes and only reads', () => {
  for (const readFraction of [0, 1]) {
    const h = harness();
    workload(h, { loop: poisson(1000), readFraction, requestLimit: 500 });
    h.env.run();
    assert.ok(h.device.submissions.every((s) => s.op === (readFraction === 1 ? IoOp.Read : IoOp.Write)));
  }
});

test('sizes follow the size distribution: chi-square over three equally likely sizes', () => {
  const h = harness();
  const n = 9000;
  workload(h, { loop: poisson(10000), sizeBytes: empiricalFromPoints([4 * KiB, 8 * KiB, 64 * KiB]), requestLimit: n });
  h.env.run();
  const counts = [4 * KiB, 8 * KiB, 64 * KiB].map((size) => h.device.submissions.filter((s) => s.size === size).length);
  assert.is(counts[0]! + counts[1]! + counts[2]!, n, 'no other sizes');
  const stat = chiSquare(counts, [n / 3, n / 3, n / 3]);
  assert.ok(stat < chiSquareCritical999(2), `chi-square ${stat}`);
});

test('sizes are rounded to the nearest whole sector, at least one, at most the span', () => {
  const cases: [number, number][] = [[1000, 1024], [100, 512], [0, 512], [769, 1024], [767, 512], [1 << 20, 64 * KiB]];
  for (const [drawn, expected] of cases) {
    const h = harness({ sectorBytes: 512 });
    workload(h, { loop: poisson(1000), sizeBytes: constant(drawn), requestLimit: 3, spanBytes: 64 * KiB });
    h.env.run();
    assert.equal(h.device.submissions.map((s) => s.size), [expected, expected, expected], `size ${drawn} B`);
  }
});

// ---- addresses ---------------------------------------------------------------------------

test('uniform random addresses: block-aligned, inside the span, chi-square uniform over the blocks', () => {
  const h = harness({ sectorBytes: 4096 });
  const blocks = 50;
  const n = 20000;
  workload(h, { loop: poisson(10000), spanOffsetBytes: 1 << 20, spanBytes: blocks * 4 * KiB, blockBytes: 4 * KiB, requestLimit: n });
  h.env.run();
  const counts = new Array(blocks).fill(0);
  for (const s of h.device.submissions) {
    const rel = s.offset - (1 << 20);
    assert.ok(rel >= 0 && rel % (4 * KiB) === 0 && rel + s.size <= blocks * 4 * KiB, `offset ${s.offset}`);
    counts[rel / (4 * KiB)]++;
  }
  const stat = chiSquare(counts, new Array(blocks).fill(n / blocks));
  assert.ok(stat < chiSquareCritical999(blocks - 1), `chi-square ${stat}`);
});

/** Zipf pmf over ranks 1..n, computed directly: P(k) = k^-s / Σ j^-s. */
function zipfPmf(n: number, s: number): number[] {
  const weights = Array.from({ length: n }, (_, i) => (i + 1) ** -s);
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

/** Chi-square test of block counts against probabilities, pooling blocks so every expected count is >= 5. */
function assertFits(counts: readonly number[], probabilities: readonly number[], n: number, what: string): void {
  const observed: number[] = [];
  const expected: number[] = [];
  let o = 0;
  let e = 0;
  for (let i = 0; i < counts.length; i++) {
    o += counts[i]!;
    e += probabilities[i]! * n;
    if (e >= 5) {
      observed.push(o);
      expected.push(e);
      o = 0;
      e = 0;
    }
  }
  if (e > 0) {
    observed[observed.length - 1]! += o;
    expected[expected.length - 1]! += e;
  }
  const stat = chiSquare(observed, expected);
  const critical = chiSquareCritical999(observed.length - 1);
  assert.ok(stat < critical, `${what}: chi-square ${stat} >= ${critical} (${observed.length} cells)`);
}

test('Zipf skew: block k of the span is hit with probability k^-s / H(n, s) (chi-square), rank 1 = first block', () => {
  const blocks = 200;
  const n = 40000;
  const h = harness({ sectorBytes: 4096 });
  workload(h, { loop: poisson(10000), skew: { kind: 'zipf', exponent: 1.1 }, spanBytes: blocks * 4 * KiB, blockBytes: 4 * KiB, requestLimit: n });
  h.env.run();
  const counts = new Array(blocks).fill(0);
  for (const s of h.device.submissions) counts[s.offset / (4 * KiB)]++;
  assertFits(counts, zipfPmf(blocks, 1.1), n, 'zipf');
});

test('Zipf skew with scatter: rank k lands on block permutation(k − 1), still with the Zipf pmf', () => {
  const blocks = 200;
  const n = 40000;
  const h = harness({ sectorBytes: 4096 });
  workload(h, { loop: poisson(10000), skew: { kind: 'zipf', exponent: 1.1 }, scatter: true, spanBytes: blocks * 4 * KiB, blockBytes: 4 * KiB, requestLimit: n });
  h.env.run();
  const permutation = new BlockPermutation(blocks);
  const byBlock = new Array(blocks).fill(0);
  for (const s of h.device.submissions) byBlock[s.offset / (4 * KiB)]++;
  const byRank = Array.from({ length: blocks }, (_, k) => byBlock[permutation.apply(k)]!);
  assertFits(byRank, zipfPmf(blocks, 1.1), n, 'zipf by rank');
  assert.ok(byBlock[0]! < byRank[0]! / 2 || permutation.apply(0) === 0, 'the hottest block moved away from the start');
});

test('block permutation is a bijection of [0, n) (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 3000 }), (n) => {
      const p = new BlockPermutation(n);
      const seen = new Uint8Array(n);
      for (let k = 0; k < n; k++) {
        const v = p.apply(k);
        if (!(Number.isInteger(v) && v >= 0 && v < n) || seen[v]) return false;
        seen[v] = 1;
      }
      return true;
    }),
    { numRuns: 60 },
  );
});

test('hot/cold skew: the first 20% of the blocks get 80% of the requests (binomial), uniformly within each part', () => {
  const blocks = 100;
  const n = 20000;
  const h = harness({ sectorBytes: 4096 });
  workload(h, { loop: poisson(10000), skew: { kind: 'hot-cold', hotFraction: 0.2, hotAccessFraction: 0.8 }, spanBytes: blocks * 4 * KiB, blockBytes: 4 * KiB, requestLimit: n });
  h.env.run();
  const counts = new Array(blocks).fill(0);
  for (const s of h.device.submissions) counts[s.offset / (4 * KiB)]++;
  const hot = counts.slice(0, 20).reduce((a, b) => a + b, 0);
  within(hot, 0.8 * n, Math.sqrt(n * 0.8 * 0.2), 4, 'hot requests');
  assertFits(counts, counts.map((_, i) => (i < 20 ? 0.8 / 20 : 0.2 / 80)), n, 'hot/cold per block');
});

test('sequential addresses follow one cursor and wrap at the end of the span', () => {
  const h = harness({ sectorBytes: 512 });
  workload(h, { loop: { kind: 'closed', queueDepth: 1 }, pattern: 'sequential', spanOffsetBytes: 8 * KiB, spanBytes: 16 * KiB, requestLimit: 6 });
  h.env.run();
  assert.equal(h.device.submissions.map((s) => s.offset / KiB), [8, 12, 16, 20, 8, 12]);
  const h2 = harness({ sectorBytes: 512 });
  workload(h2, { loop: { kind: 'closed', queueDepth: 1 }, pattern: 'sequential', sizeBytes: constant(6 * KiB), spanOffsetBytes: 8 * KiB, spanBytes: 16 * KiB, requestLimit: 5 });
  h2.env.run();
  assert.equal(h2.device.submissions.map((s) => s.offset / KiB), [8, 14, 8, 14, 8], 'a request that does not fit before the end starts over');
});

test('a random request that would run past the span end is moved back to end at the span end', () => {
  const h = harness({ sectorBytes: 512 });
  workload(h, { loop: poisson(1000), sizeBytes: constant(6 * KiB), spanBytes: 16 * KiB, blockBytes: 4 * KiB, requestLimit: 400 });
  h.env.run();
  const offsets = new Set(h.device.submissions.map((s) => s.offset / KiB));
  assert.equal([...offsets].sort((a, b) => a - b), [0, 4, 8, 10], 'blocks 0, 4, 8 KiB, and block 12 KiB moved back to 10 KiB');
});

// ---- time shapes -------------------------------------------------------------------------

const MULTIPLIERS = [1, 2, 0, 4, 0.5, 1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 0.25];

test('daily pattern, deterministic gaps: an hour with multiplier m holds m·3600 arrivals of a 1 s gap (time change is exact)', () => {
  const h = harness();
  workload(h, { loop: { kind: 'open', interarrivalNs: constant(S) }, daily: { hourlyMultipliers: MULTIPLIERS } });
  h.env.run({ until: 24 * H });
  const perHour = new Array(24).fill(0);
  for (const s of h.device.submissions) perHour[Math.floor(s.atNs / H)]++;
  perHour.forEach((count, hour) => assert.ok(Math.abs(count - MULTIPLIERS[hour]! * 3600) <= 1, `hour ${hour}: ${count}`));
});

test('daily pattern, Poisson: each hour holds Poisson(λ·m·3600) arrivals (within 5 sd), none in a zero hour; startHour shifts the pattern', () => {
  const rate = 0.5;
  for (const startHour of [0, 5]) {
    const h = harness();
    workload(h, { loop: poisson(rate), daily: { hourlyMultipliers: MULTIPLIERS, startHour } });
    h.env.run({ until: 24 * H });
    const perHour = new Array(24).fill(0);
    for (const s of h.device.submissions) perHour[(Math.floor(s.atNs / H) + startHour) % 24]++;
    perHour.forEach((count, hour) => {
      const mean = rate * 3600 * MULTIPLIERS[hour]!;
      if (mean === 0) assert.is(count, 0, `hour ${hour} has multiplier 0`);
      else within(count, mean, Math.sqrt(mean), 5, `hour of day ${hour} (startHour ${startHour})`);
    });
  }
});

test('on/off phases: no open-loop arrival while off, and the rate while on is unchanged', () => {
  const h = harness();
  const w = workload(h, { loop: poisson(100), phases: { onNs: constant(10 * S), offNs: constant(5 * S) } });
  h.env.run({ until: 150 * S });
  for (const s of h.device.submissions) assert.ok(s.atNs % (15 * S) < 10 * S, `arrival at ${s.atNs / S} s falls in an off phase`);
  within(w.issuedCount, 100 * 100, 100, 4, 'arrivals in 100 s of on time');
});

test('on/off phases in a closed loop: nothing issued while off; issuing resumes when on', () => {
  const h = harness({ serviceNs: 3e6, oneServer: true });
  workload(h, { loop: { kind: 'closed', queueDepth: 2 }, phases: { onNs: constant(0.1 * S), offNs: constant(0.2 * S) } });
  h.env.run({ until: 3 * S });
  for (const s of h.device.submissions) assert.ok(s.atNs % (0.3 * S) < 0.1 * S, `submission at ${s.atNs / S} s falls in an off phase`);
  const secondOn = h.device.submissions.filter((s) => s.atNs >= 0.3 * S && s.atNs < 0.4 * S);
  assert.ok(secondOn.length > 30, 'the loop resumes in the next on phase');
  assert.is(secondOn[0]!.atNs, 0.3 * S, 'parked slots issue as the on phase starts');
});

test('random phase lengths: arrivals fall only in on phases drawn from the phases stream', () => {
  const h = harness();
  workload(h, { loop: poisson(50), phases: { onNs: exponential(2 * S), offNs: exponential(1 * S) } });
  h.env.run({ until: 100 * S });
  // Replay the phase boundaries from a fresh stream of the same name and seed.
  const fresh = harness();
  const stream = fresh.streams.stream('w/phases');
  const boundaries: number[] = [0];
  const on = exponential(2 * S);
  const off = exponential(1 * S);
  while (boundaries[boundaries.length - 1]! < 100 * S) {
    const last = boundaries[boundaries.length - 1]!;
    boundaries.push(last + Math.max(0, Math.round((boundaries.length % 2 === 1 ? on : off).sample(stream))));
  }
  let phase = 0;
  for (const s of h.device.submissions) {
    while (s.atNs >= boundaries[phase + 1]!) phase++;
    assert.ok(phase % 2 === 0, `arrival at ${s.atNs} ns is in off phase ${phase}`);
  }
  assert.ok(h.device.submissions.length > 2000);
});

// ---- limits, reuse, determinism ----------------------------------------------------------

test('requestLimit and byteLimit stop issuing; the run then drains', () => {
  const h = harness();
  workload(h, { loop: { kind: 'closed', queueDepth: 3 }, requestLimit: 10 });
  h.env.run();
  assert.is(h.device.submitted, 10);
  assert.is(h.value('w/reads')! + h.value('w/writes')!, 10);
  for (const [limit, expected] of [[10 * 4 * KiB - 1, 10], [10 * 4 * KiB, 10], [10 * 4 * KiB + 1, 11]] as const) {
    const h2 = harness();
    workload(h2, { loop: poisson(1000), byteLimit: limit });
    h2.env.run();
    assert.is(h2.device.submitted, expected, `byte limit ${limit} B: issuing stops once the bytes issued reach it; the request crossing it is issued whole`);
  }
});

test('requests are reused: a closed loop uses exactly Q request objects, an open loop no more than were ever in flight', () => {
  const seen = new Set<IoRequest>();
  const h = harness({ serviceNs: 1e5, oneServer: true });
  const submit = h.device.submit.bind(h.device);
  h.device.submit = (r) => (seen.add(r), submit(r));
  workload(h, { loop: { kind: 'closed', queueDepth: 5 }, requestLimit: 2000 });
  h.env.run();
  assert.is(seen.size, 5);

  const seenOpen = new Set<IoRequest>();
  const h2 = harness({ serviceNs: 1e6 });
  const submit2 = h2.device.submit.bind(h2.device);
  h2.device.submit = (r) => (seenOpen.add(r), submit2(r));
  workload(h2, { loop: poisson(1000), requestLimit: 5000 });
  h2.env.run();
  assert.ok(seenOpen.size <= h2.value('w/in_flight_max')!, `${seenOpen.size} objects for at most ${h2.value('w/in_flight_max')} in flight`);
});

test('same seed, same requests; changing the read fraction shifts no arrival time, size or address', () => {
  const run = (readFraction: number, seed: number) => {
    const h = harness({ seed });
    workload(h, { loop: poisson(1000), readFraction, sizeBytes: empiricalFromPoints([4 * KiB, 16 * KiB]), skew: { kind: 'zipf', exponent: 0.9 }, requestLimit: 2000 });
    h.env.run();
    return h.device.submissions;
  };
  const a = run(0.5, 7);
  assert.equal(run(0.5, 7), a);
  const b = run(0.9, 7);
  assert.equal(b.map((s) => [s.atNs, s.size, s.offset]), a.map((s) => [s.atNs, s.size, s.offset]));
  assert.not.equal(b.map((s) => s.op), a.map((s) => s.op));
  assert.not.equal(run(0.5, 8).map((s) => s.atNs), a.map((s) => s.atNs));
});

test('failed requests are counted in failed, not in reads/writes; a Pending completion is an error', () => {
  const h = harness();
  let k = 0;
  h.device.submit = (r) => {
    const fail = k++ % 3 === 0;
    h.env.schedule(1000, () => {
      r.status = fail ? IoStatus.Failed : IoStatus.Ok;
      r.failure = fail ? 'media error' : '';
      r.requester.ioCompleted(r);
    }, null);
  };
  workload(h, { loop: { kind: 'closed', queueDepth: 2 }, requestLimit: 30 });
  h.env.run();
  assert.is(h.value('w/failed'), 10);
  assert.is(h.value('w/reads')! + h.value('w/writes')!, 20);

  const h2 = harness();
  h2.device.submit = (r) => void h2.env.schedule(1000, () => r.requester.ioCompleted(r), null);
  workload(h2, { loop: { kind: 'closed', queueDepth: 1 } });
  assert.throws(() => h2.env.run(), /status still Pending/);
});

test('stop(): nothing more is issued; requests in flight still complete', () => {
  const h = harness({ serviceNs: 5e6 });
  const w = workload(h, { loop: poisson(1000) });
  h.env.schedule(1 * S, () => w.stop(), null);
  h.env.run({ until: 2 * S });
  assert.ok(h.device.submissions.every((s) => s.atNs <= 1 * S));
  assert.is(h.value('w/reads')! + h.value('w/writes')!, h.device.submitted, 'every issued request completed');
});

test('options that do not fit are rejected with a clear message', () => {
  const h = harness({ capacityBytes: 1 << 20, sectorBytes: 4096 });
  const make = (o: Partial<SyntheticWorkloadOptions>) => () =>
    new SyntheticWorkload(h.env, 'w', { loop: poisson(1), readFraction: 0.5, sizeBytes: constant(4096), pattern: 'random', ...o }, h.device, h.streams, h.metrics);
  assert.throws(make({ loop: { kind: 'closed', queueDepth: 2 }, daily: { hourlyMultipliers: MULTIPLIERS } }), /needs an open loop/);
  assert.throws(make({ spanOffsetBytes: 512 }), /multiple of the device's 4096 B sector/);
  assert.throws(make({ spanBytes: 2 << 20 }), /within the device's 1048576 B/);
  assert.throws(make({ pattern: 'sequential', skew: { kind: 'zipf', exponent: 1 } }), /needs the random pattern/);
  assert.throws(make({ readFraction: 1.5 }), /readFraction/);
  assert.throws(make({ daily: { hourlyMultipliers: [1, 2] } }), /24 hourly multipliers/);
  assert.throws(make({ daily: { hourlyMultipliers: new Array(24).fill(0) } }), /nothing would ever arrive/);
});

test.run();
