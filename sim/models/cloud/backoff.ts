/**
 * Client retries with capped exponential backoff and "full jitter" (Marc Brooker, "Exponential
 * Backoff and Jitter", AWS Architecture Blog, 2015): before retry number k (k = 0 for the first
 * retry) the client sleeps a uniform random time in [0, min(cap, base × 2^k)).
 *
 * Defaults follow the AWS SDKs' "standard" retry mode (AWS SDKs and Tools Reference Guide,
 * "Retry behavior": three attempts in all) with the AWS SDK for JavaScript v3's base delay of
 * 100 ms and maximum backoff of 20 s.
 */
import { NS_PER_MS, NS_PER_S } from '../../engine/index.ts';
import type { RandomStream } from '../../engine/random/index.ts';

/** How a client retries retryable (5xx) failures. */
export interface RetryPolicy {
  /** Attempts in all, first one included (>= 1; 1 = no retries). */
  readonly maxAttempts: number;
  /** Backoff base (ns). */
  readonly baseDelayNs: number;
  /** Backoff cap (ns). */
  readonly maxDelayNs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 3,
  baseDelayNs: 100 * NS_PER_MS,
  maxDelayNs: 20 * NS_PER_S,
});

/** The upper bound of the sleep before retry number `retry` (0-based): min(cap, base × 2^retry). */
export function backoffCeilingNs(policy: RetryPolicy, retry: number): number {
  // 2^retry overflows to Infinity for huge retry counts; min() then returns the cap.
  return Math.min(policy.maxDelayNs, policy.baseDelayNs * 2 ** retry);
}

/** The sleep before retry number `retry` (0-based), integer ns, uniform on [0, ceiling). */
export function fullJitterDelayNs(policy: RetryPolicy, retry: number, stream: RandomStream): number {
  return Math.floor(stream.nextDouble() * backoffCeilingNs(policy, retry));
}

/** Throws RangeError unless the policy is usable. */
export function validateRetryPolicy(policy: RetryPolicy): void {
  if (!(Number.isInteger(policy.maxAttempts) && policy.maxAttempts >= 1)) {
    throw new RangeError(`retry maxAttempts must be an integer >= 1, got ${policy.maxAttempts}`);
  }
  if (!(policy.baseDelayNs >= 0 && policy.maxDelayNs >= 0 && Number.isFinite(policy.maxDelayNs))) {
    throw new RangeError(`retry delays must be finite and >= 0, got base ${policy.baseDelayNs} ns, max ${policy.maxDelayNs} ns`);
  }
}
