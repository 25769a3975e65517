/**
 * SSD benchmarks:
 * - `ssd-fast-uniform`: fast mode, greedy GC, uniform random single-page writes at steady
 *   state on a 4 GiB (raw) device, 256 pages per block, spare factor 0.2. Reports
 *   `host_writes_per_s` and `write_amplification` (checked against the analytic greedy value,
 *   so a broken FTL cannot post a fast number). Throughput is bound by memory: every write
 *   touches the mapping at a random place, so it falls once the maps outgrow the CPU caches
 *   (about 3 M writes/s at 16 GiB on the development machine; see `ssd-fast-1tib`).
 * - `ssd-fast-1tib`: a device exporting 1 TiB at 4 KiB pages (spare factor 0.07) filled in order,
 *   then overwritten once at random; `host_writes_per_s` over both passes and `peak_rss_bytes`
 *   (the process's maximum resident set).
 * - `ssd-timed-mixed`: timed mode, MQSim-like geometry (8 channels × 4 chips × 2 dies × 2
 *   planes, 64 blocks of 128 pages of 4 KiB: 4 GiB), 70% reads / 30% writes of random 4 KiB pages, through an NVMe
 *   controller with four SR-IOV virtual functions, each kept at queue depth 32;
 *   `ios_per_s` = simulated IOs per wall-clock second.
 */
import { greedy } from '../../policies/gc-victim/greedy.ts';
import { roundRobin } from '../../policies/nvme-arbitration/round-robin.ts';
import { Environment } from '../engine/index.ts';
import { RandomStreams, type RandomStream } from '../engine/random/index.ts';
import { MetricRegistry } from '../metrics/index.ts';
import { IoOp, IoRequest, type BlockDevice, type IoRequester } from '../models/block/io-request.ts';
import { NvmeController } from '../models/nvme/controller.ts';
import { Ftl } from '../models/ssd/ftl.ts';
import { Geometry, type GeometrySpec } from '../models/ssd/geometry.ts';
import { NAND_TIMING_PRESETS } from '../models/ssd/nand-timing.ts';
import { Ssd } from '../models/ssd/ssd.ts';
import { greedyWriteAmplification } from '../validation/write-amplification.ts';
import { progress, round, wallNowMs, wallSecondsSince, type BenchResult } from './common.ts';

function makeFtl(spec: GeometrySpec, spareFactor: number, seed = 1): Ftl {
  const streams = new RandomStreams(seed);
  return new Ftl({
    geometry: new Geometry(spec),
    spareFactor,
    gcThresholdBlocks: 2,
    victimPolicy: greedy.create({}),
    planeStream: (plane) => streams.stream(`ssd/gc-victim/plane${plane}`),
  });
}

function writeRandom(ftl: Ftl, rng: RandomStream, count: number): void {
  const pages = ftl.logicalPages;
  for (let i = 0; i < count; i++) ftl.writeHost(rng.nextInt(pages), ftl.nextHostPlane());
}

export function benchSsdFastUniform(measuredWrites = 20_000_000): BenchResult {
  const name = 'ssd-fast-uniform';
  const spareFactor = 0.2;
  const pagesPerBlock = 256;
  const ftl = makeFtl({ channels: 8, chipsPerChannel: 1, diesPerChip: 1, planesPerDie: 1, blocksPerPlane: 512, pagesPerBlock, pageBytes: 4096 }, spareFactor);
  const rng = new RandomStreams(1).stream('bench/writes');
  for (let lpn = 0; lpn < ftl.logicalPages; lpn++) ftl.writeHost(lpn, ftl.nextHostPlane());
  progress(`${name}: prefilled ${ftl.logicalPages} pages; warming up to steady state`);
  writeRandom(ftl, rng, 3 * ftl.logicalPages);
  ftl.resetCounters();
  const start = wallNowMs();
  const cpuStart = process.cpuUsage();
  writeRandom(ftl, rng, measuredWrites);
  const wallS = wallSecondsSince(start);
  const cpu = process.cpuUsage(cpuStart);
  const { hostPageWrites, gcPageWrites } = ftl.counters;
  const writeAmplification = (hostPageWrites + gcPageWrites) / hostPageWrites;
  const reference = greedyWriteAmplification(spareFactor, pagesPerBlock);
  if (!(Math.abs(writeAmplification - reference) / reference < 0.05)) {
    throw new Error(`${name}: write amplification ${writeAmplification}, the greedy reference is ${reference}`);
  }
  return {
    name,
    events: measuredWrites,
    wall_s: round(wallS, 4),
    events_per_s: Math.round(measuredWrites / wallS),
    host_writes_per_s: Math.round(measuredWrites / wallS),
    cpu_s: round((cpu.user + cpu.system) / 1e6, 4),
    raw_bytes: ftl.geometry.rawBytes,
    write_amplification: round(writeAmplification, 4),
    reference_write_amplification: round(reference, 4),
  };
}

export function benchSsdFast1TiB(): BenchResult {
  const name = 'ssd-fast-1tib';
  const spareFactor = 0.07;
  const logicalTarget = 2 ** 40;
  // 8 channels × 4 chips × 2 dies × 2 planes = 128 planes of 256-page blocks, enough blocks to export 1 TiB.
  const pagesPerBlock = 256;
  const rawPages = Math.ceil(logicalTarget / 4096 / (1 - spareFactor));
  const blocksPerPlane = Math.ceil(rawPages / pagesPerBlock / 128);
  const ftl = makeFtl({ channels: 8, chipsPerChannel: 4, diesPerChip: 2, planesPerDie: 2, blocksPerPlane, pagesPerBlock, pageBytes: 4096 }, spareFactor);
  if (ftl.logicalBytes < logicalTarget) throw new Error(`${name}: exports ${ftl.logicalBytes} B, less than 1 TiB`);
  const rng = new RandomStreams(1).stream('bench/writes');
  const start = wallNowMs();
  for (let lpn = 0; lpn < ftl.logicalPages; lpn++) ftl.writeHost(lpn, ftl.nextHostPlane());
  progress(`${name}: filled ${ftl.logicalPages} pages in ${wallSecondsSince(start).toFixed(1)} s; overwriting`);
  writeRandom(ftl, rng, ftl.logicalPages);
  const wallS = wallSecondsSince(start);
  const writes = 2 * ftl.logicalPages;
  const { hostPageWrites, gcPageWrites } = ftl.counters;
  return {
    name,
    events: writes,
    wall_s: round(wallS, 4),
    events_per_s: Math.round(writes / wallS),
    host_writes_per_s: Math.round(writes / wallS),
    logical_bytes: ftl.logicalBytes,
    write_amplification: round((hostPageWrites + gcPageWrites) / hostPageWrites, 4),
    peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  };
}

export function benchSsdTimedMixed(ios = 4_000_000): BenchResult {
  const name = 'ssd-timed-mixed';
  const env = new Environment();
  const metrics = new MetricRegistry(env);
  const ftl = makeFtl({ channels: 8, chipsPerChannel: 4, diesPerChip: 2, planesPerDie: 2, blocksPerPlane: 64, pagesPerBlock: 128, pageBytes: 4096 }, 0.125);
  const mlc = NAND_TIMING_PRESETS.MLC;
  const ssd = new Ssd(env, 'ssd', ftl, {
    sectorBytes: 4096,
    timing: { ...mlc, channelBytesPerS: 333e6, controllerOverheadNs: 0, copyback: false, backgroundGc: null },
  }, metrics);
  for (let lpn = 0; lpn < ftl.logicalPages; lpn++) ftl.writeHost(lpn, ftl.nextHostPlane());
  const streams = new RandomStreams(7);
  const pages = ftl.logicalPages;
  let issued = 0;
  let completed = 0;
  const functions = 4;
  const depth = 32;
  const controller = new NvmeController(env, 'ctrl', ssd, { maxInFlight: 256 }, roundRobin.create({}), metrics);
  const pf = controller.addFunction('pf0', { kind: 'pf', queueCount: 1, queueDepth: 64 });
  const vfs: BlockDevice[] = [];
  for (let f = 0; f < functions; f++) vfs.push(controller.addFunction(`vf${f}`, { kind: 'vf', parent: pf, queueCount: 1, queueDepth: depth + 1 }));
  const opStream = streams.stream('bench/op');
  const pageStream = streams.stream('bench/page');
  const requester: IoRequester = {
    ioCompleted(request) {
      completed++;
      issue(request);
    },
  };
  const issue = (request: IoRequest) => {
    if (issued === ios) return;
    issued++;
    const op = opStream.nextDouble() < 0.7 ? IoOp.Read : IoOp.Write;
    vfs[request.tag]!.submit(request.prepare(op, pageStream.nextInt(pages) * 4096, 4096, env.now));
  };
  const start = wallNowMs();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < functions * depth; i++) {
    const request = new IoRequest(requester);
    request.tag = i % functions;
    issue(request);
  }
  env.run();
  const wallS = wallSecondsSince(start);
  const cpu = process.cpuUsage(cpuStart);
  if (completed !== ios) throw new Error(`${name}: ${completed} of ${ios} IOs completed`);
  const summary = metrics.summary();
  const column = (c: string) => summary.find((s) => s.column === c)!.value;
  return {
    name,
    events: env.eventsProcessed,
    wall_s: round(wallS, 4),
    events_per_s: Math.round(env.eventsProcessed / wallS),
    ios_per_s: Math.round(ios / wallS),
    cpu_s: round((cpu.user + cpu.system) / 1e6, 4),
    simulated_iops: Math.round(ios / (env.now / 1e9)),
    read_latency_mean_us: round(column('ssd/read_latency_mean_us'), 4),
    write_amplification: round(column('ssd/write_amplification'), 4),
  };
}
