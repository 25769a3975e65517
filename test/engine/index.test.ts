import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Container,
  Environment,
  Interrupt,
  Resource,
  Store,
  type Preempted,
  type ProcessBody,
  type Request,
} from '../../sim/engine/index.ts';

type Log = Array<[number, string]>;

/**
 * A small storage model that mixes every part of the engine: processes and callbacks,
 * a preemptive resource used from both paths, a store, a container, interrupts and
 * conditions. Times are multiples of 5 ns so that many events tie. The pseudo-random
 * choices come from a fixed LCG, so the model itself has no hidden state.
 */
function buildModel(): { env: Environment; log: Log } {
  const env = new Environment();
  const log: Log = [];
  const say = (what: string): void => {
    log.push([env.now, what]);
  };
  let state = 12345;
  const rand = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor(state / 65536) % n; // the high bits: an LCG's low bits cycle
  };

  const disks = new Resource(env, { capacity: 2, preemptive: true, name: 'disks' });
  const queue = new Store<{ id: number; priority: number }>(env, { capacity: 4, name: 'queue' });
  const credits = new Container(env, { capacity: 20, initial: 10, name: 'credits' });

  // Producer: jobs at tied times, some of them urgent.
  env.process(
    (function* () {
      for (let id = 0; id < 20; id++) {
        yield 5 * rand(3);
        const priority = rand(4) === 0 ? 0 : 2;
        yield queue.put({ id, priority });
        say(`queued job ${id} (priority ${priority})`);
      }
    })(),
    'producer',
  );

  // Workers: take a job, spend credits, hold a disk. An interrupt at any point withdraws
  // whatever the worker was waiting for.
  const worker = (name: string): ProcessBody<void> =>
    (function* () {
      for (;;) {
        let job: { id: number; priority: number } | null = null;
        const take = queue.get();
        let spend: ReturnType<typeof credits.get> | null = null;
        let request: Request | null = null;
        try {
          job = yield take;
          spend = credits.get(1 + (job!.id % 3));
          yield spend;
          request = disks.request({ priority: job!.priority, preempt: job!.priority === 0 });
          yield request;
          say(`${name} runs job ${job!.id} on a disk`);
          yield env.anyOf([env.timeout(5 * (1 + rand(6))), env.timeout(20)]);
          disks.release(request);
          say(`${name} finished job ${job!.id}`);
        } catch (error) {
          queue.cancel(take);
          if (spend !== null) credits.cancel(spend);
          if (request !== null) disks.release(request);
          const cause = (error as Interrupt).cause as Preempted | string;
          const what = job === null ? 'while idle' : `job ${job.id}`;
          say(`${name} lost ${what}: ${typeof cause === 'string' ? cause : `preempted (since ${cause.usageSinceNs})`}`);
        }
      }
    })();
  const workers = [env.process(worker('w1'), 'w1'), env.process(worker('w2'), 'w2'), env.process(worker('w3'), 'w3')];

  // Refill credits on the callback path.
  const refill = (n: number): void => {
    if (credits.level <= 17) credits.put(3);
    say(`refill ${n}, level ${credits.level}`);
    if (n < 10) env.schedule(10, refill, n + 1);
  };
  env.schedule(10, refill, 1);

  // A background scrubber on the callback path of the same disks.
  const scrub = (n: number): void => {
    disks.acquire(
      (request: Request, k: number) => {
        say(`scrub ${k} granted`);
        env.schedule(5, (r: Request) => {
          disks.release(r);
          say(`scrub ${k} done`);
        }, request);
      },
      n,
      { priority: 3 },
    );
    if (n < 4) env.schedule(20, scrub, n + 1);
  };
  env.schedule(5, scrub, 1);

  // A watchdog interrupts a worker now and then.
  env.process(
    (function* () {
      for (let i = 0; i < 3; i++) {
        yield 25;
        const victim = workers[rand(workers.length)]!;
        say(`watchdog interrupts ${victim.name}`);
        victim.interrupt('watchdog');
      }
    })(),
    'watchdog',
  );
  return { env, log };
}

function runModel(): Log {
  const { env, log } = buildModel();
  try {
    env.run({ until: 400, maxEvents: 10_000 });
  } catch (error) {
    log.push([env.now, `run stopped: ${(error as Error).message}`]);
  }
  return log;
}

test('the same model run twice gives the identical log', () => {
  const first = runModel();
  const second = runModel();
  assert.ok(first.length > 60, `the model should do real work (log has ${first.length} entries)`);
  assert.equal(second, first);
});

test('two copies of the model stepped alternately give the same log as a run alone (no shared hidden state)', () => {
  const alone = runModel();
  const a = buildModel();
  const b = buildModel();
  let progressed = true;
  const stepUntil = (env: Environment): boolean => (env.peek() < 400 ? env.step() : false);
  const errors: string[] = [];
  while (progressed) {
    progressed = false;
    for (const model of [a, b]) {
      try {
        if (stepUntil(model.env)) progressed = true;
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  }
  assert.equal(errors, []);
  assert.equal(a.log, alone.filter(([, what]) => !what.startsWith('run stopped')));
  assert.equal(b.log, a.log);
});

test('the model exercises every kind of interaction it is meant to cover', () => {
  const log = runModel();
  const text = log.map(([, what]) => what);
  for (const pattern of [/runs job/, /finished job/, /preempted \(since/, /lost job \d+: watchdog/, /scrub \d granted/, /refill/, /queued job 19/]) {
    assert.ok(
      text.some((what) => pattern.test(what)),
      `expected a log entry matching ${pattern}`,
    );
  }
  assert.not.ok(text.some((what) => what.startsWith('run stopped')), 'the model runs without errors');
  for (let i = 1; i < log.length; i++) assert.ok(log[i]![0] >= log[i - 1]![0], 'time never goes backwards');
});

test('the public API re-exports the engine', async () => {
  const api = await import('../../sim/engine/index.ts');
  for (const name of [
    'Environment',
    'RunawayError',
    'EventQueue',
    'Priority',
    'SimEvent',
    'Timeout',
    'Process',
    'Interrupt',
    'Condition',
    'allOf',
    'anyOf',
    'Resource',
    'Request',
    'Store',
    'StoreGet',
    'StorePut',
    'Container',
    'ContainerRequest',
    'NS_PER_S',
    'secondsToNs',
  ]) {
    assert.ok(name in api, `index.ts exports ${name}`);
  }
});

test.run();
