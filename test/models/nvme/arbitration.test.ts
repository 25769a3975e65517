/**
 * Arbitration on a running controller, under saturation: every SQ is kept full by a closed-loop
 * host, so every fetch is an arbitration decision among all of them. References (NVMe Base
 * Specification 1.4): §4.13.1 round robin gives each SQ an equal share, in runs of Arbitration
 * Burst commands; §4.13.2 weighted round robin gives each weighted class w_c / Σw, and the
 * urgent class is served first whenever it has a command.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { roundRobin } from '../../../policies/nvme-arbitration/round-robin.ts';
import { weightedRoundRobin } from '../../../policies/nvme-arbitration/weighted-round-robin.ts';
import { IoOp, IoRequest } from '../../../sim/models/block/io-request.ts';
import { NvmePriorityClass as P, type NvmeArbitration } from '../../../sim/models/nvme/arbitration.ts';
import type { NvmeFunction } from '../../../sim/models/nvme/function.ts';
import { ClosedLoopHost, MS, nvmeHarness, US } from './harness.ts';

const NS_BYTES = 16 * 1024 * 1024;

/** Functions f0..f(n-1), one namespace each (so the backend log tells them apart), each with one full SQ. */
function saturated(arbitration: NvmeArbitration, priorities: P[], maxInFlight = 8) {
  const h = nvmeHarness({
    serviceNs: 10 * US,
    parallelism: maxInFlight,
    capacityBytes: priorities.length * NS_BYTES,
    controller: { maxInFlight, namespaces: priorities.map((_, i) => ({ nsid: i + 1, startBytes: i * NS_BYTES, sizeBytes: NS_BYTES, lbaBytes: 4096 })) },
    arbitration,
  });
  const fns: NvmeFunction[] = [];
  priorities.forEach((priority, i) => {
    fns.push(h.controller.addFunction(`f${i}`, { kind: i === 0 ? 'pf' : 'vf', ...(i === 0 ? {} : { parent: fns[0]! }), priority, namespaces: [i + 1], queueDepth: 64 }));
  });
  const hosts = fns.map((fn) => new ClosedLoopHost(h.env, fn, 63, 40 * MS, { sizeBytes: 4096 }));
  /** Which function each backend submission came from, in order. */
  const owner = () => h.backend.log.map((e) => Math.floor(e.offsetBytes / NS_BYTES));
  return { h, fns, hosts, owner };
}

function servedShares(hosts: ClosedLoopHost[]): { shares: number[]; total: number } {
  const total = hosts.reduce((s, x) => s + x.completed, 0);
  return { shares: hosts.map((x) => x.completed / total), total };
}

test('weighted round robin 4:2:1 with three always-full SQs (high, medium, low) serves 4/7, 2/7, 1/7', () => {
  const { h, hosts } = saturated(weightedRoundRobin.create({ weights: { high: 4, medium: 2, low: 1 } }), [P.High, P.Medium, P.Low]);
  for (const host of hosts) host.start();
  h.env.run({ until: 40 * MS });
  const { shares, total } = servedShares(hosts);
  assert.ok(total > 25000, `enough commands (${total})`);
  // Rounds of 7 are exact; the only slack is a partial round and the commands still in flight.
  const tolerance = (7 + 8) / total;
  [4 / 7, 2 / 7, 1 / 7].forEach((expected, i) => {
    assert.ok(Math.abs(shares[i]! - expected) <= tolerance, `class ${i}: ${shares[i]} vs ${expected} (±${tolerance})`);
  });
});

test('weighted round robin: two high SQs split the high share between them; weights are per class, not per queue', () => {
  const { h, hosts } = saturated(weightedRoundRobin.create({ weights: { high: 4, medium: 2, low: 1 } }), [P.High, P.High, P.Medium, P.Low]);
  for (const host of hosts) host.start();
  h.env.run({ until: 40 * MS });
  const { shares, total } = servedShares(hosts);
  const tolerance = (7 + 8) / total;
  [2 / 7, 2 / 7, 2 / 7, 1 / 7].forEach((expected, i) => assert.ok(Math.abs(shares[i]! - expected) <= tolerance, `f${i}: ${shares[i]} vs ${expected}`));
});

test('round robin with three always-full SQs serves equal shares, whatever their priority classes', () => {
  const { h, hosts } = saturated(roundRobin.create({}), [P.High, P.Medium, P.Low]);
  for (const host of hosts) host.start();
  h.env.run({ until: 40 * MS });
  const { shares, total } = servedShares(hosts);
  const tolerance = (3 + 8) / total;
  for (const share of shares) assert.ok(Math.abs(share - 1 / 3) <= tolerance, `${shares}`);
});

test('round robin, burst 4: the controller fetches runs of exactly 4 commands from each SQ in turn', () => {
  const { h, hosts, owner } = saturated(roundRobin.create({ burst: 4 }), [P.Medium, P.Medium, P.Medium], 1);
  for (const host of hosts) host.start();
  h.env.run({ until: 2 * MS });
  // Skip the start, while the hosts are still filling their queues (each start() fills one SQ at a time).
  const sequence = owner().slice(12);
  assert.ok(sequence.length > 100);
  const runs: [number, number][] = [];
  for (const f of sequence) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0] === f) last[1]++;
    else runs.push([f, 1]);
  }
  for (const [, length] of runs.slice(1, -1)) assert.is(length, 4);
  for (let i = 1; i < runs.length; i++) assert.is(runs[i]![0], (runs[i - 1]![0] + 1) % 3, 'SQs in turn');
});

test('urgent class: whenever it has a command in its SQ, no other SQ is fetched from; the weighted classes share the rest by weight', () => {
  const { h, fns, hosts, owner } = saturated(weightedRoundRobin.create({ weights: { high: 3, medium: 1, low: 1 } }), [P.High, P.Low, P.Urgent]);
  const urgent = fns[2]!;
  let violations = 0;
  let othersFetched = 0;
  h.backend.onSubmit = (request) => {
    if (Math.floor(request.offsetBytes / NS_BYTES) !== 2) {
      othersFetched++;
      if (urgent.sqEntries(0) > 0) violations++;
    }
  };
  hosts[0]!.start();
  hosts[1]!.start();
  // The urgent function sends bursts of 40 commands every 1 ms (more than the controller holds at once).
  const rec = { ioCompleted: () => {} };
  const requests = Array.from({ length: 40 }, () => new IoRequest(rec));
  for (let t = 0.5 * MS; t < 30 * MS; t += 1 * MS) {
    h.env.schedule(t, () => requests.forEach((r, k) => urgent.submit(r.prepare(IoOp.Read, k * 4096, 4096, h.env.now))), null);
  }
  h.env.run({ until: 30 * MS });
  assert.ok(othersFetched > 10000);
  assert.is(violations, 0, 'a non-urgent command was fetched while the urgent SQ held one');
  const sequence = owner();
  assert.is(sequence.filter((f) => f === 2).length, 30 * 40, 'every urgent command fetched');
  // Each urgent burst is fetched back to back: 40 fetches in a row at the first opportunities.
  const high = sequence.filter((f) => f === 0).length;
  const low = sequence.filter((f) => f === 1).length;
  assert.ok(Math.abs(high / (high + low) - 3 / 4) <= (5 + 8) / (high + low), `high share of the rest ${high / (high + low)}`);
  assert.ok(h.value('f2/queue_time_max_us')! <= 5 * 10, 'an urgent burst waits at most its own length: 40 commands / 8 in parallel × 10 us');
});

test.run();
