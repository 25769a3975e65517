/** Test helpers: small FTLs with a chosen victim policy, and a reference of what should be mapped. */
import { GC_VICTIM_POLICIES } from '../../../policies/gc-victim/index.ts';
import { RandomStreams } from '../../../sim/engine/random/index.ts';
import { Ftl } from '../../../sim/models/ssd/ftl.ts';
import { Geometry, type GeometrySpec } from '../../../sim/models/ssd/geometry.ts';

export const POLICY_NAMES = GC_VICTIM_POLICIES.map((p) => p.name);

export function smallGeometry(overrides: Partial<GeometrySpec> = {}): Geometry {
  return new Geometry({
    channels: 1, chipsPerChannel: 1, diesPerChip: 1, planesPerDie: 1, blocksPerPlane: 32, pagesPerBlock: 8, pageBytes: 4096,
    ...overrides,
  });
}

export function makeFtl(policy: string, options: { geometry?: Geometry; spareFactor?: number; threshold?: number; seed?: number; params?: object } = {}): Ftl {
  const module = GC_VICTIM_POLICIES.find((p) => p.name === policy);
  if (module === undefined) throw new Error(`no policy ${policy}`);
  const streams = new RandomStreams(options.seed ?? 1);
  return new Ftl({
    geometry: options.geometry ?? smallGeometry(),
    spareFactor: options.spareFactor ?? 0.25,
    gcThresholdBlocks: options.threshold ?? 2,
    victimPolicy: module.create(options.params ?? {}),
    planeStream: (plane) => streams.stream(`ssd/gc-victim/plane${plane}`),
  });
}

/** Measured write amplification of `writes` uniform random writes after a prefill and a warm-up of `warmup` writes. */
export function uniformWriteAmplification(ftl: Ftl, writes: number, warmup: number, seed = 5): number {
  const rng = new RandomStreams(seed).stream('writes');
  for (let lpn = 0; lpn < ftl.logicalPages; lpn++) ftl.writeHost(lpn, ftl.nextHostPlane());
  for (let i = 0; i < warmup; i++) ftl.writeHost(rng.nextInt(ftl.logicalPages), ftl.nextHostPlane());
  ftl.resetCounters();
  for (let i = 0; i < writes; i++) ftl.writeHost(rng.nextInt(ftl.logicalPages), ftl.nextHostPlane());
  return (ftl.counters.hostPageWrites + ftl.counters.gcPageWrites) / ftl.counters.hostPageWrites;
}
