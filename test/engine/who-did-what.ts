/**
 * The engine tests' log of who did what when: `say(what)` records `[env.now, what]`, and a
 * test compares the whole log with the expected one (SimPy's test style).
 */
import { Environment } from '../../sim/engine/environment.ts';

export type Log = Array<[number, string]>;

/** A fresh environment with an empty log and `say` bound to its clock. */
export function setup(): { env: Environment; log: Log; say: (what: string) => void } {
  const env = new Environment();
  const log: Log = [];
  return { env, log, say: (what) => log.push([env.now, what]) };
}
