/**
 * Named random streams and the distributions that sample from them.
 * Re-exports only; see the individual files for details.
 */
export { RandomStream, RandomStreams } from './stream.ts';
export type { RandomStreamState, RandomStreamsState } from './stream.ts';
export { cyrb53, deriveStreamSeed } from './seed-hash.ts';
export type { Distribution } from './distribution.ts';
export { ConstantDistribution, constant } from './constant.ts';
export { UniformDistribution, uniform } from './uniform.ts';
export { ExponentialDistribution, exponential } from './exponential.ts';
export { NormalDistribution, normal, standardNormal } from './normal.ts';
export { LognormalDistribution, lognormal, lognormalFromMoments } from './lognormal.ts';
export { ParetoDistribution, pareto } from './pareto.ts';
export { WeibullDistribution, weibull } from './weibull.ts';
export { ZipfDistribution, zipf } from './zipf.ts';
export { EmpiricalPointsDistribution, empiricalFromPoints } from './empirical-points.ts';
export { EmpiricalHistogramDistribution, empiricalFromHistogram } from './empirical-histogram.ts';
export type { HistogramBin } from './empirical-histogram.ts';
export { gamma, logGamma } from './gamma.ts';
export { generalizedHarmonic, generalizedHarmonicOrders, HARMONIC_EXACT_LIMIT } from './harmonic.ts';
