/**
 * Max-min fair sharing of one link among flows with individual rate caps ("water-filling";
 * Bertsekas & Gallager, Data Networks, 2nd ed., 1992, section 6.5.2): raise every flow's rate
 * together until a flow reaches its cap (it keeps its cap) or the link is full. The result: no
 * flow can get more without taking from a flow that has no more than it.
 *
 * Equivalently, sorting flows by cap, each flow in turn gets min(cap, what is left / flows left).
 */

/**
 * Fills `rates[0..count)` with the max-min fair rates of flows whose caps are `caps[0..count)`
 * on a link of `capacity` (same unit, e.g. bytes/s; either may be Infinity). `order` is scratch
 * space of at least `count` entries (reused to avoid allocation).
 */
export function fillFairRates(
  caps: ArrayLike<number>,
  count: number,
  capacity: number,
  rates: { [i: number]: number },
  order: number[],
): void {
  order.length = count;
  for (let i = 0; i < count; i++) order[i] = i;
  // Ascending cap, then index: a total order, so the result does not depend on sort stability.
  order.sort((a, b) => caps[a]! - caps[b]! || a - b);
  let remaining = capacity;
  for (let k = 0; k < count; k++) {
    const i = order[k]!;
    const cap = caps[i]!;
    if (remaining === Infinity) {
      rates[i] = cap;
      continue;
    }
    const share = remaining / (count - k);
    const rate = cap < share ? cap : share;
    rates[i] = rate;
    remaining -= rate;
    if (remaining < 0) remaining = 0;
  }
}

/** Convenience form for tests and one-off use: the max-min fair rates as a new array. */
export function maxMinFairRates(caps: readonly number[], capacity: number): number[] {
  const rates = new Array<number>(caps.length).fill(0);
  fillFairRates(caps, caps.length, capacity, rates, []);
  return rates;
}
