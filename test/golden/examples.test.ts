import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { GOLDEN_FILES, ROOT, exampleScenarios, expectedDirFor, storsim } from './cli.ts';

const REGENERATE = 'if the change is intended, run `npm run golden:update` (node --import tsx test/golden/update.ts) and review `git diff test/golden/expected`';

/** Where two texts first differ, as a readable message (line numbers from 1). */
function firstDifference(expected: string, actual: string): string | null {
  if (expected === actual) return null;
  const want = expected.split('\n');
  const got = actual.split('\n');
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] !== got[i]) {
      const show = (line: string | undefined) => (line === undefined ? '(no such line)' : JSON.stringify(line));
      return `first difference at line ${i + 1}:\n  expected ${show(want[i])}\n  actual   ${show(got[i])}`;
    }
  }
  return 'the files differ only in line endings';
}

test('firstDifference names the first differing line, or null when equal', () => {
  assert.is(firstDifference('a\nb\n', 'a\nb\n'), null);
  assert.match(firstDifference('a\nb\nc\n', 'a\nB\nc\n')!, 'line 2');
  assert.match(firstDifference('a\nb', 'a\nb\nc')!, 'line 3:\n  expected (no such line)');
});

const examples = exampleScenarios();

test('there are example scenarios, and each has expected golden files', () => {
  assert.ok(examples.length > 0, 'scenarios/examples holds no scenario');
  for (const file of examples) {
    for (const name of GOLDEN_FILES) {
      const path = join(expectedDirFor(file), name);
      assert.ok(existsSync(path), `${relative(ROOT, path)} is missing for ${basename(file)}: ${REGENERATE}`);
    }
  }
});

for (const file of examples) {
  test(`storsim run ${relative(ROOT, file)} reproduces its golden runs.csv and timeseries.csv byte for byte`, async () => {
    const out = mkdtempSync(join(tmpdir(), 'storsim-golden-test-'));
    try {
      const result = await storsim(['run', file, '--out', out, '--quiet']);
      assert.is(result.code, 0, `storsim run exited ${result.code}: ${result.stderr}`);
      for (const name of GOLDEN_FILES) {
        const expectedPath = join(expectedDirFor(file), name);
        if (!existsSync(expectedPath)) assert.unreachable(`${relative(ROOT, expectedPath)} is missing: ${REGENERATE}`);
        const difference = firstDifference(readFileSync(expectedPath, 'utf8'), readFileSync(join(out, name), 'utf8'));
        if (difference !== null) {
          assert.unreachable(`${basename(file)}: ${name} differs from ${relative(ROOT, expectedPath)}; ${difference}\n${REGENERATE}`);
        }
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}

test.run();
