/**
 * Small builders for the JSON Schema fragments that scenario components share:
 * quantities with units and random distributions.
 */
import type { QuantityKind } from './units.ts';

const KIND_EXAMPLES: Record<QuantityKind, string> = {
  time: '"100us", "2 ms", "1.5h"',
  size: '"4KiB", "1.5 GB", "512B"',
  datarate: '"10Gbit/s", "500MB/s"',
  rate: '"0.8/s", "1000 /h", "100 IOPS"',
  price: '"12.5 USD"',
  storagePrice: '"0.023 USD/GB/month"',
  transferPrice: '"0.09 USD/GB"',
  requestPrice: '"0.0004 USD/1000 requests"',
  timePrice: '"0.10 USD/h"',
  dimensionless: '"0.5", "50%"',
};

/**
 * A quantity written with its unit. `unitKind` is storsim's own schema keyword, checked
 * by the loader through the unit parser; editors treat it as an annotation.
 */
export function quantity(kind: QuantityKind, description: string): object {
  return { type: 'string', unitKind: kind, description: `${description} (${kind}, e.g. ${KIND_EXAMPLES[kind]})` };
}

/** An integer count. */
export function count(description: string, minimum = 0): object {
  return { type: 'integer', minimum, description };
}

/** A probability or fraction in [0, 1]. */
export function fraction(description: string): object {
  return { type: 'number', minimum: 0, maximum: 1, description };
}

/** Names of the distributions a scenario may use, with their parameters. */
export const DISTRIBUTION_NAMES = [
  'constant', 'uniform', 'exponential', 'normal', 'lognormal', 'pareto', 'weibull', 'empirical',
] as const;

/**
 * A distribution of a quantity of `kind`, e.g. `{"dist": "exponential", "mean": "1s"}`.
 * Every parameter that has the quantity's dimension carries a unit; shapes are numbers.
 */
export function distribution(kind: QuantityKind, description: string): object {
  const q = (d: string) => quantity(kind, d);
  const branch = (dist: string, properties: Record<string, object>, required: string[], doc: string) => ({
    type: 'object',
    description: doc,
    additionalProperties: false,
    required: ['dist', ...required],
    properties: { dist: { const: dist }, ...properties },
  });
  return {
    description: `${description}: a random distribution, chosen by "dist"`,
    type: 'object',
    required: ['dist'],
    properties: { dist: { enum: [...DISTRIBUTION_NAMES] } },
    discriminator: { propertyName: 'dist' },
    oneOf: [
      branch('constant', { value: q('the value') }, ['value'], 'Always the same value.'),
      branch('uniform', { min: q('lower bound'), max: q('upper bound') }, ['min', 'max'], 'Uniform on [min, max).'),
      branch('exponential', { mean: q('mean') }, ['mean'], 'Exponential with the given mean.'),
      branch('normal', { mean: q('mean'), stddev: q('standard deviation') }, ['mean', 'stddev'], 'Normal (may go negative: prefer lognormal for times and sizes).'),
      branch('lognormal', { mean: q('mean'), stddev: q('standard deviation') }, ['mean', 'stddev'], 'Lognormal with the given mean and standard deviation.'),
      branch('pareto', { scale: q('scale x_m, the minimum'), shape: { type: 'number', exclusiveMinimum: 0, description: 'shape alpha' } }, ['scale', 'shape'], 'Pareto type I.'),
      branch('weibull', { scale: q('scale lambda'), shape: { type: 'number', exclusiveMinimum: 0, description: 'shape k' } }, ['scale', 'shape'], 'Weibull.'),
      branch(
        'empirical',
        {
          points: { type: 'array', minItems: 1, items: q('an observed value'), description: 'draw one of these values, each equally likely' },
          histogram: {
            type: 'array',
            minItems: 1,
            description: 'bins: pick a bin by weight, then uniformly within it',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['low', 'high', 'weight'],
              properties: { low: q('bin lower edge'), high: q('bin upper edge'), weight: { type: 'number', minimum: 0 } },
            },
          },
        },
        [],
        'Empirical, from points or a histogram (exactly one of them).',
      ),
    ],
  };
}
