import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { BUILT_IN_POLICIES } from '../../policies/index.ts';
import type { PolicyModule } from '../../policies/policy.ts';
import { buildWorld, BuildError, policyNames } from '../../sim/scenario/build.ts';
import type { BuildContext, ComponentSection, ComponentType } from '../../sim/scenario/component-type.ts';
import { COMPONENT_TYPES } from '../../sim/scenario/components/index.ts';
import { loadUnits } from '../../sim/scenario/units.ts';

const units = await loadUnits();

/** A component type that records when it is built and started, and can run a probe at build time. */
function recorder(type: string, section: ComponentSection, log: string[], probe?: (context: BuildContext, id: string, spec: Record<string, any>) => unknown, decisionPoints?: string[]): ComponentType {
  return {
    type,
    section,
    description: `test ${section} component`,
    properties: {},
    ...(decisionPoints ? { decisionPoints } : {}),
    build(context, id, spec) {
      log.push(`build ${section}/${id}`);
      const probed = probe?.(context, id, spec);
      return { probed, start: () => log.push(`start ${section}/${id}`) };
    },
  };
}

/** Policies of a made-up decision point "dp" that remember their params. */
function policy(name: string, decisionPoint = 'dp', created: { name: string; params: unknown }[] = []): PolicyModule<{ name: string; params: unknown }> {
  return {
    decisionPoint,
    name,
    description: name,
    paramsSchema: {},
    create(params) {
      created.push({ name, params });
      return { name, params };
    },
  };
}

function buildError(fn: () => unknown): BuildError {
  try {
    fn();
  } catch (error) {
    assert.instance(error, BuildError);
    return error as BuildError;
  }
  assert.unreachable('expected a BuildError');
  throw new Error('unreachable');
}

test('components are built world, then workload, then faults, in key order within a section, and start only on start()', () => {
  const log: string[] = [];
  const types = [recorder('w', 'world', log), recorder('l', 'workload', log), recorder('f', 'faults', log)];
  // Sections written in the reverse order; keys deliberately not alphabetical.
  const spec = {
    faults: { zf: { type: 'f' }, af: { type: 'f' } },
    workload: { zl: { type: 'l' }, al: { type: 'l' } },
    world: { zw: { type: 'w' }, aw: { type: 'w' } },
  };
  const world = buildWorld(spec, 1, units, types, []);
  assert.equal(log, ['build world/zw', 'build world/aw', 'build workload/zl', 'build workload/al', 'build faults/zf', 'build faults/af']);
  log.length = 0;
  world.start();
  assert.equal(log, ['start world/zw', 'start world/aw', 'start workload/zl', 'start workload/al', 'start faults/zf', 'start faults/af']);
});

test('a component that has no start() is fine to start', () => {
  const types: ComponentType[] = [{ type: 'plain', section: 'world', description: '', properties: {}, build: () => ({}) }];
  buildWorld({ world: { a: { type: 'plain' } } }, 1, units, types, []).start();
});

test('a later section sees earlier components by id; an unbuilt one is a BuildError at the component', () => {
  const log: string[] = [];
  let seen: unknown;
  const types = [
    recorder('w', 'world', log),
    recorder('l', 'workload', log, (context, _id, spec) => (seen = context.component(spec.target))),
    recorder('w-early', 'world', log, (context, _id, spec) => context.component(spec.target)),
  ];
  buildWorld({ world: { server: { type: 'w' } }, workload: { src: { type: 'l', target: 'server' } } }, 1, units, types, []);
  assert.equal((seen as { probed: unknown }).probed, undefined);
  assert.type((seen as { start: unknown }).start, 'function');

  const error = buildError(() => buildWorld({ world: { early: { type: 'w-early', target: 'src' } }, workload: { src: { type: 'l', target: 'early' } } }, 1, units, types, []));
  assert.is(error.pointer, '/world/early');
  assert.is(error.message, 'component "src" is not built yet: components that refer to each other in a cycle cannot be built');
  assert.is(error.name, 'BuildError');
  assert.instance(error, Error);
});

test('a type registered for another section is an unknown type, at the component\'s type', () => {
  const log: string[] = [];
  const error = buildError(() => buildWorld({ world: { x: { type: 'l' } } }, 1, units, [recorder('l', 'workload', log)], []));
  assert.is(error.pointer, '/world/x/type');
  assert.is(error.message, 'unknown world component type "l"');
  assert.equal(log, []);
  const missing = buildError(() => buildWorld({ faults: { f: { type: 'nothing' } } }, 1, units, [], []));
  assert.is(missing.pointer, '/faults/f/type');
});

test('a component whose build throws becomes a BuildError with the component\'s pointer and message', () => {
  const throwing = (thrown: unknown): ComponentType => ({
    type: 't', section: 'workload', description: '', properties: {}, build: () => { throw thrown; },
  });
  const error = buildError(() => buildWorld({ workload: { 'my-source': { type: 't' } } }, 1, units, [throwing(new RangeError('rate must be > 0'))], []));
  assert.is(error.pointer, '/workload/my-source');
  assert.is(error.message, 'rate must be > 0');
  const odd = buildError(() => buildWorld({ workload: { s: { type: 't' } } }, 1, units, [throwing('plain string')], []));
  assert.is(odd.message, 'plain string');
});

test('the default policy of a decision point is the first registered one', () => {
  const log: string[] = [];
  let chosen: unknown;
  const types = [recorder('w', 'world', log, (context) => (chosen = context.policy('dp')))];
  buildWorld({ world: { a: { type: 'w' } } }, 1, units, types, [policy('other', 'elsewhere'), policy('first'), policy('second')]);
  assert.equal(chosen, { name: 'first', params: {} });
});

test('a policy chosen by name, or as {"name", "params"}, is created with its params', () => {
  const log: string[] = [];
  let chosen: unknown;
  const types = [recorder('w', 'world', log, (context) => (chosen = context.policy('dp')))];
  const policies = [policy('first'), policy('second')];
  const spec = (choice: unknown) => ({ world: { a: { type: 'w' } }, policies: { dp: choice } });
  buildWorld(spec('second'), 1, units, types, policies);
  assert.equal(chosen, { name: 'second', params: {} });
  buildWorld(spec({ name: 'second', params: { depth: 3 } }), 1, units, types, policies);
  assert.equal(chosen, { name: 'second', params: { depth: 3 } });
  buildWorld(spec({ name: 'first' }), 1, units, types, policies);
  assert.equal(chosen, { name: 'first', params: {} });
});

test('a decision point\'s policy is created once per world and shared by the components that ask', () => {
  const created: { name: string; params: unknown }[] = [];
  const got: unknown[] = [];
  const log: string[] = [];
  const types = [recorder('w', 'world', log, (context) => got.push(context.policy('dp')))];
  buildWorld({ world: { a: { type: 'w' }, b: { type: 'w' } } }, 1, units, types, [policy('first', 'dp', created)]);
  assert.is(got.length, 2);
  assert.is(got[0], got[1]);
  assert.is(created.length, 1);
  buildWorld({ world: { a: { type: 'w' } } }, 1, units, types, [policy('first', 'dp', created)]);
  assert.is(created.length, 2, 'a new world gets a new instance');
});

test('an unknown policy name, or a decision point without policies, fails the build at the asking component', () => {
  const log: string[] = [];
  const types = [recorder('w', 'world', log, (context, _id, spec) => context.policy(spec.point))];
  const unknown = buildError(() => buildWorld({ world: { a: { type: 'w', point: 'dp' } }, policies: { dp: 'nope' } }, 1, units, types, [policy('first')]));
  assert.is(unknown.pointer, '/world/a');
  assert.is(unknown.message, 'no policy "nope" for decision point "dp"');
  const none = buildError(() => buildWorld({ world: { a: { type: 'w', point: 'void' } } }, 1, units, types, [policy('first')]));
  assert.is(none.message, 'no policy "(default)" for decision point "void"');
});

test('the built-in queue discipline defaults to fifo and follows the scenario\'s choice', () => {
  const log: string[] = [];
  let chosen: { name: string } | undefined;
  const types = [recorder('probe', 'world', log, (context) => (chosen = context.policy('queue-discipline')))];
  const spec = (policies?: object) => ({ world: { a: { type: 'probe' } }, ...(policies ? { policies } : {}) });
  buildWorld(spec(), 1, units, types, BUILT_IN_POLICIES);
  assert.is(chosen!.name, 'fifo');
  buildWorld(spec({ 'queue-discipline': 'sjf' }), 1, units, types, BUILT_IN_POLICIES);
  assert.is(chosen!.name, 'sjf');
  buildWorld(spec({ 'queue-discipline': { name: 'lifo', params: {} } }), 1, units, types, BUILT_IN_POLICIES);
  assert.is(chosen!.name, 'lifo');
});

test('the build context converts quantities and distribution specs to internal units', () => {
  const log: string[] = [];
  let probed: { quantity: number; size: number; mean: number; kind: string } | undefined;
  const types = [
    recorder('w', 'world', log, (context) => {
      const d = context.distribution({ dist: 'exponential', mean: '250ms' }, 'time');
      probed = { quantity: context.quantity('1.5 s', 'time'), size: context.quantity('4KiB', 'size'), mean: d.mean, kind: d.kind };
    }),
  ];
  buildWorld({ world: { a: { type: 'w' } } }, 1, units, types, []);
  assert.equal(probed, { quantity: 1.5e9, size: 4096, mean: 2.5e8, kind: 'exponential' });
});

test('the world exposes its environment, metrics and streams seeded by the run seed', () => {
  const draws = (seed: number) => {
    const world = buildWorld({}, seed, units, [], []);
    const stream = world.streams.stream('x');
    return [stream.next(), stream.next()];
  };
  assert.equal(draws(5), draws(5));
  assert.not.equal(draws(5), draws(6));
  const world = buildWorld({}, 1, units, [], []);
  assert.is(world.env.now, 0);
  assert.equal(world.metrics.paths(), []);
});

test('the registered queueing components build from a scenario and start: arrivals, service, outage', () => {
  const spec = JSON.parse(readFileSync(new URL('../fixtures/scenarios/valid/b-plain.json', import.meta.url), 'utf8'));
  const world = buildWorld(spec, 1, units, COMPONENT_TYPES, BUILT_IN_POLICIES);
  assert.is(world.env.pendingCount, 0, 'nothing is scheduled before start()');
  assert.ok(world.metrics.paths().includes('disk/completed'));
  world.start();
  assert.ok(world.env.pendingCount >= 2, 'the first arrival and the outage are scheduled');
  world.env.run({ until: 10e9 });
  const summary = new Map(world.metrics.summary().map((c) => [c.column, c.value]));
  assert.ok((summary.get('disk/completed') ?? 0) > 0, 'jobs were served');
  assert.ok((summary.get('load/jobs') ?? 0) >= 9, 'one arrival per second');
});

test('an open source with all-zero class weights fails to build at its pointer', () => {
  const spec = JSON.parse(readFileSync(new URL('../fixtures/scenarios/valid/b-plain.json', import.meta.url), 'utf8'));
  spec.workload.load.classWeights = [0, 0];
  const error = buildError(() => buildWorld(spec, 1, units, COMPONENT_TYPES, BUILT_IN_POLICIES));
  assert.is(error.pointer, '/workload/load');
  assert.is(error.message, 'classWeights must not all be 0');
});

test('policyNames lists each decision point in use, sorted, with the chosen or default policy name', () => {
  const station = { server: { type: 'queue-station', servers: 1 } };
  assert.equal(policyNames({ world: station }, COMPONENT_TYPES, BUILT_IN_POLICIES), [['queue-discipline', 'fifo']]);
  assert.equal(policyNames({ world: station, policies: { 'queue-discipline': 'sjf' } }, COMPONENT_TYPES, BUILT_IN_POLICIES), [['queue-discipline', 'sjf']]);
  assert.equal(
    policyNames({ world: station, policies: { 'queue-discipline': { name: 'priority-classes', params: {} } } }, COMPONENT_TYPES, BUILT_IN_POLICIES),
    [['queue-discipline', 'priority-classes']],
  );
  assert.equal(
    policyNames({ world: station, policies: { 'queue-discipline': { name: 'wfq', params: { weights: [1, 2], quantum: 4, mode: 'strict' } } } }, COMPONENT_TYPES, BUILT_IN_POLICIES),
    [['queue-discipline', 'wfq(mode=strict quantum=4 weights=[1,2])']],
    'parameters as written, keys sorted',
  );
  assert.equal(policyNames({}, COMPONENT_TYPES, BUILT_IN_POLICIES), [], 'no component, no policy section: no decision point');
  assert.equal(policyNames({ policies: { 'queue-discipline': 'lifo' } }, COMPONENT_TYPES, BUILT_IN_POLICIES), [['queue-discipline', 'lifo']]);
});

test('policyNames sorts decision points and gives "" where nothing is registered', () => {
  const log: string[] = [];
  const types = [recorder('w', 'world', log, undefined, ['zz', 'aa']), recorder('f', 'faults', log, undefined, ['mm'])];
  const names = policyNames(
    { world: { a: { type: 'w' } }, faults: { b: { type: 'f' } }, policies: { extra: 'x' } },
    types,
    [policy('alpha', 'aa'), policy('zeta', 'zz'), policy('zeta2', 'zz')],
  );
  assert.equal(names, [['aa', 'alpha'], ['extra', 'x'], ['mm', ''], ['zz', 'zeta']]);
});

test.run();
