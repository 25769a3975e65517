/**
 * The IO path as a queue: CPU cost per request on the host's cores in front of the backing
 * device. References: exact deterministic (D/D/1) schedules worked by hand; the
 * Pollaczek–Khinchine mean for M/D/1 (Kleinrock, Queueing Systems Vol. I, 1975, eq. 5.72);
 * the utilization law U = X·S (Denning & Buzen, "The Operational Analysis of Queueing
 * Network Models", Computing Surveys 1978).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exponential, RandomStreams } from '../../../sim/engine/random/index.ts';
import { IoOp } from '../../../sim/models/block/io-request.ts';
import { HYPERVISORS, ILLUSTRATIVE_PATH_COSTS } from '../../../sim/models/host/hypervisor.ts';
import { IO_PATH_KINDS, totalCpuNs, type IoPathKind } from '../../../sim/models/host/io-path.ts';
import { mean, oneVmWorld, S, US } from './harness.ts';

const onlySubmit = (ns: number) => ({ submitNs: ns, completeNs: 0, copyBytesPerS: Infinity });

test('D/D/1: one core, 3 µs per request, arrivals every 1 µs: request k waits 2k µs (hand schedule)', () => {
  const w = oneVmWorld({ host: { cores: 1, pathCosts: { paravirtual: onlySubmit(3 * US) } } });
  for (let k = 0; k < 5; k++) w.requester.submitAt(k * US, IoOp.Read, 0, 4096);
  w.env.run();
  // Core busy [0,3), [3,6), ... so request k completes at 3(k+1) µs, having arrived at k µs.
  assert.equal(w.requester.completions.map((c) => c.latencyNs / US), [3, 5, 7, 9, 11]);
  assert.is(w.value('vm1/read_latency_mean_us'), 7);
  assert.is(w.value('vm1/reads'), 5);
});

test('both CPU phases share the core FIFO: submit 2 µs, device 10 µs, complete 3 µs, two requests at 0', () => {
  const w = oneVmWorld({
    host: { cores: 1, pathCosts: { paravirtual: { submitNs: 2 * US, completeNs: 3 * US } } },
    deviceLatencyNs: 10 * US,
  });
  w.requester.submitAt(0, IoOp.Write, 0, 4096);
  w.requester.submitAt(0, IoOp.Write, 4096, 4096);
  w.env.run();
  // A: cpu [0,2), device [2,12), cpu [12,15). B: cpu [2,4), device [4,14), core busy until 15: cpu [15,18).
  assert.equal(w.requester.completions.map((c) => c.latencyNs / US), [15, 18]);
  assert.equal(w.device.log.map((e) => e.atNs / US), [2, 4]);
  assert.is(w.value('host1/paravirtual/cpu_per_io_mean_us'), 5);
});

test('copy cost: emulated path charges size / copyRate before the device for writes and after it for reads', () => {
  const cost = { submitNs: 1 * US, completeNs: 1 * US, copyBytesPerS: 1e9 }; // 1 ns per byte
  const w = oneVmWorld({ host: { pathCosts: { emulated: cost } }, path: 'emulated', format: 'qcow2', deviceLatencyNs: 5 * US });
  w.requester.submitAt(0, IoOp.Write, 0, 8192);
  w.requester.submitAt(100 * US, IoOp.Read, 0, 4096);
  w.env.run();
  assert.is(w.device.log[0]!.atNs, 1 * US + 8192, 'write: copy before the device');
  assert.is(w.device.log[1]!.atNs, 100 * US + 1 * US, 'read: no copy before the device');
  assert.equal(w.requester.completions.map((c) => c.latencyNs), [1000 + 8192 + 5000 + 1000, 1000 + 5000 + 1000 + 4096]);
  assert.is(totalCpuNs(cost, IoOp.Write, 8192), 10192);
  assert.is(totalCpuNs(cost, IoOp.Trim, 8192), 2000, 'a trim moves no data');
});

test('M/D/1: Poisson arrivals, one core, fixed CPU cost, zero-latency device: mean latency matches Pollaczek–Khinchine', () => {
  const d = 10 * US;
  const rho = 0.6;
  const lambda = rho / d; // per ns
  const w = oneVmWorld({ host: { cores: 1, pathCosts: { paravirtual: onlySubmit(d) } }, deviceLatencyNs: 0 });
  const stream = new RandomStreams(7).stream('arrivals');
  const gap = exponential(1 / lambda);
  const n = 300_000;
  let issued = 0;
  const arrive = () => {
    w.requester.submit(IoOp.Read, 0, 4096);
    if (++issued < n) w.env.schedule(gap.sample(stream), arrive, null);
  };
  w.env.schedule(gap.sample(stream), arrive, null);
  w.env.run();
  const simulated = mean(w.requester.completions.map((c) => c.latencyNs));
  // P-K (Kleinrock 1975, eq. 5.72) for deterministic service: W = D + ρD / (2(1 − ρ)).
  const reference = d + (rho * d) / (2 * (1 - rho));
  const error = Math.abs(simulated - reference) / reference;
  assert.ok(error < 0.025, `M/D/1 mean ${simulated} ns vs P-K ${reference} ns (error ${(error * 100).toFixed(2)}%)`);
  // Utilization law on the measured run: U = X·S (Denning & Buzen 1978).
  const u = w.value('host1/cpu_utilization_mean')!;
  const x = w.requester.completions.length / w.env.now;
  assert.ok(Math.abs(u - x * d) < 1e-9, `U ${u} vs X·S ${x * d}`);
});

/** Poisson arrivals at `ratePerS` to one VM disk on a `cores`-core host for `durationS`; returns the world. */
function loaded(path: IoPathKind, cores: number, ratePerS: number, durationS: number, deviceLatencyNs: number) {
  const w = oneVmWorld({ host: { cores }, path, format: path === 'passthrough' ? 'raw' : 'qcow2', deviceLatencyNs });
  const stream = new RandomStreams(3).stream('arrivals'); // same arrivals for every path (common random numbers)
  const gap = exponential(S / ratePerS);
  const stopNs = durationS * S;
  const arrive = () => {
    w.requester.submit(IoOp.Read, 0, 4096);
    const next = gap.sample(stream);
    if (w.env.now + next < stopNs) w.env.schedule(next, arrive, null);
  };
  w.env.schedule(gap.sample(stream), arrive, null);
  w.env.run();
  return w;
}

test('default costs: latency passthrough < paravirtual < emulated on the same device, unloaded and loaded', () => {
  const latency = 20 * US;
  const unloaded: Record<string, number> = {};
  for (const path of IO_PATH_KINDS) {
    const w = oneVmWorld({ path, format: path === 'passthrough' ? 'raw' : 'qcow2', deviceLatencyNs: latency });
    w.requester.submitAt(0, IoOp.Read, 0, 4096);
    w.env.run();
    unloaded[path] = w.requester.completions[0]!.latencyNs;
    // Alone on the host, latency = the path's CPU time + the device's latency, exactly.
    assert.is(unloaded[path], totalCpuNs(ILLUSTRATIVE_PATH_COSTS[path], IoOp.Read, 4096) + latency, path);
  }
  assert.ok(unloaded.passthrough! < unloaded.paravirtual! && unloaded.paravirtual! < unloaded.emulated!, JSON.stringify(unloaded));
  const meanLoaded = (path: IoPathKind) => loaded(path, 2, 20_000, 0.5, latency).value('vm1/read_latency_mean_us')!;
  const [pt, pv, em] = [meanLoaded('passthrough'), meanLoaded('paravirtual'), meanLoaded('emulated')];
  assert.ok(pt < pv && pv < em, `loaded means ${pt} < ${pv} < ${em} µs`);
});

test('utilization law: 4 cores, Poisson λ, CPU utilization = λ × CPU per request / cores (Denning & Buzen 1978)', () => {
  const cores = 4;
  const rate = 60_000; // per s: emulated then needs 2.5 of the 4 cores
  for (const path of ['paravirtual', 'emulated'] as const) {
    const w = loaded(path, cores, rate, 2, 30 * US);
    const cost = totalCpuNs(HYPERVISORS.kvm.defaultCosts[path], IoOp.Read, 4096) / S; // seconds per request
    const measured = w.value('host1/cpu_utilization_mean')!;
    const expected = (rate * cost) / cores;
    // λ·S/c holds in expectation; 120 000 arrivals give a count within ±0.3 % (1 sd) of λT.
    assert.ok(Math.abs(measured - expected) / expected < 0.015, `${path}: U ${measured} vs λS/c ${expected}`);
    // And exactly against the measured throughput (plus work still in progress at the end: none, the run drained).
    const x = w.value('vm1/reads')! / (w.env.now / S);
    assert.ok(Math.abs(measured - (x * cost) / cores) < 1e-9, `${path}: U ${measured} vs X·S/c ${(x * cost) / cores}`);
    assert.is(w.value(`host1/${path}/cpu_per_io_mean_us`), cost * 1e6);
  }
});

test('hypervisor profiles: native formats and path names', () => {
  assert.is(HYPERVISORS.esxi.nativeFormat, 'vmdk');
  assert.is(HYPERVISORS.hyperv.nativeFormat, 'vhdx');
  assert.is(HYPERVISORS.kvm.nativeFormat, 'qcow2');
  assert.is(HYPERVISORS.kvm.pathNames.paravirtual, 'virtio-blk');
  assert.is(HYPERVISORS.hyperv.pathNames.paravirtual, 'storvsc');
  assert.is(HYPERVISORS.esxi.pathNames.paravirtual, 'pvscsi');
  for (const kind of ['esxi', 'hyperv', 'kvm'] as const) assert.ok(HYPERVISORS[kind].formats.includes(HYPERVISORS[kind].nativeFormat));
});

test('queueDepth: at most that many requests in the path; the rest wait in arrival order', () => {
  const w = oneVmWorld({ host: { cores: 8, pathCosts: { paravirtual: onlySubmit(0) } }, disk: { queueDepth: 2 }, deviceLatencyNs: 10 * US });
  for (let k = 0; k < 5; k++) w.requester.submitAt(0, IoOp.Read, k * 4096, 4096);
  w.env.run();
  assert.equal(w.device.log.map((e) => [e.atNs / US, e.offsetBytes / 4096]), [[0, 0], [0, 1], [10, 2], [10, 3], [20, 4]]);
  assert.equal(w.requester.completions.map((c) => c.latencyNs / US), [10, 10, 20, 20, 30]);
});

test.run();
