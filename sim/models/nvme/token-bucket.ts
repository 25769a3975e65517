/**
 * A token bucket: tokens accrue at `ratePerS` up to `capacity` (the burst) and each command
 * takes its cost (1 for an IOPS limit, its bytes for a bandwidth limit). It starts full.
 *
 * A command may go when the bucket holds its cost. A command costing more than the whole
 * bucket may go when the bucket is full, leaving it in debt, so that over any interval of
 * length t the costs let through never exceed ratePerS·t + max(capacity, largest cost): the
 * (σ, ρ) arrival-curve bound of a token bucket (Le Boudec and Thiran, Network Calculus, 2001, §1.2.2).
 */
import { NS_PER_S } from '../../engine/time.ts';

/** Slack for float rounding when comparing levels (relative to the capacity). */
const SLACK = 1e-9;

export class TokenBucket {
  private level: number;
  private lastNs: number;

  constructor(
    readonly ratePerS: number,
    readonly capacity: number,
    nowNs: number,
  ) {
    if (!(ratePerS > 0 && Number.isFinite(ratePerS))) throw new RangeError(`token rate must be > 0 and finite, got ${ratePerS}`);
    if (!(capacity > 0 && Number.isFinite(capacity))) throw new RangeError(`token bucket size (burst) must be > 0 and finite, got ${capacity}`);
    this.level = capacity;
    this.lastNs = nowNs;
  }

  /** Tokens in the bucket at `nowNs` (may be negative after an over-size command). */
  tokens(nowNs: number): number {
    this.refill(nowNs);
    return this.level;
  }

  /** Whether a command of `cost` may go at `nowNs`. */
  allows(cost: number, nowNs: number): boolean {
    this.refill(nowNs);
    return this.level >= Math.min(cost, this.capacity) - SLACK * this.capacity;
  }

  /** Takes `cost` tokens at `nowNs` (call after `allows`). */
  take(cost: number, nowNs: number): void {
    this.refill(nowNs);
    this.level -= cost;
  }

  /** Integer ns from `nowNs` until a command of `cost` may go (0 if it may go now). */
  waitNs(cost: number, nowNs: number): number {
    this.refill(nowNs);
    const missing = Math.min(cost, this.capacity) - this.level;
    if (missing <= SLACK * this.capacity) return 0;
    return Math.max(1, Math.ceil((missing * NS_PER_S) / this.ratePerS));
  }

  private refill(nowNs: number): void {
    if (nowNs > this.lastNs) {
      this.level = Math.min(this.capacity, this.level + (this.ratePerS * (nowNs - this.lastNs)) / NS_PER_S);
      this.lastNs = nowNs;
    }
  }
}
