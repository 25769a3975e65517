/** Scenario glue for the SSD: the `ssd` device and the fast-mode `page-writes` workload. */
import { Ftl } from '../../models/ssd/ftl.ts';
import type { GcVictimPolicy } from '../../models/ssd/gc-victim.ts';
import { Geometry } from '../../models/ssd/geometry.ts';
import { CELL_TYPES, NAND_TIMING_PRESETS, type CellType } from '../../models/ssd/nand-timing.ts';
import { PageWriter, type PagePattern } from '../../models/ssd/page-writer.ts';
import { Ssd } from '../../models/ssd/ssd.ts';
import type { ComponentType } from '../component-type.ts';
import { count, fraction, quantity } from '../schema-parts.ts';

const positive = (description: string) => count(description, 1);

export const ssdType: ComponentType = {
  type: 'ssd',
  section: 'world',
  description:
    'A flash SSD with a page-level FTL and garbage collection; timed (NAND operations take time on dies and channels) or fast (no timing).',
  properties: {
    mode: { enum: ['timed', 'fast'], description: 'timed (default) or fast (no timing: for write amplification and capacity studies)' },
    geometry: {
      type: 'object',
      additionalProperties: false,
      description: 'the flash array',
      required: ['channels', 'chipsPerChannel', 'diesPerChip', 'planesPerDie', 'blocksPerPlane', 'pagesPerBlock', 'pageSize'],
      properties: {
        channels: positive('flash channels'),
        chipsPerChannel: positive('chips (packages) per channel'),
        diesPerChip: positive('dies per chip'),
        planesPerDie: positive('planes per die'),
        blocksPerPlane: positive('erase blocks per plane'),
        pagesPerBlock: positive('pages per erase block'),
        pageSize: quantity('size', 'flash page size, also the mapping unit'),
      },
    },
    cellType: { enum: [...CELL_TYPES], description: 'sets default NAND timings (default MLC)' },
    timing: {
      type: 'object',
      additionalProperties: false,
      description: 'overrides of the cell type\'s NAND timings',
      properties: {
        read: quantity('time', 'page read (tR)'),
        program: quantity('time', 'page program (tPROG)'),
        erase: quantity('time', 'block erase (tBERS)'),
      },
    },
    channelRate: quantity('datarate', 'channel transfer rate (default "333MB/s", MQSim\'s NV-DDR2 8-bit channel)'),
    controllerOverhead: quantity('time', 'fixed controller time per request (default "0us")'),
    sectorSize: quantity('size', 'logical block size requests align to (default "4KiB"; must divide the page size)'),
    precondition: {
      enum: ['none', 'sequential'],
      description: 'state at time 0: "none" (default, empty) or "sequential" (every logical page written once, in order, in no simulated time, as MQSim\'s preconditioning)',
    },
    spareFactor: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      description: 'over-provisioning as a spare factor: (physical - logical) / physical pages (default 0.07)',
    },
    gc: {
      type: 'object',
      additionalProperties: false,
      description: 'garbage-collection thresholds (the victim choice is the gc-victim policy)',
      properties: {
        foregroundFreeBlocks: count('collect in a plane before a write while it has fewer free blocks than this (default 2, minimum 2)', 2),
        backgroundFreeBlocks: count('collect on idle dies while a plane has fewer free blocks than this (default: no background GC)', 3),
        backgroundCheckInterval: quantity('time', 'how often idle dies are checked for background GC (default "1ms")'),
        copyback: { type: 'boolean', description: 'move pages inside the die instead of through the channel (default false)' },
      },
    },
  },
  required: ['geometry'],
  decisionPoints: ['gc-victim'],
  build(context, id, spec) {
    const g = spec.geometry;
    const geometry = new Geometry({
      channels: g.channels,
      chipsPerChannel: g.chipsPerChannel,
      diesPerChip: g.diesPerChip,
      planesPerDie: g.planesPerDie,
      blocksPerPlane: g.blocksPerPlane,
      pagesPerBlock: g.pagesPerBlock,
      pageBytes: context.quantity(g.pageSize, 'size'),
    });
    const gc = spec.gc ?? {};
    const foreground: number = gc.foregroundFreeBlocks ?? 2;
    const ftl = new Ftl({
      geometry,
      spareFactor: spec.spareFactor ?? 0.07,
      gcThresholdBlocks: foreground,
      victimPolicy: context.policy<GcVictimPolicy>('gc-victim'),
      planeStream: (plane) => context.streams.stream(`${id}/gc-victim/plane${plane}`),
    });
    const background: number | undefined = gc.backgroundFreeBlocks;
    if (background !== undefined && background <= foreground) {
      throw new Error(`gc.backgroundFreeBlocks (${background}) must be above gc.foregroundFreeBlocks (${foreground})`);
    }
    const preset = NAND_TIMING_PRESETS[(spec.cellType ?? 'MLC') as CellType];
    const t = spec.timing ?? {};
    const timed = (spec.mode ?? 'timed') === 'timed';
    return new Ssd(
      context.env,
      id,
      ftl,
      {
        sectorBytes: context.quantity(spec.sectorSize ?? '4KiB', 'size'),
        precondition: spec.precondition === 'sequential',
        timing: timed
          ? {
              readNs: t.read === undefined ? preset.readNs : context.quantity(t.read, 'time'),
              programNs: t.program === undefined ? preset.programNs : context.quantity(t.program, 'time'),
              eraseNs: t.erase === undefined ? preset.eraseNs : context.quantity(t.erase, 'time'),
              channelBytesPerS: context.quantity(spec.channelRate ?? '333MB/s', 'datarate'),
              controllerOverheadNs: context.quantity(spec.controllerOverhead ?? '0us', 'time'),
              copyback: gc.copyback ?? false,
              backgroundGc:
                background === undefined
                  ? null
                  : { thresholdBlocks: background, checkIntervalNs: context.quantity(gc.backgroundCheckInterval ?? '1ms', 'time') },
            }
          : null,
      },
      context.metrics,
    );
  },
};

export const pageWritesType: ComponentType = {
  type: 'page-writes',
  section: 'workload',
  description:
    'Single-page writes straight into an SSD\'s FTL, in batches, without per-IO events: the fast path for write-amplification and capacity studies.',
  properties: {
    target: { type: 'string', description: 'id of the ssd written' },
    rate: quantity('rate', 'page writes per simulated second'),
    batch: count('writes issued per engine event (default 10000)', 1),
    prefill: { type: 'boolean', description: 'write every logical page once, in order, at time 0 (default true)' },
    pattern: {
      type: 'object',
      description: 'which logical pages are written',
      required: ['kind'],
      properties: { kind: { enum: ['uniform', 'hot-cold', 'zipf', 'sequential'] } },
      discriminator: { propertyName: 'kind' },
      oneOf: [
        { type: 'object', additionalProperties: false, required: ['kind'], properties: { kind: { const: 'uniform' } }, description: 'every page equally likely' },
        { type: 'object', additionalProperties: false, required: ['kind'], properties: { kind: { const: 'sequential' } }, description: 'pages in order, wrapping around' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'hotFraction', 'hotWriteFraction'],
          description: 'a hot set of pages gets most writes (uniform within each set)',
          properties: {
            kind: { const: 'hot-cold' },
            hotFraction: fraction('share of the logical pages that are hot'),
            hotWriteFraction: fraction('share of the writes that go to the hot pages'),
          },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'exponent'],
          description: 'page k (from 1) written with probability proportional to k^-exponent',
          properties: { kind: { const: 'zipf' }, exponent: { type: 'number', minimum: 0, description: 'Zipf exponent s' } },
        },
      ],
    },
    writes: count('stop after this many writes after the prefill (default: no limit)', 1),
  },
  required: ['target', 'rate'],
  references: { target: ['ssd'] },
  build(context, id, spec) {
    const ssd = context.component<Ssd>(spec.target);
    if (ssd.timed) throw new Error(`page-writes needs an ssd in fast mode; "${spec.target}" is timed (set "mode": "fast" or use a block workload)`);
    const writer = new PageWriter(
      context.env,
      ssd.ftl,
      {
        pagesPerSecond: context.quantity(spec.rate, 'rate'),
        batch: spec.batch ?? 10_000,
        prefill: spec.prefill ?? true,
        pattern: (spec.pattern ?? { kind: 'uniform' }) as PagePattern,
        writeLimit: spec.writes ?? Infinity,
      },
      context.streams.stream(`${id}/pages`),
    );
    return { start: () => writer.start() };
  },
};

export const SSD_COMPONENT_TYPES: readonly ComponentType[] = [ssdType, pageWritesType];
