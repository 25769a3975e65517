/**
 * Routes: least total latency (Dijkstra's shortest paths, Dijkstra 1959), ties broken as
 * documented (fewest links, then link declaration order), explicit routes, and declaration errors.
 * Expected routes are read off the small graphs by hand.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Topology, type LinkSpec } from '../../../sim/models/network/topology.ts';
import { link, MS } from './harness.ts';

function names(topology: Topology, from: string, to: string): string[] | undefined {
  const route = topology.route(from, to);
  return route === undefined ? undefined : [...route.channels].map((c) => topology.channelNames[c]!);
}

test('least latency wins over fewest hops', () => {
  const t = new Topology(['a', 'b', 'c'], [link('a', 'b', 1, 10 * MS), link('a', 'c', 1, 1 * MS), link('c', 'b', 1, 1 * MS)]);
  assert.equal(names(t, 'a', 'b'), ['a-c/fwd', 'c-b/fwd']);
  assert.is(t.route('a', 'b')!.latencyNs, 2 * MS);
  assert.equal(names(t, 'b', 'a'), ['c-b/rev', 'a-c/rev']);
});

test('equal latency: fewer links first', () => {
  const t = new Topology(['a', 'b', 'c'], [link('a', 'c', 1, 1 * MS), link('c', 'b', 1, 1 * MS), link('a', 'b', 1, 2 * MS)]);
  assert.equal(names(t, 'a', 'b'), ['a-b/fwd']);
});

test('equal latency and links: the route over the links declared first', () => {
  // Two parallel links: the first declared.
  const parallel = new Topology(['a', 'b'], [link('a', 'b', 1, MS, { id: 'p1' }), link('a', 'b', 1, MS, { id: 'p2' })]);
  assert.equal(names(parallel, 'a', 'b'), ['p1/fwd']);
  assert.equal(names(parallel, 'b', 'a'), ['p1/rev']);
  // A diamond a–{x,y}–b, declared so that node order and link order disagree: links via y first.
  const diamond = new Topology(['a', 'x', 'y', 'b'], [link('a', 'y', 1, MS), link('y', 'b', 1, MS), link('a', 'x', 1, MS), link('x', 'b', 1, MS)]);
  assert.equal(names(diamond, 'a', 'b'), ['a-y/fwd', 'y-b/fwd']);
  // Same first link, two parallel second links: the one declared first, whatever its id.
  const fork = new Topology(['a', 's', 'b'], [link('a', 's', 1, 0), link('s', 'b', 1, 0, { id: 'q1' }), link('s', 'b', 1, 0, { id: 'q0' })]);
  assert.equal(names(fork, 'a', 'b'), ['a-s/fwd', 'q1/fwd']);
});

test('zero-latency links: fewest links, not an arbitrary path', () => {
  const t = new Topology(['a', 'b', 'c', 'd'], [link('a', 'b', 1, 0), link('b', 'c', 1, 0), link('c', 'd', 1, 0), link('a', 'd', 1, 0)]);
  assert.equal(names(t, 'a', 'd'), ['a-d/fwd']);
  // b–c–d (links 1, 2) and b–a–d (links 0, 3) tie on latency and links; [0, 3] < [1, 2].
  assert.equal(names(t, 'b', 'd'), ['a-b/rev', 'a-d/fwd']);
});

test('a node to itself: the empty route; unreachable pairs: undefined', () => {
  const t = new Topology(['a', 'b', 'c'], [link('a', 'b', 1, 5)]);
  assert.equal(names(t, 'a', 'a'), []);
  assert.is(t.route('a', 'a')!.latencyNs, 0);
  assert.is(t.route('a', 'c'), undefined);
  assert.is(t.route('a', 'c'), undefined, 'cached');
  assert.throws(() => t.route('a', 'nowhere'), /no node "nowhere"/);
});

test('routes are cached: the same object every time', () => {
  const t = new Topology(['a', 'b'], [link('a', 'b', 1, 5)]);
  assert.is(t.route('a', 'b'), t.route('a', 'b'));
});

test('half-duplex links have one channel for both directions', () => {
  const t = new Topology(['a', 'b'], [link('a', 'b', 1, 5, { duplex: 'half' })]);
  assert.is(t.channelCount, 1);
  assert.equal(names(t, 'a', 'b'), ['a-b']);
  assert.equal(names(t, 'b', 'a'), ['a-b']);
});

test('explicit routes win over shortest ones, and are mirrored unless symmetric is false', () => {
  const links: LinkSpec[] = [link('a', 'b', 1, 1 * MS), link('a', 'c', 1, 5 * MS), link('c', 'b', 1, 5 * MS)];
  const t = new Topology(['a', 'b', 'c'], links, [{ from: 'a', to: 'b', links: ['a-c', 'c-b'] }]);
  assert.equal(names(t, 'a', 'b'), ['a-c/fwd', 'c-b/fwd']);
  assert.is(t.route('a', 'b')!.latencyNs, 10 * MS);
  assert.equal(names(t, 'b', 'a'), ['c-b/rev', 'a-c/rev']);
  const oneWay = new Topology(['a', 'b', 'c'], links, [{ from: 'a', to: 'b', links: ['a-c', 'c-b'], symmetric: false }]);
  assert.equal(names(oneWay, 'b', 'a'), ['a-b/rev']);
  const both = new Topology(['a', 'b', 'c'], links, [
    { from: 'a', to: 'b', links: ['a-c', 'c-b'] },
    { from: 'b', to: 'a', links: ['a-b'] },
  ]);
  assert.equal(names(both, 'b', 'a'), ['a-b/rev'], 'an explicit reverse route beats the mirror');
});

test('bad declarations are refused with a message saying what is wrong', () => {
  const ok = [link('a', 'b', 1, 0)];
  assert.throws(() => new Topology([], []), /at least one node/);
  assert.throws(() => new Topology(['a', 'a'], []), /node "a" is declared twice/);
  assert.throws(() => new Topology(['a', 'b'], [link('a', 'z', 1, 0)]), /no node "z"/);
  assert.throws(() => new Topology(['a', 'b'], [link('a', 'a', 1, 0)]), /to itself/);
  assert.throws(() => new Topology(['a', 'b'], [link('a', 'b', 1, 0), link('a', 'b', 1, 0)]), /already used by another link; give each parallel link its own "id"/);
  assert.throws(() => new Topology(['a', 'b'], [link('a', 'b', 0, 0)]), /bandwidth must be a positive/);
  assert.throws(() => new Topology(['a', 'b'], [link('a', 'b', 1, -1)]), /latency must be a time >= 0/);
  assert.throws(() => new Topology(['A', 'b'], [link('A', 'b', 1, 0)]), /id "A-b" is not allowed/);
  assert.throws(() => new Topology(['a', 'b'], ok, [{ from: 'a', to: 'b', links: ['x'] }]), /no link "x"/);
  assert.throws(() => new Topology(['a', 'b', 'c'], [...ok, link('b', 'c', 1, 0)], [{ from: 'a', to: 'c', links: ['b-c'] }]), /does not touch node "a"/);
  assert.throws(() => new Topology(['a', 'b', 'c'], [...ok, link('b', 'c', 1, 0)], [{ from: 'a', to: 'c', links: ['a-b'] }]), /end at node "b", not at "c"/);
  assert.throws(() => new Topology(['a', 'b'], ok, [{ from: 'a', to: 'b', links: ['a-b', 'a-b', 'a-b'] }]), /same channel twice/);
  assert.throws(() => new Topology(['a', 'b'], ok, [{ from: 'a', to: 'b', links: ['a-b'] }, { from: 'a', to: 'b', links: ['a-b'] }]), /already given/);
  assert.throws(() => new Topology(['a', 'b'], ok, [{ from: 'a', to: 'a', links: ['a-b'] }]), /two different nodes/);
});

test.run();
