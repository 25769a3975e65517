import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MANIFEST_FORMAT, manifestDifferences, type Manifest } from '../../sim/sweep/manifest.ts';

function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    format: MANIFEST_FORMAT,
    storsim_version: '0.1.0',
    scenarios: [
      { name: 'a', file: 'a.json', sha256: 'aa'.repeat(32), inputs: [] },
      { name: 'b', file: 'b.json', sha256: 'bb'.repeat(32), inputs: [{ path: '../traces/t.csv', sha256: 'dd'.repeat(32) }] },
    ],
    options: { seed: null, replications: null },
    shard: { index: 0, count: 1, label: '1/1' },
    shard_runs: 3,
    runs: [
      { id: 'a/v0/r0', seed: 1 },
      { id: 'a/v1/r0', seed: 1 },
      { id: 'b/v0/r0', seed: 3 },
    ],
    ...overrides,
  };
}

const diff = (a: Manifest, b: Manifest, shard = true) => manifestDifferences(a, b, 'X', 'Y', shard);

test('identical sweeps have no differences; paths and options alone do not count', () => {
  assert.equal(diff(manifest(), manifest()), []);
  const moved = manifest({ scenarios: manifest().scenarios.map((s) => ({ ...s, file: `/elsewhere/${s.file}` })), options: { seed: 1, replications: null } });
  assert.equal(diff(manifest(), moved), [], 'the same contents under another path, and --seed equal to the scenario seed, are the same sweep');
});

test('a changed scenario is named with both files and hashes', () => {
  const changed = manifest({ scenarios: [manifest().scenarios[0]!, { ...manifest().scenarios[1]!, sha256: 'cc'.repeat(32) }] });
  const out = diff(manifest(), changed);
  assert.is(out.length, 1);
  assert.match(out[0]!, /^scenario b has different contents: b\.json \(sha256 bbbbbbbbbbbb…\) in X, b\.json \(sha256 cccccccccccc…\) in Y$/);
});

test('an edited, added or dropped input file (a trace) is named with its path', () => {
  const withInputs = (inputs: Manifest['scenarios'][number]['inputs']) => manifest({ scenarios: [manifest().scenarios[0]!, { ...manifest().scenarios[1]!, inputs }] });
  assert.equal(diff(manifest(), withInputs([{ path: '../traces/t.csv', sha256: 'ee'.repeat(32) }])), [
    "scenario b's input ../traces/t.csv has different contents: sha256 dddddddddddd… in X, eeeeeeeeeeee… in Y",
  ]);
  assert.equal(diff(manifest(), withInputs([])), ['scenario b reads ../traces/t.csv in X but not in Y']);
  assert.equal(diff(withInputs([]), manifest()), ['scenario b reads ../traces/t.csv in Y but not in X']);
});

test('other scenarios, another run list, another shard and another version are each said', () => {
  assert.equal(diff(manifest(), manifest({ scenarios: manifest().scenarios.slice(0, 1) })), ['scenarios: a, b in X; a in Y']);
  const reseeded = manifest({ runs: manifest().runs.map((r) => ({ ...r, seed: r.seed + 1 })), options: { seed: 2, replications: null } });
  assert.equal(diff(manifest(), reseeded), [
    'run list: run 0 is a/v0/r0 (seed 1) in X, a/v0/r0 (seed 2) in Y; run 1 is a/v1/r0 (seed 1) in X, a/v1/r0 (seed 2) in Y; run 2 is b/v0/r0 (seed 3) in X, b/v0/r0 (seed 4) in Y (X was made with no --seed or --replications, Y with --seed 2)',
  ]);
  assert.equal(diff(manifest(), manifest({ runs: manifest().runs.slice(0, 2) })), ['run list: 3 runs in X, 2 in Y']);
  assert.equal(diff(manifest(), manifest({ shard: { index: 1, count: 2, label: '2/2' } })), ['shard: 1/1 in X, 2/2 in Y']);
  assert.equal(diff(manifest(), manifest({ shard: { index: 1, count: 2, label: '2/2' } }), false), [], 'merge compares shards of one sweep');
  assert.equal(diff(manifest(), manifest({ storsim_version: '0.2.0' })), ['storsim version: 0.1.0 in X, 0.2.0 in Y']);
});

test('long run-list differences name three runs and count the rest', () => {
  const runs = Array.from({ length: 10 }, (_, i) => ({ id: `a/v${i}/r0`, seed: 1 }));
  const out = diff(manifest({ runs }), manifest({ runs: runs.map((r) => ({ ...r, seed: 2 })) }));
  assert.is(out.length, 1);
  assert.is((out[0]!.match(/ is a\//g) ?? []).length, 3);
  assert.match(out[0]!, /and 7 more differing run\(s\)/);
});

test.run();
