/**
 * A token bucket rate limiter: tokens accrue at `ratePerS` up to `burst`; each request takes
 * one or is refused. Over any interval of length T it admits at most burst + rate × T requests,
 * and a steady offered load above the rate is admitted at the rate. Refill is computed lazily
 * from elapsed time, so an idle bucket costs nothing.
 */
export class TokenBucket {
  private tokens: number;
  private lastNs: number;

  /** Starts full. `ratePerS` may be Infinity (never refuses). */
  constructor(
    private ratePerS: number,
    private burst: number,
    nowNs: number,
  ) {
    TokenBucket.check(ratePerS, burst);
    this.tokens = burst;
    this.lastNs = nowNs;
  }

  /** Takes a token if one is available now; returns whether it did. */
  tryTake(nowNs: number): boolean {
    if (this.ratePerS === Infinity) return true;
    this.refill(nowNs);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Changes rate and burst from `nowNs` on (tokens accrued so far are kept, up to the new burst). */
  setRate(ratePerS: number, burst: number, nowNs: number): void {
    TokenBucket.check(ratePerS, burst);
    this.refill(nowNs);
    this.ratePerS = ratePerS;
    this.burst = burst;
    if (this.tokens > burst) this.tokens = burst;
  }

  /** Tokens available at `nowNs`. */
  available(nowNs: number): number {
    if (this.ratePerS === Infinity) return Infinity;
    this.refill(nowNs);
    return this.tokens;
  }

  private refill(nowNs: number): void {
    const dtS = (nowNs - this.lastNs) / 1e9;
    this.lastNs = nowNs;
    if (dtS > 0) this.tokens = Math.min(this.burst, this.tokens + dtS * this.ratePerS);
  }

  private static check(ratePerS: number, burst: number): void {
    if (!(ratePerS > 0)) throw new RangeError(`token bucket rate must be > 0 per second, got ${ratePerS}`);
    if (ratePerS !== Infinity && !(burst >= 1 && burst < Infinity)) {
      throw new RangeError(`token bucket burst must be a finite number >= 1, got ${burst}`);
    }
  }
}
