import {
  constant, empiricalFromHistogram, empiricalFromPoints, exponential, lognormalFromMoments, normal, pareto,
  uniform, weibull, type Distribution,
} from '../engine/random/index.ts';

/**
 * Turns a distribution spec from a scenario (`{"dist": "exponential", "mean": "1s"}`),
 * already checked against the schema, into a `Distribution` in internal units.
 * `toNumber` converts one quantity of the spec's kind (e.g. a time to ns).
 * Parameter ranges the schema cannot express (stddev > 0, min < max) throw RangeError.
 */
export function distributionFromSpec(spec: Record<string, any>, toNumber: (value: string | number) => number): Distribution {
  switch (spec.dist) {
    case 'constant':
      return constant(toNumber(spec.value));
    case 'uniform':
      return uniform(toNumber(spec.min), toNumber(spec.max));
    case 'exponential':
      return exponential(toNumber(spec.mean));
    case 'normal':
      return normal(toNumber(spec.mean), toNumber(spec.stddev));
    case 'lognormal':
      return lognormalFromMoments(toNumber(spec.mean), toNumber(spec.stddev));
    case 'pareto':
      return pareto(toNumber(spec.scale), spec.shape);
    case 'weibull':
      return weibull(toNumber(spec.scale), spec.shape);
    case 'empirical': {
      if ((spec.points === undefined) === (spec.histogram === undefined)) {
        throw new RangeError('empirical: give exactly one of "points" or "histogram"');
      }
      if (spec.points !== undefined) return empiricalFromPoints((spec.points as (string | number)[]).map(toNumber));
      return empiricalFromHistogram(
        (spec.histogram as { low: string; high: string; weight: number }[]).map((bin) => ({
          low: toNumber(bin.low),
          high: toNumber(bin.high),
          weight: bin.weight,
        })),
      );
    }
    default:
      throw new RangeError(`unknown distribution "${String(spec.dist)}"`);
  }
}
