/**
 * The error a sweep or merge throws for bad input: a bad option, a results folder that does not
 * match, shards that do not add up. The commands turn it into exit code 2 with its message.
 * (Invalid scenarios are `ScenarioError`s from the loader and are reported the same way.)
 */
export class SweepInputError extends Error {
  override readonly name = 'SweepInputError';
}
