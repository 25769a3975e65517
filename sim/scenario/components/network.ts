/**
 * Scenario glue for the network model: the `network` world component (nodes, links, routes)
 * and the `network-transfers` workload that drives one. Other models take a network's id and
 * call `transfer` on the built `Network`.
 */
import { Network, type LinkDownBehaviour } from '../../models/network/network.ts';
import type { LinkSpec, RouteSpec } from '../../models/network/topology.ts';
import { TransferWorkload } from '../../models/network/transfer-workload.ts';
import type { ComponentType } from '../component-type.ts';
import { count, distribution, quantity } from '../schema-parts.ts';

const NAME = { type: 'string', pattern: '^[a-z][a-z0-9_-]*$' };

export const networkType: ComponentType = {
  type: 'network',
  section: 'world',
  description:
    'A flow-level network: nodes joined by links (bandwidth, latency). Flows share the channels of their ' +
    'routes max-min fairly; a transfer takes the route latency, then its bytes at its fair rate.',
  properties: {
    nodes: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { ...NAME, description: 'node name' },
      description: 'node names (hosts, switches, sites); other components refer to them',
    },
    links: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to', 'bandwidth', 'latency'],
        properties: {
          id: { ...NAME, description: 'link id used in metric paths (default "<from>-<to>")' },
          from: { ...NAME, description: 'a node' },
          to: { ...NAME, description: 'another node' },
          bandwidth: quantity('datarate', 'capacity of each direction (of both together when half-duplex)'),
          latency: quantity('time', 'one-way latency'),
          duplex: {
            enum: ['full', 'half'],
            description: 'full (default): each direction has the whole bandwidth; half: the directions share it',
          },
        },
      },
      description: 'links between nodes',
    },
    routes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to', 'links'],
        properties: {
          from: { ...NAME, description: 'source node' },
          to: { ...NAME, description: 'destination node' },
          links: { type: 'array', minItems: 1, items: { ...NAME, description: 'link id' }, description: 'link ids, in order from "from" to "to"' },
          symmetric: { type: 'boolean', description: 'also use the reversed route from "to" to "from" (default true)' },
        },
      },
      description: 'explicit routes; every other pair takes its least-latency route (ties: fewest links, then declaration order)',
    },
    onLinkDown: {
      enum: ['stall', 'fail'],
      description: 'flows crossing a link that goes down: stall at rate 0 until it is back (default), or fail at once',
    },
  },
  required: ['nodes', 'links'],
  build(context, id, spec) {
    const links: LinkSpec[] = (spec.links as Record<string, any>[]).map((link) => ({
      ...(link.id === undefined ? {} : { id: link.id }),
      from: link.from,
      to: link.to,
      bandwidthBytesPerS: context.quantity(link.bandwidth, 'datarate'),
      latencyNs: context.quantity(link.latency, 'time'),
      duplex: link.duplex ?? 'full',
    }));
    links.forEach((link, i) => {
      if (!(link.bandwidthBytesPerS > 0)) throw new Error(`links/${i}: bandwidth must be > 0, got "${spec.links[i].bandwidth}"`);
      if (!(link.latencyNs >= 0)) throw new Error(`links/${i}: latency must be >= 0, got "${spec.links[i].latency}"`);
    });
    const routes: RouteSpec[] = (spec.routes ?? []) as RouteSpec[];
    return new Network(
      context.env,
      id,
      { nodes: spec.nodes, links, routes, onLinkDown: (spec.onLinkDown ?? 'stall') as LinkDownBehaviour },
      context.metrics,
    );
  },
};

export const networkTransfersType: ComponentType = {
  type: 'network-transfers',
  section: 'workload',
  description: 'Open-loop transfers over a network: node pairs by weight, sizes and interarrival times from distributions.',
  properties: {
    target: { type: 'string', description: 'id of the network' },
    pairs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to'],
        properties: {
          from: { ...NAME, description: 'source node' },
          to: { ...NAME, description: 'destination node' },
          weight: { type: 'number', minimum: 0, description: 'relative frequency of this pair (default 1)' },
        },
      },
      description: 'node pairs the transfers go between',
    },
    size: distribution('size', 'bytes per transfer (rounded to whole bytes)'),
    interarrival: distribution('time', 'time between transfer starts'),
    maxRate: quantity('datarate', 'rate cap of each flow (default none)'),
    transferLimit: count('stop after this many transfers (default: no limit)', 1),
  },
  required: ['target', 'pairs', 'size', 'interarrival'],
  references: { target: ['network'] },
  build(context, id, spec) {
    const network = context.component<Network>(spec.target);
    const maxRate = spec.maxRate === undefined ? undefined : context.quantity(spec.maxRate, 'datarate');
    if (maxRate !== undefined && !(maxRate > 0)) throw new Error(`maxRate must be > 0, got "${spec.maxRate}"`);
    const workload = new TransferWorkload(
      context.env,
      id,
      network,
      {
        pairs: (spec.pairs as Record<string, any>[]).map((p) => ({ from: p.from, to: p.to, weight: p.weight ?? 1 })),
        sizeBytes: context.distribution(spec.size, 'size'),
        interarrivalNs: context.distribution(spec.interarrival, 'time'),
        ...(maxRate === undefined ? {} : { maxRateBytesPerS: maxRate }),
        ...(spec.transferLimit === undefined ? {} : { transferLimit: spec.transferLimit }),
      },
      {
        interarrival: context.streams.stream(`${id}/interarrival`),
        size: context.streams.stream(`${id}/size`),
        pair: context.streams.stream(`${id}/pair`),
      },
      context.metrics,
    );
    return { start: () => workload.start() };
  },
};

export const NETWORK_COMPONENT_TYPES: readonly ComponentType[] = [networkType, networkTransfersType];
