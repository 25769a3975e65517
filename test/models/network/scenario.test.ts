/**
 * The `network` and `network-transfers` component types through the real loader and runner, as
 * a user's scenario file would go. Loading compiles the whole scenario schema (about a second),
 * so the good scenarios load in one call. Expected values are worked out by hand from
 * transfer time = route latency + size / bottleneck bandwidth.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executeRun, type RunResult } from '../../../sim/run/execute-run.ts';
import { column, loadRuns, writeScenarios, type ScenarioDir } from '../../run/scenario-files.ts';

/** A dumbbell: h1, h2 –(10 Gbit/s, 10 us)– sw1 –(1 Gbit/s, 1 ms)– sw2 –(10 Gbit/s, 10 us)– h3, h4. */
const dumbbell = {
  type: 'network',
  nodes: ['h1', 'h2', 'sw1', 'sw2', 'h3', 'h4'],
  links: [
    { from: 'h1', to: 'sw1', bandwidth: '10Gbit/s', latency: '10us' },
    { from: 'h2', to: 'sw1', bandwidth: '10Gbit/s', latency: '10us' },
    { id: 'core', from: 'sw1', to: 'sw2', bandwidth: '1Gbit/s', latency: '1ms' },
    { from: 'sw2', to: 'h3', bandwidth: '10Gbit/s', latency: '10us' },
    { from: 'sw2', to: 'h4', bandwidth: '10Gbit/s', latency: '10us', duplex: 'half' },
  ],
};

function scenario(name: string, world: Record<string, object>, workload: Record<string, object>): object {
  return { name, seed: 1, stop: { whenIdle: true }, world, workload };
}

let files: ScenarioDir;
const results = new Map<string, RunResult>();

test.before(async () => {
  files = writeScenarios({
    'serial.json': scenario('serial', { net: dumbbell }, {
      xfers: {
        type: 'network-transfers', target: 'net', pairs: [{ from: 'h1', to: 'h3' }],
        size: { dist: 'constant', value: '100MB' }, interarrival: { dist: 'constant', value: '1s' }, transferLimit: 5,
      },
    }),
    'capped.json': scenario('capped', { net: { ...dumbbell, onLinkDown: 'fail' } }, {
      xfers: {
        type: 'network-transfers', target: 'net', pairs: [{ from: 'h2', to: 'h4', weight: 1 }, { from: 'h4', to: 'h2', weight: 0 }],
        size: { dist: 'constant', value: '10MB' }, interarrival: { dist: 'constant', value: '1s' }, transferLimit: 3, maxRate: '80Mbit/s',
      },
    }),
    'routed.json': scenario('routed', {
      net: {
        type: 'network', nodes: ['a', 'b', 'c'],
        links: [
          { from: 'a', to: 'b', bandwidth: '1Gbit/s', latency: '1ms' },
          { from: 'a', to: 'c', bandwidth: '2Gbit/s', latency: '5ms' },
          { from: 'c', to: 'b', bandwidth: '2Gbit/s', latency: '5ms' },
        ],
        routes: [{ from: 'a', to: 'b', links: ['a-c', 'c-b'] }],
      },
    }, {
      xfers: {
        type: 'network-transfers', target: 'net', pairs: [{ from: 'b', to: 'a' }],
        size: { dist: 'constant', value: '250MB' }, interarrival: { dist: 'constant', value: '1ms' }, transferLimit: 1,
      },
    }),
  });
  const { runs, units } = await loadRuns([files.dir]);
  for (const run of runs) results.set(run.spec.name, executeRun(run, units));
});

test.after(() => files.remove());

test('transfers one after another: each takes latency + size / bottleneck', () => {
  const r = results.get('serial')!;
  // 100 MB over the 1.25e8 B/s core: 0.8 s, plus 10 us + 1 ms + 10 us; never two at once.
  assert.is(column(r, 'xfers/issued'), 5);
  assert.is(column(r, 'xfers/completed'), 5);
  assert.is(column(r, 'net/completed_flows'), 5);
  assert.is(column(r, 'net/transfer_time_max_s'), 0.80102);
  assert.is(column(r, 'xfers/transfer_time_max_s'), 0.80102);
  assert.is(column(r, 'net/delivered_B'), 5e8);
  assert.is(column(r, 'net/link/core/fwd/carried_B'), 5e8);
  assert.is(column(r, 'net/link/core/rev/carried_B'), 0);
  assert.is(column(r, 'net/link/core/fwd/utilization_max'), 1);
  assert.is(column(r, 'net/link/core/fwd/active_flows_max'), 1);
  // Last start at 5 s, done 0.80102 s later.
  assert.is(column(r, 'engine/end_time_s'), 5.80102);
});

test('a rate cap from the scenario: size / cap when the links are faster; zero-weight pairs never drawn', () => {
  const r = results.get('capped')!;
  // 10 MB at 80 Mbit/s (1e7 B/s) = 1 s, plus 10 + 1000 + 10 us.
  assert.is(column(r, 'net/transfer_time_max_s'), 1.00102);
  assert.is(column(r, 'net/completed_flows'), 3);
  assert.is(column(r, 'net/link/h2-sw1/fwd/carried_B'), 3e7);
  assert.is(column(r, 'net/link/sw2-h4/carried_B'), 3e7, 'half-duplex link: one channel');
  assert.is(column(r, 'net/link/h2-sw1/rev/carried_B'), 0);
});

test('an explicit route is used, mirrored for the reverse direction', () => {
  const r = results.get('routed')!;
  // b → a takes c-b then a-c (10 ms), at 2.5e8 B/s: 250 MB in 1 s; the direct a-b link carries nothing.
  assert.is(column(r, 'net/transfer_time_max_s'), 1.01);
  assert.is(column(r, 'net/link/a-b/rev/carried_B'), 0);
  assert.is(column(r, 'net/link/a-c/rev/carried_B'), 2.5e8);
});

test('bad input is refused with the file, the pointer and a clear message', async () => {
  const transfers = (to: string) => ({
    x: { type: 'network-transfers', target: 'net', pairs: [{ from: 'h1', to }], size: { dist: 'constant', value: '1MB' }, interarrival: { dist: 'constant', value: '1s' } },
  });
  const bad = writeScenarios({
    'bad-link.json': scenario('bad-link', { net: { ...dumbbell, links: [{ from: 'h1', to: 'zz', bandwidth: '1Gbit/s', latency: '1ms' }] } }, {}),
    'bad-route.json': scenario('bad-route', { net: { ...dumbbell, routes: [{ from: 'h1', to: 'h3', links: ['core'] }] } }, {}),
    'bad-pair.json': scenario('bad-pair', { net: dumbbell }, transfers('nowhere')),
    'bad-island.json': scenario('bad-island', { net: { ...dumbbell, nodes: [...dumbbell.nodes, 'island'] } }, transfers('island')),
    'bad-duplex.json': scenario('bad-duplex', { net: { ...dumbbell, links: [{ from: 'h1', to: 'h2', bandwidth: '1Gbit/s', latency: '1ms', duplex: 'simplex' }] } }, {}),
    'bad-unit.json': scenario('bad-unit', { net: { ...dumbbell, links: [{ from: 'h1', to: 'h2', bandwidth: '1 ms', latency: '1ms' }] } }, {}),
    'bad-target.json': { ...(scenario('bad-target', { net: dumbbell }, transfers('h3')) as object), world: { net: dumbbell, q: { type: 'queue-station', servers: 1 } }, workload: { x: { ...transfers('h3').x, target: 'q' } } },
  });
  try {
    const message = await loadRuns([bad.dir]).then(() => '', (error: Error) => error.message);
    assert.match(message, /bad-link\.json:\d+:\d+ \/world\/net: link 0: "to": no node "zz"/);
    assert.match(message, /bad-route\.json:\d+:\d+ \/world\/net: route 0 \(h1 → h3\): link "core" \(sw1 – sw2\) does not touch node "h1"/);
    assert.match(message, /bad-pair\.json:\d+:\d+ \/workload\/x: pair 0 \(h1 → nowhere\): .*no node "nowhere"/);
    assert.match(message, /bad-island\.json:\d+:\d+ \/workload\/x: pair 0: network "net" has no route from "h1" to "island"/);
    assert.match(message, /bad-duplex\.json:\d+:\d+ \/world\/net\/links\/0\/duplex/);
    assert.match(message, /bad-unit\.json:\d+:\d+ \/world\/net\/links\/0\/bandwidth: .*data rate/);
    assert.match(message, /bad-target\.json:\d+:\d+ \/workload\/x\/target: "q" is a queue-station, but a network is required here/);
  } finally {
    bad.remove();
  }
});

test.run();
