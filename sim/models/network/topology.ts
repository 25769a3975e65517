/**
 * The static side of the network model: nodes, links, the directional channels links are made
 * of, and routes between nodes (shortest latency by Dijkstra, or given explicitly), cached.
 *
 * Vocabulary:
 * - a **link** is what a scenario declares: two nodes, a bandwidth and a latency;
 * - a **channel** is a capacity resource that flows share. A full-duplex link (the default) has
 *   two channels, `fwd` (from → to as declared) and `rev` (to → from), each with the link's whole
 *   bandwidth, so traffic in one direction never slows the other (as a switched Ethernet or
 *   SimGrid's SPLITDUPLEX link). A half-duplex link has one channel that both directions share
 *   (SimGrid's SHARED link);
 * - a **route** is the list of channels a flow crosses, in order, and their total latency.
 *
 * Routes: an explicit route given for a pair wins; otherwise the route is the one of least total
 * latency. Ties are broken deterministically: fewer links first, then the route whose list of
 * link declaration indices, read from the source, is lexicographically smallest (so of two
 * parallel links the one declared first carries the traffic). Routes are computed once per source node (one Dijkstra, O(nodes²), fine for the hundreds
 * of nodes a storage topology has) and cached. Routes are static: a link that goes down does
 * not reroute anything (the network then stalls or fails the flows crossing it).
 */

/** A link as declared. Bandwidth in bytes per second, latency in integer nanoseconds. */
export interface LinkSpec {
  /** Unique id (`^[a-z][a-z0-9_-]*$`), used in metric paths; default `<from>-<to>`. */
  id?: string;
  from: string;
  to: string;
  bandwidthBytesPerS: number;
  latencyNs: number;
  /** `full` (default): one channel per direction; `half`: both directions share one channel. */
  duplex?: 'full' | 'half';
}

/** An explicit route from `from` to `to` over declared link ids, walked in order. */
export interface RouteSpec {
  from: string;
  to: string;
  links: readonly string[];
  /** Also use the reversed list for `to` → `from` unless that pair has its own route (default true). */
  symmetric?: boolean;
}

/** A declared link after validation. */
export interface TopologyLink {
  readonly index: number;
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly bandwidthBytesPerS: number;
  readonly latencyNs: number;
  readonly duplex: 'full' | 'half';
  /** Channel carrying from → to. */
  readonly forward: number;
  /** Channel carrying to → from (the same as `forward` for a half-duplex link). */
  readonly reverse: number;
}

/** The channels a flow crosses, in order, and their total latency. Immutable and shared. */
export interface Route {
  readonly from: string;
  readonly to: string;
  readonly channels: Int32Array;
  /** Sum of the latencies of the links crossed (integer ns). */
  readonly latencyNs: number;
}

const ID = /^[a-z][a-z0-9_-]*$/;

/** Nodes, links, channels and routes of one network. Throws a clear Error on bad declarations. */
export class Topology {
  readonly nodes: readonly string[];
  readonly links: readonly TopologyLink[];
  /** Per channel: the link it belongs to. */
  readonly channelLink: Int32Array;
  /** Per channel: a name relative to the network (`<link>/fwd`, `<link>/rev`, or `<link>` when half-duplex). */
  readonly channelNames: readonly string[];
  private readonly nodeIndex = new Map<string, number>();
  private readonly linkIndex = new Map<string, number>();
  /** Per node: [neighbour node, channel, link latency] triples in link declaration order. */
  private readonly adjacency: number[][];
  /** Routes computed or given, by `from * nodeCount + to`. */
  private readonly routes = new Map<number, Route>();
  /** Sources whose shortest-latency routes have all been computed. */
  private readonly solvedSources = new Set<number>();

  constructor(nodes: readonly string[], links: readonly LinkSpec[], routes: readonly RouteSpec[] = []) {
    if (nodes.length === 0) throw new Error('a network needs at least one node');
    nodes.forEach((name, i) => {
      if (typeof name !== 'string' || name === '') throw new Error(`node ${i} has no name; node names are non-empty strings`);
      if (this.nodeIndex.has(name)) throw new Error(`node "${name}" is declared twice; node names must be unique`);
      this.nodeIndex.set(name, i);
    });
    this.nodes = nodes.slice();
    this.adjacency = nodes.map(() => []);

    const built: TopologyLink[] = [];
    const channelLink: number[] = [];
    const channelNames: string[] = [];
    links.forEach((spec, index) => {
      const where = `link ${index}${spec.id === undefined ? '' : ` ("${spec.id}")`}`;
      const from = this.requireNode(spec.from, `${where}: "from"`);
      const to = this.requireNode(spec.to, `${where}: "to"`);
      if (from === to) throw new Error(`${where} connects node "${spec.from}" to itself; a link joins two different nodes`);
      const id = spec.id ?? `${spec.from}-${spec.to}`;
      if (!ID.test(id)) {
        throw new Error(`${where}: id "${id}" is not allowed; link ids match ^[a-z][a-z0-9_-]*$ (give an "id" if the node names do not)`);
      }
      if (this.linkIndex.has(id)) {
        throw new Error(`${where}: id "${id}" is already used by another link; give each parallel link its own "id"`);
      }
      if (!(spec.bandwidthBytesPerS > 0 && spec.bandwidthBytesPerS < Infinity)) {
        throw new Error(`${where}: bandwidth must be a positive finite data rate, got ${spec.bandwidthBytesPerS} B/s`);
      }
      if (!(Number.isInteger(spec.latencyNs) && spec.latencyNs >= 0)) {
        throw new Error(`${where}: latency must be a time >= 0, got ${spec.latencyNs} ns`);
      }
      const duplex = spec.duplex ?? 'full';
      const forward = channelLink.length;
      channelLink.push(index);
      channelNames.push(duplex === 'full' ? `${id}/fwd` : id);
      let reverse = forward;
      if (duplex === 'full') {
        reverse = channelLink.length;
        channelLink.push(index);
        channelNames.push(`${id}/rev`);
      }
      this.linkIndex.set(id, index);
      built.push({ index, id, from: spec.from, to: spec.to, bandwidthBytesPerS: spec.bandwidthBytesPerS, latencyNs: spec.latencyNs, duplex, forward, reverse });
      this.adjacency[from]!.push(to, forward, spec.latencyNs);
      this.adjacency[to]!.push(from, reverse, spec.latencyNs);
    });
    this.links = built;
    this.channelLink = Int32Array.from(channelLink);
    this.channelNames = channelNames;
    this.addExplicitRoutes(routes);
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  get channelCount(): number {
    return this.channelLink.length;
  }

  /** Index of a node, or -1. */
  indexOfNode(name: string): number {
    return this.nodeIndex.get(name) ?? -1;
  }

  /** The link with this id, or undefined. */
  link(id: string): TopologyLink | undefined {
    const index = this.linkIndex.get(id);
    return index === undefined ? undefined : this.links[index];
  }

  /**
   * The route from `from` to `to` (node names), or undefined when no path joins them.
   * From a node to itself the route is empty (no channel, no latency).
   * @throws Error for an unknown node.
   */
  route(from: string, to: string): Route | undefined {
    const a = this.requireNode(from, 'route source');
    const b = this.requireNode(to, 'route destination');
    const key = a * this.nodes.length + b;
    const cached = this.routes.get(key);
    if (cached !== undefined || this.solvedSources.has(a)) return cached;
    this.solveFrom(a);
    return this.routes.get(key);
  }

  /** Dijkstra from `source` (O(nodes²) selection, deterministic ties); caches every route found. */
  private solveFrom(source: number): void {
    const n = this.nodes.length;
    const latency = new Float64Array(n).fill(Infinity);
    const hops = new Int32Array(n);
    const viaChannel = new Int32Array(n).fill(-1);
    const previous = new Int32Array(n).fill(-1);
    const settled = new Uint8Array(n);
    latency[source] = 0;
    for (;;) {
      let u = -1;
      for (let v = 0; v < n; v++) {
        if (settled[v] || latency[v] === Infinity) continue;
        if (u < 0 || latency[v]! < latency[u]! || (latency[v] === latency[u] && hops[v]! < hops[u]!)) u = v;
      }
      if (u < 0) break;
      settled[u] = 1;
      const edges = this.adjacency[u]!;
      for (let k = 0; k < edges.length; k += 3) {
        const v = edges[k]!;
        if (settled[v]) continue;
        const candidate = latency[u]! + edges[k + 2]!;
        const candidateHops = hops[u]! + 1;
        const better =
          candidate < latency[v]! ||
          (candidate === latency[v] &&
            (candidateHops < hops[v]! ||
              (candidateHops === hops[v] && this.linksBefore(u, edges[k + 1]!, previous[v]!, viaChannel[v]!, previous, viaChannel))));
        if (better) {
          latency[v] = candidate;
          hops[v] = candidateHops;
          viaChannel[v] = edges[k + 1]!;
          previous[v] = u;
        }
      }
    }
    for (let target = 0; target < n; target++) {
      const key = source * n + target;
      if (this.routes.has(key) || latency[target] === Infinity) continue; // explicit routes win
      const channels = new Int32Array(hops[target]!);
      for (let v = target, i = channels.length - 1; v !== source; v = previous[v]!, i--) channels[i] = viaChannel[v]!;
      this.routes.set(key, Object.freeze({ from: this.nodes[source]!, to: this.nodes[target]!, channels, latencyNs: latency[target]! }));
    }
    this.solvedSources.add(source);
  }

  /**
   * Whether the route (path to `u`, then `channelU`) comes before (path to `w`, then `channelW`)
   * in lexicographic order of link declaration indices read from the source. Both have as many links.
   */
  private linksBefore(u: number, channelU: number, w: number, channelW: number, previous: Int32Array, viaChannel: Int32Array): boolean {
    const a = this.linkSequence(u, previous, viaChannel);
    const b = this.linkSequence(w, previous, viaChannel);
    a.push(this.channelLink[channelU]!);
    b.push(this.channelLink[channelW]!);
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
    return false;
  }

  /** Link indices of the tentative path from the source to `node`, source first. */
  private linkSequence(node: number, previous: Int32Array, viaChannel: Int32Array): number[] {
    const links: number[] = [];
    for (let v = node; previous[v]! >= 0; v = previous[v]!) links.push(this.channelLink[viaChannel[v]!]!);
    return links.reverse();
  }

  private addExplicitRoutes(routes: readonly RouteSpec[]): void {
    const given = new Set<number>();
    const n = this.nodes.length;
    const reversed: { key: number; route: Route }[] = [];
    routes.forEach((spec, i) => {
      const where = `route ${i} (${spec.from} → ${spec.to})`;
      const a = this.requireNode(spec.from, `${where}: "from"`);
      const b = this.requireNode(spec.to, `${where}: "to"`);
      if (a === b) throw new Error(`${where}: a route joins two different nodes`);
      if (spec.links.length === 0) throw new Error(`${where}: list at least one link`);
      const channels = new Int32Array(spec.links.length);
      const reverseChannels = new Int32Array(spec.links.length);
      let at = spec.from;
      let latencyNs = 0;
      spec.links.forEach((id, k) => {
        const link = this.link(id);
        if (link === undefined) throw new Error(`${where}: no link "${id}"; links are ${[...this.linkIndex.keys()].join(', ')}`);
        if (link.from === at) {
          channels[k] = link.forward;
          reverseChannels[spec.links.length - 1 - k] = link.reverse;
          at = link.to;
        } else if (link.to === at) {
          channels[k] = link.reverse;
          reverseChannels[spec.links.length - 1 - k] = link.forward;
          at = link.from;
        } else {
          throw new Error(`${where}: link "${id}" (${link.from} – ${link.to}) does not touch node "${at}", where the route has got to`);
        }
        latencyNs += link.latencyNs;
      });
      if (at !== spec.to) throw new Error(`${where}: the links end at node "${at}", not at "${spec.to}"`);
      if (new Set(channels).size !== channels.length) throw new Error(`${where}: the route crosses the same channel twice`);
      const key = a * n + b;
      if (given.has(key)) throw new Error(`${where}: a route from "${spec.from}" to "${spec.to}" is already given`);
      given.add(key);
      this.routes.set(key, Object.freeze({ from: spec.from, to: spec.to, channels, latencyNs }));
      if (spec.symmetric ?? true) {
        reversed.push({ key: b * n + a, route: Object.freeze({ from: spec.to, to: spec.from, channels: reverseChannels, latencyNs }) });
      }
    });
    // A reverse route given explicitly wins over a mirrored one.
    for (const { key, route } of reversed) if (!given.has(key)) this.routes.set(key, route);
  }

  private requireNode(name: string, what: string): number {
    const index = this.nodeIndex.get(name);
    if (index === undefined) {
      throw new Error(`${what}: no node "${name}"; nodes are ${this.nodes.map((n) => `"${n}"`).join(', ')}`);
    }
    return index;
  }
}
