/**
 * What an object store costs: storage (byte-seconds integrated over time, priced per byte per
 * second), requests (per request, by price class) and data transfer out of the region (per
 * byte, by destination). Costs are reported as USD gauges and restart at a metrics reset (the
 * end of a warm-up): they then count only what accrued since.
 *
 * Price classes follow Amazon S3's pricing page: "PUT, COPY, POST, LIST requests" form one
 * class; "GET, SELECT, and all other requests" (HEAD included) another; DELETE and CANCEL
 * (abort multipart upload) requests are free. Scenario prices are written with units and
 * converted once ("0.023 USD/GB/month" → USD per byte per second, with a 730-hour month;
 * mathjs reads "GB" as 10^9 bytes and "GiB" as 2^30 — AWS bills S3 storage in binary GB, so
 * write "USD/GiB/month" to match an AWS bill exactly).
 */
import type { Environment } from '../../engine/index.ts';
import type { MetricRegistry } from '../../metrics/index.ts';
import { Destination } from './region.ts';

/** Request price classes. */
export const PriceClass = { Put: 0, Get: 1, Free: 2 } as const;
export type PriceClass = (typeof PriceClass)[keyof typeof PriceClass];

/** Prices, in internal units (all default to 0: nothing is priced unless the scenario says so). */
export interface CloudPrices {
  /** USD per byte per second stored. */
  readonly storageUsdPerByteS: number;
  /** USD per PUT-class request (PUT, COPY, POST, LIST; multipart create, part, complete). */
  readonly putRequestUsd: number;
  /** USD per GET-class request (GET, HEAD). */
  readonly getRequestUsd: number;
  /** USD per byte read to the internet. */
  readonly egressInternetUsdPerB: number;
  /** USD per byte read to another region. */
  readonly egressInterRegionUsdPerB: number;
  /** USD per byte read within the store's region. */
  readonly intraRegionUsdPerB: number;
}

export const FREE: CloudPrices = Object.freeze({
  storageUsdPerByteS: 0,
  putRequestUsd: 0,
  getRequestUsd: 0,
  egressInternetUsdPerB: 0,
  egressInterRegionUsdPerB: 0,
  intraRegionUsdPerB: 0,
});

/** Accumulates a store's costs; register its gauges with {@link CostMeter.register}. */
export class CostMeter {
  private storedBytes = 0;
  /** ∫ stored bytes dt (byte-seconds) from the last reset to `lastChangeNs`. */
  private byteSeconds = 0;
  private lastChangeNs: number;
  private readonly requests = [0, 0, 0];
  private readonly transferBytes = [0, 0, 0];

  constructor(
    private readonly env: Environment,
    readonly prices: CloudPrices,
  ) {
    for (const [name, value] of Object.entries(prices)) {
      if (!(value >= 0 && Number.isFinite(value))) throw new RangeError(`price ${name} must be finite and >= 0, got ${value}`);
    }
    this.lastChangeNs = env.now;
  }

  /** Records that the store now holds `bytes` (call at every change). */
  setStoredBytes(bytes: number): void {
    this.settle();
    this.storedBytes = bytes;
  }

  /** Counts one billed request of `priceClass`. */
  addRequest(priceClass: PriceClass): void {
    this.requests[priceClass]!++;
  }

  /** Counts `bytes` sent out of the store to `destination`. */
  addTransferOut(bytes: number, destination: Destination): void {
    this.transferBytes[destination]! += bytes;
  }

  /** Byte-seconds stored since the last reset, up to now. */
  get storedByteSeconds(): number {
    return this.byteSeconds + (this.storedBytes * (this.env.now - this.lastChangeNs)) / 1e9;
  }

  get storageCostUsd(): number {
    return this.storedByteSeconds * this.prices.storageUsdPerByteS;
  }

  get requestCostUsd(): number {
    return this.requests[PriceClass.Put]! * this.prices.putRequestUsd + this.requests[PriceClass.Get]! * this.prices.getRequestUsd;
  }

  get egressCostUsd(): number {
    const p = this.prices;
    return (
      this.transferBytes[Destination.SameRegion]! * p.intraRegionUsdPerB +
      this.transferBytes[Destination.OtherRegion]! * p.egressInterRegionUsdPerB +
      this.transferBytes[Destination.Internet]! * p.egressInternetUsdPerB
    );
  }

  get totalCostUsd(): number {
    return this.storageCostUsd + this.requestCostUsd + this.egressCostUsd;
  }

  /** Billed requests of a class since the last reset. */
  requestCount(priceClass: PriceClass): number {
    return this.requests[priceClass]!;
  }

  /** Restarts every cost from now (the bytes stored stay stored). */
  reset(): void {
    this.byteSeconds = 0;
    this.lastChangeNs = this.env.now;
    this.requests.fill(0);
    this.transferBytes.fill(0);
  }

  /** Registers `<path>/{storage,request,egress,total}_cost_USD` gauges; the total's reset resets the meter. */
  register(metrics: MetricRegistry, path: string): void {
    const usd = { unit: 'USD', scale: 1 };
    metrics.gauge(`${path}/storage_cost`, () => this.storageCostUsd, usd);
    metrics.gauge(`${path}/request_cost`, () => this.requestCostUsd, usd);
    metrics.gauge(`${path}/egress_cost`, () => this.egressCostUsd, usd);
    metrics.gauge(`${path}/total_cost`, () => this.totalCostUsd, { ...usd, onReset: () => this.reset() });
  }

  private settle(): void {
    const now = this.env.now;
    this.byteSeconds += (this.storedBytes * (now - this.lastChangeNs)) / 1e9;
    this.lastChangeNs = now;
  }
}
