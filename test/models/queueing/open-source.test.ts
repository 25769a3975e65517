import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PolicyModule } from '../../../policies/policy.ts';
import { fifo } from '../../../policies/queue-discipline/fifo.ts';
import { sjf } from '../../../policies/queue-discipline/sjf.ts';
import { constant, exponential, RandomStreams, type RandomStream } from '../../../sim/engine/random/index.ts';
import type { JobView, QueueDiscipline } from '../../../sim/models/queueing/discipline.ts';
import { OpenSource, type OpenSourceOptions } from '../../../sim/models/queueing/open-source.ts';
import { buildWorld } from '../../../sim/scenario/build.ts';
import { COMPONENT_TYPES } from '../../../sim/scenario/components/index.ts';
import { loadScenarios } from '../../../sim/scenario/load.ts';
import { S, stationHarness } from './station-harness.ts';

function sourceInto(h: ReturnType<typeof stationHarness>, options: OpenSourceOptions, seed = 1) {
  const streams = new RandomStreams(seed);
  const source = new OpenSource(
    h.env,
    'arrivals',
    options,
    { interarrival: streams.stream('arrivals/interarrival'), service: streams.stream('arrivals/service'), jobClass: streams.stream('arrivals/class') },
    h.station,
    h.metrics,
  );
  return { source, streams };
}

test('constant interarrival 1 s and service 1.25 s, four jobs: arrivals at 1..4 s and the hand-computed waits', () => {
  const h = stationHarness({ servers: 1 });
  const { source } = sourceInto(h, { interarrivalNs: constant(1 * S), serviceNs: constant(1.25 * S), jobLimit: 4 });
  source.start();
  h.env.run(); // the job limit lets the run drain
  assert.equal(h.log.starts.map((s) => s.arrivalS), [1, 2, 3, 4], 'first arrival one interarrival after start');
  assert.equal(h.waitsS(), [0, 0.25, 0.5, 0.75]);
  assert.equal(h.log.departuresS, [2.25, 3.5, 4.75, 6]);
  assert.is(h.value('arrivals/jobs'), 4);
  assert.is(h.env.now, 6 * S);
});

test('without a job limit arrivals go on: 10 by 10.5 s', () => {
  const h = stationHarness({ servers: 1 });
  const { source } = sourceInto(h, { interarrivalNs: constant(1 * S), serviceNs: constant(0.5 * S) });
  source.start();
  h.env.run({ until: 10.5 * S });
  assert.is(h.value('arrivals/jobs'), 10);
  assert.is(h.value('server/completed'), 9, 'the 10th job leaves at 10.5 s, the stop time, so it is still in service');
});

test('job classes follow classWeights, draw from their own stream, and get per-class response times', () => {
  const h = stationHarness({ servers: 1 }); // FIFO
  const classes: number[] = [];
  const recording = { name: 'record', rank: (job: JobView) => (classes.push(job.classId), 0) };
  const h2 = stationHarness({ servers: 1 }, recording);
  for (const harness of [h, h2]) {
    const { source } = sourceInto(harness, { interarrivalNs: exponential(1 * S), serviceNs: exponential(0.5 * S), classWeights: [0.25, 0.75], jobLimit: 4000 });
    source.start();
    harness.env.run();
  }
  assert.is(classes.length, 4000);
  const share0 = classes.filter((c) => c === 0).length / classes.length;
  assert.ok(Math.abs(share0 - 0.25) < 0.035, `class 0 share ${share0}`); // 5 standard deviations
  assert.ok(classes.every((c) => c === 0 || c === 1));
  const count0 = h.value('server/class0/response_time_count')!;
  const count1 = h.value('server/class1/response_time_count')!;
  assert.is(count0 + count1, h.value('server/completed'));
  assert.is(count0, classes.filter((c) => c === 0).length, 'same seed, same classes, whatever the discipline');
});

test('one class: every job is class 0, the class stream is never drawn from, no per-class metrics', () => {
  const classes: number[] = [];
  const h = stationHarness({ servers: 1 }, { name: 'record', rank: (job: JobView) => (classes.push(job.classId), 0) });
  const { source, streams } = sourceInto(h, { interarrivalNs: exponential(1 * S), serviceNs: exponential(0.5 * S), jobLimit: 100 });
  const before = streams.stream('arrivals/class').saveState();
  source.start();
  h.env.run();
  assert.ok(classes.length === 100 && classes.every((c) => c === 0));
  assert.equal(streams.stream('arrivals/class').saveState(), before);
  assert.not.ok(h.metrics.paths().some((p) => p.includes('class')));
});

// ---- common random numbers on the example scenario -------------------------------------

interface Offered {
  arrivalNs: number;
  serviceNs: number;
  classId: number;
}

/** A discipline module that behaves as `inner` and logs every job offered to the station. */
function recording(inner: PolicyModule<QueueDiscipline>, log: Offered[]): PolicyModule<QueueDiscipline> {
  return {
    ...inner,
    create(params) {
      const discipline = inner.create(params);
      return {
        name: discipline.name,
        rank(job: JobView) {
          log.push({ arrivalNs: job.arrivalNs, serviceNs: job.serviceNs, classId: job.classId });
          return discipline.rank(job);
        },
      };
    },
  };
}

/** Logs every uniform number drawn from `stream`, whichever method draws it. */
function spyOnStream(stream: RandomStream, log: number[]): void {
  for (const method of ['next', 'nextDouble', 'nextInt'] as const) {
    const original = stream[method].bind(stream) as (n: number) => number;
    stream[method] = ((n: number) => {
      const value = original(n);
      log.push(value);
      return value;
    }) as never;
  }
}

const STREAMS = ['arrivals/interarrival', 'arrivals/service', 'arrivals/class'];

let example: ReturnType<typeof loadScenarios> | undefined;

async function exampleRun(policy: 'fifo' | 'sjf', seed: number) {
  example ??= loadScenarios(['scenarios/examples/mm1-disciplines.json']);
  const { scenarios, units } = await example;
  const run = scenarios[0]!.runs.find((r) => r.policies.some(([point, name]) => point === 'queue-discipline' && name === policy))!;
  const offered: Offered[] = [];
  const world = buildWorld(run.spec, seed, units, COMPONENT_TYPES, [recording(fifo, offered), recording(sjf, offered)]);
  const draws = Object.fromEntries(STREAMS.map((path) => [path, [] as number[]]));
  for (const path of STREAMS) spyOnStream(world.streams.stream(path), draws[path]!);
  let serviceSumNs = 0;
  world.start();
  world.env.run({ until: 3000 * S });
  for (const job of offered) serviceSumNs += job.serviceNs;
  const value = (column: string) => world.metrics.summary().find((c) => c.column === column)?.value;
  return { offered, draws, serviceSumNs, arrivals: value('arrivals/jobs'), waitMean: value('server/wait_time_mean_s'), world };
}

test('common random numbers: with one seed, FIFO and SJF are offered the same jobs and draw the same numbers', async () => {
  const a = await exampleRun('fifo', 3);
  const b = await exampleRun('sjf', 3);
  assert.ok(a.offered.length > 1000, `${a.offered.length} jobs`);
  assert.is(b.arrivals, a.arrivals, 'arrivals/jobs');
  assert.is(b.serviceSumNs, a.serviceSumNs, 'sum of service requirements');
  assert.equal(b.offered, a.offered, 'same arrival times, sizes and classes');
  for (const path of STREAMS) assert.equal(b.draws[path], a.draws[path], `stream ${path}`);
  assert.equal(b.world.streams.paths(), a.world.streams.paths());
  // ... while the policy did change what happened
  assert.is.not(b.waitMean, a.waitMean);
});

test('a different seed offers different jobs', async () => {
  const a = await exampleRun('fifo', 3);
  const c = await exampleRun('fifo', 4);
  assert.is.not(c.serviceSumNs, a.serviceSumNs);
  assert.not.equal(c.draws['arrivals/interarrival']!.slice(0, 10), a.draws['arrivals/interarrival']!.slice(0, 10));
});

test.run();
