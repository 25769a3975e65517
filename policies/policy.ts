/**
 * How a policy module describes itself. A mechanism in `sim/` declares the protocol it
 * calls (for example `QueueDiscipline`); a policy implements it, names the decision point
 * it serves, and gives the JSON Schema of its parameters. Scenarios choose policies by
 * name; the mechanism never switches on names.
 */
export interface PolicyModule<Protocol = unknown, Params = Record<string, unknown>> {
  /** The decision point, e.g. "queue-discipline" (a key of a scenario's `policies` section). */
  readonly decisionPoint: string;
  /** The policy's name within its decision point, e.g. "sjf". */
  readonly name: string;
  /** One sentence for `--help`, the README and the generated schema. */
  readonly description: string;
  /** JSON Schema (draft 2020-12) of the policy's `params` object; quantities use `unitKind`. */
  readonly paramsSchema: object;
  /** Builds the policy from parameters that already passed `paramsSchema`. */
  create(params: Params): Protocol;
}
