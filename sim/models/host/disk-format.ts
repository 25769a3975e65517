/**
 * Virtual disk formats and their metadata, and the time model of converting a disk image
 * from one format to another.
 *
 * Metadata model (bytes a format stores besides the guest's data, for a disk of virtual
 * size S with all of its metadata allocated; approximations from the published layouts):
 * - `raw`: none (a flat image, a LUN or a passed-through device).
 * - `qcow2` (QEMU, docs/interop/qcow2.txt; 64 KiB clusters, 16-bit refcounts), exactly as
 *   QEMU's `qcow2_calc_prealloc_size` (block/qcow2.c) sizes a fully preallocated image: one
 *   header cluster, L2 tables of 8 B per data cluster and an L1 table of 8 B per L2 table
 *   (each rounded up to whole clusters), and refcount blocks (2 B per cluster) plus the
 *   refcount table covering every cluster, the refcount metadata itself included.
 * - `vmdk` (VMware Virtual Disk Format 1.1, hosted sparse extent; 64 KiB grains): a 64 KiB
 *   header-and-descriptor area, grain tables of 512 entries × 4 B (each covering 32 MiB)
 *   and a grain directory of 4 B per grain table, both stored twice (the redundant copy),
 *   each rounded up to 512 B sectors.
 * - `vhdx` (Microsoft [MS-VHDX]; 32 MiB blocks, 512 B logical sectors): 1 MiB header
 *   section, 1 MiB log, 1 MiB metadata region, and a block allocation table of 8 B per
 *   payload block plus one sector-bitmap entry per chunk of 128 blocks, rounded up to 1 MiB.
 *
 * Conversion at a rate (`conversionTimeNs`): converting reads the source's data and
 * metadata and writes the data and the target's metadata, all through one converter of
 * throughput R (e.g. `qemu-img convert`, bounded by its slowest stage):
 *     time = (dataBytes + metadataBytes(from, S) + metadataBytes(to, S)) / R
 * where dataBytes is the allocated data of a thin disk or S for a thick one. Converting
 * through real devices instead is `convertDisk(..., {mode: 'copy'})` in `convert.ts`.
 */
import { NS_PER_S } from '../../engine/index.ts';

export const DISK_FORMATS = ['raw', 'vmdk', 'vhdx', 'qcow2'] as const;
export type DiskFormat = (typeof DISK_FORMATS)[number];

const KiB = 1024;
const MiB = 1024 * KiB;

const roundUp = (bytes: number, unit: number) => Math.ceil(bytes / unit) * unit;

/** Metadata bytes of a fully allocated image of virtual size `sizeBytes` in `format` (see the file comment). */
export function metadataBytes(format: DiskFormat, sizeBytes: number): number {
  switch (format) {
    case 'raw':
      return 0;
    case 'qcow2': {
      // As QEMU's qcow2_calc_prealloc_size (block/qcow2.c): 64 KiB clusters, 8 B L1/L2 entries, 16-bit refcounts.
      const cluster = 64 * KiB;
      const entriesPerTable = cluster / 8;
      const dataBytes = roundUp(sizeBytes, cluster);
      const l2Entries = roundUp(dataBytes / cluster, entriesPerTable);
      const l1Entries = roundUp((l2Entries * 8) / cluster, entriesPerTable);
      const fixed = cluster + l2Entries * 8 + l1Entries * 8; // header + L2 tables + L1 table
      return fixed + qcow2RefcountBytes((fixed + dataBytes) / cluster, cluster);
    }
    case 'vmdk': {
      const grainTables = Math.ceil(sizeBytes / (32 * MiB));
      const tables = grainTables * 512 * 4; // each 2 KiB, already whole sectors
      const directory = roundUp(grainTables * 4, 512);
      return 64 * KiB + 2 * (tables + directory);
    }
    case 'vhdx': {
      const blocks = Math.ceil(sizeBytes / (32 * MiB));
      const bitmapEntries = Math.ceil(blocks / 128);
      const bat = roundUp((blocks + bitmapEntries) * 8, MiB);
      return 3 * MiB + bat;
    }
  }
}

/**
 * Refcount table and block bytes that count `clusters` clusters plus themselves: the fixed
 * point QEMU's qcow2_refcount_metadata_size computes (16-bit refcounts, 8 B table entries).
 */
function qcow2RefcountBytes(clusters: number, cluster: number): number {
  const refcountsPerBlock = (cluster * 8) / 16;
  const blocksPerTableCluster = cluster / 8;
  let blocks = 0;
  let table = 0;
  for (;;) {
    const nextBlocks = Math.ceil((clusters + table + blocks) / refcountsPerBlock);
    const nextTable = Math.ceil(nextBlocks / blocksPerTableCluster);
    if (nextBlocks === blocks && nextTable === table) return (blocks + table) * cluster;
    blocks = nextBlocks;
    table = nextTable;
  }
}

/** How long converting `dataBytes` of a disk of size `sizeBytes` from `from` to `to` takes at `rateBytesPerS` (integer ns). */
export function conversionTimeNs(from: DiskFormat, to: DiskFormat, sizeBytes: number, dataBytes: number, rateBytesPerS: number): number {
  if (!(rateBytesPerS > 0 && rateBytesPerS < Infinity)) throw new RangeError(`conversion rate must be a positive number of B/s, got ${rateBytesPerS}`);
  const bytes = dataBytes + metadataBytes(from, sizeBytes) + metadataBytes(to, sizeBytes);
  return Math.round((bytes * NS_PER_S) / rateBytesPerS);
}
