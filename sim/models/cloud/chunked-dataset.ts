/**
 * A dataset or volume seen as fixed-size chunks, each with a version: the content model that
 * backups and snapshots copy. Chunk i at version v holds bytes [i × chunkBytes, ...) of source
 * `<name>@v<v>`: version 0 is the initial content, and every write gives the chunk a new,
 * dataset-wide version number, so no two writes produce the same bytes. Chunks that share a
 * version are contiguous in one source, so an unchanged dataset is a single extent.
 *
 * Versions live in a typed array (one 32-bit word per chunk). `startRandomWrites` drives
 * overwrites at a byte rate, each to a uniformly chosen chunk (Poisson arrivals), from a
 * named stream.
 */
import type { Environment } from '../../engine/index.ts';
import { exponential, type RandomStream } from '../../engine/random/index.ts';
import { concatContent, extentOf, type Content } from './content.ts';

export class ChunkedDataset {
  readonly chunkCount: number;
  private readonly versions: Uint32Array;
  private lastVersion = 0;

  constructor(
    readonly name: string,
    readonly sizeBytes: number,
    readonly chunkBytes: number,
  ) {
    if (!(Number.isInteger(sizeBytes) && sizeBytes > 0)) throw new RangeError(`dataset size must be a positive integer number of bytes, got ${sizeBytes}`);
    if (!(Number.isInteger(chunkBytes) && chunkBytes > 0)) throw new RangeError(`chunk size must be a positive integer number of bytes, got ${chunkBytes}`);
    this.chunkCount = Math.ceil(sizeBytes / chunkBytes);
    if (this.chunkCount > 2 ** 28) throw new RangeError(`${this.chunkCount} chunks is too many; use a larger chunk size`);
    this.versions = new Uint32Array(this.chunkCount);
  }

  /** Bytes in chunk `chunk` (the last may be short). */
  chunkLength(chunk: number): number {
    return Math.min(this.chunkBytes, this.sizeBytes - chunk * this.chunkBytes);
  }

  /** Overwrites chunk `chunk` with new bytes; returns its new version. */
  write(chunk: number): number {
    if (!(Number.isInteger(chunk) && chunk >= 0 && chunk < this.chunkCount)) {
      throw new RangeError(`chunk ${chunk} is outside 0..${this.chunkCount - 1} of ${this.name}`);
    }
    this.versions[chunk] = ++this.lastVersion;
    return this.lastVersion;
  }

  version(chunk: number): number {
    return this.versions[chunk]!;
  }

  /** A copy of every chunk's version now (a point-in-time image). */
  captureVersions(): Uint32Array {
    return this.versions.slice();
  }

  /** The content of `chunk` at `version` (default: now). */
  chunkContent(chunk: number, version = this.versions[chunk]!): Content {
    return extentOf(`${this.name}@v${version}`, this.chunkLength(chunk), chunk * this.chunkBytes);
  }

  /** The whole dataset's content for chunk versions `versions` (default: now). */
  content(versions: Uint32Array = this.versions): Content {
    const pieces: Content[] = [];
    for (let i = 0; i < this.chunkCount; i++) pieces.push(this.chunkContent(i, versions[i]!));
    return concatContent(pieces);
  }
}

/**
 * Overwrites chunks of `dataset` at `bytesPerS` on average: Poisson arrivals of one-chunk
 * writes (mean gap chunkBytes / bytesPerS), each to a chunk drawn uniformly from `stream`.
 * Does nothing for a rate of 0. Returns a function that stops the writes.
 */
export function startRandomWrites(env: Environment, dataset: ChunkedDataset, bytesPerS: number, stream: RandomStream): () => void {
  if (!(bytesPerS >= 0 && bytesPerS < Infinity)) throw new RangeError(`write rate must be finite and >= 0 B/s, got ${bytesPerS}`);
  if (bytesPerS === 0) return () => {};
  const gapNs = exponential((dataset.chunkBytes / bytesPerS) * 1e9);
  let stopped = false;
  const next = () => env.schedule(gapNs.sample(stream), tick, null);
  const tick = () => {
    if (stopped) return;
    dataset.write(stream.nextInt(dataset.chunkCount));
    next();
  };
  next();
  return () => {
    stopped = true;
  };
}
