/**
 * The common shape of every random distribution in the simulator.
 */
import type { RandomStream } from './stream.ts';

/**
 * A probability distribution over numbers. Instances are immutable and hold no sampling
 * state (no cached spare normal, no buffers): all randomness comes from the stream passed
 * to {@link sample}, so one instance may be shared by any number of streams and components.
 *
 * Units are whatever the caller gave the constructor (the scenario layer converts units
 * before constructing); samples, mean and variance are in those same units (variance in
 * units squared).
 */
export interface Distribution {
  /** Short identifier, e.g. 'exponential', 'zipf'. */
  readonly kind: string;
  /** Analytic mean. Infinity where the mean diverges (e.g. Pareto with shape <= 1). */
  readonly mean: number;
  /** Analytic variance. Infinity where it diverges (e.g. Pareto with shape <= 2). */
  readonly variance: number;
  /** One draw, using only `rng`; allocation-free. */
  sample(rng: RandomStream): number;
}
