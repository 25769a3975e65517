import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ComponentType } from '../../sim/scenario/component-type.ts';
import { COMPONENT_TYPES } from '../../sim/scenario/components/index.ts';
import { semanticIssues } from '../../sim/scenario/semantics.ts';

/** A schema-valid M/M/1 scenario; tests change one thing at a time. */
function mm1(): Record<string, any> {
  return {
    name: 'mm1',
    stop: { at: '100s' },
    world: { server: { type: 'queue-station', servers: 1 } },
    workload: {
      arrivals: {
        type: 'open-source',
        target: 'server',
        interarrival: { dist: 'exponential', mean: '2s' },
        service: { dist: 'exponential', mean: '1s' },
      },
    },
    faults: { down: { type: 'station-outage', target: 'server', at: '10s', duration: '1s' } },
  };
}

const check = (spec: Record<string, any>, types: readonly ComponentType[] = COMPONENT_TYPES) => semanticIssues(spec, types);

test('a consistent scenario has no semantic issue', () => {
  assert.equal(check(mm1()), []);
});

test('a reference to a missing component suggests the closest allowed id and lists the allowed ones', () => {
  const spec = mm1();
  spec.world.backup = { type: 'queue-station', servers: 2 };
  spec.workload.arrivals.target = 'servr';
  assert.equal(check(spec), [
    { pointer: '/workload/arrivals/target', message: 'no component "servr"; did you mean "server"?', allowed: '"server", "backup"' },
  ]);
});

test('a reference with nothing close gives no suggestion', () => {
  const spec = mm1();
  spec.faults.down.target = 'zzzzzzzz';
  assert.equal(check(spec), [{ pointer: '/faults/down/target', message: 'no component "zzzzzzzz"', allowed: '"server"' }]);
});

test('a reference to a component of the wrong type names both types', () => {
  const spec = mm1();
  spec.faults.down.target = 'arrivals';
  const issues = check(spec);
  assert.equal(issues.map((i) => [i.pointer, i.allowed]), [['/faults/down/target', '"server"']]);
  assert.match(issues[0]!.message, /^"arrivals" is an open-source, but a queue-station is required here$/);
});

test('when no component could be referenced, "allowed" says none is declared', () => {
  const spec = mm1();
  delete spec.world;
  delete spec.faults;
  assert.equal(check(spec), [{ pointer: '/workload/arrivals/target', message: 'no component "server"', allowed: '(none declared)' }]);
});

test('ids must be unique across world, workload and faults; the later one is reported', () => {
  const spec = mm1();
  spec.faults.arrivals = { type: 'station-outage', target: 'server', at: '1s', duration: '1s' };
  assert.equal(check(spec), [{ pointer: '/faults/arrivals', message: 'id "arrivals" is already used in workload', allowed: 'ids unique across world, workload and faults' }]);
});

test('a reference key that is not a string is left to the schema', () => {
  const spec = mm1();
  spec.workload.arrivals.target = 42;
  assert.equal(check(spec), []);
});

test('references follow each type\'s declared reference keys and allowed types', () => {
  const types: ComponentType[] = [
    { type: 'disk', section: 'world', description: '', properties: {}, build: () => ({}) },
    { type: 'cache', section: 'world', description: '', properties: {}, build: () => ({}) },
    { type: 'client', section: 'workload', description: '', properties: {}, references: { via: ['cache', 'disk'], note: ['disk'] }, build: () => ({}) },
  ];
  const spec = { world: { d: { type: 'disk' }, c: { type: 'cache' } }, workload: { w: { type: 'client', via: 'c', note: 'c' } }, stop: { at: '1s' } };
  assert.equal(check(spec, types), [{ pointer: '/workload/w/note', message: '"c" is a cache, but a disk is required here', allowed: '"d"' }]);
  spec.workload.w.note = 'd';
  spec.workload.w.via = 'w';
  assert.equal(check(spec, types), [{ pointer: '/workload/w/via', message: '"w" is a client, but a cache or a disk is required here', allowed: '"d", "c"' }]);
});

test('stop needs exactly one of "at" or "whenIdle"', () => {
  const issue = { pointer: '/stop', message: 'give exactly one of "at" or "whenIdle"', allowed: '{"at": "1000s"} or {"whenIdle": true}' };
  const spec = mm1();
  spec.stop = {};
  assert.equal(check(spec), [issue], 'neither');
  spec.stop = { at: '1s', whenIdle: true };
  assert.equal(check(spec), [issue], 'both');
  delete spec.stop;
  assert.equal(check(spec), [issue], 'no stop section');
  spec.stop = { whenIdle: true, maxEvents: 10 };
  assert.equal(check(spec), [], 'whenIdle alone');
});

test('a sampling interval needs stop.at; with whenIdle it is an issue at /metrics/interval', () => {
  const spec = mm1();
  spec.stop = { whenIdle: true };
  spec.metrics = { interval: '1s' };
  const issues = check(spec);
  assert.equal(issues.map((i) => i.pointer), ['/metrics/interval']);
  assert.match(issues[0]!.message, /needs "stop\.at"/);
  spec.stop = { at: '10s' };
  assert.equal(check(spec), []);
  spec.stop = { whenIdle: true };
  spec.metrics = { warmup: '1s' };
  assert.equal(check(spec), [], 'a warm-up alone is fine with whenIdle');
});

test('a sweep may not change name, seed, sweep, validation or $schema, in the matrix or in variants', () => {
  const spec = mm1();
  spec.sweep = {
    matrix: { name: ['a'], 'seed': [1], 'workload.arrivals.interarrival.mean': ['1s'] },
    variants: [{ set: { 'sweep.replications': 2, 'stop.at': '5s' } }, { set: { 'validation.tolerance': '1%', $schema: 'x' } }],
  };
  assert.equal(check(spec), [
    { pointer: '/sweep/matrix/name', message: 'a sweep cannot change "name"' },
    { pointer: '/sweep/matrix/seed', message: 'a sweep cannot change "seed"' },
    { pointer: '/sweep/variants/0/set/sweep.replications', message: 'a sweep cannot change "sweep"' },
    { pointer: '/sweep/variants/1/set/validation.tolerance', message: 'a sweep cannot change "validation"' },
    { pointer: '/sweep/variants/1/set/$schema', message: 'a sweep cannot change "$schema"' },
  ]);
});

test('a sweep may change anything else, including nested keys that merely contain a fixed word', () => {
  const spec = mm1();
  spec.sweep = { matrix: { 'world.server.name': ['x'], 'policies.queue-discipline': ['sjf'], 'metrics.warmup': ['1s'] } };
  assert.equal(check(spec), []);
});

test('validation station and source must be declared components', () => {
  const spec = mm1();
  spec.validation = { station: 'server', source: 'arrivals' };
  assert.equal(check(spec), []);
  spec.validation = { station: 'srv', source: 'nope' };
  assert.equal(check(spec), [
    { pointer: '/validation/station', message: 'no component "srv"', allowed: '"server", "arrivals", "down"' },
    { pointer: '/validation/source', message: 'no component "nope"', allowed: '"server", "arrivals", "down"' },
  ]);
});

test('all semantic issues of a scenario are reported together', () => {
  const spec = mm1();
  spec.stop = {};
  spec.workload.arrivals.target = 'nowhere';
  spec.sweep = { matrix: { seed: [1, 2] } };
  assert.equal(check(spec).map((i) => i.pointer), ['/workload/arrivals/target', '/stop', '/sweep/matrix/seed']);
});

test('type names take the article they are read with: "an ssd", "an nvme-controller"', () => {
  const ssd = { type: 'ssd', geometry: { channels: 1, chipsPerChannel: 1, diesPerChip: 1, planesPerDie: 1, blocksPerPlane: 64, pagesPerBlock: 8, pageSize: '4KiB' } };
  const spec = {
    stop: { at: '1s' },
    world: { s: ssd, c: { type: 'nvme-controller', backend: 's', maxInFlight: 4 } },
    faults: { f: { type: 'host-crash', target: 's', at: '1s' }, g: { type: 'link-down', target: 'c', link: 'x', at: '1s' } },
  };
  const messages = semanticIssues(spec, COMPONENT_TYPES).map((i) => i.message);
  assert.equal(messages, ['"s" is an ssd, but a host is required here', '"c" is an nvme-controller, but a network is required here']);
});

test.run();
