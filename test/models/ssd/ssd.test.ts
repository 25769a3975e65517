import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertFtlConsistent } from '../../../sim/checkers/ftl-consistency.ts';
import { Environment } from '../../../sim/engine/index.ts';
import { exponential, RandomStreams } from '../../../sim/engine/random/index.ts';
import { MetricRegistry } from '../../../sim/metrics/index.ts';
import { IoOp, IoRequest, IoStatus, type IoRequester } from '../../../sim/models/block/io-request.ts';
import { Ssd, type SsdTimingOptions } from '../../../sim/models/ssd/ssd.ts';
import { pollaczekKhinchineResponseTime } from '../../../sim/validation/references.ts';
import { makeFtl, smallGeometry } from './ftl-harness.ts';

const PAGE = 4096;
const TIMING: SsdTimingOptions = {
  readNs: 50_000,
  programNs: 500_000,
  eraseNs: 2_000_000,
  channelBytesPerS: 409.6e6, // 4 KiB in exactly 10 us
  controllerOverheadNs: 1_000,
  copyback: false,
  backgroundGc: null,
};
const XFER = 10_000;

function device(options: { sectorBytes?: number; channels?: number; timing?: Partial<SsdTimingOptions> | null; blocksPerPlane?: number; spareFactor?: number; policy?: string } = {}) {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const geometry = smallGeometry({ channels: options.channels ?? 1, blocksPerPlane: options.blocksPerPlane ?? 64 });
  const ftl = makeFtl(options.policy ?? 'greedy', { geometry, spareFactor: options.spareFactor ?? 0.25 });
  const timing = options.timing === null ? null : { ...TIMING, ...options.timing };
  const ssd = new Ssd(env, 'ssd', ftl, { sectorBytes: options.sectorBytes ?? PAGE, timing }, metrics);
  ssd.start();
  const done: { op: number; latency: number; status: number; failure: string }[] = [];
  const requester: IoRequester = {
    ioCompleted(r) {
      done.push({ op: r.op, latency: env.now - r.submittedNs, status: r.status, failure: r.failure });
    },
  };
  const submit = (op: IoOp, page: number, pages = 1, offsetBytes = page * PAGE, sizeBytes = pages * PAGE) => {
    const request = new IoRequest(requester).prepare(op, offsetBytes, sizeBytes, env.now);
    ssd.submit(request);
    return request;
  };
  const column = (name: string) => metrics.summary().find((c) => c.column === name)?.value;
  return { env, metrics, ssd, ftl, done, submit, column };
}

test('on an idle device: read = overhead + tR + transfer, write = overhead + transfer + tPROG, unmapped read = overhead', () => {
  const d = device();
  d.submit(IoOp.Read, 3);
  d.env.run();
  assert.equal(d.done.pop(), { op: IoOp.Read, latency: 1_000, status: IoStatus.Ok, failure: '' });
  d.submit(IoOp.Write, 3);
  d.env.run();
  assert.is(d.done.pop()!.latency, 1_000 + XFER + 500_000);
  d.env.run({ until: d.env.now + 10_000_000 });
  d.submit(IoOp.Read, 3);
  d.env.run();
  assert.is(d.done.pop()!.latency, 1_000 + 50_000 + XFER);
});

test('operations on one die queue behind each other; on another channel they overlap', () => {
  const one = device({ channels: 1 });
  one.submit(IoOp.Write, 0);
  one.submit(IoOp.Write, 1);
  one.env.run();
  assert.equal(one.done.map((r) => r.latency), [1_000 + XFER + 500_000, 1_000 + 2 * (XFER + 500_000)]);
  const two = device({ channels: 2 });
  two.submit(IoOp.Write, 0);
  two.submit(IoOp.Write, 1);
  two.env.run();
  assert.equal(two.done.map((r) => r.latency), [1_000 + XFER + 500_000, 1_000 + XFER + 500_000]);
  // A two-page write on two channels finishes with its slower page: both in parallel.
  const wide = device({ channels: 2 });
  wide.submit(IoOp.Write, 0, 2);
  wide.env.run();
  assert.equal(wide.done.map((r) => r.latency), [1_000 + XFER + 500_000]);
  assert.is(wide.column('ssd/bytes_written_B'), 2 * PAGE);
});

test('a write covering part of a mapped page reads the old page first (read-modify-write)', () => {
  const d = device({ sectorBytes: 512, timing: { controllerOverheadNs: 0 } });
  d.submit(IoOp.Write, 0, 1, 512, 1024); // page 0 never written: nothing to merge
  d.env.run({ until: 10_000_000 });
  assert.is(d.done.pop()!.latency, XFER + 500_000);
  d.submit(IoOp.Write, 0, 1, 512, 1024);
  d.env.run();
  assert.is(d.done.pop()!.latency, 50_000 + XFER + XFER + 500_000, 'read the old page, then transfer and program the merged one');
});

test('under Poisson reads one die is an M/D/1 queue: mean latency matches Pollaczek-Khinchine (Kleinrock 1975, eq. 5.72)', () => {
  const d = device({ timing: { controllerOverheadNs: 0 } });
  const pages = 64;
  for (let p = 0; p < pages; p++) d.ftl.writeHost(p, 0);
  const serviceNs = 50_000 + XFER; // die busy for tR, then its register until the transfer ends
  const rho = 0.7;
  const interarrival = exponential(serviceNs / rho);
  const rng = new RandomStreams(42).stream('arrivals');
  const pick = new RandomStreams(42).stream('pages');
  const requester: IoRequester = { ioCompleted: () => {} };
  const pool = Array.from({ length: 256 }, () => new IoRequest(requester));
  let next = 0;
  const arrive = () => {
    const request = pool[next++ % pool.length]!;
    d.ssd.submit(request.prepare(IoOp.Read, pick.nextInt(pages) * PAGE, PAGE, d.env.now));
    if (next < 300_000) d.env.schedule(Math.round(interarrival.sample(rng)), arrive, null);
  };
  d.env.schedule(1e9, () => d.metrics.reset(), null); // warm-up: the first second
  d.env.schedule(0, arrive, null);
  d.env.run();
  const expectedS = pollaczekKhinchineResponseTime({ lambda: rho / (serviceNs / 1e9), serviceMeanS: serviceNs / 1e9, serviceVarianceS2: 0, servers: 1 });
  const measuredS = d.column('ssd/read_latency_mean_us')! / 1e6;
  assert.ok(Math.abs(measuredS - expectedS) / expectedS < 0.02, `measured ${measuredS} s, P-K ${expectedS} s`);
});

test('under random writes, GC takes die time: write amplification > 1, GC time share > 0, tail latency grows; the mapping holds', () => {
  const d = device({ channels: 2, blocksPerPlane: 32 });
  const rng = new RandomStreams(3).stream('w');
  const requester: IoRequester = { ioCompleted: () => completed++ };
  let completed = 0;
  let submitted = 0;
  const slots = Array.from({ length: 8 }, () => new IoRequest(requester));
  const logical = d.ftl.logicalPages;
  const issue = (request: IoRequest) => {
    if (submitted >= 6 * logical) return;
    submitted++;
    d.ssd.submit(request.prepare(IoOp.Write, rng.nextInt(logical) * PAGE, PAGE, d.env.now));
  };
  requester.ioCompleted = (r) => {
    completed++;
    issue(r);
  };
  slots.forEach(issue);
  d.env.run();
  assert.is(completed, submitted);
  assert.ok(d.column('ssd/write_amplification')! > 1.2);
  assert.ok(d.column('ssd/gc_time_share')! > 0.05);
  assert.ok(d.column('ssd/write_latency_max_us')! > (2_000 + XFER + 2_000_000 + 500_000) / 1000, 'some write waited for an erase');
  assert.is(d.column('ssd/erases'), d.ftl.counters.erases);
  assert.ok(d.column('ssd/erase_count_max')! >= d.column('ssd/erase_count_mean')!);
  assertFtlConsistent(d.ftl);
});

test('background GC cleans idle dies ahead of need, so later writes meet fewer foreground collections', () => {
  const run = (background: boolean) => {
    const d = device({ timing: background ? { backgroundGc: { thresholdBlocks: 12, checkIntervalNs: 1_000_000 } } : {} });
    const rng = new RandomStreams(9).stream('w');
    for (let i = 0; i < 3 * d.ftl.logicalPages; i++) d.ftl.writeHost(rng.nextInt(d.ftl.logicalPages), 0);
    d.env.run({ until: 2e9 }); // two idle seconds
    const freeAfterIdle = d.ftl.freeBlocks(0);
    return { freeAfterIdle };
  };
  assert.ok(run(true).freeAfterIdle >= 12, 'idle time used to reach the background threshold');
  assert.ok(run(false).freeAfterIdle < 12, 'without background GC nothing happens while idle');
});

test('TRIM unmaps what it fully covers; reads of trimmed pages cost only the overhead', () => {
  const d = device();
  d.submit(IoOp.Write, 5, 2);
  d.env.run();
  d.submit(IoOp.Trim, 5, 2);
  d.env.run();
  d.submit(IoOp.Read, 5, 2);
  d.env.run();
  assert.is(d.done.pop()!.latency, 1_000);
  assert.is(d.column('ssd/trims'), 1);
});

test('bad requests and a failed device fail requests with a reason; repair restores service', () => {
  const d = device();
  d.submit(IoOp.Read, 0, 1, 0, 100);
  d.submit(IoOp.Read, d.ftl.logicalPages, 1);
  d.ssd.fail('power loss');
  d.submit(IoOp.Write, 1);
  d.env.run();
  assert.equal(d.done.map((r) => [r.status, r.failure]), [
    [IoStatus.Failed, 'offset 0 B and size 100 B must be multiples of 4096 B'],
    [IoStatus.Failed, `[${d.ftl.logicalPages * PAGE}, ${(d.ftl.logicalPages + 1) * PAGE}) B is outside the device's ${d.ftl.logicalPages * PAGE} B`],
    [IoStatus.Failed, 'power loss'],
  ]);
  assert.is(d.column('ssd/failed'), 3);
  d.ssd.repair();
  d.submit(IoOp.Write, 1);
  d.env.run();
  assert.is(d.done.pop()!.status, IoStatus.Ok);
});

test('fast mode: no time passes, but every request still completes through an event', () => {
  const d = device({ timing: null });
  const request = d.submit(IoOp.Write, 2, 3);
  assert.is(request.status, IoStatus.Ok);
  assert.is(d.done.length, 0, 'not completed inside submit');
  d.env.run();
  assert.equal(d.done, [{ op: IoOp.Write, latency: 0, status: IoStatus.Ok, failure: '' }]);
  assert.is(d.ftl.counters.hostPageWrites, 3);
  assert.is(d.column('ssd/gc_time_share'), undefined, 'no GC time share without timing');
});

test.run();
