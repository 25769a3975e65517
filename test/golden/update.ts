/**
 * Regenerates the golden files: `npm run golden:update`
 * (= `node --import tsx test/golden/update.ts`).
 *
 * For every scenario file in scenarios/examples/ it runs
 * `node bin/storsim.js run <file> --out <temp dir>` and copies runs.csv and timeseries.csv to
 * test/golden/expected/<file name without .json>/. Expected directories of examples that no
 * longer exist are removed. Review the diff (`git diff test/golden/expected`) before committing:
 * every change in it is a change in what the simulator computes.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { EXPECTED_DIR, GOLDEN_FILES, ROOT, exampleScenarios, expectedDirFor, storsim } from './cli.ts';

const scenarios = exampleScenarios();
let failed = false;
for (const file of scenarios) {
  const out = mkdtempSync(join(tmpdir(), 'storsim-golden-'));
  try {
    const result = await storsim(['run', file, '--out', out, '--quiet']);
    if (result.code !== 0) {
      console.error(`golden: ${relative(ROOT, file)} exited ${result.code}; expected files left as they were\n${result.stderr}`);
      failed = true;
      continue;
    }
    const target = expectedDirFor(file);
    mkdirSync(target, { recursive: true });
    for (const name of GOLDEN_FILES) copyFileSync(join(out, name), join(target, name));
    console.log(`golden: ${relative(ROOT, file)} -> ${relative(ROOT, target)}/{${GOLDEN_FILES.join(',')}}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
const wanted = new Set(scenarios.map((file) => basename(file, '.json')));
mkdirSync(EXPECTED_DIR, { recursive: true });
for (const dir of readdirSync(EXPECTED_DIR)) {
  if (!wanted.has(dir)) {
    rmSync(join(EXPECTED_DIR, dir), { recursive: true, force: true });
    console.log(`golden: removed ${relative(ROOT, join(EXPECTED_DIR, dir))} (no such example any more)`);
  }
}
process.exitCode = failed ? 1 : 0;
