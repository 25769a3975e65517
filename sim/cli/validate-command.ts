/** `storsim validate`: check scenario files without running them. */
import { ScenarioError } from '../scenario/errors.ts';
import { loadScenarios } from '../scenario/load.ts';
import { ExitCode } from './exit-codes.ts';

export async function validateCommand(paths: string[]): Promise<number> {
  try {
    const { scenarios } = await loadScenarios(paths);
    for (const s of scenarios) console.log(`${s.file}: ok (${s.name}, ${s.runs.length} run(s))`);
    return ExitCode.OK;
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    console.error(error.message);
    console.error(`storsim: ${error.issues.length} problem(s) found`);
    return ExitCode.BAD_INPUT;
  }
}
