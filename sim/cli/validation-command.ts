/** `storsim validation`: run the validation suite, print the table, write validation.csv. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../output/atomic-write.ts';
import { formatNumber, toCsv } from '../output/csv.ts';
import { ScenarioError } from '../scenario/errors.ts';
import { BUILT_IN_SUITE, runValidationSuite, VALIDATION_COLUMNS, type ValidationRow } from '../validation/suite.ts';
import { ExitCode } from './exit-codes.ts';

export interface ValidationOptions {
  out: string;
  workers?: number;
  suite?: string;
}

export async function validationCommand(options: ValidationOptions): Promise<number> {
  const started = performance.now(); // wall-clock ok: progress report only
  let outcome;
  try {
    outcome = await runValidationSuite(options.suite ?? BUILT_IN_SUITE, {
      ...(options.workers === undefined ? {} : { workers: options.workers }),
    });
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    console.error(`storsim: invalid validation scenario, nothing was run or written:\n${error.message}`);
    return ExitCode.BAD_INPUT;
  }
  const { rows, failures } = outcome;
  for (const failure of failures) console.error(`storsim: run failed: ${failure}`);
  console.log(formatTable(rows));
  await mkdir(options.out, { recursive: true });
  const path = join(options.out, 'validation.csv');
  await writeFileAtomic(path, validationCsv(rows));
  const passed = rows.filter((r) => r.pass).length;
  const wallS = (performance.now() - started) / 1000; // wall-clock ok
  console.log(`storsim: ${passed} of ${rows.length} validation rows pass (${wallS.toFixed(1)} s); wrote ${path}`);
  return passed === rows.length && failures.length === 0 ? ExitCode.OK : ExitCode.FAILED;
}

export function validationCsv(rows: readonly ValidationRow[]): string {
  return toCsv(VALIDATION_COLUMNS, rows.map((r) => ({ ...r, pass: r.pass ? 'true' : 'false' })));
}

function formatTable(rows: readonly ValidationRow[]): string {
  const header = ['model', 'parameters', 'reference', 'simulated', 'ci95', 'rel_error', 'pass'];
  const body = rows.map((r) => [
    r.model,
    r.parameters,
    formatNumber(Number(r.reference.toPrecision(6))),
    formatNumber(Number(r.simulated.toPrecision(6))),
    `[${r.ci95_low.toFixed(4)}, ${r.ci95_high.toFixed(4)}]`,
    `${(r.rel_error * 100).toFixed(2)}% (<= ${(r.tolerance * 100).toFixed(0)}%)`,
    r.pass ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}
