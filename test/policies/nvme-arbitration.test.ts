/**
 * The nvme-arbitration policies on their own, against the rules of NVMe Base Specification 1.4:
 * §4.13.1 (round robin with Arbitration Burst), §4.13.2 (weighted round robin with urgent
 * priority class), §5.21.1.1 (Arbitration feature: burst as a power of two or no limit; HPW,
 * MPW, LPW weights). The queues are a hand-made view: which are ready, and their classes.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BUILT_IN_POLICIES } from '../../policies/index.ts';
import { burstCount } from '../../policies/nvme-arbitration/burst.ts';
import { NVME_ARBITRATION_POLICIES } from '../../policies/nvme-arbitration/index.ts';
import { roundRobin } from '../../policies/nvme-arbitration/round-robin.ts';
import { weightedRoundRobin } from '../../policies/nvme-arbitration/weighted-round-robin.ts';
import { NvmePriorityClass as C, type NvmeArbiter, type SubmissionQueuesView } from '../../sim/models/nvme/arbitration.ts';

/** A view whose queues each hold `work[i]` commands (Infinity: always full); picking one takes one command. */
function queues(work: number[], classes: number[] = work.map(() => C.Medium)) {
  const left = work.slice();
  const view: SubmissionQueuesView = {
    get count() {
      return left.length;
    },
    isReady: (i) => (left[i] ?? 0) > 0,
    priorityClass: (i) => classes[i] as C,
  };
  return {
    view,
    left,
    /** The next `n` picks (stops early at -1), taking one command from each picked queue. */
    picks(arbiter: NvmeArbiter, n: number): number[] {
      const out: number[] = [];
      for (let k = 0; k < n; k++) {
        const i = arbiter.pickNext(view);
        if (i < 0) break;
        assert.ok(view.isReady(i), `picked queue ${i} is ready`);
        left[i]!--;
        out.push(i);
      }
      return out;
    },
  };
}

const shares = (picks: number[], n: number) => Array.from({ length: n }, (_, i) => picks.filter((p) => p === i).length / picks.length);

test('both policies are registered at nvme-arbitration, round robin first (the default), with parameter schemas', () => {
  const mine = BUILT_IN_POLICIES.filter((p) => p.decisionPoint === 'nvme-arbitration');
  assert.equal(mine.map((p) => p.name), ['round-robin', 'weighted-round-robin']);
  assert.equal(NVME_ARBITRATION_POLICIES, mine);
  for (const p of mine) {
    assert.is((p.paramsSchema as { additionalProperties: boolean }).additionalProperties, false);
    assert.is(p.create({}).name, p.name);
  }
});

test('burst: powers of two up to 64 or "unlimited" (§5.21.1.1); anything else is refused', () => {
  assert.equal([1, 2, 4, 8, 16, 32, 64].map(burstCount), [1, 2, 4, 8, 16, 32, 64]);
  assert.is(burstCount('unlimited'), Infinity);
  assert.is(burstCount(undefined), 1);
  for (const bad of [0, 3, 128, 'many']) assert.throws(() => burstCount(bad), /not allowed/);
});

test('round robin, burst 1: every ready queue in turn, skipping empty ones; -1 when none is ready', () => {
  const q = queues([Infinity, 0, Infinity, Infinity]);
  assert.equal(q.picks(roundRobin.create({}).createArbiter(), 9), [0, 2, 3, 0, 2, 3, 0, 2, 3]);
  const empty = queues([0, 0]);
  assert.is(roundRobin.create({}).createArbiter().pickNext(empty.view), -1);
});

test('round robin, burst 4: up to 4 commands from a queue in a row, fewer when it runs dry', () => {
  const q = queues([Infinity, 2, Infinity]);
  assert.equal(q.picks(roundRobin.create({ burst: 4 }).createArbiter(), 14), [0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 0, 0, 0, 0]);
  const unlimited = queues([5, 3]);
  assert.equal(unlimited.picks(roundRobin.create({ burst: 'unlimited' }).createArbiter(), 10), [0, 0, 0, 0, 0, 1, 1, 1]);
});

test('round robin ignores priority classes: admin and urgent get the same turns as low', () => {
  const q = queues([Infinity, Infinity, Infinity], [C.Admin, C.Urgent, C.Low]);
  assert.equal(shares(q.picks(roundRobin.create({}).createArbiter(), 300), 3), [1 / 3, 1 / 3, 1 / 3]);
});

test('round robin serves queues added later (the view only grows)', () => {
  const left = [Infinity];
  const view: SubmissionQueuesView = { get count() { return left.length; }, isReady: (i) => (left[i] ?? 0) > 0, priorityClass: () => C.Medium };
  const arbiter = roundRobin.create({}).createArbiter();
  assert.equal([arbiter.pickNext(view), arbiter.pickNext(view)], [0, 0]);
  left.push(Infinity);
  assert.equal([arbiter.pickNext(view), arbiter.pickNext(view), arbiter.pickNext(view)], [1, 0, 1]);
});

test('weighted round robin: rounds of 4 high, 2 medium, 1 low commands when all are backlogged (§4.13.2)', () => {
  const q = queues([Infinity, Infinity, Infinity], [C.High, C.Medium, C.Low]);
  const arbiter = weightedRoundRobin.create({ weights: { high: 4, medium: 2, low: 1 } }).createArbiter();
  assert.equal(q.picks(arbiter, 14), [0, 0, 0, 0, 1, 1, 2, 0, 0, 0, 0, 1, 1, 2]);
});

test('weighted round robin: urgent has strict priority over the weighted classes, admin over urgent', () => {
  const q = queues([Infinity, 3, 2], [C.High, C.Urgent, C.Admin]);
  const arbiter = weightedRoundRobin.create({ weights: { high: 4, medium: 2, low: 1 } }).createArbiter();
  assert.equal(q.picks(arbiter, 8), [2, 2, 1, 1, 1, 0, 0, 0]);
});

test('weighted round robin: a class with nothing ready forfeits its turn; queues of one class share it round robin', () => {
  // two high queues, one medium, no low: each round is 2 high (one each) then 1 medium
  const q = queues([Infinity, Infinity, Infinity], [C.High, C.High, C.Medium]);
  const arbiter = weightedRoundRobin.create({ weights: { high: 2, medium: 1, low: 8 } }).createArbiter();
  assert.equal(q.picks(arbiter, 9), [0, 1, 2, 0, 1, 2, 0, 1, 2]);
});

test('weighted round robin with default weights (the spec\'s reset value 0, i.e. 1 each) alternates the classes', () => {
  const q = queues([Infinity, Infinity, Infinity], [C.Low, C.High, C.Medium]);
  assert.equal(q.picks(weightedRoundRobin.create({}).createArbiter(), 6), [1, 2, 0, 1, 2, 0]);
});

test('weighted round robin: bad weights are refused with the allowed range', () => {
  assert.throws(() => weightedRoundRobin.create({ weights: { high: 0 } }), /\[1, 256\]/);
  assert.throws(() => weightedRoundRobin.create({ weights: { low: 1.5 } }), /\[1, 256\]/);
});

test('property: under saturation each weighted class gets w_c / Σw of the picks, to within one round', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 16 }), fc.constantFrom(1, 2, 8, 'unlimited'), (h, m, l, burst) => {
      const q = queues([Infinity, Infinity, Infinity, Infinity], [C.High, C.Medium, C.Low, C.High]);
      const arbiter = weightedRoundRobin.create({ burst, weights: { high: h, medium: m, low: l } }).createArbiter();
      const rounds = 50;
      const n = rounds * (h + m + l);
      const s = shares(q.picks(arbiter, n), 4);
      const total = h + m + l;
      assert.ok(Math.abs(s[0]! + s[3]! - h / total) < 1e-12, 'high class');
      assert.ok(Math.abs(s[1]! - m / total) < 1e-12, 'medium class');
      assert.ok(Math.abs(s[2]! - l / total) < 1e-12, 'low class');
    }),
    { numRuns: 60 },
  );
});

test('property: round robin never picks a queue that is not ready and never idles while one is', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 8 }), fc.constantFrom(1, 2, 4, 'unlimited'), (work, burst) => {
      const q = queues(work);
      const total = work.reduce((a, b) => a + b, 0);
      const picks = q.picks(roundRobin.create({ burst }).createArbiter(), total + 5);
      assert.is(picks.length, total, 'every command picked, then -1');
    }),
    { numRuns: 100 },
  );
});

test.run();
