import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BUILT_IN_POLICIES } from '../../policies/index.ts';
import { fifo } from '../../policies/queue-discipline/fifo.ts';
import { lifo } from '../../policies/queue-discipline/lifo.ts';
import { priorityClasses } from '../../policies/queue-discipline/priority-classes.ts';
import { sjf } from '../../policies/queue-discipline/sjf.ts';
import type { JobView, QueueDiscipline } from '../../sim/models/queueing/discipline.ts';
import { executeRun } from '../../sim/run/execute-run.ts';
import { loadScenarios } from '../../sim/scenario/load.ts';
import { stationHarness } from '../models/queueing/station-harness.ts';

const DISCIPLINES = [fifo, lifo, sjf, priorityClasses];
const view = (arrivalNs: number, serviceNs: number, classId = 0): JobView => Object.freeze({ arrivalNs, serviceNs, classId });
const views = [view(0, 5), view(1, 1), view(2, 3, 1), view(3, 3, 2), view(7, 0.5, 0)];

test('every discipline is a registered queue-discipline policy with no parameters', () => {
  for (const module of DISCIPLINES) {
    assert.is(module.decisionPoint, 'queue-discipline');
    assert.ok(BUILT_IN_POLICIES.includes(module), `${module.name} is registered`);
    assert.equal(module.paramsSchema, { type: 'object', additionalProperties: false, properties: {} });
    assert.is(module.create({}).name, module.name);
    assert.ok(module.description.length > 0);
  }
  const names = BUILT_IN_POLICIES.filter((p) => p.decisionPoint === 'queue-discipline').map((p) => p.name);
  assert.is(new Set(names).size, names.length, 'names are unique within the decision point');
  assert.is(names[0], 'fifo', 'fifo is the default (first registered)');
});

test('ranks are pure: the same view gives the same rank, from any instance, and the view is not touched', () => {
  for (const module of DISCIPLINES) {
    const a = module.create({});
    const b = module.create({});
    for (const v of views) {
      assert.is(a.rank(v), a.rank(v), module.name);
      assert.is(b.rank(v), a.rank(v), module.name);
      assert.ok(Number.isFinite(a.rank(v)), `${module.name}: finite rank`);
    }
  }
});

test('fifo: one rank for every job, so arrival order decides', () => {
  const d = fifo.create({});
  assert.equal(new Set(views.map((v) => d.rank(v))).size, 1);
});

test('lifo: a later arrival ranks lower (is served first)', () => {
  const d = lifo.create({});
  assert.ok(d.rank(view(2e9, 1)) < d.rank(view(1e9, 1)));
  assert.ok(d.rank(view(1e9, 1)) < d.rank(view(0, 1)));
  assert.is(d.rank(view(5, 1)), d.rank(view(5, 99, 3)), 'size and class do not matter');
});

test('sjf: a shorter job ranks lower, whenever it arrived and whatever its class', () => {
  const d = sjf.create({});
  assert.ok(d.rank(view(9, 1)) < d.rank(view(0, 2)));
  assert.ok(d.rank(view(0, 0)) < d.rank(view(0, 0.5)));
  assert.is(d.rank(view(1, 4, 0)), d.rank(view(2, 4, 5)));
});

test('priority-classes: class 0 ranks lowest; arrival and size do not matter', () => {
  const d = priorityClasses.create({});
  assert.ok(d.rank(view(9, 9, 0)) < d.rank(view(0, 0, 1)));
  assert.ok(d.rank(view(0, 0, 1)) < d.rank(view(0, 0, 2)));
  assert.is(d.rank(view(1, 4, 1)), d.rank(view(2, 1, 1)));
});

/**
 * In a one-server station: job A (0 s, 10 s long) holds the server while B (1 s, 3 s, class 1),
 * C (2 s, 1 s, class 1) and D (3 s, 2 s, class 0) wait. Returns the arrival times in service order.
 */
function serviceOrder(discipline: QueueDiscipline): number[] {
  const h = stationHarness({ servers: 1 }, discipline);
  h.arriveAt(0, 10, 1);
  h.arriveAt(1, 3, 1);
  h.arriveAt(2, 1, 1);
  h.arriveAt(3, 2, 0);
  h.env.run();
  return h.log.starts.map((s) => s.arrivalS);
}

test('in a station: fifo serves B C D, lifo D C B, sjf C D B, priority-classes D B C', () => {
  assert.equal(serviceOrder(fifo.create({})), [0, 1, 2, 3]);
  assert.equal(serviceOrder(lifo.create({})), [0, 3, 2, 1]);
  assert.equal(serviceOrder(sjf.create({})), [0, 2, 3, 1]);
  assert.equal(serviceOrder(priorityClasses.create({})), [0, 3, 1, 2]);
});

test('in a station: equal ranks are served in arrival order', () => {
  const h = stationHarness({ servers: 1 }, sjf.create({}));
  h.arriveAt(0, 10);
  for (const t of [1, 2, 3, 4]) h.arriveAt(t, 2);
  h.arriveAt(5, 1);
  h.env.run();
  assert.equal(h.log.starts.map((s) => s.arrivalS), [0, 5, 1, 2, 3, 4]);
});

test('non-preemptive: a short or urgent arrival never interrupts the job in service', () => {
  for (const d of [sjf.create({}), priorityClasses.create({}), lifo.create({})]) {
    const h = stationHarness({ servers: 1 }, d);
    h.arriveAt(0, 10, 1);
    h.arriveAt(1, 0.5, 0);
    h.env.run();
    assert.equal(h.log.departuresS, [10, 10.5], d.name);
  }
});

test('on the example scenario (M/G/1, load 0.8, lognormal cv 2) SJF has a lower mean wait than FIFO for every seed', async () => {
  const { scenarios, units } = await loadScenarios(['scenarios/examples/mm1-disciplines.json']);
  const waits = new Map<string, number>();
  for (const run of scenarios[0]!.runs) {
    const policy = run.policies.find(([point]) => point === 'queue-discipline')![1];
    const wait = executeRun(run, units).summary.find((c) => c.column === 'server/wait_time_mean_s')!.value;
    waits.set(`${policy}/${run.seed}`, wait);
  }
  const seeds = [...new Set(scenarios[0]!.runs.map((r) => r.seed))];
  assert.ok(seeds.length >= 2);
  for (const seed of seeds) {
    const fifoWait = waits.get(`fifo/${seed}`)!;
    const sjfWait = waits.get(`sjf/${seed}`)!;
    assert.ok(sjfWait < fifoWait, `seed ${seed}: sjf ${sjfWait} s vs fifo ${fifoWait} s`);
  }
});

test.run();
