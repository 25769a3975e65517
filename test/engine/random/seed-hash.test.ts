import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cyrb53, deriveStreamSeed, expandSeedToXor128 } from '../../../sim/engine/random/seed-hash.ts';
import { assertRangeError } from './sample-statistics.ts';

test('cyrb53 matches the published reference values', () => {
  assert.is(cyrb53('a'), 7929297801672961);
  assert.is(cyrb53('b'), 8684336938537663);
  assert.is(cyrb53(''), 3338908027751811);
});

test('stream seeds are cyrb53 of the run seed and path joined by NUL', () => {
  assert.is(deriveStreamSeed(1, 'a'), cyrb53('1\u0000a'));
  assert.is(deriveStreamSeed(42, 'host1/vm3/workload'), 6329532028246837);
  assert.is.not(deriveStreamSeed(1, '2a'), deriveStreamSeed(12, 'a'));
});

test('stream seeds are 53-bit non-negative integers', () => {
  for (let i = 0; i < 1000; i++) {
    const seed = deriveStreamSeed(i, `component/${i}`);
    assert.ok(Number.isSafeInteger(seed) && seed >= 0);
  }
});

test('nearby paths get unrelated seeds', () => {
  const seeds = new Set<number>();
  for (let i = 0; i < 10_000; i++) seeds.add(deriveStreamSeed(7, `host1/vm${i}/workload`));
  assert.is(seeds.size, 10_000);
});

test('seed expansion is never the all-zero state, even for seed 0', () => {
  for (const seed of [0, 1, 2 ** 32, 2 ** 53 - 1]) {
    const { x, y, z, w } = expandSeedToXor128(seed);
    assert.ok(x !== 0 || y !== 0 || z !== 0 || w !== 0, `seed ${seed}`);
    for (const word of [x, y, z, w]) assert.is(word, word | 0);
  }
});

test('seeds differing only above bit 32 expand to different states', () => {
  assert.not.equal(expandSeedToXor128(5), expandSeedToXor128(5 + 2 ** 32));
});

test('non-integer run seeds are rejected', () => {
  assertRangeError(() => deriveStreamSeed(0.5, 'a'), 'run seed');
});

test.run();
