/**
 * The max-min solver against allocations worked out by hand from the definition of max-min
 * fairness (Bertsekas & Gallager, Data Networks, 2nd ed., 1992, §6.5.2: raise all rates together,
 * freeze the flows of each link as it saturates). Capacities are in arbitrary rate units.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MaxMinSolver } from '../../../sim/models/network/max-min.ts';
import { close } from './harness.ts';

function solve(capacity: number[], routes: number[][], caps?: number[]): number[] {
  const rates = new Float64Array(routes.length);
  new MaxMinSolver().solve(
    Float64Array.from(capacity),
    routes.map((r) => Int32Array.from(r)),
    Float64Array.from(caps ?? routes.map(() => Infinity)),
    routes.length,
    rates,
  );
  return [...rates];
}

test('two flows on one link each get half of it', () => {
  assert.equal(solve([10], [[0], [0]]), [5, 5]);
});

test('three flows over two links: the flow bottlenecked on the narrow link frees bandwidth for the other', () => {
  // Link 0 (capacity 1) carries flows a and b; link 1 (capacity 2) carries a and c.
  // Filling: link 0 saturates first at 1/2 (a, b frozen at 0.5); link 1 has 2 − 0.5 = 1.5 left for c.
  const [a, b, c] = solve([1, 2], [[0, 1], [0], [1]]);
  close(a, 0.5, 'a');
  close(b, 0.5, 'b');
  close(c, 1.5, 'c');
});

test('parking lot: one long flow over three links of capacities 1, 2, 3 and one short flow per link', () => {
  // Link 0 saturates first at 1/2: the long flow and short flow 0 get 0.5.
  // Link 1 has 1.5 left for short flow 1, link 2 has 2.5 left for short flow 2.
  const rates = solve([1, 2, 3], [[0, 1, 2], [0], [1], [2]]);
  [0.5, 0.5, 1.5, 2.5].forEach((expected, i) => close(rates[i], expected, `flow ${i}`));
});

test('Bertsekas & Gallager style example: four flows, the shares settle in three rounds', () => {
  // Links: 0 (cap 1) flows {0,1,2}; 1 (cap 2) flows {0,3}; 2 (cap 10) flows {2,3}.
  // Round 1: shares 1/3, 1, 5 → link 0 saturates: flows 0, 1, 2 at 1/3.
  // Round 2: link 1 has 2 − 1/3 = 5/3 for flow 3; link 2 has 10 − 1/3 for flow 3 → flow 3 at 5/3.
  const rates = solve([1, 2, 10], [[0, 1], [0], [0, 2], [1, 2]]);
  [1 / 3, 1 / 3, 1 / 3, 5 / 3].forEach((expected, i) => close(rates[i], expected, `flow ${i}`));
});

test('a rate cap below the fair share fixes that flow at its cap; the others share the rest', () => {
  // One link of 10, three flows, one capped at 1: the other two share 9.
  const rates = solve([10], [[0], [0], [0]], [Infinity, 1, Infinity]);
  close(rates[0], 4.5, 'flow 0');
  close(rates[1], 1, 'capped flow');
  close(rates[2], 4.5, 'flow 2');
});

test('a cap above the fair share does not bind', () => {
  assert.equal(solve([10], [[0], [0]], [6, Infinity]), [5, 5]);
});

test('caps that bind only after another link saturates (alternating rounds)', () => {
  // Link 0 (cap 2): flows 0, 1. Link 1 (cap 10): flows 1, 2, 3; flow 2 capped at 3, flow 3 at 5.
  // Round 1: shares 1 and 10/3; min cap 3 > 1 → link 0 saturates: flows 0, 1 at 1.
  // Round 2: link 1 has 9 for flows 2, 3: share 4.5 ≥ cap 3 → flow 2 at its cap 3.
  // Round 3: link 1 has 6 for flow 3, cap 5 ≤ 6 → flow 3 at 5.
  const rates = solve([2, 10], [[0], [0, 1], [1], [1]], [Infinity, Infinity, 3, 5]);
  [1, 1, 3, 5].forEach((expected, i) => close(rates[i], expected, `flow ${i}`));
});

test('a channel of capacity 0 (link down) holds its flows at 0 and does not starve the others', () => {
  // Link 0 down carries flows 0 and 1; link 1 (cap 4) carries flows 1 and 2.
  assert.equal(solve([0, 4], [[0], [0, 1], [1]]), [0, 0, 4]);
});

test('flows with no channel get their cap, or Infinity without one', () => {
  assert.equal(solve([5], [[], [], [0]], [7, Infinity, Infinity]), [7, Infinity, 5]);
});

test('no flows: nothing to do', () => {
  assert.equal(solve([5], []), []);
});

test('the solver reuses its scratch arrays across calls of different sizes', () => {
  const solver = new MaxMinSolver();
  const rates = new Float64Array(40);
  const routes = Array.from({ length: 40 }, (_, i) => Int32Array.of(i % 3, 3 + (i % 2)));
  solver.solve(Float64Array.of(1, 2, 3, 4, 5), routes, new Float64Array(40).fill(Infinity), 40, rates);
  const big = [...rates];
  solver.solve(Float64Array.of(10), [Int32Array.of(0), Int32Array.of(0)], Float64Array.of(Infinity, Infinity), 2, rates);
  assert.equal([rates[0], rates[1]], [5, 5]);
  // Link 0 carries 14 flows (i % 3 = 0), the narrowest share: 1/14.
  close(big[0], 1 / 14, 'flow 0 of the big case');
});

test('water-filling of capped flows on one link, whatever their order', () => {
  // Link 10, caps 1, 2, 6, 8, none. Share 2 → cap 1 binds; 9 left for 4: 2.25 → cap 2 binds;
  // 7 left for 3: 7/3 < 6 → the other three get 7/3 each.
  const caps = [6, Infinity, 1, 8, 2];
  const rates = solve([10], caps.map(() => [0]), caps);
  [7 / 3, 7 / 3, 1, 7 / 3, 2].forEach((expected, i) => close(rates[i], expected, `flow ${i}`));
});

test('property: on random routes and caps, the allocation is feasible and every flow has a bottleneck or sits at its cap', () => {
  const tolerance = 1e-9;
  const arbitrary = fc.integer({ min: 1, max: 30 }).chain((channels) =>
    fc.record({
      capacity: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 1000, noNaN: true })), { minLength: channels, maxLength: channels }),
      flows: fc.array(
        fc.record({
          route: fc.uniqueArray(fc.nat(channels - 1), { maxLength: 5 }),
          cap: fc.option(fc.double({ min: 0.001, max: 500, noNaN: true }), { nil: Infinity }),
        }),
        { maxLength: 200 },
      ),
    }),
  );
  fc.assert(
    fc.property(arbitrary, ({ capacity, flows }) => {
      const rates = solve(capacity, flows.map((f) => f.route), flows.map((f) => f.cap));
      const load = capacity.map(() => 0);
      const top = capacity.map(() => 0);
      flows.forEach((f, i) => f.route.forEach((c) => ((load[c]! += rates[i]!), (top[c] = Math.max(top[c]!, rates[i]!)))));
      capacity.forEach((cap, c) => assert.ok(load[c]! <= cap * (1 + tolerance) + 1e-12, `channel ${c} over capacity`));
      flows.forEach((f, i) => {
        const rate = rates[i]!;
        assert.ok(rate <= f.cap * (1 + tolerance), `flow ${i} over its cap`);
        if (f.route.length === 0 && f.cap === Infinity) return assert.is(rate, Infinity);
        const atCap = rate >= f.cap * (1 - tolerance);
        const bottleneck = f.route.some((c) => load[c]! >= capacity[c]! * (1 - tolerance) && rate >= top[c]! * (1 - tolerance));
        assert.ok(atCap || bottleneck, `flow ${i} (rate ${rate}) has no bottleneck and is below its cap`);
      });
    }),
    { numRuns: 300 },
  );
});

test.run();
