/**
 * The Pareto (Type I) distribution, by inverse transform.
 */
import type { Distribution } from './distribution.ts';
import { requirePositive } from './parameter-checks.ts';
import type { RandomStream } from './stream.ts';

/**
 * Pareto Type I with scale xm and shape alpha: P(X > x) = (xm/x)^alpha for x >= xm.
 * Sample x = xm·(1 − u)^(−1/alpha), one generator step. Mean alpha·xm/(alpha − 1), Infinity
 * for alpha <= 1; variance xm²·alpha/((alpha − 1)²(alpha − 2)), Infinity for alpha <= 2.
 * With 32-bit uniforms the largest possible sample is xm·2^(32/alpha).
 */
export class ParetoDistribution implements Distribution {
  readonly kind = 'pareto';
  /** Scale xm: the minimum value (caller's units). */
  readonly scale: number;
  /** Shape (tail index) alpha, dimensionless. */
  readonly shape: number;
  readonly mean: number;
  readonly variance: number;
  private readonly negativeInverseShape: number;

  /**
   * @param scale xm, > 0 (caller's units)
   * @param shape alpha, > 0
   */
  constructor(scale: number, shape: number) {
    requirePositive('pareto', 'scale', scale);
    requirePositive('pareto', 'shape', shape);
    this.scale = scale;
    this.shape = shape;
    this.negativeInverseShape = -1 / shape;
    this.mean = shape <= 1 ? Infinity : (shape * scale) / (shape - 1);
    this.variance =
      shape <= 2 ? Infinity : (scale * scale * shape) / ((shape - 1) * (shape - 1) * (shape - 2));
  }

  sample(rng: RandomStream): number {
    // exp(log(·)·c) rather than Math.pow: same result to a few ulps, twice as fast in V8.
    return this.scale * Math.exp(Math.log(1 - rng.next()) * this.negativeInverseShape);
  }
}

/** Pareto Type I distribution with scale xm (> 0, caller's units) and shape alpha (> 0). */
export function pareto(scale: number, shape: number): ParetoDistribution {
  return new ParetoDistribution(scale, shape);
}
