/**
 * The cloud component types through the real loader, as a user writes them: a scenario with an
 * object store, a backup service, a snapshot store and an object workload runs, reports its
 * columns with units, keeps its invariants (total cost = storage + requests + egress; every
 * checked restore equals its reference), and is deterministic; bad input is rejected with
 * messages that say what to fix.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executeRun } from '../../../sim/run/execute-run.ts';
import { ScenarioError } from '../../../sim/scenario/errors.ts';
import { column, loadRuns, writeScenarios } from '../../run/scenario-files.ts';

function cloudScenario(overrides: Record<string, any> = {}): Record<string, any> {
  return {
    name: 'cloud',
    seed: 3,
    stop: { at: '20min' },
    world: {
      s3: {
        type: 'object-store',
        region: 'eu-west-1',
        jurisdiction: 'EU',
        firstByteLatency: { dist: 'lognormal', mean: '20ms', stddev: '10ms' },
        connectionBandwidth: '800Mbit/s',
        aggregateBandwidth: '10Gbit/s',
        prices: {
          storage: '0.023 USD/GB/month',
          putRequests: '0.005 USD/1000 requests',
          getRequests: '0.0004 USD/1000 requests',
          egressInternet: '0.09 USD/GB',
        },
      },
      backup: {
        type: 'backup-service',
        store: 's3',
        dataset: { name: 'db', size: '2GiB', chunkSize: '4MiB', changeRate: '50GB/day' },
        interval: '3min',
        fullEvery: 3,
        keep: 3,
        partSize: '16MiB',
        restoreAt: ['17min'],
      },
      snaps: {
        type: 'snapshot-store',
        store: 's3',
        chunkSize: '4MiB',
        volumes: [{ name: 'vol1', size: '1GiB', writeRate: '1MB/s' }],
        snapshotEvery: '3min',
        keep: 3,
        restoreAt: ['16min'],
      },
    },
    workload: {
      wl: {
        type: 'object-workload',
        store: 's3',
        interarrival: { dist: 'exponential', mean: '250ms' },
        size: { dist: 'lognormal', mean: '256KiB', stddev: '512KiB' },
        getFraction: 0.7,
        prefixes: 4,
        client: { region: 'internet' },
      },
    },
    metrics: { warmup: '2min' },
    ...overrides,
  };
}

async function loadOne(spec: object) {
  const dir = writeScenarios({ 'cloud.json': spec });
  try {
    const { runs, units } = await loadRuns([dir.path('cloud.json')]);
    return { run: runs[0]!, units };
  } finally {
    dir.remove();
  }
}

/** Loads several bad files at once (one loader pass) and returns each file's issues as text. */
async function loadIssues(specs: Record<string, Record<string, any>>): Promise<Record<string, string>> {
  const files = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [`${name}.json`, { ...spec, name }]));
  const dir = writeScenarios(files);
  try {
    await loadRuns(Object.keys(files).map((f) => dir.path(f)));
    return {};
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    const out: Record<string, string> = {};
    for (const issue of error.issues) {
      const name = Object.keys(specs).find((n) => issue.file.endsWith(`${n}.json`)) ?? '?';
      out[name] = `${out[name] ?? ''}${issue.pointer}: ${issue.message}\n`;
    }
    return out;
  } finally {
    dir.remove();
  }
}

test('the example runs: costs add up, restores match their references, and the same seed gives the same numbers', async () => {
  const { run, units } = await loadOne(cloudScenario());
  const result = executeRun(run, units);
  const get = (name: string) => {
    const v = column(result, name);
    assert.ok(v !== undefined, `column ${name}`);
    return v!;
  };
  const total = get('s3/total_cost_USD');
  const parts = get('s3/storage_cost_USD') + get('s3/request_cost_USD') + get('s3/egress_cost_USD');
  assert.ok(Math.abs(total - parts) <= 1e-12 * total, 'total = storage + requests + egress');
  assert.ok(get('s3/storage_cost_USD') > 0 && get('s3/request_cost_USD') > 0 && get('s3/egress_cost_USD') > 0);
  // Reads by an internet client are egress; nothing else in this world reads from outside the region.
  assert.ok(get('s3/egress_B') > 0);
  assert.ok(get('wl/client/completed') > 0);
  assert.is(get('backup/restores'), 1);
  assert.is(get('backup/restore_mismatches'), 0);
  assert.is(get('snaps/restores'), 1);
  assert.is(get('snaps/vol1/restore_mismatches'), 0);
  assert.ok(get('backup/backups') >= 6);
  assert.ok(get('snaps/deleted_snapshots') >= 1);
  assert.ok(get('backup/backup_duration_max_s') > 0);
  assert.equal(executeRun(run, units).summary, result.summary);
});

test('bad input: a part size below the store\'s minimum, a wrong price unit; a store written after its user is fine', async () => {
  const small = cloudScenario();
  small.world.backup.partSize = '1MiB';
  const late = cloudScenario();
  late.world = { backup: late.world.backup, s3: late.world.s3 };
  const price = cloudScenario();
  price.world.s3.prices.storage = '0.023 USD/GB';
  const unknown = cloudScenario();
  unknown.world.s3.pricez = {};
  const issues = await loadIssues({ small, late, price, unknown });
  assert.match(issues.small ?? '', /\/world\/backup: partSize 1048576 B is below the store's minimum part size of 5242880 B/);
  assert.is(issues.late, undefined, 'the store is built before its user, whatever the written order');
  assert.match(issues.price ?? '', /\/world\/s3\/prices\/storage: .*storage price/);
  assert.match(issues.unknown ?? '', /pricez/);
});

test.run();
