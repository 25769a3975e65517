/**
 * The NVMe controller's command path against closed forms and invariants: an idle controller
 * adds exactly its command overhead to the backend's latency (so a VF used by passthrough adds
 * nothing beyond the controller); throughput is capped by min(maxInFlight, backend parallelism)
 * / service time; namespaces map onto the backend and refuse out-of-range LBAs (NVMe status
 * 80h); a queue of depth d never holds more than d - 1 commands (NVMe 1.4 §4.1.2); interrupt
 * coalescing delivers at the threshold or after the aggregation time (§5.21.1.8).
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { roundRobin } from '../../../policies/nvme-arbitration/round-robin.ts';
import { weightedRoundRobin } from '../../../policies/nvme-arbitration/weighted-round-robin.ts';
import { IoOp, IoRequest, IoStatus } from '../../../sim/models/block/io-request.ts';
import { NvmePriorityClass } from '../../../sim/models/nvme/arbitration.ts';
import type { NvmeFunction } from '../../../sim/models/nvme/function.ts';
import { ClosedLoopHost, MS, nvmeHarness, Recorder, US } from './harness.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

test('idle controller: latency = backend service + command overhead, queue time 0; a VF and a PF see the same', () => {
  for (const overheadNs of [0, 7 * US]) {
    const h = nvmeHarness({ serviceNs: 80 * US, controller: { commandOverheadNs: overheadNs } });
    const pf = h.controller.addFunction('pf0', { kind: 'pf' });
    const vf = h.controller.addFunction('vf1', { kind: 'vf', parent: pf });
    const rec = new Recorder(h.env);
    const a = new IoRequest(rec).prepare(IoOp.Read, 0, 4096, 0);
    const b = new IoRequest(rec).prepare(IoOp.Write, 8192, 4096, 0);
    h.env.schedule(1 * MS, () => pf.submit(a), null);
    h.env.schedule(2 * MS, () => vf.submit(b), null);
    h.env.run();
    assert.equal(rec.done.map((d) => d.atNs), [1 * MS + 80 * US + overheadNs, 2 * MS + 80 * US + overheadNs]);
    assert.is(h.value('pf0/read_latency_max_us'), (80 * US + overheadNs) / US);
    assert.is(h.value('vf1/write_latency_max_us'), (80 * US + overheadNs) / US);
    assert.is(h.value('vf1/queue_time_max_us'), 0);
    assert.is(h.value('pf0/reads'), 1);
    assert.is(h.value('vf1/write_bytes_B'), 4096);
  }
});

test('passthrough: a closed-loop workload sees identical latencies through a VF, through a PF, and on the bare backend', () => {
  const runThrough = (via: 'backend' | 'pf' | 'vf') => {
    const h = nvmeHarness({ serviceNs: 50 * US, parallelism: 4, controller: { maxInFlight: 4 } });
    const pf = h.controller.addFunction('pf0', { kind: 'pf' });
    const vf = h.controller.addFunction('vf1', { kind: 'vf', parent: pf });
    const device = via === 'backend' ? h.backend : via === 'pf' ? pf : vf;
    const host = new ClosedLoopHost(h.env, device, 6, 20 * MS, { offset: (k) => ((k * 7919) % 1000) * 4096, sizeBytes: 4096 });
    host.start();
    h.env.run();
    return host.latenciesNs;
  };
  const bare = runThrough('backend');
  assert.ok(bare.length > 1000);
  assert.equal(runThrough('pf'), bare);
  assert.equal(runThrough('vf'), bare);
});

test('throughput = min(maxInFlight, backend parallelism) / service time, and the backend never holds more than maxInFlight', () => {
  for (const [maxInFlight, parallelism] of [[4, 16], [16, 4], [8, 8]] as const) {
    const h = nvmeHarness({ serviceNs: 100 * US, parallelism, controller: { maxInFlight } });
    const pf = h.controller.addFunction('pf0', { kind: 'pf', queueCount: 2, queueDepth: 64 });
    const host = new ClosedLoopHost(h.env, pf, 100, 100 * MS);
    host.start();
    h.env.run({ until: 100 * MS });
    const c = Math.min(maxInFlight, parallelism);
    // c completions every 100 us, at 100 us, 200 us, ..., 99.9 ms (the run stops before 100 ms)
    assert.is(host.completed, 999 * c, `${maxInFlight}/${parallelism}`);
    assert.ok(h.backend.maxHeld <= maxInFlight);
    assert.is(h.backend.maxHeld, Math.min(maxInFlight, 100));
    assert.ok(Math.abs(h.value('nvme0/in_flight_mean')! - maxInFlight) < 0.01, 'in_flight_mean at its cap');
  }
});

test('namespaces: addresses map to namespace start on the backend; each attached namespace is its own block device', () => {
  const h = nvmeHarness({
    controller: {
      namespaces: [
        { nsid: 1, startBytes: 0, sizeBytes: 1 * MiB, lbaBytes: 512 },
        { nsid: 2, startBytes: 4 * MiB, sizeBytes: 2 * MiB, lbaBytes: 4096 },
      ],
    },
  });
  const pf = h.controller.addFunction('pf0', { kind: 'pf', namespaces: [2, 1] });
  const vf = h.controller.addFunction('vf1', { kind: 'vf', parent: pf, namespaces: [1] });
  assert.is(pf.capacityBytes, 2 * MiB);
  assert.is(pf.sectorBytes, 4096);
  assert.is(vf.capacityBytes, 1 * MiB);
  assert.is(vf.sectorBytes, 512);
  const ns1 = pf.namespaceDevice(1);
  assert.is(ns1.path, 'pf0/ns1');
  assert.is(ns1.capacityBytes, 1 * MiB);
  assert.throws(() => vf.namespaceDevice(2), /namespace 2 is not attached; attached: 1/);
  const rec = new Recorder(h.env);
  pf.submit(new IoRequest(rec).prepare(IoOp.Write, 8192, 4096, 0));
  ns1.submit(new IoRequest(rec).prepare(IoOp.Read, 512, 1024, 0));
  vf.submit(new IoRequest(rec).prepare(IoOp.Read, 1024, 512, 0));
  h.env.run();
  assert.equal(h.backend.log.map((e) => e.offsetBytes), [4 * MiB + 8192, 512, 1024]);
  assert.ok(rec.done.every((d) => d.status === IoStatus.Ok));
});

test('LBA Out of Range: a command past its namespace fails after the fetch, never reaches the backend, and is counted', () => {
  const h = nvmeHarness({ controller: { namespaces: [{ nsid: 1, startBytes: 0, sizeBytes: 64 * KiB, lbaBytes: 4096 }, { nsid: 2, startBytes: 64 * KiB, sizeBytes: 64 * KiB, lbaBytes: 4096 }] } });
  const vf0 = h.controller.addFunction('pf0', { kind: 'pf', namespaces: [1] });
  const rec = new Recorder(h.env);
  const last = new IoRequest(rec).prepare(IoOp.Read, 60 * KiB, 4 * KiB, 0); // the last LBA: fine
  const across = new IoRequest(rec).prepare(IoOp.Read, 60 * KiB, 8 * KiB, 0); // one LBA past the end
  const beyond = new IoRequest(rec).prepare(IoOp.Write, 64 * KiB, 4 * KiB, 0); // ns 2's first LBA, not ours
  for (const r of [last, across, beyond]) vf0.submit(r);
  assert.is(rec.done.length, 0, 'nothing completes inside submit');
  h.env.run();
  const byRequest = new Map(rec.done.map((d) => [d.request, d]));
  assert.is(byRequest.get(last)!.status, IoStatus.Ok);
  for (const r of [across, beyond]) {
    assert.is(byRequest.get(r)!.status, IoStatus.Failed);
    assert.match(byRequest.get(r)!.failure, /LBA Out of Range/);
  }
  assert.is(h.backend.log.length, 1, 'only the valid command reached the backend');
  assert.is(h.value('pf0/out_of_range'), 2);
  assert.is(h.value('pf0/failed'), 2);
  assert.is(h.value('nvme0/fetched'), 3);
});

test('requests that cannot be NVMe commands fail with a reason: partial LBAs, no namespace attached', () => {
  const h = nvmeHarness();
  const pf = h.controller.addFunction('pf0', { kind: 'pf' });
  const bare = h.controller.addFunction('pf1', { kind: 'pf', namespaces: [] });
  const rec = new Recorder(h.env);
  pf.submit(new IoRequest(rec).prepare(IoOp.Read, 100, 4096, 0));
  pf.submit(new IoRequest(rec).prepare(IoOp.Read, 0, 0, 0));
  bare.submit(new IoRequest(rec).prepare(IoOp.Read, 0, 4096, 0));
  assert.is(rec.done.length, 0);
  h.env.run();
  assert.equal(rec.done.map((d) => d.status), [IoStatus.Failed, IoStatus.Failed, IoStatus.Failed]);
  assert.match(rec.done[0]!.failure, /Invalid Field in Command.*multiples of the 512 B LBA/, 'default namespace: 512 B LBAs on a 512 B backend');
  assert.match(rec.done[1]!.failure, /positive/);
  assert.match(rec.done[2]!.failure, /Invalid Namespace/);
  assert.is(h.backend.log.length, 0);
});

test('a backend failure reaches the host with its reason and counts as failed, not as a read', () => {
  const h = nvmeHarness();
  const pf = h.controller.addFunction('pf0', { kind: 'pf' });
  h.backend.failOffsets.add(8192);
  const rec = new Recorder(h.env);
  pf.submit(new IoRequest(rec).prepare(IoOp.Read, 8192, 4096, 0));
  pf.submit(new IoRequest(rec).prepare(IoOp.Trim, 0, 4096, 0));
  h.env.run();
  assert.is(rec.done[0]!.failure, 'media error');
  assert.is(h.value('pf0/failed'), 1);
  assert.is(h.value('pf0/reads'), 0);
  assert.is(h.value('pf0/trims'), 1);
  assert.is(h.value('pf0/trim_latency_count'), 1);
});

test('a full queue pair back-pressures the host: requests wait in the driver (counted) and go on in submission order', () => {
  const h = nvmeHarness({ serviceNs: 10 * US, parallelism: 1, controller: { maxInFlight: 1 } });
  const pf = h.controller.addFunction('pf0', { kind: 'pf', queueDepth: 4 });
  const rec = new Recorder(h.env);
  const requests = Array.from({ length: 10 }, (_, k) => new IoRequest(rec).prepare(IoOp.Read, k * 4096, 4096, 0));
  for (const r of requests) pf.submit(r);
  assert.is(pf.outstanding(0), 3, 'a queue of 4 entries holds 3 commands');
  assert.is(pf.driverWaiting(0), 7);
  assert.is(pf.sqEntries(0), 2, 'one was fetched at once');
  h.env.run();
  assert.equal(rec.done.map((d) => d.request), requests, 'FIFO');
  assert.equal(rec.done.map((d) => d.atNs), requests.map((_, k) => (k + 1) * 10 * US));
  assert.is(h.value('pf0/driver_waits'), 7);
  assert.is(h.value('pf0/outstanding_max'), 3);
  assert.is(h.value('pf0/driver_queue_max'), 7);
  assert.is(h.value('pf0/queue_time_max_us'), 90);
});

test('interrupt coalescing: the host reads completions at the threshold, or once the aggregation time has passed', () => {
  const h = nvmeHarness({ serviceNs: 100 * US, parallelism: 8 });
  const pf = h.controller.addFunction('pf0', { kind: 'pf', coalescing: { timeNs: 50 * US, threshold: 4 } });
  const rec = new Recorder(h.env);
  for (let k = 0; k < 4; k++) pf.submit(new IoRequest(rec).prepare(IoOp.Read, k * 4096, 4096, 0));
  h.env.run();
  assert.equal(rec.done.map((d) => d.atNs), [100 * US, 100 * US, 100 * US, 100 * US], 'threshold reached by the 4th');
  rec.done.length = 0;
  const t0 = h.env.now;
  for (let k = 0; k < 3; k++) pf.submit(new IoRequest(rec).prepare(IoOp.Read, k * 4096, 4096, t0));
  h.env.run();
  assert.equal(rec.done.map((d) => d.atNs - t0), [150 * US, 150 * US, 150 * US], 'aggregation time after the first completion');
  assert.is(h.value('pf0/read_latency_max_us'), 150);
});

test('construction errors say what is wrong and what is allowed', () => {
  const h = nvmeHarness({ capacityBytes: 1 * MiB, sectorBytes: 4096 });
  const pf = h.controller.addFunction('pf0', { kind: 'pf' });
  const vf = h.controller.addFunction('vf0', { kind: 'vf', parent: pf });
  assert.throws(() => h.controller.addFunction('x', { kind: 'vf' }), /needs its parent PF/);
  assert.throws(() => h.controller.addFunction('x', { kind: 'vf', parent: vf }), /must be a PF/);
  assert.throws(() => h.controller.addFunction('x', { kind: 'pf', parent: pf }), /a PF has no parent/);
  assert.throws(() => h.controller.addFunction('x', { kind: 'pf', queueDepth: 1 }), /from 2 to 65536/);
  assert.throws(() => h.controller.addFunction('x', { kind: 'pf', queueCount: 0 }), /integer >= 1/);
  assert.throws(() => h.controller.addFunction('x', { kind: 'pf', namespaces: [7] }), /no namespace 7 on nvme0; allowed: 1/);
  assert.throws(() => h.controller.addFunction('x', { kind: 'pf', priority: NvmePriorityClass.Admin }), /urgent, high, medium or low/);
  const ns = (nsid: number, startBytes: number, sizeBytes: number, lbaBytes = 4096) => ({ nsid, startBytes, sizeBytes, lbaBytes });
  const bad: [object[], RegExp][] = [
    [[ns(1, 0, 4096, 512)], /not a multiple of the backend's 4096 B sectors/],
    [[ns(1, 0, 4096, 1024)], /allowed: 512 B or 4 KiB/],
    [[ns(1, 0, 6000)], /whole number of 4096 B LBAs/],
    [[ns(1, 0, 2 * MiB)], /extends past the backend's 1048576 B/],
    [[ns(1, 0, 8192), ns(2, 4096, 8192)], /namespaces 1 and 2 overlap/],
    [[ns(1, 0, 4096), ns(1, 8192, 4096)], /declared twice/],
    [[ns(0, 0, 4096)], /NSID must be an integer from 1/],
  ];
  for (const [namespaces, message] of bad) {
    assert.throws(() => nvmeHarness({ capacityBytes: 1 * MiB, sectorBytes: 4096, controller: { namespaces: namespaces as never } }), message);
  }
  assert.throws(() => nvmeHarness({ controller: { maxInFlight: 0 } }), /maxInFlight must be an integer >= 1/);
});

test('the controller refuses an arbitration policy that picks a queue that is not ready', () => {
  // picks SQ 0 whenever any queue is ready
  const anyReady = (v: { count: number; isReady(i: number): boolean }) => Array.from({ length: v.count }, (_, i) => v.isReady(i)).some(Boolean);
  const h = nvmeHarness({ arbitration: { name: 'broken', createArbiter: () => ({ pickNext: (v) => (anyReady(v) ? 0 : -1) }) } });
  const pf = h.controller.addFunction('pf0', { kind: 'pf' });
  h.controller.addFunction('pf1', { kind: 'pf' });
  const rec = new Recorder(h.env);
  const request = new IoRequest(rec).prepare(IoOp.Read, 0, 4096, 0);
  pf.submit(request); // SQ 0 is ready: fine
  h.env.run();
  assert.throws(() => h.controller.functions[1]!.submit(request), /picked SQ 0, which is not a ready queue/);
});

/** A random world: functions with random queues, random bursts of requests at random times and queues. */
const worldArb = fc.record({
  maxInFlight: fc.integer({ min: 1, max: 12 }),
  parallelism: fc.integer({ min: 1, max: 12 }),
  serviceUs: fc.integer({ min: 1, max: 200 }),
  overheadUs: fc.integer({ min: 0, max: 20 }),
  wrr: fc.boolean(),
  functions: fc.array(
    fc.record({
      queues: fc.integer({ min: 1, max: 3 }),
      depth: fc.integer({ min: 2, max: 9 }),
      priority: fc.constantFrom(NvmePriorityClass.Urgent, NvmePriorityClass.High, NvmePriorityClass.Medium, NvmePriorityClass.Low),
      coalesce: fc.option(fc.record({ timeUs: fc.integer({ min: 0, max: 100 }), threshold: fc.integer({ min: 1, max: 5 }) }), { nil: undefined }),
      iops: fc.option(fc.integer({ min: 1000, max: 100000 }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  bursts: fc.array(
    fc.record({ atUs: fc.integer({ min: 0, max: 2000 }), fn: fc.nat(), queue: fc.option(fc.nat(), { nil: undefined }), count: fc.integer({ min: 1, max: 30 }), lbas: fc.integer({ min: 1, max: 4 }), badRange: fc.boolean() }),
    { minLength: 1, maxLength: 12 },
  ),
});

test('property: queue depth limits hold at every event, the controller never exceeds maxInFlight, every request completes exactly once', () => {
  fc.assert(
    fc.property(worldArb, (w) => {
      const h = nvmeHarness({
        serviceNs: w.serviceUs * US,
        parallelism: w.parallelism,
        capacityBytes: 64 * MiB,
        controller: { maxInFlight: w.maxInFlight, commandOverheadNs: w.overheadUs * US },
        arbitration: w.wrr ? weightedRoundRobin.create({ burst: 2, weights: { high: 3, medium: 2, low: 1 } }) : roundRobin.create({ burst: 4 }),
      });
      const fns: NvmeFunction[] = [];
      w.functions.forEach((f, i) => {
        fns.push(
          h.controller.addFunction(`f${i}`, {
            kind: i === 0 ? 'pf' : 'vf',
            ...(i === 0 ? {} : { parent: fns[0]! }),
            queueCount: f.queues,
            queueDepth: f.depth,
            priority: f.priority,
            ...(f.coalesce ? { coalescing: { timeNs: f.coalesce.timeUs * US, threshold: f.coalesce.threshold } } : {}),
            ...(f.iops ? { iopsLimit: { perSecond: f.iops, burst: 2 } } : {}),
          }),
        );
      });
      const completions = new Map<IoRequest, number>();
      let submitted = 0;
      const rec = { ioCompleted: (r: IoRequest) => completions.set(r, (completions.get(r) ?? 0) + 1) };
      for (const b of w.bursts) {
        h.env.schedule(b.atUs * US, () => {
          const fn = fns[b.fn % fns.length]!;
          for (let k = 0; k < b.count; k++) {
            const offset = b.badRange ? fn.capacityBytes - 4096 : ((submitted * 13) % 1000) * 4096;
            const request = new IoRequest(rec).prepare(k % 3 === 0 ? IoOp.Write : IoOp.Read, offset, b.lbas * 4096, h.env.now);
            submitted++;
            if (b.queue === undefined) fn.submit(request);
            else fn.submitToQueue(request, b.queue % fn.queueCount);
          }
        }, null);
      }
      const check = () => {
        assert.ok(h.controller.inFlight <= w.maxInFlight, 'in flight');
        assert.ok(h.backend.held <= w.maxInFlight, 'backend holds at most maxInFlight');
        for (const fn of fns) {
          for (let q = 0; q < fn.queueCount; q++) {
            assert.ok(fn.outstanding(q) <= fn.queueDepth - 1, `${fn.path} q${q} outstanding ${fn.outstanding(q)} of depth ${fn.queueDepth}`);
            assert.ok(fn.sqEntries(q) <= fn.outstanding(q), 'SQ entries are outstanding commands');
          }
        }
      };
      h.backend.onSubmit = check;
      while (h.env.step()) check();
      assert.is(completions.size, submitted, 'every request completed');
      for (const times of completions.values()) assert.is(times, 1, 'exactly once');
      const sum = (name: string) => fns.reduce((s, fn) => s + (h.value(`${fn.path}/${name}`) ?? 0), 0);
      assert.is(sum('reads') + sum('writes') + sum('failed'), submitted, 'metrics count each request once');
      assert.is(h.controller.inFlight, 0);
    }),
    { numRuns: 60 },
  );
});

test('determinism: the same world twice gives the same metrics, column for column', () => {
  const once = () => {
    const h = nvmeHarness({ serviceNs: 30 * US, parallelism: 3, controller: { maxInFlight: 5 }, arbitration: weightedRoundRobin.create({ weights: { high: 3, medium: 2, low: 1 } }) });
    const pf = h.controller.addFunction('pf0', { kind: 'pf', queueCount: 2, priority: NvmePriorityClass.High });
    const vf = h.controller.addFunction('vf1', { kind: 'vf', parent: pf, priority: NvmePriorityClass.Low, iopsLimit: { perSecond: 20000 } });
    new ClosedLoopHost(h.env, pf, 16, 20 * MS, { offset: (k) => ((k * 31) % 500) * 4096, sizeBytes: 8192 }).start();
    new ClosedLoopHost(h.env, vf, 8, 20 * MS, { op: IoOp.Write }).start();
    h.env.run();
    return h.metrics.summary();
  };
  assert.equal(once(), once());
});

test.run();
