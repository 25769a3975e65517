import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { IoContractViolation, IoExactlyOnceChecker } from '../../sim/checkers/io-exactly-once.ts';
import { Environment } from '../../sim/engine/index.ts';
import { constant, empiricalFromPoints, exponential, RandomStreams } from '../../sim/engine/random/index.ts';
import { MetricRegistry } from '../../sim/metrics/index.ts';
import { IoOp, IoRequest, IoStatus, type BlockDevice, type IoRequester } from '../../sim/models/block/io-request.ts';
import { SyntheticWorkload, type SyntheticWorkloadOptions } from '../../sim/models/workload/synthetic.ts';
import { harness, S } from '../models/workload/fake-device.ts';

/** A device whose completion behaviour is given per request (k = 0, 1, ...). */
class ScriptedDevice implements BlockDevice {
  readonly path = 'broken';
  readonly capacityBytes = 1 << 20;
  readonly sectorBytes = 512;
  private k = 0;
  constructor(
    private readonly env: Environment,
    private readonly behave: (k: number, request: IoRequest, complete: (delayNs: number, status?: IoStatus, failure?: string) => void) => void,
  ) {}
  submit(request: IoRequest): void {
    this.behave(this.k++, request, (delayNs, status = IoStatus.Ok, failure = '') => {
      const done = () => {
        request.status = status;
        request.failure = failure;
        request.requester.ioCompleted(request);
      };
      if (delayNs < 0) done(); // synchronously, inside submit
      else this.env.schedule(delayNs, done, null);
    });
  }
}

/** A requester that submits `count` 4 KiB requests at 1 µs intervals, each its own object, and counts completions. */
function drive(env: Environment, device: BlockDevice, count = 10) {
  const completed: IoRequest[] = [];
  const requester: IoRequester = { ioCompleted: (r) => void completed.push(r) };
  for (let i = 0; i < count; i++) {
    env.schedule(i * 1000, () => device.submit(new IoRequest(requester).prepare(i % 2 ? IoOp.Write : IoOp.Read, i * 4096, 4096, env.now)), null);
  }
  return completed;
}

test('a correct device passes: every request completed once, nothing lost, nothing in flight', () => {
  const env = new Environment();
  const checker = new IoExactlyOnceChecker(env, new ScriptedDevice(env, (_k, _r, complete) => complete(5000)));
  const completed = drive(env, checker, 20);
  env.run();
  const report = checker.finish();
  assert.is(completed.length, 20);
  assert.equal(report, { submitted: 20, completed: 20, lost: [], inFlight: [], violations: [] });
});

test('served twice: the second completion is reported with the request and both times', () => {
  const env = new Environment();
  const device = new ScriptedDevice(env, (k, _r, complete) => {
    complete(5000);
    if (k === 3) complete(7000);
  });
  const checker = new IoExactlyOnceChecker(env, device);
  drive(env, checker);
  assert.throws(
    () => env.run(),
    (e: Error) =>
      e instanceof IoContractViolation &&
      e.message === 'io-exactly-once: broken completed the write of 4096 B at offset 12288 B submitted at 3000 ns (request #4) again at 10000 ns: it was already completed at 8000 ns (served twice)',
  );
});

test('served twice, recorded: the requester sees each request once; the duplicate is not passed on', () => {
  const env = new Environment();
  const device = new ScriptedDevice(env, (_k, _r, complete) => {
    complete(5000);
    complete(5000);
  });
  const checker = new IoExactlyOnceChecker(env, device, { onViolation: 'record' });
  const completed = drive(env, checker, 4);
  env.run();
  assert.is(completed.length, 4);
  assert.is(checker.violations.length, 4);
  assert.match(checker.violations[0]!, /request #1\) again at 5000 ns: it was already completed at 5000 ns \(served twice\)/);
});

test('never completed: lost when nothing is left to complete it; in flight when the run stopped early; lost past maxLatencyNs', () => {
  const env = new Environment();
  const dropping = new ScriptedDevice(env, (k, _r, complete) => (k === 2 || k === 7 ? undefined : complete(5000)));
  const checker = new IoExactlyOnceChecker(env, dropping, { onViolation: 'record' });
  drive(env, checker);
  env.run();
  const report = checker.finish();
  assert.equal(report.lost, [
    'broken never completed the read of 4096 B at offset 8192 B submitted at 2000 ns (request #3) (outstanding for 12000 ns at 14000 ns, with no event left that could complete it)',
    'broken never completed the write of 4096 B at offset 28672 B submitted at 7000 ns (request #8) (outstanding for 7000 ns at 14000 ns, with no event left that could complete it)',
  ]);
  assert.equal(report.inFlight, []);

  const env2 = new Environment();
  const slow = new IoExactlyOnceChecker(env2, new ScriptedDevice(env2, (k, _r, complete) => complete(k === 0 ? 10 * S : 1000)), { maxLatencyNs: 0.5 * S });
  drive(env2, slow, 2);
  env2.run({ until: 0.1 * S });
  const early = slow.finish();
  assert.equal(early.lost, []);
  assert.equal(early.inFlight, ['the read of 4096 B at offset 0 B submitted at 0 ns (request #1), outstanding for 100000000 ns']);
  env2.run({ until: 1 * S });
  assert.throws(() => slow.finish(), /1 request\(s\) lost: broken never completed the read of 4096 B at offset 0 B submitted at 0 ns \(request #1\) \(outstanding for 1000000000 ns at 1000000000 ns, more than the 500000000 ns allowed\)/);
});

test('completed with status still Pending, failed without a reason, completed inside submit: each reported', () => {
  const cases: [(k: number, r: IoRequest, c: (d: number, s?: IoStatus, f?: string) => void) => void, RegExp][] = [
    [(k, _r, c) => c(100, k === 1 ? IoStatus.Pending : IoStatus.Ok), /broken completed the write of 4096 B at offset 4096 B submitted at 1000 ns \(request #2\) at 1100 ns with status still Pending; allowed: Ok or Failed/],
    [(k, _r, c) => c(100, k === 0 ? IoStatus.Failed : IoStatus.Ok), /broken failed the read of 4096 B at offset 0 B submitted at 0 ns \(request #1\) at 100 ns without saying why/],
    [(k, _r, c) => c(k === 2 ? -1 : 100), /broken completed the read of 4096 B at offset 8192 B submitted at 2000 ns \(request #3\) inside submit; completions must come from an engine event/],
  ];
  for (const [behave, message] of cases) {
    const env = new Environment();
    const checker = new IoExactlyOnceChecker(env, new ScriptedDevice(env, behave));
    drive(env, checker, 4);
    assert.throws(() => env.run(), message);
  }
});

test('a completion of a request never submitted through the checker, and a requester resubmitting an outstanding request', () => {
  const env = new Environment();
  const checker = new IoExactlyOnceChecker(env, new ScriptedDevice(env, (_k, _r, c) => c(100)), { onViolation: 'record' });
  const stranger = new IoRequest(checker).prepare(IoOp.Read, 0, 512, 0);
  checker.ioCompleted(stranger);
  assert.match(checker.violations[0]!, /broken completed the read of 512 B at offset 0 B submitted at 0 ns, which was never submitted through this checker/);
  const request = new IoRequest({ ioCompleted() {} }).prepare(IoOp.Write, 512, 512, 0);
  checker.submit(request);
  checker.submit(request);
  assert.match(checker.violations[1]!, /the write of 512 B at offset 512 B submitted at 0 ns was submitted again while still outstanding/);
});

test('a failed request passes its status and reason through unchanged', () => {
  const env = new Environment();
  const checker = new IoExactlyOnceChecker(env, new ScriptedDevice(env, (_k, _r, c) => c(100, IoStatus.Failed, 'media error')));
  const completed = drive(env, checker, 1);
  env.run();
  assert.is(completed[0]!.status, IoStatus.Failed);
  assert.is(completed[0]!.failure, 'media error');
});

test('the checker changes no timing and no result: a workload gives identical metrics with and without it', () => {
  const run = (check: boolean) => {
    const h = harness({ serviceNs: (r) => 20_000 + r.sizeBytes, oneServer: true, seed: 3 });
    const device: BlockDevice = check ? new IoExactlyOnceChecker(h.env, h.device) : h.device;
    const w = new SyntheticWorkload(h.env, 'w', { loop: { kind: 'open', interarrivalNs: exponential(30_000) }, readFraction: 0.6, sizeBytes: empiricalFromPoints([4096, 65536]), pattern: 'random', requestLimit: 3000 }, device, h.streams, h.metrics);
    w.start();
    h.env.run();
    if (device instanceof IoExactlyOnceChecker) assert.equal(device.finish().violations, []);
    return { summary: h.metrics.summary(), log: h.device.submissions, end: h.env.now, events: h.env.eventsProcessed };
  };
  assert.equal(run(true), run(false));
});

/** A device with `servers` servers (Infinity: pure delay) and random service times; fails a fraction of requests. */
class RandomDevice implements BlockDevice {
  readonly path = 'random';
  readonly sectorBytes = 512;
  readonly capacityBytes = 1 << 24;
  private busy = 0;
  private readonly queue: IoRequest[] = [];
  constructor(
    private readonly env: Environment,
    private readonly streams: RandomStreams,
    private readonly servers: number,
    private readonly meanServiceNs: number,
    private readonly failFraction: number,
  ) {}
  submit(request: IoRequest): void {
    if (this.busy < this.servers) this.serve(request);
    else this.queue.push(request);
  }
  private serve(request: IoRequest): void {
    this.busy++;
    const delay = exponential(this.meanServiceNs).sample(this.streams.stream('device/service'));
    this.env.schedule(delay, () => {
      this.busy--;
      const next = this.queue.shift();
      if (next !== undefined) this.serve(next);
      const fail = this.streams.stream('device/fail').next() < this.failFraction;
      request.status = fail ? IoStatus.Failed : IoStatus.Ok;
      request.failure = fail ? 'injected' : '';
      request.requester.ioCompleted(request);
    }, null);
  }
}

test('property: random workloads through the checker in front of a correct device find no violation; issued = completed + failed', () => {
  fc.assert(
    fc.property(
      fc.record({
        seed: fc.integer({ min: 0, max: 1_000_000 }),
        closed: fc.boolean(),
        queueDepth: fc.integer({ min: 1, max: 8 }),
        meanGapNs: fc.integer({ min: 100, max: 100_000 }),
        readFraction: fc.double({ min: 0, max: 1, noNaN: true }),
        sizes: fc.array(fc.integer({ min: 1, max: 256 * 1024 }), { minLength: 1, maxLength: 4 }),
        sequential: fc.boolean(),
        servers: fc.constantFrom(1, 2, 4, Infinity),
        meanServiceNs: fc.integer({ min: 100, max: 50_000 }),
        failFraction: fc.constantFrom(0, 0.1),
        requests: fc.integer({ min: 1, max: 300 }),
        stopEarly: fc.boolean(),
      }),
      (p) => {
        const env = new Environment();
        const metrics = new MetricRegistry(env);
        const streams = new RandomStreams(p.seed);
        const device = new RandomDevice(env, streams, p.servers, p.meanServiceNs, p.failFraction);
        const checker = new IoExactlyOnceChecker(env, device, { onViolation: 'record' });
        const options: SyntheticWorkloadOptions = {
          loop: p.closed ? { kind: 'closed', queueDepth: p.queueDepth, thinkNs: constant(0) } : { kind: 'open', interarrivalNs: exponential(p.meanGapNs) },
          readFraction: p.readFraction,
          sizeBytes: empiricalFromPoints(p.sizes),
          pattern: p.sequential ? 'sequential' : 'random',
          requestLimit: p.requests,
        };
        const w = new SyntheticWorkload(env, 'w', options, checker, streams, metrics);
        w.start();
        if (p.stopEarly) env.run({ until: p.meanServiceNs * 3 });
        else env.run();
        const report = checker.finish();
        const value = (c: string) => metrics.summary().find((x) => x.column === c)!.value;
        const done = value('w/reads') + value('w/writes') + value('w/failed');
        return (
          report.violations.length === 0 &&
          report.lost.length === 0 &&
          report.submitted === w.issuedCount &&
          report.completed === done &&
          report.inFlight.length === w.issuedCount - done &&
          (p.stopEarly || report.completed === p.requests)
        );
      },
    ),
    { numRuns: 80 },
  );
});

test('property: a device that loses or duplicates a random request is always caught', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 19 }), fc.constantFrom('lose', 'twice'), (victim, fault) => {
      const env = new Environment();
      const device = new ScriptedDevice(env, (k, _r, complete) => {
        if (k === victim && fault === 'lose') return;
        complete(500 + ((k * 7919) % 3000));
        if (k === victim) complete(4000);
      });
      const checker = new IoExactlyOnceChecker(env, device, { onViolation: 'record' });
      drive(env, checker, 20);
      env.run();
      const report = checker.finish();
      const marker = `(request #${victim + 1})`;
      return report.violations.length === 1 && report.violations[0]!.includes(marker) && (fault === 'lose') === (report.lost.length === 1);
    }),
    { numRuns: 60 },
  );
});

test.run();
