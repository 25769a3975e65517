import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { GC_VICTIM_POLICIES } from '../../policies/gc-victim/index.ts';
import { RandomStreams } from '../../sim/engine/random/index.ts';
import type { GcVictimSelector, GcVictimView } from '../../sim/models/ssd/gc-victim.ts';

const PAGES = 16;
const FIRST = 100; // a plane whose blocks are 100..139, to catch local/global index mix-ups

/** A plane of 40 blocks driven by hand, with a reference list of candidates. */
function plane(policy: string, params: object = {}, seed = 1) {
  const validCount = new Int32Array(200);
  const closedAt = new Float64Array(200);
  let clock = 0;
  const view: GcVictimView = {
    firstBlock: FIRST,
    blockCount: 40,
    pagesPerBlock: PAGES,
    validCount,
    closedAt,
    eraseCount: new Uint32Array(200),
    writeClock: () => clock,
    random: new RandomStreams(seed).stream('plane'),
  };
  const selector: GcVictimSelector = GC_VICTIM_POLICIES.find((p) => p.name === policy)!.create(params).attach(view);
  const candidates: number[] = [];
  return {
    selector,
    candidates,
    validCount,
    closedAt,
    tick(n: number) {
      clock += n;
    },
    now: () => clock,
    close(block: number, valid: number) {
      validCount[block] = valid;
      closedAt[block] = clock;
      candidates.push(block);
      selector.closed(block);
    },
    invalidate(block: number) {
      validCount[block]!--;
      selector.invalidated(block);
    },
    take(): number {
      const victim = selector.takeVictim();
      if (victim >= 0) candidates.splice(candidates.indexOf(victim), 1);
      return victim;
    },
  };
}

type Op = { kind: 'close'; valid: number } | { kind: 'invalidate'; pick: number } | { kind: 'take' } | { kind: 'tick'; n: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('close' as const), valid: fc.integer({ min: 0, max: PAGES }) }),
  fc.record({ kind: fc.constant('invalidate' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('take' as const) }),
  fc.record({ kind: fc.constant('tick' as const), n: fc.integer({ min: 1, max: 50 }) }),
);

/** Drives a plane through `ops`; `check` sees every victim with the candidates it was chosen from. */
function drive(policy: string, ops: Op[], check: (victim: number, before: number[], p: ReturnType<typeof plane>) => void, params: object = {}) {
  const p = plane(policy, params);
  const free = Array.from({ length: 40 }, (_, i) => FIRST + i);
  for (const op of ops) {
    if (op.kind === 'close' && free.length > 0) p.close(free.shift()!, op.valid);
    else if (op.kind === 'invalidate') {
      const live = p.candidates.filter((b) => p.validCount[b]! > 0);
      if (live.length > 0) p.invalidate(live[op.pick % live.length]!);
    } else if (op.kind === 'tick') p.tick(op.n);
    else if (op.kind === 'take') {
      const before = [...p.candidates];
      const victim = p.take();
      if (before.length === 0) assert.is(victim, -1);
      else {
        assert.ok(before.includes(victim), `victim ${victim} is one of the candidates ${before}`);
        check(victim, before, p);
        free.push(victim);
      }
    }
  }
}

test('greedy always takes a candidate with the fewest valid pages', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
      drive('greedy', ops, (victim, before, p) => {
        const least = Math.min(...before.map((b) => p.validCount[b]!));
        assert.is(p.validCount[victim], least);
      });
    }),
    { numRuns: 200 },
  );
});

test('fifo takes candidates in the order they were filled, whatever their valid counts', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
      drive('fifo', ops, (victim, before) => assert.is(victim, before[0]));
    }),
    { numRuns: 200 },
  );
});

test('cost-benefit takes the candidate maximising (1 - u) age / (1 + u), an empty block first', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
      drive('cost-benefit', ops, (victim, before, p) => {
        const score = (b: number) => {
          const u = p.validCount[b]! / PAGES;
          return u === 0 ? Infinity : ((1 - u) * (p.now() - p.closedAt[b]!)) / (1 + u);
        };
        assert.is(score(victim), Math.max(...before.map(score)));
      });
    }),
    { numRuns: 200 },
  );
});

test('d-choices: with a large d it finds the fewest valid pages; with d = 1 it picks uniformly', () => {
  // Large d: with 20 candidates and d = 400 samples, missing the minimum has probability (19/20)^400 < 1e-8.
  const p = plane('d-choices', { d: 400 });
  for (let i = 0; i < 20; i++) p.close(FIRST + i, 1 + ((i * 7) % PAGES));
  for (let round = 0; round < 10; round++) {
    const least = Math.min(...p.candidates.map((b) => p.validCount[b]!));
    assert.is(p.validCount[p.take()], least);
  }
  // d = 1: each of 4 candidates is chosen about equally often (chi-square, 3 degrees of freedom, 0.999 quantile 16.27).
  const counts = new Map<number, number>();
  const uniform = plane('d-choices', { d: 1 }, 7);
  for (let i = 0; i < 4; i++) uniform.close(FIRST + i, i);
  for (let n = 0; n < 4000; n++) {
    const victim = uniform.take();
    counts.set(victim, (counts.get(victim) ?? 0) + 1);
    uniform.close(victim, victim - FIRST);
  }
  const chi = [...counts.values()].reduce((s, c) => s + (c - 1000) ** 2 / 1000, 0);
  assert.ok(chi < 16.27, `chi-square ${chi}`);
});

test('random picks uniformly among candidates and repeats itself for the same seed', () => {
  const picks = (seed: number) => {
    const p = plane('random', {}, seed);
    for (let i = 0; i < 5; i++) p.close(FIRST + i, 3);
    const out: number[] = [];
    for (let n = 0; n < 5000; n++) {
      const v = p.take();
      out.push(v);
      p.close(v, 3);
    }
    return out;
  };
  const a = picks(3);
  assert.equal(a, picks(3));
  assert.not.equal(a, picks(4));
  const counts = [0, 0, 0, 0, 0];
  for (const v of a) counts[v - FIRST]!++;
  const chi = counts.reduce((s, c) => s + (c - 1000) ** 2 / 1000, 0);
  assert.ok(chi < 18.47, `chi-square ${chi} (4 degrees of freedom, 0.999 quantile 18.47)`);
});

test('every policy answers -1 when the plane has no candidate', () => {
  for (const policy of GC_VICTIM_POLICIES) assert.is(plane(policy.name).take(), -1, policy.name);
});

test.run();
