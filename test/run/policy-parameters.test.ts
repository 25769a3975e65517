/**
 * A sweep over a policy's parameter shows the parameter in runs.csv's policy column, and
 * compare treats each setting as its own policy (no pooling, no variant-name brackets).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareRuns } from '../../reports/compare.ts';
import { parseRunsCsv } from '../../reports/runs-table.ts';
import { referenceFiles } from '../sweep/helpers.ts';
import { writeScenarios } from './scenario-files.ts';

const scenario = {
  name: 'dchoices',
  seed: 3,
  stop: { at: '2s' },
  world: {
    ssd: {
      type: 'ssd',
      mode: 'fast',
      geometry: { channels: 1, chipsPerChannel: 1, diesPerChip: 1, planesPerDie: 1, blocksPerPlane: 256, pagesPerBlock: 32, pageSize: '4KiB' },
      spareFactor: 0.1,
    },
  },
  workload: { writes: { type: 'page-writes', target: 'ssd', rate: '40000/s', batch: 4000, pattern: { kind: 'uniform' } } },
  policies: { 'gc-victim': { name: 'd-choices', params: { d: 1 } } },
  sweep: { matrix: { 'policies.gc-victim.params.d': [1, 16] }, replications: 2 },
};

test('runs.csv shows each d in the policy column, and compare gives each its own label', async () => {
  const files = writeScenarios({ 'dchoices.json': scenario });
  try {
    const { runs, failed } = await referenceFiles([files.dir]);
    assert.equal(failed, []);
    const table = parseRunsCsv(runs, 'runs.csv');
    assert.equal(table.policyColumns, ['policy.gc-victim']);
    assert.equal(table.rows.map((r) => r.policies['policy.gc-victim']), ['d-choices(d=1)', 'd-choices(d=1)', 'd-choices(d=16)', 'd-choices(d=16)']);
    const comparison = compareRuns(table, { metrics: ['ssd/write_amplification'] });
    const labels = [...new Set(comparison.map((row) => row.policy))];
    assert.equal(labels, ['d-choices(d=1)', 'd-choices(d=16)']);
    // d = 1 picks a random victim, d = 16 nearly the greediest: far less write amplification.
    const wa = (label: string) => comparison.find((row) => row.policy === label)!.mean;
    assert.ok(wa('d-choices(d=16)') < wa('d-choices(d=1)'), `WA d=16 ${wa('d-choices(d=16)')} < d=1 ${wa('d-choices(d=1)')}`);
  } finally {
    files.remove();
  }
});

test.run();
