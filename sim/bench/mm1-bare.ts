/**
 * `mm1-bare` and `mm1-bare-1000-queues`: the reference the engine is measured against. The
 * same M/M/1 queues as `mm1-processes` and `mm1-1000-queues` (same streams, so the same
 * draws and the same mean response time), hand-written without the engine: a binary heap
 * whose keys live in typed arrays, per-queue state in typed arrays, no objects per customer.
 *
 * It shows what the machine itself charges for 1,000 queues: a deeper heap and state spread
 * over more cache lines. `mm1-1000-queues`' slowdown is best read against this row's.
 */
import { NS_PER_S } from '../engine/index.ts';
import { RandomStreams, exponential, type RandomStream } from '../engine/random/index.ts';
import { MM1, checkCompleted, checkMeanResponse, round, wallNowMs, wallSecondsSince, type BenchResult } from './common.ts';

const interarrival = exponential(MM1.meanInterarrivalNs);
const service = exponential(MM1.meanServiceNs);

/**
 * Arrival-time ring per queue, kept small so the reference touches as little memory as it
 * can. An M/M/1 at ρ = 0.9 holds 256 customers with probability 0.9^256 ≈ 2e-12; the loop
 * throws rather than overwrite.
 */
const RING = 256;

/** A min-heap of (time, event code) in typed arrays; code = queue * 2 + (1 for a departure). */
class BareHeap {
  private readonly times: Float64Array;
  private readonly codes: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.times = new Float64Array(capacity);
    this.codes = new Int32Array(capacity);
  }

  get topTime(): number {
    return this.times[0]!;
  }

  get topCode(): number {
    return this.codes[0]!;
  }

  push(time: number, code: number): void {
    const times = this.times;
    const codes = this.codes;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent]! <= time) break;
      times[i] = times[parent]!;
      codes[i] = codes[parent]!;
      i = parent;
    }
    times[i] = time;
    codes[i] = code;
  }

  removeTop(): void {
    const times = this.times;
    const codes = this.codes;
    const size = --this.size;
    const time = times[size]!;
    const code = codes[size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && times[child + 1]! < times[child]!) child++;
      if (time <= times[child]!) break;
      times[i] = times[child]!;
      codes[i] = codes[child]!;
      i = child;
    }
    times[i] = time;
    codes[i] = code;
  }
}

function simulate(seed: number, queueCount: number, customersEach: number) {
  const streams = new RandomStreams(seed);
  const arrivalRngs: RandomStream[] = [];
  const serviceRngs: RandomStream[] = [];
  for (let q = 0; q < queueCount; q++) {
    const path = queueCount === 1 ? 'mm1' : `q${String(q).padStart(4, '0')}`;
    arrivalRngs.push(streams.stream(`${path}/arrivals`));
    serviceRngs.push(streams.stream(`${path}/service`));
  }
  const heap = new BareHeap(2 * queueCount + 2);
  const arrivalsLeft = new Float64Array(queueCount).fill(customersEach);
  const inSystem = new Int32Array(queueCount);
  const head = new Int32Array(queueCount);
  const arrivedAt = new Float64Array(queueCount * RING);
  let events = 0;
  let completed = 0;
  let responseSumS = 0;
  for (let q = 0; q < queueCount; q++) {
    arrivalsLeft[q]!--;
    heap.push(Math.round(interarrival.sample(arrivalRngs[q]!)), 2 * q);
  }
  while (heap.size > 0) {
    const now = heap.topTime;
    const code = heap.topCode;
    heap.removeTop();
    events++;
    const q = code >> 1;
    if ((code & 1) === 0) {
      if (arrivalsLeft[q]! > 0) {
        arrivalsLeft[q]!--;
        heap.push(now + Math.round(interarrival.sample(arrivalRngs[q]!)), 2 * q);
      }
      if (inSystem[q] === RING) throw new Error(`mm1-bare: queue ${q} outgrew its ${RING}-customer ring`);
      arrivedAt[q * RING + ((head[q]! + inSystem[q]!) % RING)] = now;
      if (++inSystem[q]! === 1) heap.push(now + Math.round(service.sample(serviceRngs[q]!)), 2 * q + 1);
    } else {
      responseSumS += (now - arrivedAt[q * RING + head[q]!]!) / NS_PER_S;
      completed++;
      head[q] = (head[q]! + 1) % RING;
      if (--inSystem[q]! > 0) heap.push(now + Math.round(service.sample(serviceRngs[q]!)), 2 * q + 1);
    }
  }
  return { events, completed, responseSumS };
}

function bench(name: string, queueCount: number, replications: number, customersEach: number) {
  simulate(1000, queueCount, Math.ceil(200_000 / queueCount)); // JIT warm-up, untimed
  const start = wallNowMs();
  let events = 0;
  let completed = 0;
  let responseSumS = 0;
  for (let r = 0; r < replications; r++) {
    const run = simulate(1 + r, queueCount, customersEach);
    events += run.events;
    completed += run.completed;
    responseSumS += run.responseSumS;
  }
  const wallS = wallSecondsSince(start);
  checkCompleted(name, completed, customersEach * queueCount * replications);
  const meanResponseS = responseSumS / completed;
  checkMeanResponse(name, meanResponseS);
  return { events, wallS, completed, meanResponseS };
}

/** Both rows: one queue (10 million customers in 2 replications) and 1,000 queues. */
export function benchMm1BareRows(customers = 10_000_000, queueCount = 1000): BenchResult[] {
  const one = bench('mm1-bare', 1, 2, customers / 2);
  const many = bench('mm1-bare-1000-queues', queueCount, 1, Math.ceil(customers / queueCount));
  const oneRate = one.completed / one.wallS;
  const manyRate = many.completed / many.wallS;
  const row = (name: string, r: typeof one, extra: Record<string, number | null>): BenchResult => ({
    name,
    events: r.events,
    wall_s: round(r.wallS, 4),
    events_per_s: Math.round(r.events / r.wallS),
    customers_per_s: Math.round(r.completed / r.wallS),
    mean_response_s: round(r.meanResponseS, 4),
    ...extra,
    customers: r.completed,
  });
  return [
    row('mm1-bare', one, {}),
    row('mm1-bare-1000-queues', many, { slowdown_vs_one_queue: round(oneRate / manyRate, 3), queues: queueCount }),
  ];
}

export const MM1_BARE_BENCH_NAMES = ['mm1-bare', 'mm1-bare-1000-queues'] as const;
