/**
 * Fault hooks of the NVMe model. References: NVMe Base Specification 1.4 — a Controller Level
 * Reset (§7.3.2) deletes the I/O queues, and deleting an SQ completes the commands it still
 * holds with "Command Aborted due to SQ Deletion" (status 08h) while commands that already have
 * a completion posted are completed normally; a PF's reset takes its SR-IOV VFs with it. The
 * invariant throughout: every request is answered exactly once, and nothing is answered twice
 * when the backend later finishes a command the host was already told was aborted.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { IoOp, IoRequest, IoStatus } from '../../../sim/models/block/io-request.ts';
import type { NvmeFunction } from '../../../sim/models/nvme/function.ts';
import { MS, nvmeHarness, Recorder, US } from './harness.ts';

const read = (rec: Recorder, k: number) => new IoRequest(rec).prepare(IoOp.Read, k * 4096, 4096, rec.env.now);

test('controller reset: posted completions are delivered, SQ and in-flight commands abort, driver-held requests wait for the recovery', () => {
  const h = nvmeHarness({ serviceNs: 100 * US, parallelism: 2, controller: { maxInFlight: 2 } });
  const pf = h.controller.addFunction('pf0', { kind: 'pf', queueDepth: 5, coalescing: { timeNs: 1 * MS, threshold: 8 } });
  const rec = new Recorder(h.env);
  const first = Array.from({ length: 6 }, (_, k) => read(rec, k));
  for (const r of first) pf.submit(r); // 2 fetched, 2 in the SQ, 2 in the driver (depth 5 holds 4)
  let later: IoRequest | undefined;
  h.env.schedule(150 * US, () => {
    // by now: first[0..1] completed at 100 us and wait in the CQ; first[2..3] are at the backend until 200 us
    assert.is(pf.sqEntries(0), 0);
    assert.is(h.controller.inFlight, 2);
    h.controller.reset(300 * US);
    assert.is(h.controller.inFlight, 2, 'the backend still holds the aborted commands: their slots stay taken');
  }, null);
  h.env.schedule(250 * US, () => {
    assert.is(h.controller.inFlight, 0, 'released when the backend answered, at 200 us');
    later = read(rec, 9);
    pf.submit(later); // during the recovery: held by the driver
    assert.is(pf.driverWaiting(0), 3);
  }, null);
  h.env.run();
  const at = new Map(rec.done.map((d) => [d.request, d]));
  for (const r of first.slice(0, 2)) assert.equal([at.get(r)!.status, at.get(r)!.atNs], [IoStatus.Ok, 150 * US], 'completion already posted');
  for (const r of first.slice(2, 4)) {
    assert.equal([at.get(r)!.status, at.get(r)!.atNs], [IoStatus.Failed, 150 * US]);
    assert.match(at.get(r)!.failure, /Command Aborted due to SQ Deletion.*controller reset/);
  }
  for (const r of [...first.slice(4), later!]) assert.is(at.get(r)!.status, IoStatus.Ok, 'held, then served after the recovery');
  assert.is(rec.done.length, 7, 'each request answered exactly once');
  // after the recovery at 450 us: two fetched at once (service until 550 us), one at 550 us (until 650 us)
  assert.equal(h.backend.log.map((e) => e.submitNs), [0, 0, 100 * US, 100 * US, 450 * US, 450 * US, 550 * US]);
  assert.is(h.value('nvme0/resets'), 1);
  assert.is(h.value('nvme0/aborted'), 2);
  assert.is(h.value('pf0/aborted'), 2);
  assert.is(h.value('pf0/failed'), 2);
  assert.is(h.value('pf0/reads'), 5);
});

test('a command aborted during the controller\'s own processing never reaches the backend', () => {
  const h = nvmeHarness({ controller: { commandOverheadNs: 50 * US } });
  const pf = h.controller.addFunction('pf0', { kind: 'pf' });
  const rec = new Recorder(h.env);
  pf.submit(read(rec, 0));
  h.env.schedule(20 * US, () => h.controller.reset(), null);
  h.env.run();
  assert.is(h.backend.log.length, 0);
  assert.is(rec.done[0]!.atNs, 20 * US);
  assert.match(rec.done[0]!.failure, /SQ Deletion/);
  assert.is(h.controller.inFlight, 0);
});

test('disable (FLR) of a PF takes its VFs along; another PF on the controller carries on; enable brings them back, VF after PF', () => {
  const h = nvmeHarness({ serviceNs: 100 * US, parallelism: 1, controller: { maxInFlight: 1 } });
  const pf0 = h.controller.addFunction('pf0', { kind: 'pf' });
  const vf = h.controller.addFunction('vf0', { kind: 'vf', parent: pf0, queueDepth: 3 });
  const pf1 = h.controller.addFunction('pf1', { kind: 'pf' });
  const rec = new Recorder(h.env);
  const vfRequests = Array.from({ length: 4 }, (_, k) => read(rec, k)); // 2 on the pair, 2 in the driver
  for (const r of vfRequests) vf.submit(r);
  const other = read(rec, 7);
  pf1.submit(other);
  h.env.schedule(50 * US, () => {
    pf0.disable();
    assert.ok(!pf0.enabled && !vf.enabled && pf1.enabled);
    vf.submit(read(rec, 5));
    assert.throws(() => vf.enable(), /cannot enable a VF while its PF pf0 is disabled/);
  }, null);
  h.env.run();
  const byReq = new Map(rec.done.map((d) => [d.request, d]));
  assert.match(byReq.get(vfRequests[0]!)!.failure, /SQ Deletion.*function disabled/, 'was at the backend');
  assert.match(byReq.get(vfRequests[1]!)!.failure, /SQ Deletion.*function disabled/, 'was in the SQ');
  for (const r of vfRequests.slice(2)) assert.match(byReq.get(r)!.failure, /^function disabled/, 'never reached a queue');
  assert.is(byReq.get(other)!.status, IoStatus.Ok);
  assert.is(byReq.get(other)!.atNs, 200 * US, 'pf1 waited for the VF command the backend was finishing');
  assert.is(rec.done.length, 6);
  assert.is(h.value('vf0/aborted'), 2);
  assert.is(h.value('vf0/failed'), 5);
  assert.is(h.value('pf0/disables'), 1);
  assert.is(h.value('vf0/disables'), 1);
  pf0.enable();
  vf.enable();
  rec.done.length = 0;
  vf.submit(read(rec, 1));
  h.env.run();
  assert.is(rec.done[0]!.status, IoStatus.Ok);
});

test('property: under random resets, disables and enables every request is answered exactly once, and the books balance', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.array(fc.record({ atUs: fc.integer({ min: 0, max: 3000 }), fn: fc.nat(), count: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 15 }),
      fc.array(fc.record({ atUs: fc.integer({ min: 0, max: 3000 }), what: fc.constantFrom('reset', 'disable', 'enable'), fn: fc.nat(), recoveryUs: fc.integer({ min: 0, max: 200 }) }), { maxLength: 8 }),
      fc.integer({ min: 0, max: 30 }),
      (maxInFlight, bursts, faults, overheadUs) => {
        const h = nvmeHarness({ serviceNs: 60 * US, parallelism: 3, controller: { maxInFlight, commandOverheadNs: overheadUs * US } });
        const pf0 = h.controller.addFunction('pf0', { kind: 'pf', queueCount: 2, queueDepth: 4 });
        const fns: NvmeFunction[] = [
          pf0,
          h.controller.addFunction('vf0', { kind: 'vf', parent: pf0, queueDepth: 3, coalescing: { timeNs: 40 * US, threshold: 3 } }),
          h.controller.addFunction('pf1', { kind: 'pf', iopsLimit: { perSecond: 20000, burst: 2 } }),
        ];
        const answers = new Map<IoRequest, number>();
        const rec = { ioCompleted: (r: IoRequest) => answers.set(r, (answers.get(r) ?? 0) + 1) };
        let submitted = 0;
        for (const b of bursts) {
          h.env.schedule(b.atUs * US, () => {
            for (let k = 0; k < b.count; k++, submitted++) fns[b.fn % 3]!.submit(new IoRequest(rec).prepare(IoOp.Write, (submitted % 100) * 4096, 4096, h.env.now));
          }, null);
        }
        for (const f of faults) {
          h.env.schedule(f.atUs * US, () => {
            const fn = fns[f.fn % 3]!;
            if (f.what === 'reset') h.controller.reset(f.recoveryUs * US);
            else if (f.what === 'disable') fn.disable();
            else if (fn.parent === null || fn.parent.enabled) fn.enable();
          }, null);
        }
        h.env.run();
        assert.is(answers.size, submitted);
        for (const n of answers.values()) assert.is(n, 1);
        assert.is(h.controller.inFlight, 0);
        const sum = (m: string) => fns.reduce((s, fn) => s + h.value(`${fn.path}/${m}`)!, 0);
        assert.is(sum('writes') + sum('failed'), submitted);
        assert.is(sum('aborted'), h.value('nvme0/aborted'));
        for (const fn of fns) for (let q = 0; q < fn.queueCount; q++) assert.is(fn.outstanding(q) + fn.sqEntries(q) + fn.driverWaiting(q), 0);
      },
    ),
    { numRuns: 80 },
  );
});

test.run();
