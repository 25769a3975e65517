import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Environment } from '../../../sim/engine/index.ts';
import { RandomStreams } from '../../../sim/engine/random/index.ts';
import { MetricRegistry } from '../../../sim/metrics/index.ts';
import { FaultInjector, type FaultTiming } from '../../../sim/models/faults/fault-injector.ts';

function injector(timing: FaultTiming, seed = 1, path = 'f') {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const log: string[] = [];
  const fault = new FaultInjector(
    env,
    path,
    timing,
    { inject: (d) => log.push(`inject@${env.now}:${d}`), clear: () => log.push(`clear@${env.now}`) },
    new RandomStreams(seed).stream(`${path}/fault`),
    metrics,
  );
  fault.start();
  const column = (name: string) => metrics.summary().find((c) => c.column === name)?.value;
  return { env, log, column };
}

test('windows: inject at each start, clear at each end; a last window without duration holds for good', () => {
  const f = injector({ kind: 'windows', windows: [{ atNs: 10, durationNs: 5 }, { atNs: 20, durationNs: 10 }, { atNs: 40, durationNs: null }] });
  f.env.run({ until: 50 });
  assert.equal(f.log, ['inject@10:5', 'clear@15', 'inject@20:10', 'clear@30', 'inject@40:null']);
  assert.is(f.column('f/injections'), 3);
  assert.is(f.column('f/active_mean'), (5 + 10 + 10) / 50);
});

test('windows out of order, overlapping, never ending before another, or empty are refused', () => {
  const refuse = (windows: { atNs: number; durationNs: number | null }[], message: RegExp) =>
    assert.throws(() => injector({ kind: 'windows', windows }), message);
  refuse([{ atNs: 10, durationNs: 10 }, { atNs: 15, durationNs: 1 }], /window 1 starts before window 0 ends/);
  refuse([{ atNs: 10, durationNs: null }, { atNs: 30, durationNs: 1 }], /window 0 never ends/);
  refuse([{ atNs: 10, durationNs: 0 }], /must last longer than 0/);
  refuse([], /at least one window/);
  assert.throws(() => injector({ kind: 'random', meanTimeBetweenNs: 0, meanDurationNs: 1, untilNs: Infinity }), /positive mean/);
});

test('random faults: the long-run share of time down is E[D] / (E[T] + E[D]) (renewal-reward theorem, Ross 1996 §3.6)', () => {
  const f = injector({ kind: 'random', meanTimeBetweenNs: 3e6, meanDurationNs: 1e6, untilNs: Infinity });
  f.env.run({ until: 4e9 }); // about 1000 cycles
  const share = f.column('f/active_mean')!;
  // Each cycle's down share has sd ~ 0.35; over ~1000 cycles the estimate's sd is about 0.011.
  assert.ok(Math.abs(share - 0.25) < 0.045, `share down ${share}`);
  const injections = f.column('f/injections')!;
  assert.ok(Math.abs(injections - 1000) < 120, `${injections} faults in 4 s at one per 4 ms`);
  // Alternates strictly: inject, clear, inject, ...
  for (let i = 0; i < f.log.length; i++) assert.ok(f.log[i]!.startsWith(i % 2 === 0 ? 'inject' : 'clear'), f.log[i]);
});

test('random faults repeat for the same seed and path, differ for another, and stop at `until`', () => {
  const run = (seed: number, untilNs = Infinity) => {
    const f = injector({ kind: 'random', meanTimeBetweenNs: 1e6, meanDurationNs: 1e5, untilNs }, seed);
    f.env.run({ until: 1e8 });
    return f.log;
  };
  assert.equal(run(1), run(1));
  assert.not.equal(run(1), run(2));
  const bounded = run(1, 5e7);
  const lastStart = Number(/inject@(\d+)/.exec(bounded.filter((l) => l.startsWith('inject')).at(-1)!)![1]);
  assert.ok(lastStart < 5e7);
  assert.ok(bounded.length < run(1).length);
});

test.run();
