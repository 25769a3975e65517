/**
 * The shape of an SSD's flash: channels × chips per channel × dies per chip × planes per die
 * × blocks per plane × pages per block, and the page size.
 *
 * Numbering (all zero-based, dense):
 * - plane p = ((channel · chipsPerChannel + chip) · diesPerChip + die) · planesPerDie + planeInDie;
 * - die d = floor(p / planesPerDie); channel = floor(d / (chipsPerChannel · diesPerChip));
 * - block b = p · blocksPerPlane + blockInPlane (a plane's blocks are contiguous);
 * - physical page = b · pagesPerBlock + pageInBlock.
 *
 * Page counts are kept below 2^32 so that addresses fit the FTL's Uint32Array maps.
 */

export interface GeometrySpec {
  readonly channels: number;
  readonly chipsPerChannel: number;
  readonly diesPerChip: number;
  readonly planesPerDie: number;
  readonly blocksPerPlane: number;
  readonly pagesPerBlock: number;
  /** Bytes per flash page; also the FTL's mapping unit. */
  readonly pageBytes: number;
}

export class Geometry implements GeometrySpec {
  readonly channels: number;
  readonly chipsPerChannel: number;
  readonly diesPerChip: number;
  readonly planesPerDie: number;
  readonly blocksPerPlane: number;
  readonly pagesPerBlock: number;
  readonly pageBytes: number;
  readonly dies: number;
  readonly planes: number;
  readonly blocks: number;
  readonly pages: number;
  /** Dies on one channel. */
  readonly diesPerChannel: number;

  constructor(spec: GeometrySpec) {
    for (const [key, value] of Object.entries(spec)) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`geometry ${key} must be an integer >= 1 (got ${value})`);
    }
    this.channels = spec.channels;
    this.chipsPerChannel = spec.chipsPerChannel;
    this.diesPerChip = spec.diesPerChip;
    this.planesPerDie = spec.planesPerDie;
    this.blocksPerPlane = spec.blocksPerPlane;
    this.pagesPerBlock = spec.pagesPerBlock;
    this.pageBytes = spec.pageBytes;
    this.diesPerChannel = spec.chipsPerChannel * spec.diesPerChip;
    this.dies = spec.channels * this.diesPerChannel;
    this.planes = this.dies * spec.planesPerDie;
    this.blocks = this.planes * spec.blocksPerPlane;
    this.pages = this.blocks * spec.pagesPerBlock;
    if (this.pages >= 2 ** 32 - 1) {
      throw new RangeError(`the device has ${this.pages} pages; at most 2^32 - 2 are supported (use larger pages)`);
    }
  }

  /** Raw flash capacity in bytes. */
  get rawBytes(): number {
    return this.pages * this.pageBytes;
  }

  dieOfPlane(plane: number): number {
    return Math.floor(plane / this.planesPerDie);
  }

  channelOfDie(die: number): number {
    return Math.floor(die / this.diesPerChannel);
  }

  planeOfBlock(block: number): number {
    return Math.floor(block / this.blocksPerPlane);
  }

  /**
   * The order in which consecutive writes visit the planes: channel first, then chip, die and
   * plane (MQSim's CWDP allocation), so that a burst of writes spreads over every channel
   * before it uses a second die of any of them.
   */
  stripeOrder(): Int32Array {
    const order = new Int32Array(this.planes);
    let k = 0;
    for (let plane = 0; plane < this.planesPerDie; plane++) {
      for (let die = 0; die < this.diesPerChip; die++) {
        for (let chip = 0; chip < this.chipsPerChannel; chip++) {
          for (let channel = 0; channel < this.channels; channel++) {
            order[k++] = ((channel * this.chipsPerChannel + chip) * this.diesPerChip + die) * this.planesPerDie + plane;
          }
        }
      }
    }
    return order;
  }
}
