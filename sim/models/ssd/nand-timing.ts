/**
 * NAND operation times by cell type, and the channel that moves pages between the controller
 * and the dies. Presets are typical figures, overridable key by key in a scenario:
 * MLC follows MQSim's default device description (read 75 µs, erase 3.8 ms; Tavakkol et al.,
 * "MQSim: a framework for enabling realistic studies of modern multi-queue SSD devices",
 * FAST 2018, `ssdconfig.xml`), with a 750 µs program of its earlier releases; SLC, TLC and QLC
 * scale it the way datasheets do (more bits per cell: slower reads, much slower programs,
 * longer erases). They are illustrative defaults, not a particular part's datasheet.
 */

export interface NandTiming {
  /** Array read (tR), ns. */
  readonly readNs: number;
  /** Page program (tPROG), ns. */
  readonly programNs: number;
  /** Block erase (tBERS), ns. */
  readonly eraseNs: number;
}

export type CellType = 'SLC' | 'MLC' | 'TLC' | 'QLC';

export const CELL_TYPES: readonly CellType[] = ['SLC', 'MLC', 'TLC', 'QLC'];

export const NAND_TIMING_PRESETS: Readonly<Record<CellType, NandTiming>> = {
  SLC: { readNs: 25_000, programNs: 200_000, eraseNs: 1_500_000 },
  MLC: { readNs: 75_000, programNs: 750_000, eraseNs: 3_800_000 },
  TLC: { readNs: 90_000, programNs: 1_500_000, eraseNs: 5_000_000 },
  QLC: { readNs: 140_000, programNs: 3_000_000, eraseNs: 10_000_000 },
};
