/**
 * Fast-mode driver: writes logical pages straight into an FTL in batches, one engine event per
 * batch rather than per write, at a nominal rate so that warm-up and stop times still apply.
 * Patterns: uniform, sequential, hot/cold (Rosenblum and Ousterhout's "hot-and-cold" access
 * pattern: a `hotFraction` of the pages receives `hotWriteFraction` of the writes) and bounded
 * Zipf. All draws come from one named stream.
 */
import type { Environment } from '../../engine/index.ts';
import { zipf, type RandomStream, type ZipfDistribution } from '../../engine/random/index.ts';
import type { Ftl } from './ftl.ts';

export type PagePattern =
  | { readonly kind: 'uniform' }
  | { readonly kind: 'sequential' }
  | { readonly kind: 'hot-cold'; readonly hotFraction: number; readonly hotWriteFraction: number }
  | { readonly kind: 'zipf'; readonly exponent: number };

export interface PageWriterOptions {
  readonly pagesPerSecond: number;
  readonly batch: number;
  readonly prefill: boolean;
  readonly pattern: PagePattern;
  /** Writes after the prefill before stopping (Infinity: until the run stops). */
  readonly writeLimit: number;
}

export class PageWriter {
  private written = 0;
  private sequentialNext = 0;
  private readonly batchIntervalNs: number;
  private readonly hotPages: number;
  private readonly zipfPages: ZipfDistribution | null;
  private readonly batchFn = () => this.writeBatch();

  constructor(
    private readonly env: Environment,
    private readonly ftl: Ftl,
    private readonly options: PageWriterOptions,
    private readonly random: RandomStream,
  ) {
    if (!(options.pagesPerSecond > 0)) throw new RangeError('rate must be positive');
    this.batchIntervalNs = Math.max(1, Math.round((options.batch / options.pagesPerSecond) * 1e9));
    const p = options.pattern;
    this.hotPages = p.kind === 'hot-cold' ? Math.max(1, Math.min(ftl.logicalPages - 1, Math.round(p.hotFraction * ftl.logicalPages))) : 0;
    this.zipfPages = p.kind === 'zipf' ? zipf(ftl.logicalPages, p.exponent) : null;
  }

  start(): void {
    if (this.options.prefill) {
      for (let lpn = 0; lpn < this.ftl.logicalPages; lpn++) this.ftl.writeHost(lpn, this.ftl.nextHostPlane());
    }
    this.env.schedule(this.batchIntervalNs, this.batchFn, null);
  }

  /** The next logical page the pattern writes. */
  nextPage(): number {
    const pages = this.ftl.logicalPages;
    const p = this.options.pattern;
    switch (p.kind) {
      case 'uniform':
        return this.random.nextInt(pages);
      case 'sequential': {
        const lpn = this.sequentialNext;
        this.sequentialNext = lpn + 1 === pages ? 0 : lpn + 1;
        return lpn;
      }
      case 'hot-cold':
        return this.random.nextDouble() < p.hotWriteFraction
          ? this.random.nextInt(this.hotPages)
          : this.hotPages + this.random.nextInt(pages - this.hotPages);
      case 'zipf':
        return this.zipfPages!.sample(this.random) - 1;
    }
  }

  private writeBatch(): void {
    const ftl = this.ftl;
    const n = Math.min(this.options.batch, this.options.writeLimit - this.written);
    for (let i = 0; i < n; i++) ftl.writeHost(this.nextPage(), ftl.nextHostPlane());
    this.written += n;
    if (this.written < this.options.writeLimit) this.env.schedule(this.batchIntervalNs, this.batchFn, null);
  }
}
