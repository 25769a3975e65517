/**
 * The network model against timings worked out by hand. References: a flow alone on a route
 * takes latency + size / bottleneck bandwidth (the flow-level model of SimGrid: Velho & Legrand,
 * "Accuracy study and improvement of network simulation in the SimGrid framework", SIMUTools
 * 2009, without its correction factors); flows sharing links get max-min fair rates (Bertsekas &
 * Gallager, Data Networks, 2nd ed., §6.5.2), recomputed whenever a flow starts or ends.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FlowStatus, type Flow } from '../../../sim/models/network/flow.ts';
import { close, GBIT, link, MS, networkHarness, S } from './harness.ts';

/** Two hosts joined by one link of `bandwidth` bytes/s and `latencyNs`. */
function pair(bandwidth = GBIT, latencyNs = 0, extra = {}) {
  return networkHarness({ nodes: ['a', 'b'], links: [link('a', 'b', bandwidth, latencyNs, extra)] });
}

test('transfer time = route latency + size / bottleneck bandwidth (two links in series)', () => {
  // a –(10 Gbit/s, 1 ms)– s –(1 Gbit/s, 2 ms)– b; 250 MB at 1.25e8 B/s = 2 s, plus 3 ms.
  const h = networkHarness({ nodes: ['a', 's', 'b'], links: [link('a', 's', 10 * GBIT, 1 * MS), link('s', 'b', GBIT, 2 * MS)] });
  const flow = h.transfer('a', 'b', 250e6);
  h.env.run();
  assert.is(flow.status, FlowStatus.Completed);
  assert.is(flow.endNs, 2 * S + 3 * MS);
  assert.is(h.value('net/transfer_time_max_s'), 2.003);
  assert.is(h.value('net/completed_flows'), 1);
  assert.is(h.value('net/delivered_B'), 250e6);
  assert.is(h.value('net/link/a-s/fwd/carried_B'), 250e6);
  assert.is(h.value('net/link/s-b/fwd/carried_B'), 250e6);
  assert.is(h.value('net/link/s-b/rev/carried_B'), 0);
});

test('two flows on one link each get half: both finish at 2 × size / bandwidth', () => {
  const h = pair();
  const f1 = h.transfer('a', 'b', 1e9);
  const f2 = h.transfer('a', 'b', 1e9);
  let ratesAt1s: number[] = [];
  h.env.schedule(1 * S, () => (ratesAt1s = [f1.rate, f2.rate]), null);
  h.env.run();
  assert.equal(ratesAt1s, [GBIT / 2, GBIT / 2]);
  assert.is(f1.endNs, 16 * S); // 1e9 B at 6.25e7 B/s
  assert.is(f2.endNs, 16 * S);
  assert.is(h.value('net/link/a-b/fwd/utilization_mean'), 1);
  assert.is(h.value('net/link/a-b/fwd/active_flows_mean'), 2);
  assert.equal(h.done, [f1, f2]);
});

test('when a flow ends the survivor speeds up: exact completion time', () => {
  // Both join after 1 ms at 6.25e7 B/s. A (250 MB) ends at 1 ms + 4 s; B then has 750 MB left
  // at 1.25e8 B/s: 6 s more.
  const h = pair(GBIT, 1 * MS);
  const a = h.transfer('a', 'b', 250e6);
  const b = h.transfer('a', 'b', 1e9);
  let rateOfBAt5s = 0;
  h.env.schedule(5 * S, () => (rateOfBAt5s = b.rate), null);
  h.env.run();
  assert.is(a.endNs, 4 * S + 1 * MS);
  assert.is(b.endNs, 10 * S + 1 * MS);
  assert.is(rateOfBAt5s, GBIT);
  assert.equal(h.done.map((f) => f.id), [a.id, b.id]);
});

test('a newcomer slows the incumbent down', () => {
  // A (1 GB) alone for 4 s sends 500 MB; B (250 MB) joins: both at 6.25e7 B/s, B done 4 s later
  // (8 s) while A sends 250 MB more; A's last 250 MB alone take 2 s: 10 s.
  const h = pair();
  const a = h.transferAt(0, 'a', 'b', 1e9);
  const b = h.transferAt(4 * S, 'a', 'b', 250e6);
  h.env.run();
  assert.is(b.flow!.endNs, 8 * S);
  assert.is(a.flow!.endNs, 10 * S);
});

test('three flows over two links: the max-min allocation and its completion times', () => {
  // a –(1 Gbit/s)– b –(2 Gbit/s)– c. f0: a→c, f1: a→b, f2: b→c, 1 GB each.
  // Max-min: link a-b saturates first at 6.25e7 (f0, f1); f2 gets 2.5e8 − 6.25e7 = 1.875e8.
  // f2 ends at 1e9 / 1.875e8 s, rounded up to a whole ns; that frees nothing for f0 (its
  // bottleneck is a-b), so f0 and f1 end together at 16 s.
  const h = networkHarness({ nodes: ['a', 'b', 'c'], links: [link('a', 'b', GBIT), link('b', 'c', 2 * GBIT)] });
  const f0 = h.transfer('a', 'c', 1e9);
  const f1 = h.transfer('a', 'b', 1e9);
  const f2 = h.transfer('b', 'c', 1e9);
  let rates: number[] = [];
  h.env.schedule(1 * S, () => (rates = [f0.rate, f1.rate, f2.rate]), null);
  h.env.run();
  assert.equal(rates, [6.25e7, 6.25e7, 1.875e8]);
  assert.is(f2.endNs, Math.ceil((1e9 / 1.875e8) * S));
  assert.is(f0.endNs, 16 * S);
  assert.is(f1.endNs, 16 * S);
});

test('a per-flow cap limits that flow; the other takes the rest of the link', () => {
  // Link 1.25e8 B/s; A capped at 2.5e7 B/s (50 MB: 2 s); B gets 1e8 B/s, then after 2 s (200 MB
  // sent) has the link alone: 800 MB / 1.25e8 = 6.4 s more.
  const h = pair();
  const a = h.transfer('a', 'b', 50e6, { maxRateBytesPerS: 2.5e7 });
  const b = h.transfer('a', 'b', 1e9);
  h.env.run();
  assert.is(a.endNs, 2 * S);
  assert.is(b.endNs, 8.4 * S);
});

test('a cap with nothing else in the way: size / cap', () => {
  const h = pair();
  const a = h.transfer('a', 'b', 1e8, { maxRateBytesPerS: 1e7 });
  h.env.run();
  assert.is(a.endNs, 10 * S);
});

test('full duplex: opposite directions do not share; half duplex: they do', () => {
  const full = pair();
  const fa = full.transfer('a', 'b', 1e9);
  const fb = full.transfer('b', 'a', 1e9);
  full.env.run();
  assert.equal([fa.endNs, fb.endNs], [8 * S, 8 * S]);
  assert.is(full.value('net/link/a-b/rev/carried_B'), 1e9);

  const half = pair(GBIT, 0, { duplex: 'half' });
  const ha = half.transfer('a', 'b', 1e9);
  const hb = half.transfer('b', 'a', 1e9);
  half.env.run();
  assert.equal([ha.endNs, hb.endNs], [16 * S, 16 * S]);
  assert.is(half.value('net/link/a-b/carried_B'), 2e9);
});

test('a flow of 0 bytes completes after the latency alone, from an engine event', () => {
  const h = pair(GBIT, 5 * MS);
  const flow = h.transfer('a', 'b', 0);
  assert.is(h.done.length, 0);
  h.env.run();
  assert.is(flow.endNs, 5 * MS);
  assert.is(flow.status, FlowStatus.Completed);
  assert.equal(h.done, [flow]);

  const instant = pair();
  const now = instant.transfer('a', 'b', 0);
  assert.is(instant.done.length, 0, 'not inside transfer()');
  instant.env.run();
  assert.is(now.endNs, 0);
  assert.equal(instant.done, [now]);
});

test('a transfer from a node to itself crosses no link: at once, or at its cap', () => {
  const h = pair();
  const free = h.transfer('a', 'a', 1e9);
  const capped = h.transfer('a', 'a', 1e9, { maxRateBytesPerS: 1e8 });
  h.env.run();
  assert.is(free.endNs, 0);
  assert.is(capped.endNs, 10 * S);
  assert.is(h.value('net/link/a-b/fwd/carried_B'), 0);
});

test('a flow finishes when less than 1e-6 of it is left at an update', () => {
  // A (1e9 B) and B (1e9 − 500 B) share the link; when B ends, A has 500 B < 1e-6 × 1e9 left.
  const h = pair();
  const a = h.transfer('a', 'b', 1e9);
  const b = h.transfer('a', 'b', 1e9 - 500);
  h.env.run();
  assert.is(b.endNs, 15_999_992_000); // (1e9 − 500) B / 6.25e7 B/s
  assert.is(a.endNs, b.endNs);
  assert.is(a.remainingBytes, 0);
  assert.is(h.value('net/link/a-b/fwd/carried_B'), 2e9 - 500);
  assert.is(h.value('net/delivered_B'), 2e9 - 500);
});

test('cancel: the flow stops, its callback is not called, the other speeds up', () => {
  // Both at 6.25e7 B/s; A cancelled at 2 s (125 MB sent); B has 875 MB left at 1.25e8: 7 s more.
  const h = pair();
  const a = h.transfer('a', 'b', 1e9);
  const b = h.transfer('a', 'b', 1e9);
  let cancelled: boolean | undefined;
  h.env.schedule(2 * S, () => (cancelled = a.cancel()), null);
  h.env.run();
  assert.is(cancelled, true);
  assert.is(a.status, FlowStatus.Cancelled);
  assert.is(a.endNs, 2 * S);
  assert.is(a.bytesSent, 125e6);
  assert.is(b.endNs, 9 * S);
  assert.equal(h.done, [b]);
  assert.is(a.cancel(), false, 'a second cancel does nothing');
  assert.is(h.value('net/cancelled_flows'), 1);
  assert.is(h.value('net/link/a-b/fwd/carried_B'), 1e9 + 125e6);
});

test('cancelling a flow still in its latency: nothing is carried', () => {
  const h = pair(GBIT, 10 * MS);
  const a = h.transfer('a', 'b', 1e9);
  h.env.schedule(5 * MS, () => a.cancel(), null);
  h.env.run();
  assert.is(a.status, FlowStatus.Cancelled);
  assert.is(h.value('net/link/a-b/fwd/carried_B'), 0);
  assert.is(h.network.flowsInFlight, 0);
});

/** a –(1 Gbit/s)– b –(1 Gbit/s)– c; X: a→c, Y: b→c, 1 GB each, from time 0; a-b goes down at 4 s. */
function outage(onLinkDown: 'stall' | 'fail') {
  const h = networkHarness({ nodes: ['a', 'b', 'c'], links: [link('a', 'b', GBIT), link('b', 'c', GBIT)], onLinkDown });
  const x = h.transfer('a', 'c', 1e9);
  const y = h.transfer('b', 'c', 1e9);
  h.env.schedule(4 * S, () => h.network.link('a-b').down(), null);
  return { h, x, y };
}

test('link down, stall mode: the flow across it stalls and resumes; the other flow takes the freed bandwidth', () => {
  // Until 4 s both share b-c (6.25e7 each: 250 MB sent). X stalls; Y alone: 750 MB in 6 s → 10 s.
  // a-b back at 12 s: X alone, 750 MB in 6 s → 18 s.
  const { h, x, y } = outage('stall');
  let stalledAt5s: [boolean, number] = [false, -1];
  h.env.schedule(5 * S, () => (stalledAt5s = [x.stalled, x.rate]), null);
  h.env.schedule(12 * S, () => h.network.link('a-b').up(), null);
  h.env.run();
  assert.equal(stalledAt5s, [true, 0]);
  assert.is(y.endNs, 10 * S);
  assert.is(x.endNs, 18 * S);
  assert.is(x.status, FlowStatus.Completed);
  assert.is(h.value('net/stalls'), 1);
  close(h.value('net/stalled_flows_mean'), 8 / 18, 'stalled flows, time average'); // one flow, 4 s → 12 s
  assert.is(h.value('net/failed_flows'), 0);
});

test('link down, fail mode: flows across it fail at once with the reason; later transfers across it fail too', () => {
  const { h, x, y } = outage('fail');
  const later = h.transferAt(5 * S, 'a', 'c', 1e6);
  h.env.schedule(6 * S, () => h.network.link('a-b').up(), null);
  const afterUp = h.transferAt(7 * S, 'a', 'b', 1.25e8);
  h.env.run();
  assert.is(x.status, FlowStatus.Failed);
  assert.is(x.endNs, 4 * S);
  assert.match(x.failure, 'link "a-b"');
  assert.is(x.bytesSent, 250e6);
  assert.is(y.endNs, 10 * S);
  assert.is(later.flow!.status, FlowStatus.Failed);
  assert.is(later.flow!.endNs, 5 * S);
  assert.is(afterUp.flow!.endNs, 8 * S, 'the link works again once up');
  assert.equal(h.done.map((f) => f.id), [x.id, later.flow!.id, afterUp.flow!.id, y.id]);
  assert.is(h.value('net/failed_flows'), 2);
  assert.is(h.value('net/completed_flows'), 2);
});

test('fail mode: a flow still in its latency fails too when a link on its route goes down', () => {
  const h = networkHarness({ nodes: ['a', 'b'], links: [link('a', 'b', GBIT, 10 * MS)], onLinkDown: 'fail' });
  const a = h.transfer('a', 'b', 1e6);
  h.env.schedule(5 * MS, () => h.network.link('a-b').down(), null);
  h.env.run();
  assert.is(a.status, FlowStatus.Failed);
  assert.is(a.endNs, 5 * MS);
  assert.is(h.network.flowsInFlight, 0);
});

test('setBandwidth: a degraded link slows its flows from that moment', () => {
  // 1 GB at 1.25e8 B/s for 4 s (500 MB), then at 6.25e7 B/s: 8 s more.
  const h = pair();
  const a = h.transfer('a', 'b', 1e9);
  h.env.schedule(4 * S, () => h.network.link('a-b').setBandwidth(GBIT / 2), null);
  h.env.run();
  assert.is(a.endNs, 12 * S);
});

test('setBandwidth: utilization is measured against the bandwidth in force', () => {
  // A flow capped at 2.5e7 B/s (100 MB: 4 s) uses 0.2 of 1.25e8 B/s, then 0.4 once the link is
  // halved at 2 s: the time average over 4 s is 0.3; the flow's own time does not change.
  const h = pair();
  const a = h.transfer('a', 'b', 1e8, { maxRateBytesPerS: 2.5e7 });
  h.env.schedule(2 * S, () => h.network.link('a-b').setBandwidth(GBIT / 2), null);
  h.env.run();
  assert.is(a.endNs, 4 * S);
  close(h.value('net/link/a-b/fwd/utilization_mean'), 0.3, 'utilization');
  assert.is(h.value('net/link/a-b/fwd/utilization_max'), 0.4);
});

test('transferEvent: a process waits for its transfer', () => {
  const h = pair(GBIT, 1 * MS);
  const log: [number, number][] = [];
  h.env.process((function* () {
    const first: Flow = yield h.network.transferEvent('a', 'b', 1.25e8);
    log.push([h.env.now, first.status]);
    const second = h.network.transferEvent('b', 'a', 1e9);
    yield 1 * S;
    second.flow.cancel();
    const flow: Flow = yield second;
    log.push([h.env.now, flow.status]);
  })());
  h.env.run();
  assert.equal(log, [
    [1 * S + 1 * MS, FlowStatus.Completed],
    [2 * S + 1 * MS, FlowStatus.Cancelled],
  ]);
});

test('metrics: utilization and flow counts are time averages over the run', () => {
  // One 125 MB flow over 1 Gbit/s from 0 to 1 s; the run stops at 2 s.
  const h = pair();
  h.transfer('a', 'b', 125e6);
  h.env.run({ until: 2 * S });
  assert.is(h.value('net/link/a-b/fwd/utilization_mean'), 0.5);
  assert.is(h.value('net/link/a-b/fwd/utilization_max'), 1);
  assert.is(h.value('net/link/a-b/fwd/active_flows_mean'), 0.5);
  assert.is(h.value('net/link/a-b/rev/utilization_mean'), 0);
  assert.is(h.value('net/active_flows_mean'), 0.5);
  assert.is(h.value('net/transfer_time_mean_s'), 1);
});

test('all flows that change at one instant cost one recomputation', () => {
  const h = pair();
  let recomputations = 0;
  h.network.observe({ onRatesChanged: () => recomputations++ });
  for (let i = 0; i < 100; i++) h.transfer('a', 'b', 1e6);
  h.env.run();
  // One when the 100 start, one when they all end together.
  assert.is(recomputations, 2);
  assert.is(h.done.length, 100);
  assert.ok(h.done.every((f) => f.endNs === 0.8 * S), '100 MB at 1.25e8 B/s');
});

test('bad input: unknown nodes, unreachable pairs, bad sizes and caps are refused with a message', () => {
  const h = networkHarness({ nodes: ['a', 'b', 'island'], links: [link('a', 'b', GBIT)] });
  assert.throws(() => h.transfer('a', 'zz', 1), /no node "zz"/);
  assert.throws(() => h.transfer('a', 'island', 1), /no route from "a" to "island"/);
  assert.throws(() => h.transfer('a', 'b', -1), /size must be a finite number of bytes >= 0/);
  assert.throws(() => h.transfer('a', 'b', NaN), /size/);
  assert.throws(() => h.transfer('a', 'b', 1, { maxRateBytesPerS: 0 }), /maxRateBytesPerS must be > 0/);
  assert.throws(() => h.network.link('nope'), /no link "nope"/);
  assert.throws(() => h.network.link('a-b').setBandwidth(0), /positive finite/);
  assert.throws(() => networkHarness({ nodes: ['a', 'b'], links: [link('a', 'b', 1)], onLinkDown: 'drop' as never }), /onLinkDown/);
});

test.run();
