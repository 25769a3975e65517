/** `storsim schema`: the scenario JSON Schema generated from the registered models and policies. */
import { BUILT_IN_POLICIES } from '../../policies/index.ts';
import { writeFileAtomic } from '../output/atomic-write.ts';
import { COMPONENT_TYPES } from '../scenario/components/index.ts';
import { scenarioSchema } from '../scenario/schema.ts';
import { ExitCode } from './exit-codes.ts';

/** The schema as checked-in text: two-space indented JSON with a final newline. */
export function schemaText(): string {
  return `${JSON.stringify(scenarioSchema(COMPONENT_TYPES, BUILT_IN_POLICIES), null, 2)}\n`;
}

export async function schemaCommand(options: { out?: string }): Promise<number> {
  if (options.out === undefined) process.stdout.write(schemaText());
  else await writeFileAtomic(options.out, schemaText());
  return ExitCode.OK;
}
