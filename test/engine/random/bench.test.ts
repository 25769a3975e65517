import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { benchDistributions, lastBenchChecksum } from '../../../sim/engine/random/bench.ts';

test('the distribution benchmark reports one finite row per distribution', () => {
  const rows = benchDistributions(2000);
  assert.ok(rows.length >= 8);
  for (const row of rows) {
    assert.is(row.draws, 2000);
    assert.ok(row.wall_s >= 0 && row.draws_per_s > 0, row.name);
  }
  assert.ok(Number.isFinite(lastBenchChecksum()) && lastBenchChecksum() > 0);
});

test.run();
