/**
 * A flow-level network model, as SimGrid's: flows (transfers of N bytes between two nodes)
 * share the channels of their routes max-min fairly, and rates are recomputed whenever the set
 * of flows or the capacity of a channel changes. No packets are simulated.
 *
 * Timing of one flow: the route latency first (the flow waits, using no bandwidth: the first
 * byte needs that long to arrive), then the bytes at the flow's fair rate, which changes as other
 * flows come and go. Alone on its route, a flow of S bytes whose narrowest channel has bandwidth
 * B takes `latency + S / B`; a flow of 0 bytes completes after the latency alone. A flow from a
 * node to itself crosses no channel: it completes at once (or at its rate cap).
 *
 * Events: between changes every active flow progresses at a constant rate, so the network keeps
 * ONE pending engine event, the next instant something happens: the earliest completion, or
 * "now" after a change. At that event it advances every flow by `rate × elapsed`, finishes the
 * flows with less than 1e-6 of their size left, recomputes the rates if anything changed, and
 * schedules the next completion at `now + ceil(remaining / rate)` ns (with a 1e-12 relative
 * allowance for floating-point noise, so an exact hand-computed time is not pushed 1 ns late).
 * Changes at one instant (several flows starting) cost one recomputation. Latency is one timer
 * per flow. Callbacks run from those engine events, never inside `transfer`. Each transfer
 * allocates its `Flow` handle; the per-event path (advance, solve, reschedule) allocates nothing
 * once its scratch arrays have grown.
 *
 * Not modelled: the calibration of SimGrid's default LV08 model (bandwidth × 0.97, latency ×
 * 13.01, sharing weighted by RTT through `weight-S`) and its TCP-window bound on rate (window /
 * RTT): this is plain max-min sharing, SimGrid with those factors set to 1 and weight-S to 0. A
 * flow cap can stand in for a window bound.
 * Cancel (`flow.cancel()`) frees the flow's share at once; counted in `cancelled_flows`.
 *
 * Faults (`link(id).down()` / `.up()`, `.setBandwidth()`): a link that is down has capacity 0
 * in both directions. Routes do not change. What happens to flows crossing it is the network's
 * `onLinkDown` setting:
 * - `stall` (default): active flows crossing it get rate 0 and resume when it comes back up
 *   (like TCP riding out a short outage); counted in `stalls` and `stalled_flows`. Latent flows
 *   carry on and stall once they become active.
 * - `fail`: every flow crossing it (latent or active) fails at once with `failure` naming the
 *   link, and so does any later transfer whose route crosses a down link; counted in
 *   `failed_flows`. Bytes already delivered stay delivered.
 *
 * Metrics under the network's path `<net>`:
 * - `<net>/completed_flows`, `failed_flows`, `cancelled_flows`: flow counts;
 * - `<net>/delivered_B`: bytes of completed flows;
 * - `<net>/transfer_time` (s): `transfer` call to completion, completed flows only;
 * - `<net>/active_flows`: flows in flight (latent or active), time-weighted;
 * - `<net>/stalled_flows`: active flows held at rate 0 by a down link, time-weighted; `<net>/stalls`:
 *   times a flow became stalled;
 * - per channel `<net>/link/<link>/<fwd|rev>/…` (or `<net>/link/<link>/…` when half-duplex):
 *   `carried_B` (bytes carried), `utilization` (sum of rates / bandwidth, time-weighted),
 *   `active_flows` (time-weighted).
 */
import type { Environment } from '../../engine/index.ts';
import { SimEvent } from '../../engine/index.ts';
import type { Counter, LatencyHistogram, MetricRegistry, TimeWeighted } from '../../metrics/index.ts';
import { Flow, FlowStatus, type FlowCallback, type FlowOwner, type TransferOptions } from './flow.ts';
import { MaxMinSolver } from './max-min.ts';
import type { NetworkObserver } from './observer.ts';
import { Topology, type LinkSpec, type Route, type RouteSpec, type TopologyLink } from './topology.ts';

/** What happens to flows crossing a link that goes down (see the file comment). */
export type LinkDownBehaviour = 'stall' | 'fail';

/** Options of a `Network`. */
export interface NetworkOptions {
  nodes: readonly string[];
  links: readonly LinkSpec[];
  /** Explicit routes; other pairs use the shortest-latency route. */
  routes?: readonly RouteSpec[];
  /** Default `stall`. */
  onLinkDown?: LinkDownBehaviour;
}

/** A flow finishes when less than this fraction of its size is left at an update. */
export const FINISH_FRACTION = 1e-6;
/** Completion delays are rounded up after shaving this relative amount, so float noise does not add 1 ns. */
const CEIL_ALLOWANCE = 1e-12;
const NS_PER_S = 1e9;

/** The event of `Network.transferEvent`: succeeds with the flow when it completes, fails or is cancelled. */
export class TransferEvent extends SimEvent<Flow> {
  /** The flow, e.g. to cancel it. */
  flow!: Flow;
}

/** Fault hooks and state of one declared link (both its directions). */
export class NetworkLink {
  constructor(
    private readonly network: Network,
    readonly spec: TopologyLink,
  ) {}

  get id(): string {
    return this.spec.id;
  }

  get isUp(): boolean {
    return this.network.isLinkUp(this.spec.index);
  }

  /** Takes the link down (both directions): see the network's `onLinkDown`. Does nothing if already down. */
  down(): void {
    this.network.setLinkUp(this.spec.index, false);
  }

  /** Brings the link back up at its bandwidth; stalled flows resume. Does nothing if already up. */
  up(): void {
    this.network.setLinkUp(this.spec.index, true);
  }

  /** Changes the link's bandwidth (bytes/s, > 0) from now on, e.g. a degraded link; rates are recomputed. */
  setBandwidth(bytesPerS: number): void {
    this.network.setLinkBandwidth(this.spec.index, bytesPerS);
  }
}

/** A network of nodes and links carrying flows (see the file comment). */
export class Network implements FlowOwner {
  readonly path: string;
  readonly topology: Topology;
  readonly onLinkDown: LinkDownBehaviour;
  private readonly env: Environment;
  private readonly linkHandles: NetworkLink[];

  // Per channel.
  private readonly bandwidth: Float64Array;
  /** Bandwidth, or 0 while the link is down. */
  private readonly capacity: Float64Array;
  /** Bytes carried since creation (never reset, unlike the metric). */
  private readonly carried: Float64Array;
  /** Sum of the rates of the flows crossing it / its bandwidth, as last recomputed. */
  private readonly utilization: Float64Array;
  private readonly flowsOn: Int32Array;
  private readonly loadScratch: Float64Array;
  private readonly countScratch: Int32Array;
  private readonly carriedMetric: Counter[];
  private readonly utilizationMetric: TimeWeighted[];
  private readonly activeOnChannelMetric: TimeWeighted[];
  // Per link.
  private readonly linkUp: Uint8Array;

  // Flows. `active` and `activeRoutes` are parallel; caps and rates are indexed the same way.
  private readonly latent: Flow[] = [];
  private readonly active: Flow[] = [];
  private readonly activeRoutes: Int32Array[] = [];
  private activeCaps = new Float64Array(16);
  private activeRates = new Float64Array(16);
  private readonly solver = new MaxMinSolver();
  private dirty = false;
  private lastAdvanceNs: number;
  private nextFlowId = 0;
  private stalledCount = 0;
  /** The one pending network event (an update), or -1. */
  private timer = -1;
  private timerAtNs = -1;
  /** Flows whose starters are told at the next update (completed or failed), and a spare list. */
  private toNotify: Flow[] = [];
  private spareNotify: Flow[] = [];
  private readonly observers: NetworkObserver[] = [];

  private readonly completedFlows: Counter;
  private readonly failedFlows: Counter;
  private readonly cancelledFlows: Counter;
  private readonly stalls: Counter;
  private readonly delivered: Counter;
  private readonly inFlightMetric: TimeWeighted;
  private readonly stalledMetric: TimeWeighted;
  private readonly transferTime: LatencyHistogram;

  private readonly updateFn = () => this.update();
  private readonly joinFn = (flow: Flow) => this.join(flow);

  constructor(env: Environment, path: string, options: NetworkOptions, metrics: MetricRegistry) {
    this.env = env;
    this.path = path;
    this.topology = new Topology(options.nodes, options.links, options.routes);
    this.onLinkDown = options.onLinkDown ?? 'stall';
    if (this.onLinkDown !== 'stall' && this.onLinkDown !== 'fail') {
      throw new Error(`onLinkDown must be "stall" or "fail", got ${JSON.stringify(this.onLinkDown)}`);
    }
    const topology = this.topology;
    const channels = topology.channelCount;
    this.bandwidth = new Float64Array(channels);
    for (let c = 0; c < channels; c++) this.bandwidth[c] = topology.links[topology.channelLink[c]!]!.bandwidthBytesPerS;
    this.capacity = Float64Array.from(this.bandwidth);
    this.carried = new Float64Array(channels);
    this.utilization = new Float64Array(channels);
    this.flowsOn = new Int32Array(channels);
    this.loadScratch = new Float64Array(channels);
    this.countScratch = new Int32Array(channels);
    this.linkUp = new Uint8Array(topology.links.length).fill(1);
    this.linkHandles = topology.links.map((link) => new NetworkLink(this, link));
    this.carriedMetric = topology.channelNames.map((name) => metrics.counter(`${path}/link/${name}/carried`, { unit: 'B', scale: 1 }));
    this.utilizationMetric = topology.channelNames.map((name) => metrics.timeWeighted(`${path}/link/${name}/utilization`));
    this.activeOnChannelMetric = topology.channelNames.map((name) => metrics.timeWeighted(`${path}/link/${name}/active_flows`));
    this.completedFlows = metrics.counter(`${path}/completed_flows`);
    this.failedFlows = metrics.counter(`${path}/failed_flows`);
    this.cancelledFlows = metrics.counter(`${path}/cancelled_flows`);
    this.stalls = metrics.counter(`${path}/stalls`);
    this.delivered = metrics.counter(`${path}/delivered`, { unit: 'B', scale: 1 });
    this.inFlightMetric = metrics.timeWeighted(`${path}/active_flows`);
    this.stalledMetric = metrics.timeWeighted(`${path}/stalled_flows`);
    this.transferTime = metrics.histogram(`${path}/transfer_time`, { unit: 's' });
    this.lastAdvanceNs = env.now;
  }

  /**
   * Starts a transfer of `bytes` from node `from` to node `to`. `onDone(flow)` is called once,
   * from a later engine event, when the flow completes or fails (`flow.status` says which);
   * not when it is cancelled. Returns the flow (a handle: `cancel()`, progress fields).
   * @throws Error for an unknown node or a pair no route joins; RangeError for a size that is
   *   not a finite number >= 0 or a rate cap that is not > 0.
   */
  transfer(from: string, to: string, bytes: number, onDone: FlowCallback | null, options?: TransferOptions): Flow {
    if (!(bytes >= 0 && bytes < Infinity)) throw new RangeError(`transfer size must be a finite number of bytes >= 0, got ${bytes}`);
    const cap = options?.maxRateBytesPerS;
    if (cap !== undefined && !(cap > 0)) throw new RangeError(`maxRateBytesPerS must be > 0 (or omitted for no cap), got ${cap}`);
    const route = this.topology.route(from, to);
    if (route === undefined) throw new Error(`network "${this.path}" has no route from "${from}" to "${to}": no links join them`);
    const flow = new Flow(this, this.nextFlowId++, from, to, bytes, route, this.env.now, onDone, options);
    const observers = this.observers;
    for (let i = 0; i < observers.length; i++) observers[i]!.onFlowStart?.(flow);
    if (this.onLinkDown === 'fail') {
      const down = this.downLinkOn(route);
      if (down !== null) {
        this.fail(flow, down);
        return flow;
      }
    }
    flow.slot = this.latent.length;
    this.latent.push(flow);
    this.inFlightMetric.set(this.latent.length + this.active.length);
    flow.timer = this.env.schedule(route.latencyNs, this.joinFn, flow);
    return flow;
  }

  /**
   * `transfer` for processes: `const flow = yield network.transferEvent('a', 'b', 1e6)`. The
   * event succeeds with the flow once it completed, failed or was cancelled (check `flow.status`);
   * it never fails, so an unwatched failure cannot stop the run. `event.flow` is the handle.
   */
  transferEvent(from: string, to: string, bytes: number, options?: TransferOptions): TransferEvent {
    const event = new TransferEvent(this.env);
    const flow = this.transfer(from, to, bytes, null, options);
    flow.doneEvent = event;
    event.flow = flow;
    return event;
  }

  /** The handle of a declared link (fault hooks). @throws Error for an unknown id. */
  link(id: string): NetworkLink {
    const link = this.topology.link(id);
    if (link === undefined) throw new Error(`network "${this.path}" has no link "${id}"`);
    return this.linkHandles[link.index]!;
  }

  /** The route flows from `from` to `to` take, or undefined when none. @throws Error for an unknown node. */
  route(from: string, to: string): Route | undefined {
    return this.topology.route(from, to);
  }

  /** Adds an observer (see `NetworkObserver`); observers are called in the order added. */
  observe(observer: NetworkObserver): void {
    this.observers.push(observer);
  }

  /** Flows past their latency and sharing bandwidth, in no particular (but deterministic) order. */
  activeFlows(): readonly Flow[] {
    return this.active;
  }

  /** Flows latent or active. */
  get flowsInFlight(): number {
    return this.latent.length + this.active.length;
  }

  get channelCount(): number {
    return this.topology.channelCount;
  }

  /** Channel name relative to the network, e.g. `l1/fwd`. */
  channelName(channel: number): string {
    return this.topology.channelNames[channel]!;
  }

  /** Current capacity of a channel, bytes/s: its bandwidth, or 0 while its link is down. */
  channelCapacity(channel: number): number {
    return this.capacity[channel]!;
  }

  /** Bytes a channel has carried since the network was built (not reset by a warm-up). */
  channelCarriedBytes(channel: number): number {
    return this.carried[channel]!;
  }

  /** Whether a link (by index) is up. */
  isLinkUp(linkIndex: number): boolean {
    return this.linkUp[linkIndex] === 1;
  }

  /** Fault hook behind `NetworkLink.down()` / `.up()`. */
  setLinkUp(linkIndex: number, up: boolean): void {
    if (this.isLinkUp(linkIndex) === up) return;
    this.advance(this.env.now);
    const link = this.topology.links[linkIndex]!;
    this.linkUp[linkIndex] = up ? 1 : 0;
    this.capacity[link.forward] = up ? this.bandwidth[link.forward]! : 0;
    this.capacity[link.reverse] = up ? this.bandwidth[link.reverse]! : 0;
    if (!up && this.onLinkDown === 'fail') {
      for (let i = this.active.length - 1; i >= 0; i--) {
        const flow = this.active[i]!;
        if (crosses(flow.route, link)) {
          this.removeActive(i);
          this.fail(flow, link);
        }
      }
      for (let i = this.latent.length - 1; i >= 0; i--) {
        const flow = this.latent[i]!;
        if (crosses(flow.route, link)) {
          this.env.cancel(flow.timer);
          this.removeLatent(i);
          this.fail(flow, link);
        }
      }
      this.inFlightMetric.set(this.latent.length + this.active.length);
    }
    this.dirty = true;
    this.requestUpdate();
  }

  /** Fault hook behind `NetworkLink.setBandwidth()`. */
  setLinkBandwidth(linkIndex: number, bytesPerS: number): void {
    if (!(bytesPerS > 0 && bytesPerS < Infinity)) throw new RangeError(`link bandwidth must be a positive finite data rate, got ${bytesPerS} B/s`);
    this.advance(this.env.now);
    const link = this.topology.links[linkIndex]!;
    const up = this.isLinkUp(linkIndex);
    for (const c of [link.forward, link.reverse]) {
      this.bandwidth[c] = bytesPerS;
      this.capacity[c] = up ? bytesPerS : 0;
    }
    this.dirty = true;
    this.requestUpdate();
  }

  /** Brings `flow.rate` and the rate metrics up to date now rather than at this instant's update event. */
  refreshRates(): void {
    if (this.dirty) this.recompute();
  }

  /** FlowOwner: `flow.cancel()`. */
  cancelFlow(flow: Flow): boolean {
    if (flow.status === FlowStatus.Latent) {
      this.env.cancel(flow.timer);
      flow.timer = -1;
      this.removeLatent(flow.slot);
    } else if (flow.status === FlowStatus.Active) {
      this.advance(this.env.now);
      this.removeActive(flow.slot);
      this.dirty = true;
      this.requestUpdate();
    } else {
      return false;
    }
    this.end(flow, FlowStatus.Cancelled);
    this.cancelledFlows.add(1);
    flow.doneEvent?.succeed(flow);
    return true;
  }

  /** A latent flow's latency is over: it starts sharing bandwidth. */
  private join(flow: Flow): void {
    flow.timer = -1;
    this.removeLatent(flow.slot);
    if (flow.sizeBytes === 0 || (flow.route.channels.length === 0 && flow.maxRateBytesPerS === Infinity)) {
      // Nothing to send, or nothing to share: done now.
      this.sendRest(flow);
      this.complete(flow);
      this.deliver(flow);
      return;
    }
    this.advance(this.env.now);
    flow.status = FlowStatus.Active;
    const slot = this.active.length;
    flow.slot = slot;
    this.active.push(flow);
    this.activeRoutes.push(flow.route.channels);
    if (this.activeCaps.length <= slot) {
      const caps = new Float64Array(this.activeCaps.length * 2);
      caps.set(this.activeCaps);
      this.activeCaps = caps;
      this.activeRates = new Float64Array(caps.length);
    }
    this.activeCaps[slot] = flow.maxRateBytesPerS;
    this.dirty = true;
    this.requestUpdate();
  }

  /** The network's one event: advance, finish, recompute, schedule the next, tell starters. */
  private update(): void {
    this.timer = -1;
    const now = this.env.now;
    this.advance(now);
    for (let i = this.active.length - 1; i >= 0; i--) {
      const flow = this.active[i]!;
      if (flow.remainingBytes <= FINISH_FRACTION * flow.sizeBytes) {
        this.sendRest(flow);
        this.removeActive(i);
        this.complete(flow);
        this.toNotify.push(flow);
        this.dirty = true;
      }
    }
    if (this.dirty) this.recompute();
    this.scheduleNextCompletion();
    this.notifyStarters();
  }

  /** Moves every active flow on by `rate × (now − last advance)`, counting the bytes on each channel. */
  private advance(now: number): void {
    const elapsedNs = now - this.lastAdvanceNs;
    if (elapsedNs <= 0) return;
    this.lastAdvanceNs = now;
    const active = this.active;
    for (let i = 0; i < active.length; i++) {
      const flow = active[i]!;
      if (flow.rate <= 0) continue;
      let sent = (flow.rate * elapsedNs) / NS_PER_S;
      if (sent > flow.remainingBytes) sent = flow.remainingBytes;
      if (sent > 0) this.send(flow, sent);
    }
  }

  /** Delivers whatever is left of a finishing flow (at most FINISH_FRACTION of it, or all of a flow that crosses nothing). */
  private sendRest(flow: Flow): void {
    if (flow.remainingBytes > 0) this.send(flow, flow.remainingBytes);
  }

  private send(flow: Flow, bytes: number): void {
    flow.remainingBytes -= bytes;
    const channels = flow.route.channels;
    for (let k = 0; k < channels.length; k++) {
      const c = channels[k]!;
      this.carried[c] = this.carried[c]! + bytes;
      this.carriedMetric[c]!.add(bytes);
    }
    const observers = this.observers;
    for (let i = 0; i < observers.length; i++) observers[i]!.onFlowProgress?.(flow, bytes);
  }

  /** Max-min rates for the active flows, then the per-channel load, stall and metric bookkeeping. */
  private recompute(): void {
    this.dirty = false;
    const active = this.active;
    const n = active.length;
    const rates = this.activeRates;
    this.solver.solve(this.capacity, this.activeRoutes, this.activeCaps, n, rates);
    const load = this.loadScratch;
    const count = this.countScratch;
    load.fill(0);
    count.fill(0);
    let stalled = 0;
    for (let i = 0; i < n; i++) {
      const flow = active[i]!;
      const rate = rates[i]!;
      flow.rate = rate;
      const channels = flow.route.channels;
      let crossesDown = false;
      for (let k = 0; k < channels.length; k++) {
        const c = channels[k]!;
        load[c] = load[c]! + rate;
        count[c]!++;
        if (this.capacity[c] === 0) crossesDown = true;
      }
      if (crossesDown) {
        stalled++;
        if (!flow.stalled) this.stalls.add(1);
      }
      flow.stalled = crossesDown;
    }
    for (let c = 0; c < load.length; c++) {
      const utilization = load[c]! / this.bandwidth[c]!;
      if (utilization !== this.utilization[c]) {
        this.utilization[c] = utilization;
        this.utilizationMetric[c]!.set(utilization);
      }
      if (count[c] !== this.flowsOn[c]) {
        this.flowsOn[c] = count[c]!;
        this.activeOnChannelMetric[c]!.set(count[c]!);
      }
    }
    if (stalled !== this.stalledCount) {
      this.stalledCount = stalled;
      this.stalledMetric.set(stalled);
    }
    const observers = this.observers;
    for (let i = 0; i < observers.length; i++) observers[i]!.onRatesChanged?.(this);
  }

  private scheduleNextCompletion(): void {
    if (this.timer >= 0) this.env.cancel(this.timer);
    this.timer = -1;
    let soonest = Infinity;
    const active = this.active;
    for (let i = 0; i < active.length; i++) {
      const flow = active[i]!;
      if (flow.rate <= 0) continue;
      const ns = (flow.remainingBytes * NS_PER_S) / flow.rate;
      const delay = Math.max(1, Math.ceil(ns * (1 - CEIL_ALLOWANCE)));
      if (delay < soonest) soonest = delay;
    }
    if (soonest < Infinity) {
      this.timer = this.env.schedule(soonest, this.updateFn, null);
      this.timerAtNs = this.env.now + soonest;
    }
  }

  /** Makes sure an update runs at the current instant (after the events already queued for it). */
  private requestUpdate(): void {
    const now = this.env.now;
    if (this.timer >= 0) {
      if (this.timerAtNs === now) return;
      this.env.cancel(this.timer);
    }
    this.timer = this.env.schedule(0, this.updateFn, null);
    this.timerAtNs = now;
  }

  /** Calls back the starters of the flows finished since the last update, in flow order. */
  private notifyStarters(): void {
    const list = this.toNotify;
    if (list.length === 0) return;
    this.toNotify = this.spareNotify;
    // Insertion sort by id: lists are short and nearly sorted; no allocation.
    for (let i = 1; i < list.length; i++) {
      const flow = list[i]!;
      let j = i - 1;
      while (j >= 0 && list[j]!.id > flow.id) {
        list[j + 1] = list[j]!;
        j--;
      }
      list[j + 1] = flow;
    }
    for (let i = 0; i < list.length; i++) this.deliver(list[i]!);
    list.length = 0;
    this.spareNotify = list;
  }

  private deliver(flow: Flow): void {
    flow.onDone?.(flow);
    flow.doneEvent?.succeed(flow);
  }

  private complete(flow: Flow): void {
    this.end(flow, FlowStatus.Completed);
    this.completedFlows.add(1);
    this.delivered.add(flow.sizeBytes);
    this.transferTime.record(flow.endNs - flow.startNs);
  }

  /** Fails a flow already taken off the latent and active lists; its starter hears at the next update. */
  private fail(flow: Flow, link: TopologyLink): void {
    flow.failure = `link "${link.id}" of network "${this.path}" went down`;
    this.end(flow, FlowStatus.Failed);
    this.failedFlows.add(1);
    this.toNotify.push(flow);
    this.requestUpdate();
  }

  private end(flow: Flow, status: FlowStatus): void {
    flow.status = status;
    flow.endNs = this.env.now;
    flow.rate = 0;
    flow.stalled = false;
    this.inFlightMetric.set(this.latent.length + this.active.length);
    const observers = this.observers;
    for (let i = 0; i < observers.length; i++) observers[i]!.onFlowEnd?.(flow);
  }

  private removeLatent(slot: number): void {
    const latent = this.latent;
    const last = latent.pop()!;
    if (slot < latent.length) {
      latent[slot] = last;
      last.slot = slot;
    }
  }

  private removeActive(slot: number): void {
    const active = this.active;
    const routes = this.activeRoutes;
    const removed = active[slot]!;
    const last = active.pop()!;
    const lastRoute = routes.pop()!;
    if (slot < active.length) {
      active[slot] = last;
      routes[slot] = lastRoute;
      this.activeCaps[slot] = this.activeCaps[active.length]!;
      last.slot = slot;
    }
    removed.slot = -1;
    removed.rate = 0;
  }

  /** The first down link a route crosses, or null. */
  private downLinkOn(route: Route): TopologyLink | null {
    const channels = route.channels;
    for (let k = 0; k < channels.length; k++) {
      const link = this.topology.links[this.topology.channelLink[channels[k]!]!]!;
      if (!this.isLinkUp(link.index)) return link;
    }
    return null;
  }
}

function crosses(route: Route, link: TopologyLink): boolean {
  const channels = route.channels;
  for (let k = 0; k < channels.length; k++) if (channels[k] === link.forward || channels[k] === link.reverse) return true;
  return false;
}
