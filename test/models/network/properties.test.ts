/**
 * Property tests on random topologies, flow arrivals, caps, cancellations and link outages.
 * At every recomputation the allocation must be
 * - feasible: no channel carries more than its capacity;
 * - max-min fair, by the bottleneck characterization of Bertsekas & Gallager (Data Networks,
 *   2nd ed., §6.5.2): every active flow is at its cap, or crosses a saturated channel on which
 *   no flow has a larger rate.
 * Over the run, the bytes-conserved checker must pass; every transfer must take at least its
 * route latency plus its size at its narrowest bandwidth (or its cap); and the same inputs must
 * give the same completion times (determinism).
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BytesConservedChecker } from '../../../sim/checkers/bytes-conserved.ts';
import { Environment } from '../../../sim/engine/index.ts';
import { MetricRegistry } from '../../../sim/metrics/index.ts';
import { FlowStatus, type Flow } from '../../../sim/models/network/flow.ts';
import { Network } from '../../../sim/models/network/network.ts';
import type { LinkSpec } from '../../../sim/models/network/topology.ts';

const TOLERANCE = 1e-9;

interface Case {
  nodes: number;
  tree: { parent: number; bandwidth: number; latencyNs: number; half: boolean }[];
  extra: { a: number; b: number; bandwidth: number; latencyNs: number; half: boolean }[];
  flows: { atNs: number; from: number; to: number; bytes: number; cap: number | null; cancelAfterNs: number | null }[];
  outages: { link: number; atNs: number; durationNs: number }[];
  onLinkDown: 'stall' | 'fail';
}

const bandwidth = fc.integer({ min: 1, max: 100 }).map((k) => k * 1e5); // 0.1 – 10 MB/s
const latency = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000_000 }));

const caseArbitrary: fc.Arbitrary<Case> = fc.integer({ min: 2, max: 7 }).chain((nodes) =>
  fc.record({
    nodes: fc.constant(nodes),
    tree: fc.array(fc.record({ parent: fc.nat(), bandwidth, latencyNs: latency, half: fc.boolean() }), { minLength: nodes - 1, maxLength: nodes - 1 }),
    extra: fc.array(fc.record({ a: fc.nat(nodes - 1), b: fc.nat(nodes - 1), bandwidth, latencyNs: latency, half: fc.boolean() }), { maxLength: 5 }),
    flows: fc.array(
      fc.record({
        atNs: fc.integer({ min: 0, max: 3e9 }),
        from: fc.nat(nodes - 1),
        to: fc.nat(nodes - 1),
        bytes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2e6 }), fc.double({ min: 1, max: 2e6, noNaN: true })),
        cap: fc.option(fc.integer({ min: 1, max: 50 }).map((k) => k * 1e5), { nil: null }),
        cancelAfterNs: fc.option(fc.integer({ min: 0, max: 2e9 }), { nil: null, freq: 5 }),
      }),
      { minLength: 1, maxLength: 25 },
    ),
    outages: fc.array(fc.record({ link: fc.nat(), atNs: fc.integer({ min: 0, max: 3e9 }), durationNs: fc.integer({ min: 1, max: 2e9 }) }), { maxLength: 3 }),
    onLinkDown: fc.constantFrom<'stall' | 'fail'>('stall', 'fail'),
  }),
);

function linksOf(c: Case): LinkSpec[] {
  const links: LinkSpec[] = c.tree.map((t, i) => ({
    id: `t${i}`, from: `n${t.parent % (i + 1)}`, to: `n${i + 1}`, bandwidthBytesPerS: t.bandwidth, latencyNs: t.latencyNs, duplex: t.half ? 'half' : 'full',
  }));
  c.extra.forEach((e, i) => {
    if (e.a !== e.b) links.push({ id: `e${i}`, from: `n${e.a}`, to: `n${e.b}`, bandwidthBytesPerS: e.bandwidth, latencyNs: e.latencyNs, duplex: e.half ? 'half' : 'full' });
  });
  return links;
}

/** Checks feasibility and the bottleneck condition of the current allocation; returns a problem or null. */
function allocationProblem(network: Network): string | null {
  const flows = network.activeFlows();
  const load = new Float64Array(network.channelCount);
  const maxRate = new Float64Array(network.channelCount);
  for (const flow of flows) {
    if (!(flow.rate >= 0 && flow.rate < Infinity)) return `flow ${flow.id} has rate ${flow.rate}`;
    if (flow.rate > flow.maxRateBytesPerS * (1 + TOLERANCE)) return `flow ${flow.id} at ${flow.rate} B/s exceeds its cap ${flow.maxRateBytesPerS}`;
    for (const c of flow.route.channels) {
      load[c] = load[c]! + flow.rate;
      maxRate[c] = Math.max(maxRate[c]!, flow.rate);
    }
  }
  for (let c = 0; c < network.channelCount; c++) {
    const capacity = network.channelCapacity(c);
    if (load[c]! > capacity * (1 + TOLERANCE)) return `channel ${network.channelName(c)} carries ${load[c]} B/s > capacity ${capacity}`;
  }
  for (const flow of flows) {
    if (flow.rate >= flow.maxRateBytesPerS * (1 - TOLERANCE)) continue; // at its cap
    const bottleneck = [...flow.route.channels].some((c) => {
      const saturated = load[c]! >= network.channelCapacity(c) * (1 - TOLERANCE);
      return saturated && flow.rate >= maxRate[c]! * (1 - TOLERANCE);
    });
    if (!bottleneck) return `flow ${flow.id} at ${flow.rate} B/s has no bottleneck channel and is below its cap ${flow.maxRateBytesPerS}`;
  }
  return null;
}

function runCase(c: Case, check: boolean) {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const links = linksOf(c);
  const network = new Network(env, 'net', { nodes: Array.from({ length: c.nodes }, (_, i) => `n${i}`), links, onLinkDown: c.onLinkDown }, metrics);
  const checker = check ? new BytesConservedChecker(network) : null;
  const problems: string[] = [];
  if (check) {
    network.observe({
      onRatesChanged: (n) => {
        const problem = allocationProblem(n);
        if (problem !== null) problems.push(`at ${env.now} ns: ${problem}`);
      },
    });
  }
  const flows: Flow[] = [];
  c.flows.forEach((spec) => {
    env.schedule(spec.atNs, () => {
      const flow = network.transfer(`n${spec.from}`, `n${spec.to}`, spec.bytes, null, spec.cap === null ? undefined : { maxRateBytesPerS: spec.cap });
      flows.push(flow);
      if (spec.cancelAfterNs !== null) env.schedule(spec.cancelAfterNs, () => flow.cancel(), null);
    }, null);
  });
  for (const outage of c.outages) {
    const id = links[outage.link % links.length]!.id!;
    env.schedule(outage.atNs, () => network.link(id).down(), null);
    env.schedule(outage.atNs + outage.durationNs, () => network.link(id).up(), null);
  }
  env.run({ maxEvents: 1e6 });
  return { network, flows, problems, checker, links };
}

test('random topologies and flows: feasible, max-min fair, bytes conserved, no transfer faster than physics', () => {
  fc.assert(
    fc.property(caseArbitrary, (c) => {
      const { network, flows, problems, checker, links } = runCase(c, true);
      assert.equal(problems, []);
      assert.equal(checker!.check(), []);
      assert.is(network.flowsInFlight, 0, 'every outage ends, so every flow ends');
      for (const flow of flows) {
        assert.ok(flow.status === FlowStatus.Completed || flow.status === FlowStatus.Failed || flow.status === FlowStatus.Cancelled);
        if (flow.status !== FlowStatus.Completed) continue;
        const narrowest = Math.min(flow.maxRateBytesPerS, ...[...flow.route.channels].map((ch) => links[network.topology.channelLink[ch]!]!.bandwidthBytesPerS));
        const fastest = flow.route.latencyNs + (narrowest === Infinity ? 0 : (flow.sizeBytes / narrowest) * 1e9);
        // The 1e-6 finishing rule may end a flow up to 1e-6 of its size early.
        assert.ok(flow.endNs - flow.startNs >= fastest * (1 - 1e-6) - 1, `flow ${flow.id} took ${flow.endNs - flow.startNs} ns < ${fastest} ns`);
        assert.is(flow.remainingBytes, 0);
      }
    }),
    { numRuns: 150 },
  );
});

test('determinism: the same inputs give the same completion times, statuses and byte counts (with or without observers)', () => {
  fc.assert(
    fc.property(caseArbitrary, (c) => {
      const first = runCase(c, true);
      const second = runCase(c, false);
      const outcome = (r: ReturnType<typeof runCase>) => r.flows.map((f) => [f.id, f.status, f.endNs, f.bytesSent]);
      assert.equal(outcome(second), outcome(first));
      const carried = (r: ReturnType<typeof runCase>) => Array.from({ length: r.network.channelCount }, (_, ch) => r.network.channelCarriedBytes(ch));
      assert.equal(carried(second), carried(first));
    }),
    { numRuns: 60 },
  );
});

test.run();
