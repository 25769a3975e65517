/**
 * An open-loop workload on an object store: requests arrive with a given interarrival
 * distribution; each is a GET (with probability `getFraction`, of a key written before, chosen
 * uniformly) or a PUT (of a key chosen uniformly among `keyCount`, with a size drawn from the
 * size distribution; above `multipart.thresholdBytes` it is a multipart upload). Keys are spread
 * over `prefixCount` prefixes (`p<j>/k<i>`, j = i mod prefixCount), which matters for the
 * store's per-prefix request-rate limits. A GET arriving before any key was written is a PUT.
 *
 * Randomness: one stream per purpose (`<id>/arrivals`, `<id>/sizes`, `<id>/ops`, `<id>/keys`).
 * Metrics under `<id>/`: `puts`, `gets` (issued), plus the client's (`<op>_latency`,
 * `completed`, `failed`, `retries`, `backoff`).
 */
import type { Environment } from '../../engine/index.ts';
import type { Distribution, RandomStream } from '../../engine/random/index.ts';
import type { Counter, MetricRegistry } from '../../metrics/index.ts';
import type { ObjectClient } from './object-client.ts';
import { uploadObject } from './transfer-manager.ts';

export interface ObjectWorkloadOptions {
  readonly bucket: string;
  /** Time between requests (ns). */
  readonly interarrivalNs: Distribution;
  /** PUT sizes (bytes; rounded to an integer, negatives become 0). */
  readonly sizeBytes: Distribution;
  /** Probability that a request is a GET. */
  readonly getFraction: number;
  /** Distinct keys. */
  readonly keyCount: number;
  /** Prefixes the keys are spread over (default 1). */
  readonly prefixCount?: number;
  /** Stop after this many requests (default: no limit). */
  readonly requestLimit?: number;
  /** PUTs above `thresholdBytes` go as multipart uploads of `partBytes` parts, `concurrency` at once. */
  readonly multipart?: { readonly thresholdBytes: number; readonly partBytes: number; readonly concurrency: number };
}

export interface ObjectWorkloadStreams {
  readonly arrivals: RandomStream;
  readonly sizes: RandomStream;
  readonly ops: RandomStream;
  readonly keys: RandomStream;
}

export class ObjectWorkload {
  private readonly written: number[] = [];
  private readonly isWritten: Uint8Array;
  private issued = 0;
  private readonly puts: Counter;
  private readonly gets: Counter;
  private readonly prefixCount: number;
  private readonly arriveFn = () => this.arrive();
  private readonly ignore = () => {};

  constructor(
    private readonly env: Environment,
    readonly path: string,
    readonly client: ObjectClient,
    readonly options: ObjectWorkloadOptions,
    private readonly streams: ObjectWorkloadStreams,
    metrics: MetricRegistry,
  ) {
    if (!(Number.isInteger(options.keyCount) && options.keyCount >= 1)) throw new RangeError(`keyCount must be an integer >= 1, got ${options.keyCount}`);
    this.prefixCount = options.prefixCount ?? 1;
    if (!(Number.isInteger(this.prefixCount) && this.prefixCount >= 1)) throw new RangeError(`prefixCount must be an integer >= 1, got ${this.prefixCount}`);
    if (!(options.getFraction >= 0 && options.getFraction <= 1)) throw new RangeError(`getFraction must be in [0, 1], got ${options.getFraction}`);
    this.isWritten = new Uint8Array(options.keyCount);
    client.store.createBucket(options.bucket);
    this.puts = metrics.counter(`${path}/puts`);
    this.gets = metrics.counter(`${path}/gets`);
  }

  /** Schedules the first arrival. */
  start(): void {
    this.scheduleNext();
  }

  /** The key name of key index `i`. */
  keyName(i: number): string {
    return `p${i % this.prefixCount}/k${i}`;
  }

  private scheduleNext(): void {
    if (this.options.requestLimit !== undefined && this.issued >= this.options.requestLimit) return;
    this.env.schedule(Math.max(0, this.options.interarrivalNs.sample(this.streams.arrivals)), this.arriveFn, null);
  }

  private arrive(): void {
    this.issued++;
    const { bucket, multipart } = this.options;
    const wantGet = this.streams.ops.nextDouble() < this.options.getFraction;
    if (wantGet && this.written.length > 0) {
      const i = this.written[this.streams.keys.nextInt(this.written.length)]!;
      this.gets.add(1);
      this.client.get(bucket, this.keyName(i), this.ignore);
    } else {
      const i = this.streams.keys.nextInt(this.options.keyCount);
      const size = Math.max(0, Math.round(this.options.sizeBytes.sample(this.streams.sizes)));
      this.puts.add(1);
      const done = (result: { readonly ok: boolean }) => {
        if (result.ok && this.isWritten[i] === 0) {
          this.isWritten[i] = 1;
          this.written.push(i);
        }
      };
      if (multipart !== undefined && size > multipart.thresholdBytes) {
        uploadObject(this.client, this.env, bucket, this.keyName(i), size, { ...multipart, multipartThresholdBytes: multipart.thresholdBytes }, done);
      } else {
        this.client.put(bucket, this.keyName(i), size, done);
      }
    }
    this.scheduleNext();
  }
}
