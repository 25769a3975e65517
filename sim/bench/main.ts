/**
 * `npm run bench [-- FILTER...]`: runs the benchmarks and prints one JSON line per
 * benchmark on stdout, nothing else (progress goes to stderr). With FILTER arguments, runs
 * only the benchmarks whose name contains one of them (e.g. `npm run bench -- mm1`).
 * (`npm run --silent bench` also drops npm's own "> storsim@… bench" banner from stdout.)
 *
 * Every line has `name`, `events`, `wall_s` and `events_per_s`; queueing models add
 * `customers_per_s` and `mean_response_s` (checked against the M/M/1 value, so a broken
 * model cannot post a fast number), distributions add `draws_per_s`.
 *
 * Each benchmark group runs in its own child Node process, so a figure does not depend on
 * which benchmarks ran before it in the same process (JIT feedback, e.g. how many
 * different callbacks the engine's dispatch site has seen, and heap state) nor on the
 * filter. The child is this file with `--group <id>`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { progress, wallNowMs, wallSecondsSince, type BenchResult } from './common.ts';
import { benchDistributionRows, DISTRIBUTION_BENCH_NAMES } from './distributions.ts';
import { benchHold } from './hold.ts';
import { benchMetricsRows, METRICS_BENCH_NAMES } from './metrics.ts';
import { benchMm1ThousandQueues } from './mm1-1000-queues.ts';
import { benchMm1BareRows, MM1_BARE_BENCH_NAMES } from './mm1-bare.ts';
import { benchMm1Callbacks } from './mm1-callbacks.ts';
import { benchMm1Processes } from './mm1-processes.ts';
import { benchSsdFast1TiB, benchSsdFastUniform, benchSsdTimedMixed } from './ssd.ts';
import { benchSweepScaling } from './sweep-scaling.ts';

interface BenchGroup {
  readonly id: string;
  /** Names of the rows the group produces. */
  readonly names: readonly string[];
  /** `reference`: customers/s of `mm1-processes` measured in this run, if needed and known. */
  readonly run: (reference: number | null) => BenchResult[];
}

const GROUPS: readonly BenchGroup[] = [
  { id: 'mm1-bare', names: MM1_BARE_BENCH_NAMES, run: () => benchMm1BareRows() },
  { id: 'mm1-callbacks', names: ['mm1-callbacks'], run: () => [benchMm1Callbacks()] },
  { id: 'mm1-processes', names: ['mm1-processes'], run: () => [benchMm1Processes()] },
  { id: 'mm1-1000-queues', names: ['mm1-1000-queues'], run: (reference) => [benchMm1ThousandQueues(reference)] },
  { id: 'hold-100k', names: ['hold-100k'], run: () => [benchHold()] },
  { id: 'dist', names: DISTRIBUTION_BENCH_NAMES, run: () => benchDistributionRows() },
  { id: 'metrics', names: METRICS_BENCH_NAMES, run: () => benchMetricsRows() },
  { id: 'ssd-fast-uniform', names: ['ssd-fast-uniform'], run: () => [benchSsdFastUniform()] },
  { id: 'ssd-fast-1tib', names: ['ssd-fast-1tib'], run: () => [benchSsdFast1TiB()] },
  { id: 'ssd-timed-mixed', names: ['ssd-timed-mixed'], run: () => [benchSsdTimedMixed()] },
  { id: 'sweep-scaling', names: ['sweep-scaling'], run: () => [benchSweepScaling()] },
];

const THIS_FILE = fileURLToPath(import.meta.url);

/** Child mode: runs one group in this process and prints its rows that pass the filters. */
function runGroup(id: string, reference: number | null, filters: readonly string[]): number {
  const group = GROUPS.find((g) => g.id === id);
  if (group === undefined) throw new Error(`bench: unknown group ${id}`);
  for (const result of group.run(reference)) {
    if (matches(result.name, filters)) process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  return 0;
}

function matches(name: string, filters: readonly string[]): boolean {
  return filters.length === 0 || filters.some((f) => name.includes(f));
}

/** Runs one group in a child process; returns its rows (null when it failed). */
function spawnGroup(id: string, reference: number | null, filters: readonly string[]): BenchResult[] | null {
  const args = [...process.execArgv, THIS_FILE, '--group', id];
  if (reference !== null) args.push('--reference', String(reference));
  const child = spawnSync(process.execPath, [...args, '--', ...filters], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.error !== undefined) throw child.error;
  if (child.status !== 0) {
    progress(`  ${id} FAILED (exit ${child.status ?? child.signal})`);
    return null;
  }
  const rows: BenchResult[] = [];
  for (const line of child.stdout.split('\n')) {
    if (line.startsWith('{')) rows.push(JSON.parse(line) as BenchResult);
    else if (line.trim() !== '') process.stderr.write(`${line}\n`); // e.g. output of a V8 flag such as --trace-gc
  }
  return rows;
}

function main(argv: readonly string[]): number {
  let groupId: string | null = null;
  let reference: number | null = null;
  const filters: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--group') groupId = argv[++i] ?? '';
    else if (arg === '--reference') reference = Number(argv[++i]);
    else if (arg !== '--') filters.push(arg);
  }
  if (groupId !== null) return runGroup(groupId, reference, filters);

  const selected = GROUPS.filter((group) => group.names.some((name) => matches(name, filters)));
  if (selected.length === 0) {
    const all = GROUPS.flatMap((group) => group.names).join(', ');
    const asked = filters.map((f) => JSON.stringify(f)).join(' or ');
    process.stderr.write(`bench: no benchmark name contains ${asked}; names: ${all}\n`);
    return 2;
  }
  let failed = false;
  const startAll = wallNowMs();
  for (const group of selected) {
    if (group.id === 'mm1-1000-queues' && reference === null) {
      progress('measuring mm1-processes first (not printed): reference for slowdown_vs_one_queue');
      const rows = spawnGroup('mm1-processes', null, []);
      reference = (rows?.[0]?.customers_per_s as number | undefined) ?? null;
    }
    progress(`running ${group.id}`);
    const start = wallNowMs();
    const rows = spawnGroup(group.id, reference, filters);
    if (rows === null) {
      failed = true;
      continue;
    }
    for (const row of rows) {
      if (row.name === 'mm1-processes') reference = row.customers_per_s as number;
      process.stdout.write(`${JSON.stringify(row)}\n`);
    }
    progress(`  done in ${wallSecondsSince(start).toFixed(1)} s`);
  }
  progress(`total ${wallSecondsSince(startAll).toFixed(1)} s`);
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
