#!/usr/bin/env node
// `npm run test:cluster`: the cluster tests under test/cluster — the Kubernetes manifest and sbatch
// script checks (*.test.ts, which `npm test` runs too) and the real single-node Slurm end-to-end test
// (*.e2e.ts, only here: it installs Debian's slurm-wlm and munge when missing and starts their daemons).
// The last line is "N passed, N failed" (", N skipped" when a test was skipped, with the reason above it).
// STORSIM_CLUSTER_REQUIRED=1 turns a skip (Slurm cannot be installed or started here) into a failure.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const uvu = `${root}node_modules/uvu/bin.js`;
const pattern = process.argv[2] ?? '\\.(test|e2e)\\.ts$';

const started = process.hrtime.bigint();
// --no-color: plain output (uvu otherwise sets FORCE_COLOR=1 for itself and its children).
const result = spawnSync(process.execPath, ['--import', 'tsx', uvu, 'test/cluster', pattern, '--no-color'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
  maxBuffer: 1 << 28,
});
process.stdout.write(result.stdout ?? '');

const count = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(result.stdout ?? '')?.[1] ?? 0);
const total = count('Total');
const passed = count('Passed');
const skipped = count('Skipped');
let failed = total - passed; // uvu's Total leaves skipped tests out
if (result.status !== 0 && failed === 0) failed = 1; // the runner itself failed (a file that did not load)
// Where Slurm must run (a CI machine known to have root and Debian's registry), a skip is a failure.
const skipIsFailure = skipped > 0 && process.env.STORSIM_CLUSTER_REQUIRED === '1';
if (skipIsFailure) console.log('STORSIM_CLUSTER_REQUIRED=1: a skipped cluster test counts as a failure');

const seconds = Number(process.hrtime.bigint() - started) / 1e9;
for (const line of (result.stdout ?? '').split('\n')) {
  if (line.startsWith('SKIP:')) console.log(`skipped: ${line.slice('SKIP:'.length).trim()}`);
}
console.log(`cluster tests took ${seconds.toFixed(1)} s`);
if (skipIsFailure) failed += skipped;
console.log(`${passed} passed, ${failed} failed${skipped > 0 && !skipIsFailure ? `, ${skipped} skipped` : ''}`);
process.exit(result.status === 0 && failed === 0 ? 0 : 1);
