/**
 * The bytes-conserved checker: silent on correct runs (including cancellations and failures),
 * loud on each kind of violation (fed to it by hand, as a broken network would), and invisible
 * to the run it watches. Reference: conservation of bytes, i.e. what a flow delivers is its size,
 * and every byte it delivers crossed each channel of its route once.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BytesConservedChecker, BytesNotConservedError } from '../../sim/checkers/bytes-conserved.ts';
import { Environment } from '../../sim/engine/index.ts';
import { MetricRegistry } from '../../sim/metrics/index.ts';
import { Flow, FlowStatus } from '../../sim/models/network/flow.ts';
import { Network } from '../../sim/models/network/network.ts';

const S = 1e9;

/** a –(1 Gbit/s)– b –(1 Gbit/s)– c with a mix of transfers, a cancellation and an outage. */
function scenario(withChecker: boolean, onLinkDown: 'stall' | 'fail') {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const network = new Network(env, 'net', {
    nodes: ['a', 'b', 'c'],
    links: [
      { from: 'a', to: 'b', bandwidthBytesPerS: 1.25e8, latencyNs: 1e5 },
      { from: 'b', to: 'c', bandwidthBytesPerS: 1.25e8, latencyNs: 2e5, duplex: 'half' },
    ],
    onLinkDown,
  }, metrics);
  const checker = withChecker ? new BytesConservedChecker(network, { mode: 'record' }) : null;
  const flows: Flow[] = [];
  const start = (at: number, from: string, to: string, bytes: number) =>
    env.schedule(at, () => flows.push(network.transfer(from, to, bytes, null)), null);
  start(0, 'a', 'c', 3e8);
  start(0, 'c', 'a', 2e8);
  start(0.5 * S, 'b', 'c', 1e8);
  start(1 * S, 'a', 'b', 0);
  start(1 * S, 'a', 'b', 5e8);
  env.schedule(1.5 * S, () => flows[4]!.cancel(), null);
  env.schedule(2 * S, () => network.link('b-c').down(), null);
  env.schedule(3 * S, () => network.link('b-c').up(), null);
  start(2.5 * S, 'a', 'c', 1e7);
  env.run({ until: 3.2 * S });
  return { env, metrics, network, checker, flows };
}

test('a correct run passes, in stall and in fail mode, mid-run and at the end', () => {
  for (const mode of ['stall', 'fail'] as const) {
    const { env, checker, network } = scenario(true, mode);
    assert.equal(checker!.check(), [], `${mode}, at 3.2 s`);
    if (mode === 'stall') assert.ok(network.flowsInFlight > 0, 'some flows are still in flight at the stop');
    env.run();
    assert.equal(checker!.check(), [], `${mode}, at the end`);
    assert.equal(checker!.counts, { started: 6, ended: 6 });
  }
});

test('the checker does not change the run: same completion times, events and metrics', () => {
  for (const mode of ['stall', 'fail'] as const) {
    const watched = scenario(true, mode);
    const bare = scenario(false, mode);
    watched.env.run();
    bare.env.run();
    assert.equal(watched.flows.map((f) => [f.status, f.endNs]), bare.flows.map((f) => [f.status, f.endNs]));
    assert.is(watched.env.eventsProcessed, bare.env.eventsProcessed);
    assert.equal(watched.metrics.summary(), bare.metrics.summary());
  }
});

/** A network with one link, a checker in `mode`, and a hand-made flow the network never started. */
function rig(mode: 'throw' | 'record') {
  const env = new Environment();
  const network = new Network(env, 'net', { nodes: ['a', 'b'], links: [{ from: 'a', to: 'b', bandwidthBytesPerS: 100, latencyNs: 0 }] }, new MetricRegistry(env));
  const checker = new BytesConservedChecker(network, { mode });
  const route = network.route('a', 'b')!;
  const flow = new Flow(network, 99, 'a', 'b', 1000, route, 0, null, undefined);
  return { network, checker, flow };
}

test('a completed flow that delivered less than its size is a violation', () => {
  const { checker, flow } = rig('record');
  checker.onFlowStart(flow);
  checker.onFlowProgress(flow, 600);
  flow.status = FlowStatus.Completed;
  flow.remainingBytes = 0;
  checker.onFlowEnd(flow);
  assert.is(checker.violations.length, 2);
  assert.match(checker.violations[0]!, 'completed having delivered 600 B of its 1000 B');
  assert.match(checker.violations[1]!, 'saying it sent 1000 B, but reported 600 B');
});

test('more bytes than the size, progress outside the flow\'s life, and ending twice are violations', () => {
  const { checker, flow } = rig('record');
  checker.onFlowProgress(flow, 1);
  checker.onFlowStart(flow);
  checker.onFlowProgress(flow, 1001);
  flow.status = FlowStatus.Cancelled;
  flow.remainingBytes = -1;
  checker.onFlowEnd(flow);
  checker.onFlowEnd(flow);
  const joined = checker.violations.join('\n');
  assert.match(joined, 'reported 1 B while not in flight');
  assert.match(joined, 'more than its size of 1000 B');
  assert.match(joined, 'ended having delivered 1001 B');
  assert.match(joined, 'without having started, or twice');
});

test('channel counts that disagree with the flows\' reports, and lost flows, are violations', () => {
  const { checker, flow, network } = rig('record');
  checker.onFlowStart(flow);
  checker.onFlowProgress(flow, 10);
  flow.remainingBytes = 990;
  flow.status = FlowStatus.Active;
  // The network never carried those 10 B, and does not hold the flow.
  const violations = checker.check().join('\n');
  assert.match(violations, 'channel a-b/fwd carried 0 B by the network\'s count, but its flows reported 10 B');
  assert.match(violations, `holds ${network.flowsInFlight} flows in flight, but 1 started and did not end`);
});

test('throw mode stops at the first violation with a clear error', () => {
  const { checker, flow } = rig('throw');
  assert.throws(() => checker.onFlowProgress(flow, 5), (error: unknown) => error instanceof BytesNotConservedError && /not in flight/.test((error as Error).message));
});

test.run();
