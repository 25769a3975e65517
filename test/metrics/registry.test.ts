import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MetricRegistry } from '../../sim/metrics/registry.ts';
import { FakeScheduler } from './fakes.ts';

test('summary columns are <path>[_<stat>][_<unit>], sorted by name whatever the creation order', () => {
  const clock = { now: 0 };
  const r = new MetricRegistry(clock);
  const latency = r.histogram('server/response_time', { unit: 's' });
  const writes = r.counter('ssd0/host_writes', { unit: 'B', scale: 1 });
  const queue = r.timeWeighted('server/queue_length');
  const completed = r.counter('server/completed');
  const busy = r.timeWeighted('server/busy', { initial: 1 });

  for (const ns of [1e9, 2e9, 3e9]) latency.record(ns);
  writes.add(4096);
  completed.add(3);
  clock.now = 100;
  queue.set(4);
  clock.now = 200; // queue: 0 over [0,100), 4 over [100,200) → mean 2

  assert.equal(r.summary(), [
    { column: 'server/busy_max', value: 1 },
    { column: 'server/busy_mean', value: 1 },
    { column: 'server/completed', value: 3 },
    { column: 'server/queue_length_max', value: 4 },
    { column: 'server/queue_length_mean', value: 2 },
    { column: 'server/response_time_count', value: 3 },
    { column: 'server/response_time_max_s', value: 3 },
    { column: 'server/response_time_mean_s', value: 2 },
    // 2e9 ns lies in bucket [1996488704, 2004877312): reported at the lower bound
    { column: 'server/response_time_p50_s', value: 1.996488704 },
    { column: 'server/response_time_p95_s', value: 3 },
    { column: 'server/response_time_p999_s', value: 3 },
    { column: 'server/response_time_p99_s', value: 3 },
    { column: 'ssd0/host_writes_B', value: 4096 },
  ]);
  assert.ok(busy.value === 1);
});

test('time units scale from nanoseconds; other units use their explicit scale', () => {
  const r = new MetricRegistry({ now: 0 });
  r.counter('t/in_ns', { unit: 'ns' }).add(1_500_000);
  r.counter('t/in_us', { unit: 'us' }).add(1_500_000);
  r.counter('t/in_ms', { unit: 'ms' }).add(1_500_000);
  r.counter('t/in_s', { unit: 's' }).add(1_500_000_000);
  r.counter('t/in_kib', { unit: 'KiB', scale: 1 / 1024 }).add(3072);
  r.counter('t/plain').add(7);
  assert.equal(r.summary(), [
    { column: 't/in_kib_KiB', value: 3 },
    { column: 't/in_ms_ms', value: 1.5 },
    { column: 't/in_ns_ns', value: 1_500_000 },
    { column: 't/in_s_s', value: 1.5 },
    { column: 't/in_us_us', value: 1500 },
    { column: 't/plain', value: 7 },
  ]);
});

test('bad units are rejected with a clear error', () => {
  const r = new MetricRegistry({ now: 0 });
  assert.throws(() => r.counter('a', { unit: 'B' }), /not a time unit .* explicit scale/);
  assert.throws(() => r.counter('b', { scale: 2 }), /without a unit label/);
  assert.throws(() => r.counter('c', { unit: 'B', scale: 0 }), /finite number > 0/);
  assert.throws(() => r.counter('d', { unit: 'by tes', scale: 1 }), /Invalid unit label/);
  assert.equal(r.paths(), []);
});

test('an empty histogram summarises as count 0 and NaN statistics', () => {
  const r = new MetricRegistry({ now: 0 });
  r.histogram('idle/latency', { unit: 'ms' });
  const summary = r.summary();
  assert.equal(summary[0], { column: 'idle/latency_count', value: 0 });
  assert.ok(summary.slice(1).every((c) => Number.isNaN(c.value)));
});

test('asking for an existing path returns the same metric when the kind and unit match', () => {
  const r = new MetricRegistry({ now: 0 });
  const c = r.counter('server/completed', { unit: 'B', scale: 1 });
  assert.is(r.counter('server/completed'), c);
  assert.is(r.counter('server/completed', { unit: 'B', scale: 1 }), c);
  const h = r.histogram('server/latency', { unit: 'us', sample: ['p99'] });
  assert.is(r.histogram('server/latency'), h);
  assert.is(r.histogram('server/latency', { unit: 'us' }), h);
  assert.equal(r.paths(), ['server/completed', 'server/latency']);
  assert.is(r.kindOf('server/latency'), 'histogram');
  assert.is(r.kindOf('nope'), undefined);
});

test('asking for an existing path as another kind, or with another unit, throws', () => {
  const r = new MetricRegistry({ now: 0 });
  r.counter('server/completed');
  r.histogram('server/latency', { unit: 'us', sample: ['p99'] });
  assert.throws(() => r.histogram('server/completed'), /"server\/completed" is already a counter; it cannot also be a histogram/);
  assert.throws(() => r.timeWeighted('server/latency'), /already a histogram/);
  assert.throws(() => r.counter('server/completed', { unit: 's' }), /already exists with unit/);
  assert.throws(() => r.histogram('server/latency', { unit: 'ms' }), /already exists with unit "us"/);
  assert.throws(() => r.histogram('server/latency', { sample: ['p50'] }), /different options/);
  assert.throws(() => r.histogram('server/latency', { subBucketBits: 4 }), /different options/);
});

test('invalid metric paths are rejected with an error naming the path and the expected form', () => {
  const r = new MetricRegistry({ now: 0 });
  for (const bad of ['', 'Server/x', 'a//b', '/a', 'a/', 'a b', 'a.b', 'disk#1']) {
    assert.throws(() => r.counter(bad), (e: Error) => e.message.startsWith(`Invalid metric path ${JSON.stringify(bad)}`));
  }
  for (const good of ['a', 'ssd0/host_writes', 'raid-1/disk_3/busy']) r.counter(good);
  assert.equal(r.paths(), ['a', 'ssd0/host_writes', 'raid-1/disk_3/busy']);
});

test('metrics whose output names would collide are rejected', () => {
  const r = new MetricRegistry({ now: 0 });
  r.counter('a_mean');
  assert.throws(() => r.timeWeighted('a'), /would produce output "a_mean", already produced by "a_mean"/);
  r.counter('lat_count');
  assert.throws(() => r.histogram('lat'), /"lat_count"/);
  assert.equal(r.paths(), ['a_mean', 'lat_count']);
});

test('histogram sample statistics must be known and distinct', () => {
  const r = new MetricRegistry({ now: 0 });
  assert.throws(() => r.histogram('x', { sample: ['p90' as never] }), /Unknown histogram statistic "p90"/);
  assert.throws(() => r.histogram('x', { sample: ['p99', 'p99'] }), /twice/);
});

test('reset() excludes the warm-up from every summary statistic', () => {
  const clock = { now: 0 };
  const r = new MetricRegistry(clock);
  const ops = r.counter('disk/ops');
  const queue = r.timeWeighted('disk/queue_length');
  const latency = r.histogram('disk/latency');
  // warm-up: a burst of slow requests and a long queue
  queue.set(50);
  for (let i = 0; i < 100; i++) {
    ops.add();
    latency.record(1_000_000);
  }
  clock.now = 1000;
  queue.set(2);
  r.reset();
  // measured period: [1000, 3000): queue 2 then 0 from 2000 → mean 1
  ops.add();
  latency.record(10);
  latency.record(30);
  clock.now = 2000;
  queue.set(0);
  clock.now = 3000;
  const s = new Map(r.summary().map((c) => [c.column, c.value]));
  assert.is(s.get('disk/ops'), 1);
  assert.is(s.get('disk/queue_length_mean'), 1);
  assert.is(s.get('disk/queue_length_max'), 2);
  assert.is(s.get('disk/latency_count'), 2);
  assert.is(s.get('disk/latency_mean'), 20);
  assert.is(s.get('disk/latency_max'), 30);
});

/** A small model run on the fake scheduler: returns the registry after `endNs`. */
function runDisk(sample: boolean, endNs = 300): MetricRegistry {
  const s = new FakeScheduler();
  const r = new MetricRegistry(s);
  const ops = r.counter('disk/ops');
  const queue = r.timeWeighted('disk/queue_length');
  const latency = r.histogram('disk/latency', { unit: 'us', sample: ['count', 'mean', 'p99'] });
  if (sample) r.startSampling(s, 100);
  const event = (t: number, q: number, ns: number) =>
    s.at(t, () => {
      queue.set(q);
      ops.add();
      latency.record(ns);
    });
  event(10, 2, 1000);
  event(60, 0, 3000);
  event(150, 4, 2000);
  s.runUntil(endNs);
  return r;
}

test('sampled rows: counters cumulative, time-weighted interval means, histogram interval statistics', () => {
  const r = runDisk(true);
  assert.equal(r.samples(), [
    { timeNs: 100, metric: 'disk/ops', value: 2 },
    { timeNs: 100, metric: 'disk/queue_length_mean', value: 1 }, // (2·50) / 100
    { timeNs: 100, metric: 'disk/latency_count', value: 2 },
    { timeNs: 100, metric: 'disk/latency_mean_us', value: 2 },
    { timeNs: 100, metric: 'disk/latency_p99_us', value: 2.992 }, // 3000 ns in bucket [2992, 3008)
    { timeNs: 200, metric: 'disk/ops', value: 3 },
    { timeNs: 200, metric: 'disk/queue_length_mean', value: 2 }, // (4·50) / 100
    { timeNs: 200, metric: 'disk/latency_count', value: 1 },
    { timeNs: 200, metric: 'disk/latency_mean_us', value: 2 },
    { timeNs: 200, metric: 'disk/latency_p99_us', value: 2 },
    { timeNs: 300, metric: 'disk/ops', value: 3 },
    { timeNs: 300, metric: 'disk/queue_length_mean', value: 4 },
    { timeNs: 300, metric: 'disk/latency_count', value: 0 },
    { timeNs: 300, metric: 'disk/latency_mean_us', value: NaN }, // nothing recorded in (200, 300]
    { timeNs: 300, metric: 'disk/latency_p99_us', value: NaN },
  ]);
});

test('sampling only reads: the summary is the same with and without it', () => {
  assert.equal(runDisk(true).summary(), runDisk(false).summary());
  assert.equal(runDisk(false).samples(), []);
});

test('include patterns choose the sampled metrics, also those created later', () => {
  const s = new FakeScheduler();
  const r = new MetricRegistry(s);
  r.counter('ssd0/host_writes').add(1);
  r.counter('ssd1/host_writes').add(2);
  r.counter('hdd0/host_writes').add(3);
  r.timeWeighted('server/queue_length', { initial: 5 });
  r.startSampling(s, 10, { include: ['ssd*', '**/queue_length'] });
  r.counter('ssd2/host_writes').add(4); // created while sampling: joins
  r.counter('hdd1/host_writes').add(5); // not selected
  s.runUntil(10);
  assert.equal(r.samples(), [
    { timeNs: 10, metric: 'ssd0/host_writes', value: 1 },
    { timeNs: 10, metric: 'ssd1/host_writes', value: 2 },
    { timeNs: 10, metric: 'server/queue_length_mean', value: 5 },
    { timeNs: 10, metric: 'ssd2/host_writes', value: 4 },
  ]);
});

test('a reset while sampling restarts counters but leaves interval means whole', () => {
  const s = new FakeScheduler();
  const r = new MetricRegistry(s);
  const ops = r.counter('ops');
  const level = r.timeWeighted('level', { initial: 1 });
  r.startSampling(s, 100, { untilNs: 200 });
  ops.add(10);
  s.at(50, () => {
    level.set(3);
    r.reset();
    ops.add(1);
  });
  s.runUntil(1000);
  assert.equal(r.samples(), [
    { timeNs: 100, metric: 'ops', value: 1 },
    { timeNs: 100, metric: 'level_mean', value: 2 }, // 1 over [0,50), 3 over [50,100)
    { timeNs: 200, metric: 'ops', value: 1 },
    { timeNs: 200, metric: 'level_mean', value: 3 },
  ]);
  r.stopSampling();
  assert.throws(() => r.startSampling(s, 100), /already started/);
});

test('a gauge reports its reading function at summary and sample time, and hears resets', () => {
  const clock = { now: 0 };
  const r = new MetricRegistry(clock);
  const host = r.counter('ssd0/host_writes');
  const nand = r.counter('ssd0/nand_writes');
  let resets = 0;
  r.gauge('ssd0/write_amplification', () => nand.value / host.value, { onReset: () => resets++ });
  r.gauge('ssd0/cost', () => 2.5, { unit: 'USD', scale: 1 });
  host.add(4);
  nand.add(10);
  assert.equal(r.summary(), [
    { column: 'ssd0/cost_USD', value: 2.5 },
    { column: 'ssd0/host_writes', value: 4 },
    { column: 'ssd0/nand_writes', value: 10 },
    { column: 'ssd0/write_amplification', value: 2.5 },
  ]);
  r.reset();
  assert.is(resets, 1);
  assert.ok(Number.isNaN(r.summary().find((c) => c.column === 'ssd0/write_amplification')!.value)); // 0 / 0 after reset
  const s = new FakeScheduler();
  r.startSampling(s, 100, { include: ['ssd0/cost'] });
  s.runUntil(100);
  assert.equal(r.samples(), [{ timeNs: 100, metric: 'ssd0/cost_USD', value: 2.5 }]);
  assert.throws(() => r.gauge('ssd0/cost', () => 1), /already exists/);
  assert.is(r.kindOf('ssd0/cost'), 'gauge');
});

test.run();
