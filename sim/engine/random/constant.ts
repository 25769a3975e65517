/**
 * The degenerate distribution: always the same value.
 */
import type { Distribution } from './distribution.ts';
import { requireFinite } from './parameter-checks.ts';
import type { RandomStream } from './stream.ts';

/** Always returns {@link value}; consumes no random numbers. */
export class ConstantDistribution implements Distribution {
  readonly kind = 'constant';
  /** The value returned by every sample (caller's units). */
  readonly value: number;
  readonly mean: number;
  readonly variance = 0;

  /** @param value the value, finite, in the caller's units */
  constructor(value: number) {
    requireFinite('constant', 'value', value);
    this.value = value;
    this.mean = value;
  }

  sample(_rng: RandomStream): number {
    return this.value;
  }
}

/** A distribution that always yields `value` (caller's units). */
export function constant(value: number): ConstantDistribution {
  return new ConstantDistribution(value);
}
