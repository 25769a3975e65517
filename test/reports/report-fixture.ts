/**
 * Test helper: a small results folder written by hand (runs.csv, timeseries.csv, a scenario
 * file) whose every number is chosen here, so the report's statistics can be checked by hand.
 *
 * Scenario 1 (`EVIL_SCENARIO`, a name full of markup) runs two policies (`greedy` and
 * `EVIL_POLICY`) on seeds 1–3: metrics with units (`_B`, `_USD`, a latency histogram in `_us`),
 * one constant metric, and engine bookkeeping; timeseries.csv samples two series at t = 1, 2, 3 s.
 * Scenario 2 (`two-variants`) has one policy and two variants (a parameter column), one seed each.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCsv, type CsvValue } from '../../sim/output/csv.ts';

export const EVIL_SCENARIO = 'gc-<script>alert(1)</script>&"\'';
export const EVIL_POLICY = 'cost<b>benefit</b>';
export const EVIL_DESCRIPTION = 'A description with <img src=x onerror=alert(2)> & "quotes".';

/** runs.csv metric values per policy, in seed order 1, 2, 3. */
export const BYTES_B = { greedy: [100, 110, 120], [EVIL_POLICY]: [200, 190, 230] } as const;
export const COST_USD = { greedy: [1, 2, 3], [EVIL_POLICY]: [3, 2, 4] } as const;
/** Latency quantiles (µs) per policy: the same for every seed except p50, which varies. */
export const LATENCY_US = {
  greedy: { p50: [10, 12, 14], p95: 40, p99: 80, p999: 160, max: 400, mean: 20 },
  [EVIL_POLICY]: { p50: [20, 20, 20], p95: 50, p99: 90, p999: 300, max: 900, mean: 30 },
} as const;

const POLICIES = ['greedy', EVIL_POLICY] as const;

export const METRIC_COLUMNS = [
  'dev/bytes_written_B',
  'dev/constant',
  'dev/cost_USD',
  'engine/events',
  'q/latency_count',
  'q/latency_max_us',
  'q/latency_mean_us',
  'q/latency_p50_us',
  'q/latency_p95_us',
  'q/latency_p999_us',
  'q/latency_p99_us',
];

export function runsCsvText(): string {
  const rows: Record<string, CsvValue>[] = [];
  POLICIES.forEach((policy, v) => {
    for (let r = 0; r < 3; r++) {
      const l = LATENCY_US[policy];
      rows.push({
        run_id: `${EVIL_SCENARIO}/v${v}/r${r}`,
        scenario: EVIL_SCENARIO,
        variant: `v${v}`,
        'policy.gc-victim': policy,
        seed: r + 1,
        'dev/bytes_written_B': BYTES_B[policy][r],
        'dev/constant': 7,
        'dev/cost_USD': COST_USD[policy][r],
        'engine/events': 1000 + 10 * v + r,
        'q/latency_count': 50,
        'q/latency_max_us': l.max,
        'q/latency_mean_us': l.mean,
        'q/latency_p50_us': l.p50[r],
        'q/latency_p95_us': l.p95,
        'q/latency_p999_us': l.p999,
        'q/latency_p99_us': l.p99,
      });
    }
  });
  ['fast', 'slow'].forEach((rate, v) => {
    rows.push({
      run_id: `two-variants/v${v}/r0`,
      scenario: 'two-variants',
      variant: `v${v}`,
      'workload.rate': rate,
      'policy.gc-victim': 'greedy',
      seed: 9,
      'dev/bytes_written_B': v === 0 ? 1000 : 3000,
      'dev/constant': 7,
      'dev/cost_USD': 5,
      'engine/events': 10,
      'q/latency_count': 0,
    });
  });
  return toCsv(['run_id', 'scenario', 'variant', 'workload.rate', 'policy.gc-victim', 'seed', ...METRIC_COLUMNS], rows);
}

/** timeseries.csv: `dev/queue_length_mean` = policy offset + seed × t, `q/latency_p99_us` constant. */
export function timeseriesCsvText(): string {
  const rows: Record<string, CsvValue>[] = [];
  POLICIES.forEach((_, v) => {
    for (let r = 0; r < 3; r++) {
      for (const t of [1, 2, 3]) {
        rows.push({ run_id: `${EVIL_SCENARIO}/v${v}/r${r}`, time_s: t, metric: 'dev/queue_length_mean', value: 10 * v + (r + 1) * t });
        rows.push({ run_id: `${EVIL_SCENARIO}/v${v}/r${r}`, time_s: t, metric: 'q/latency_p99_us', value: 80 });
      }
    }
  });
  return toCsv(['run_id', 'time_s', 'metric', 'value'], rows);
}

/** A results folder with the fixture's files (and, with `scenarioFile`, a scenario file beside it). */
export interface FixtureDir {
  readonly dir: string;
  readonly scenarioFile: string;
  remove(): void;
}

export function writeFixture(options: { timeseries?: boolean } = {}): FixtureDir {
  const dir = mkdtempSync(join(tmpdir(), 'storsim-report-'));
  writeFileSync(join(dir, 'runs.csv'), runsCsvText());
  if (options.timeseries !== false) writeFileSync(join(dir, 'timeseries.csv'), timeseriesCsvText());
  const scenarioFile = join(dir, 'evil-scenario.json');
  writeFileSync(scenarioFile, JSON.stringify({ name: EVIL_SCENARIO, description: EVIL_DESCRIPTION }));
  return { dir, scenarioFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
