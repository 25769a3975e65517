/** Scenario glue for the queueing models: schema, references and construction. */
import { OpenSource } from '../../models/queueing/open-source.ts';
import type { QueueDiscipline } from '../../models/queueing/discipline.ts';
import { QueueStation } from '../../models/queueing/queue-station.ts';
import type { ComponentType } from '../component-type.ts';
import { count, distribution, quantity } from '../schema-parts.ts';

export const queueStationType: ComponentType = {
  type: 'queue-station',
  section: 'world',
  description: 'c identical servers in front of one queue, ordered by the queue-discipline policy.',
  properties: {
    servers: count('number of servers (c)', 1),
    queueLimit: count('most jobs that may wait; arrivals beyond it are dropped (default: unlimited)', 0),
  },
  required: ['servers'],
  decisionPoints: ['queue-discipline'],
  build(context, id, spec) {
    const station = new QueueStation(
      context.env,
      id,
      { servers: spec.servers, queueLimit: spec.queueLimit },
      context.policy<QueueDiscipline>('queue-discipline'),
      context.metrics,
    );
    return station;
  },
};

export const openSourceType: ComponentType = {
  type: 'open-source',
  section: 'workload',
  description: 'Open-loop arrivals of jobs to a queue station (Poisson when interarrival is exponential).',
  properties: {
    target: { type: 'string', description: 'id of the queue-station the jobs go to' },
    interarrival: distribution('time', 'time between arrivals'),
    service: distribution('time', 'service requirement of each job'),
    classWeights: {
      type: 'array',
      minItems: 1,
      items: { type: 'number', minimum: 0 },
      description: 'relative frequency of each job class (class 0 first); default one class',
    },
    jobLimit: count('stop after this many arrivals (default: no limit)', 1),
  },
  required: ['target', 'interarrival', 'service'],
  references: { target: ['queue-station'] },
  build(context, id, spec) {
    const weights: number[] | undefined = spec.classWeights;
    const total = weights?.reduce((a, b) => a + b, 0);
    if (total !== undefined && !(total > 0)) throw new RangeError('classWeights must not all be 0');
    const source = new OpenSource(
      context.env,
      id,
      {
        interarrivalNs: context.distribution(spec.interarrival, 'time'),
        serviceNs: context.distribution(spec.service, 'time'),
        classWeights: weights?.map((w) => w / total!),
        jobLimit: spec.jobLimit,
      },
      {
        interarrival: context.streams.stream(`${id}/interarrival`),
        service: context.streams.stream(`${id}/service`),
        jobClass: context.streams.stream(`${id}/class`),
      },
      context.component<QueueStation>(spec.target),
      context.metrics,
    );
    return { start: () => source.start() };
  },
};

export const stationOutageType: ComponentType = {
  type: 'station-outage',
  section: 'faults',
  description:
    'Takes every server of a queue station out of service at a set time for a set duration. ' +
    'Jobs in service finish; waiting jobs wait; arrivals keep queueing.',
  properties: {
    target: { type: 'string', description: 'id of the queue-station' },
    at: quantity('time', 'when the outage starts'),
    duration: quantity('time', 'how long the servers stay down once the jobs in service have finished'),
  },
  required: ['target', 'at', 'duration'],
  references: { target: ['queue-station'] },
  build(context, _id, spec) {
    const station = context.component<QueueStation>(spec.target);
    const at = context.quantity(spec.at, 'time');
    const duration = context.quantity(spec.duration, 'time');
    return { start: () => context.env.schedule(at, () => station.outage(duration), null) };
  },
};
