import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RandomStream, RandomStreams } from '../../../sim/engine/random/stream.ts';
import { assertChiSquare, assertRangeError } from './sample-statistics.ts';

const TWO_POW_32 = 2 ** 32;

function draws(stream: RandomStream, count: number): number[] {
  return Array.from({ length: count }, () => stream.next());
}

test('the first five draws of seed 1, path "a" are pinned (golden sequence)', () => {
  const stream = new RandomStreams(1).stream('a');
  assert.is(stream.seed, 1524220675186438);
  assert.equal(draws(stream, 5), [
    0.06052042101509869, 0.6919638765975833, 0.8057340269442648, 0.7763843485154212, 0.23198629613034427,
  ]);
});

test('the first five draws of seed 42, path "host1/vm3/workload" are pinned (golden sequence)', () => {
  const stream = new RandomStreams(42).stream('host1/vm3/workload');
  assert.is(stream.seed, 6329532028246837);
  assert.equal(draws(stream, 5), [
    0.6014917974825948, 0.026471751276403666, 0.6774115760345012, 0.1004976483527571, 0.3551638787612319,
  ]);
});

test('nextDouble and nextInt sequences are pinned too (golden sequence)', () => {
  const doubles = new RandomStreams(1).stream('a');
  assert.equal(
    [doubles.nextDouble(), doubles.nextDouble(), doubles.nextDouble()],
    [0.06052050207322912, 0.8057340509340041, 0.2319863709410539],
  );
  const ints = new RandomStreams(42).stream('host1/vm3/workload');
  assert.equal([ints.nextInt(1000), ints.nextInt(1000), ints.nextInt(1000)], [601, 26, 677]);
});

test('the same seed and path give the same sequence in independent factories', () => {
  const a = new RandomStreams(7).stream('disk/0/latency');
  const b = new RandomStreams(7).stream('disk/0/latency');
  assert.equal(draws(a, 10_000), draws(b, 10_000));
});

test('RandomStreams.deriveSeed gives the seed the factory uses for that path', () => {
  const streams = new RandomStreams(42);
  assert.is(RandomStreams.deriveSeed(42, 'host1/vm3/workload'), streams.stream('host1/vm3/workload').seed);
  assert.is(streams.runSeed, 42);
});

test('asking twice for a path returns the same stream instance', () => {
  const streams = new RandomStreams(3);
  assert.is(streams.stream('x'), streams.stream('x'));
  assert.equal(streams.paths(), ['x']);
});

test('different paths give different, uncorrelated sequences', () => {
  const streams = new RandomStreams(7);
  const n = 100_000;
  const a = draws(streams.stream('vm1'), n);
  const b = draws(streams.stream('vm2'), n);
  assert.not.equal(a.slice(0, 10), b.slice(0, 10));
  let covariance = 0;
  for (let i = 0; i < n; i++) covariance += (a[i]! - 0.5) * (b[i]! - 0.5);
  const correlation = covariance / n / (1 / 12);
  assert.ok(Math.abs(correlation) < 4 / Math.sqrt(n), `correlation ${correlation}`);
});

test('different run seeds give different sequences for the same path', () => {
  const a = draws(new RandomStreams(1).stream('p'), 10);
  const b = draws(new RandomStreams(2).stream('p'), 10);
  assert.not.equal(a, b);
});

test('creating and consuming other streams never changes a stream’s draws', () => {
  const alone = draws(new RandomStreams(5).stream('target'), 1000);
  const busy = new RandomStreams(5);
  draws(busy.stream('other/before'), 777);
  const target = busy.stream('target');
  const interleaved: number[] = [];
  for (let i = 0; i < 1000; i++) {
    interleaved.push(target.next());
    busy.stream(`other/${i % 7}`).nextInt(13);
  }
  assert.equal(interleaved, alone);
});

test('restoring a saved state reproduces the continuation exactly', () => {
  const stream = new RandomStreams(11).stream('s');
  draws(stream, 123);
  const saved = stream.saveState();
  const continuation = [...draws(stream, 50), stream.nextDouble(), stream.nextInt(10 ** 12)];
  stream.restoreState(JSON.parse(JSON.stringify(saved)));
  assert.equal([...draws(stream, 50), stream.nextDouble(), stream.nextInt(10 ** 12)], continuation);
});

test('a saved state moves another stream onto the same continuation', () => {
  const source = new RandomStreams(11).stream('source');
  draws(source, 10);
  const other = new RandomStreams(99).stream('elsewhere');
  other.restoreState(source.saveState());
  assert.equal(draws(other, 20), draws(source, 20));
});

test('a whole run’s streams can be saved and restored together', () => {
  const streams = new RandomStreams(8);
  draws(streams.stream('a'), 3);
  draws(streams.stream('b'), 4);
  const snapshot = JSON.parse(JSON.stringify(streams.saveState()));
  const expected = [draws(streams.stream('a'), 5), draws(streams.stream('b'), 5)];
  const fresh = new RandomStreams(8);
  fresh.restoreState(snapshot);
  assert.equal([draws(fresh.stream('a'), 5), draws(fresh.stream('b'), 5)], expected);
  assertRangeError(() => new RandomStreams(9).restoreState(snapshot), 'run seed 8');
});

test('restoreState rejects malformed and all-zero states', () => {
  const stream = new RandomStreams(1).stream('r');
  assertRangeError(() => stream.restoreState({ algorithm: 'xor128', x: 0, y: 0, z: 0, w: 0 }), 'all-zero');
  assertRangeError(() => stream.restoreState({ algorithm: 'xor128', x: 1.5, y: 0, z: 0, w: 0 }), '32-bit');
  assertRangeError(() => stream.restoreState({ algorithm: 'alea' } as never), 'xor128');
});

test('next returns multiples of 2^-32 in [0, 1)', () => {
  const stream = new RandomStreams(1).stream('n');
  for (let i = 0; i < 100_000; i++) {
    const u = stream.next();
    assert.ok(u >= 0 && u < 1);
    assert.ok(Number.isInteger(u * TWO_POW_32));
  }
});

test('nextDouble returns values in [0, 1) with finer than 32-bit resolution', () => {
  const stream = new RandomStreams(1).stream('d');
  let finer = 0;
  for (let i = 0; i < 10_000; i++) {
    const u = stream.nextDouble();
    assert.ok(u >= 0 && u < 1);
    if (!Number.isInteger(u * TWO_POW_32)) finer++;
  }
  assert.ok(finer > 9_900, `only ${finer} draws used more than 32 bits`);
});

test('nextInt stays in [0, n) and is roughly uniform', () => {
  const stream = new RandomStreams(2).stream('i');
  const counts = new Array<number>(10).fill(0);
  const n = 100_000;
  for (let i = 0; i < n; i++) {
    const k = stream.nextInt(10);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 10);
    counts[k]!++;
  }
  assertChiSquare(counts, new Array<number>(10).fill(n / 10), 'nextInt(10)');
  assert.is(stream.nextInt(1), 0);
});

test('nextInt covers bounds above 2^32 uniformly, including the top half', () => {
  const stream = new RandomStreams(2).stream('big');
  const n = 2 ** 40 + 3;
  let upperHalf = 0;
  for (let i = 0; i < 20_000; i++) {
    const k = stream.nextInt(n);
    assert.ok(Number.isInteger(k) && k >= 0 && k < n);
    if (k >= n / 2) upperHalf++;
  }
  assert.ok(Math.abs(upperHalf - 10_000) < 4 * Math.sqrt(5_000), `upper half ${upperHalf}`);
});

test('nextInt of 3·2^30 is unbiased where a plain floor(u·n) would not be', () => {
  // floor(u·n) with a 32-bit u maps j to floor(3j/4): every multiple of 3 would get two
  // sources and every other value one, so residue 0 would take half of the draws.
  const stream = new RandomStreams(4).stream('mod3');
  const counts = [0, 0, 0];
  const n = 60_000;
  for (let i = 0; i < n; i++) counts[stream.nextInt(3 * 2 ** 30) % 3]!++;
  assertChiSquare(counts, [n / 3, n / 3, n / 3], 'residues');
});

test('nextInt rejects bounds that are not positive safe integers', () => {
  const stream = new RandomStreams(1).stream('bad');
  for (const n of [0, -1, 2.5, NaN, Infinity, 2 ** 53]) assertRangeError(() => stream.nextInt(n), 'nextInt');
});

test('run seeds must be safe integers', () => {
  for (const seed of [1.5, NaN, Infinity, 2 ** 53]) assertRangeError(() => new RandomStreams(seed), 'run seed');
  assert.is(new RandomStreams(-3).stream('neg').path, 'neg');
});

test('RandomStream rejects seeds outside [0, 2^53)', () => {
  assertRangeError(() => new RandomStream('x', -1), 'seed');
  assertRangeError(() => new RandomStream('x', 0.5), 'seed');
});

test.run();
