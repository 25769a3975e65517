/**
 * A volume whose backend has one slot and a constant service time, under Poisson reads, is an
 * M/D/1 queue: its mean response time must match the Pollaczek–Khinchine mean value formula
 * (Kleinrock 1975, Queueing Systems vol. I, eq. 5.72), T = D + λD² / (2(1 − ρ)), within the 95%
 * confidence interval of independent replications (and that interval must be tight, so a pass
 * is not luck). Reads go through the backend before the port; the port is made so fast that its
 * transfer rounds to 0 ns, so the backend alone is measured.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { constant, exponential } from '../../../sim/engine/random/index.ts';
import { IoOp, IoRequest, type IoRequester } from '../../../sim/models/block/io-request.ts';
import { pollaczekKhinchineResponseTime } from '../../../sim/validation/references.ts';
import { meanInterval } from '../../../sim/stats/confidence.ts';
import { world } from './harness.ts';

const SERVICE_NS = 1e6; // D = 1 ms
const RHO = 0.7;
const IOS = 40_000;
const WARMUP_IOS = 2_000;

function replication(seed: number): number {
  const w = world(seed);
  const array = w.array('a', {
    backend: { parallelism: 1, readLatencyNs: constant(SERVICE_NS), writeLatencyNs: constant(SERVICE_NS), bandwidthBytesPerS: Infinity },
    ports: [{ bandwidthBytesPerS: 1e15 }],
  });
  const volume = array.addVolume('vol', { capacityBytes: 1 << 30, sectorBytes: 4096 });
  const interarrival = exponential(SERVICE_NS / RHO);
  const stream = w.streams.stream('arrivals');
  let sum = 0;
  let measured = 0;
  const requester: IoRequester = {
    ioCompleted(request) {
      if (request.tag >= WARMUP_IOS) {
        sum += w.env.now - request.submittedNs;
        measured++;
      }
    },
  };
  let issued = 0;
  const arrive = () => {
    const request = new IoRequest(requester).prepare(IoOp.Read, 0, 4096, w.env.now);
    request.tag = issued++;
    volume.submit(request);
    if (issued < IOS) w.env.schedule(interarrival.sample(stream), arrive, null);
  };
  w.env.schedule(interarrival.sample(stream), arrive, null);
  w.env.run();
  assert.is(measured, IOS - WARMUP_IOS);
  return sum / measured;
}

test('one slot, constant service, Poisson arrivals: mean response time is the M/D/1 Pollaczek–Khinchine mean', () => {
  const means = Array.from({ length: 10 }, (_, r) => replication(100 + r));
  const ci = meanInterval(means);
  const reference = pollaczekKhinchineResponseTime({ lambda: RHO / SERVICE_NS, serviceMeanS: SERVICE_NS, serviceVarianceS2: 0, servers: 1 });
  // T = 1 ms + 0.7 ms / (2 · 0.3) = 2.1667 ms
  assert.ok(Math.abs(reference - (SERVICE_NS + (RHO * SERVICE_NS) / (2 * (1 - RHO)))) < 1e-6);
  assert.ok(ci.low <= reference && reference <= ci.high, `reference ${reference} ns outside the 95% CI [${ci.low}, ${ci.high}]`);
  assert.ok((ci.high - ci.low) / 2 < 0.03 * reference, `CI half-width ${(ci.high - ci.low) / 2} ns is wider than 3% of the mean`);
});

test('a lone read on an idle backend takes exactly its service time (no queueing at rho -> 0)', () => {
  const w = world(1);
  const array = w.array('a', {
    backend: { parallelism: 1, readLatencyNs: constant(2e6), writeLatencyNs: constant(2e6), bandwidthBytesPerS: Infinity },
    ports: [{ bandwidthBytesPerS: 1e15 }],
  });
  const volume = array.addVolume('vol', { capacityBytes: 1 << 20 });
  let latency = NaN;
  const request = new IoRequest({ ioCompleted: (r) => (latency = w.env.now - r.submittedNs) }).prepare(IoOp.Read, 0, 512, 0);
  volume.submit(request);
  w.env.run();
  assert.is(latency, 2e6);
});

test.run();
