#!/usr/bin/env node
// `npm test`: type check, then every uvu test under c8 with coverage thresholds.
// The last line is the runner's own count, "N passed, N failed" (uvu prints Total/Passed).
//
// Coverage thresholds (lines): >= 90% in sim/engine and sim/scenario, >= 80% overall.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const THRESHOLDS = [
  { dir: 'sim/engine/', lines: 90 },
  { dir: 'sim/scenario/', lines: 90 },
  { dir: '', lines: 80 },
];
const pattern = process.argv[2] ?? '\\.test\\.ts$';

function run(command, args, options = {}) {
  return spawnSync(command, args, { cwd: root, encoding: 'utf8', ...options });
}

function finish(passed, failed, code) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code);
}

console.log('type check: tsc --noEmit');
const tsc = run(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '--noEmit', '-p', '.'], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('type check failed');
  finish(0, 1, 1);
}

rmSync(`${root}coverage`, { recursive: true, force: true });
const c8 = `${root}node_modules/c8/bin/c8.js`;
const uvu = `${root}node_modules/uvu/bin.js`;
const tests = run(
  process.execPath,
  [c8, '--all', '--src=.', '--extension=.ts', '--reporter=text-summary', '--reporter=json-summary', '--include=sim/**', '--include=policies/**', '--include=reports/**',
    '--exclude=sim/**/bench.ts', '--exclude=sim/bench/**',
    process.execPath, '--import', 'tsx', uvu, 'test', pattern],
  { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FORCE_COLOR: '0' }, maxBuffer: 1 << 28 },
);
process.stdout.write(tests.stdout);
const total = Number(/Total:\s+(\d+)/.exec(tests.stdout)?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(tests.stdout)?.[1] ?? 0);
let failed = total - passed;
if (tests.status !== 0 && failed === 0) failed = 1; // the runner itself failed (a file that did not load)

let coverageOk = true;
try {
  const summary = JSON.parse(readFileSync(`${root}coverage/coverage-summary.json`, 'utf8'));
  for (const { dir, lines } of THRESHOLDS) {
    let covered = 0;
    let totalLines = 0;
    for (const [file, data] of Object.entries(summary)) {
      if (file === 'total' || !relative(root, file).startsWith(dir)) continue;
      covered += data.lines.covered;
      totalLines += data.lines.total;
    }
    const pct = totalLines === 0 ? 100 : (100 * covered) / totalLines;
    const ok = pct >= lines;
    coverageOk &&= ok;
    console.log(`coverage ${dir || 'overall'}: ${pct.toFixed(1)}% lines (threshold ${lines}%) ${ok ? 'ok' : 'BELOW THRESHOLD'}`);
  }
} catch (error) {
  console.error(`coverage summary missing: ${error.message}`);
  coverageOk = false;
}
finish(passed, failed, tests.status === 0 && failed === 0 && coverageOk ? 0 : 1);
