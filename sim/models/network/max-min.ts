/**
 * Max-min fair sharing of channel capacity among flows, by progressive filling (water-filling),
 * with an optional rate cap per flow.
 *
 * Definition (Bertsekas & Gallager, *Data Networks*, 2nd ed., 1992, §6.5.2): a feasible
 * allocation is max-min fair when no flow's rate can be raised without lowering the rate of a
 * flow whose rate is no larger. Equivalently (their Proposition), every flow has a *bottleneck*
 * channel: one that is saturated and on which no other flow has a larger rate. A per-flow cap is
 * a private channel of that capacity, so a capped flow may instead sit exactly at its cap.
 *
 * Progressive filling: raise every unfixed flow's rate together. The first channel to saturate
 * is the one with the smallest fair share `remaining capacity / unfixed flows`; its unfixed flows
 * are fixed at that share and their rates taken off every channel they cross. A cap at or below
 * the smallest share fixes its flow at the cap instead (removing a flow whose rate is at most the
 * share never lowers any channel's share, so every such flow can be fixed in one step). Repeat
 * until every flow is fixed.
 *
 * Fixing flows at the smallest share never lowers any channel's share (a flow of rate r ≤ s
 * leaving a channel of share s = R/n leaves (R − r)/(n − 1) ≥ s), so the channels sit in a
 * min-heap keyed by a share that can only be stale on the low side: the top is re-checked when it
 * comes up and pushed down if its share has grown. Caps are taken in increasing order. Cost per
 * solve: O(memberships + channels·log channels + capped·log capped), where memberships is the
 * sum of the route lengths.
 *
 * A channel of capacity 0 (a link that is down) has share 0: its flows are fixed at rate 0.
 * A flow that crosses no channel and has no cap gets rate Infinity (the caller decides what
 * that means). Scratch state lives in typed arrays that only grow: solving allocates nothing
 * once they are large enough.
 */
export class MaxMinSolver {
  private remaining = new Float64Array(16);
  private unfixed = new Int32Array(16);
  private start = new Int32Array(17);
  private members = new Int32Array(64);
  private fixed = new Uint8Array(16);
  /** Min-heap of channels by (share lower bound, channel index). */
  private heapKey = new Float64Array(16);
  private heapChannel = new Int32Array(16);
  private heapSize = 0;
  /** Capped flows, sorted by cap. */
  private capped = new Int32Array(16);

  /**
   * Computes the max-min fair rates.
   * @param capacity per channel, bytes/s (>= 0)
   * @param routes per flow, the channels it crosses (no channel twice)
   * @param caps per flow, its rate cap (Infinity for none)
   * @param flowCount flows are `routes[0 .. flowCount)` and `caps[0 .. flowCount)`
   * @param rates output, per flow
   */
  solve(capacity: Float64Array, routes: readonly Int32Array[], caps: Float64Array, flowCount: number, rates: Float64Array): void {
    const channelCount = capacity.length;
    this.ensureCapacity(channelCount, flowCount, routes);
    const { remaining, unfixed, start, members, fixed } = this;

    // Channel → flows adjacency (CSR), built in flow order; capped flows listed.
    unfixed.fill(0, 0, channelCount);
    let cappedCount = 0;
    for (let f = 0; f < flowCount; f++) {
      const route = routes[f]!;
      for (let k = 0; k < route.length; k++) unfixed[route[k]!]!++;
      fixed[f] = 0;
      if (caps[f]! < Infinity) this.capped[cappedCount++] = f;
    }
    this.heapSize = 0;
    start[0] = 0;
    for (let c = 0; c < channelCount; c++) {
      const n = unfixed[c]!;
      start[c + 1] = start[c]! + n;
      if (n > 0) {
        remaining[c] = capacity[c]!;
        this.heapPush(c, capacity[c]! / n);
      }
      unfixed[c] = start[c]!; // reused as a fill cursor below
    }
    for (let f = 0; f < flowCount; f++) {
      const route = routes[f]!;
      for (let k = 0; k < route.length; k++) members[unfixed[route[k]!]!++] = f;
    }
    for (let c = 0; c < channelCount; c++) unfixed[c] = start[c + 1]! - start[c]!;
    if (cappedCount > 1) sortByCap(this.capped, cappedCount, caps);

    let flowsLeft = flowCount;
    let capAt = 0;
    while (flowsLeft > 0) {
      const bottleneck = this.topChannel();
      const share = bottleneck < 0 ? Infinity : remaining[bottleneck]! / unfixed[bottleneck]!;
      while (capAt < cappedCount && fixed[this.capped[capAt]!] !== 0) capAt++;
      if (capAt < cappedCount && caps[this.capped[capAt]!]! <= share) {
        // Every unfixed flow capped at or below the smallest share is limited by its cap.
        for (; capAt < cappedCount; capAt++) {
          const f = this.capped[capAt]!;
          if (fixed[f] !== 0) continue;
          if (caps[f]! > share) break;
          this.fix(f, caps[f]!, routes[f]!, rates);
          flowsLeft--;
        }
        continue; // shares have changed (they can only have grown)
      }
      if (bottleneck < 0) {
        // What is left crosses no channel: uncapped flows without a route.
        for (let f = 0; f < flowCount; f++) if (fixed[f] === 0) this.fix(f, Infinity, routes[f]!, rates);
        break;
      }
      this.heapPop();
      for (let m = start[bottleneck]!, end = start[bottleneck + 1]!; m < end; m++) {
        const f = members[m]!;
        if (fixed[f] !== 0) continue;
        this.fix(f, share, routes[f]!, rates);
        flowsLeft--;
      }
      remaining[bottleneck] = 0; // saturated exactly, whatever the rounding of the subtractions
    }
  }

  /**
   * The channel with the smallest current share (left on the heap), or -1 when no channel has
   * unfixed flows. Drops drained channels and re-keys stale ones on the way.
   */
  private topChannel(): number {
    const { remaining, unfixed } = this;
    while (this.heapSize > 0) {
      const c = this.heapChannel[0]!;
      const n = unfixed[c]!;
      if (n === 0) {
        this.heapPop();
        continue;
      }
      const share = remaining[c]! / n;
      if (share > this.heapKey[0]!) {
        this.heapKey[0] = share;
        this.siftDown(0);
        continue;
      }
      return c;
    }
    return -1;
  }

  private fix(f: number, rate: number, route: Int32Array, rates: Float64Array): void {
    this.fixed[f] = 1;
    rates[f] = rate;
    const { remaining, unfixed } = this;
    for (let k = 0; k < route.length; k++) {
      const c = route[k]!;
      unfixed[c]!--;
      const left = remaining[c]! - rate;
      remaining[c] = left > 0 ? left : 0;
    }
  }

  private before(i: number, j: number): boolean {
    const a = this.heapKey[i]!;
    const b = this.heapKey[j]!;
    return a < b || (a === b && this.heapChannel[i]! < this.heapChannel[j]!);
  }

  private swap(i: number, j: number): void {
    const { heapKey, heapChannel } = this;
    const key = heapKey[i]!;
    heapKey[i] = heapKey[j]!;
    heapKey[j] = key;
    const channel = heapChannel[i]!;
    heapChannel[i] = heapChannel[j]!;
    heapChannel[j] = channel;
  }

  private heapPush(channel: number, key: number): void {
    let i = this.heapSize++;
    this.heapKey[i] = key;
    this.heapChannel[i] = channel;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private heapPop(): void {
    const last = --this.heapSize;
    if (last > 0) {
      this.heapKey[0] = this.heapKey[last]!;
      this.heapChannel[0] = this.heapChannel[last]!;
      this.siftDown(0);
    }
  }

  private siftDown(i: number): void {
    const size = this.heapSize;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) return;
      const right = left + 1;
      const child = right < size && this.before(right, left) ? right : left;
      if (!this.before(child, i)) return;
      this.swap(i, child);
      i = child;
    }
  }

  private ensureCapacity(channelCount: number, flowCount: number, routes: readonly Int32Array[]): void {
    if (this.remaining.length < channelCount) {
      const size = Math.max(channelCount, this.remaining.length * 2);
      this.remaining = new Float64Array(size);
      this.unfixed = new Int32Array(size);
      this.start = new Int32Array(size + 1);
      this.heapKey = new Float64Array(size);
      this.heapChannel = new Int32Array(size);
    }
    if (this.fixed.length < flowCount) {
      const size = Math.max(flowCount, this.fixed.length * 2);
      this.fixed = new Uint8Array(size);
      this.capped = new Int32Array(size);
    }
    let memberships = 0;
    for (let f = 0; f < flowCount; f++) memberships += routes[f]!.length;
    if (this.members.length < memberships) this.members = new Int32Array(Math.max(memberships, this.members.length * 2));
  }
}

/** Sorts `flows[0 .. n)` by (cap, index) in place: heapsort, O(n log n), no allocation. */
function sortByCap(flows: Int32Array, n: number, caps: Float64Array): void {
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDownByCap(flows, caps, i, n);
  for (let end = n - 1; end > 0; end--) {
    const t = flows[0]!;
    flows[0] = flows[end]!;
    flows[end] = t;
    siftDownByCap(flows, caps, 0, end);
  }
}

function siftDownByCap(flows: Int32Array, caps: Float64Array, root: number, size: number): void {
  for (;;) {
    let child = 2 * root + 1;
    if (child >= size) return;
    if (child + 1 < size && capBefore(caps, flows[child]!, flows[child + 1]!)) child++;
    if (!capBefore(caps, flows[root]!, flows[child]!)) return;
    const t = flows[root]!;
    flows[root] = flows[child]!;
    flows[child] = t;
    root = child;
  }
}

function capBefore(caps: Float64Array, a: number, b: number): boolean {
  return caps[a]! < caps[b]! || (caps[a] === caps[b] && a < b);
}
