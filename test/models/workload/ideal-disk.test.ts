import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Environment } from '../../../sim/engine/index.ts';
import { constant, exponential, RandomStreams } from '../../../sim/engine/random/index.ts';
import { MetricRegistry } from '../../../sim/metrics/index.ts';
import { IoOp, IoRequest, IoStatus } from '../../../sim/models/block/io-request.ts';
import { IdealDisk } from '../../../sim/models/workload/ideal-disk.ts';
import { SyntheticWorkload } from '../../../sim/models/workload/synthetic.ts';

function world(seed = 1) {
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  return { env, metrics, streams: new RandomStreams(seed), value: (c: string) => metrics.summary().find((x) => x.column === c)?.value };
}

test('service time is latency + size / bandwidth, FIFO on one server (hand-computed D/D/1 timeline)', () => {
  const { env, metrics } = world();
  const disk = new IdealDisk(env, 'd', { capacityBytes: 1 << 20, sectorBytes: 512, latencyNs: 100_000, bandwidthBytesPerS: 1e9 }, metrics);
  assert.is(disk.serviceNs(4096), 104_096);
  const done: [number, number][] = [];
  const requester = { ioCompleted: (r: IoRequest) => void done.push([r.tag, env.now]) };
  for (let i = 0; i < 3; i++) {
    const r = new IoRequest(requester).prepare(IoOp.Write, i * 4096, 4096, 0);
    r.tag = i;
    disk.submit(r);
  }
  env.run();
  assert.equal(done, [[0, 104_096], [1, 208_192], [2, 312_288]]);
});

test('M/D/1 at ρ = 0.5: mean response time S + ρS/(2(1 − ρ)) (Pollaczek–Khinchine; Kleinrock 1975) within a 99.9% interval over 10 replications', () => {
  const S = 1e6;
  const means: number[] = [];
  for (let rep = 0; rep < 10; rep++) {
    const { env, metrics, streams, value } = world(100 + rep);
    const disk = new IdealDisk(env, 'd', { capacityBytes: 1 << 30, latencyNs: S }, metrics);
    new SyntheticWorkload(env, 'w', { loop: { kind: 'open', interarrivalNs: exponential(2 * S) }, readFraction: 1, sizeBytes: constant(4096), pattern: 'random', requestLimit: 20_000 }, disk, streams, metrics).start();
    env.run();
    means.push(value('w/read_latency_mean_us')!);
  }
  const mean = means.reduce((a, b) => a + b, 0) / means.length;
  const sd = Math.sqrt(means.reduce((a, b) => a + (b - mean) ** 2, 0) / (means.length - 1));
  const halfWidth = 4.781 * (sd / Math.sqrt(means.length)); // Student t, 9 degrees of freedom, 99.9%
  const reference = (S + (0.5 * S) / (2 * 0.5)) / 1e3; // 1500 us
  assert.ok(Math.abs(mean - reference) <= halfWidth, `mean ${mean} us ± ${halfWidth} vs ${reference} us`);
  assert.ok(halfWidth < 0.03 * reference, 'the interval is narrow enough to mean something');
});

test('c servers with c requests in flight: no queueing, latency = S, busy_servers mean = c', () => {
  const { env, metrics, streams, value } = world();
  const disk = new IdealDisk(env, 'd', { capacityBytes: 1 << 30, servers: 3, latencyNs: 1e6 }, metrics);
  new SyntheticWorkload(env, 'w', { loop: { kind: 'closed', queueDepth: 3 }, readFraction: 1, sizeBytes: constant(512), pattern: 'random' }, disk, streams, metrics).start();
  env.run({ until: 1e9 });
  assert.is(value('w/read_latency_max_us'), 1000);
  assert.is(value('d/busy_servers_mean'), 3);
  assert.is(value('d/completed'), 2997, 'rounds finish at 1, 2, ..., 999 ms; the one due at the 1 s stop time stays pending');
});

test('setFailing: requests finishing while failing complete as Failed with the reason; bad requests are refused', () => {
  const { env, metrics } = world();
  const disk = new IdealDisk(env, 'd', { capacityBytes: 8192, sectorBytes: 4096, latencyNs: 10 }, metrics);
  const seen: [IoStatus, string][] = [];
  const requester = { ioCompleted: (r: IoRequest) => void seen.push([r.status, r.failure]) };
  disk.submit(new IoRequest(requester).prepare(IoOp.Read, 0, 4096, 0));
  env.run();
  disk.setFailing(true, 'controller down');
  disk.submit(new IoRequest(requester).prepare(IoOp.Read, 0, 4096, env.now));
  env.run();
  assert.equal(seen, [[IoStatus.Ok, ''], [IoStatus.Failed, 'controller down']]);
  assert.throws(() => disk.submit(new IoRequest(requester).prepare(IoOp.Read, 4096, 8192, env.now)), /d: bad request from its requester: \[4096, 12288\) B is outside the device's 8192 B/);
  assert.throws(() => new IdealDisk(env, 'x', { capacityBytes: 100, latencyNs: 1 }, metrics), /capacity 100 B must be an integer of at least one sector/);
});

test.run();
