import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  REFERENCES, erlangC, erlangCResponseTime, mm1ResponseTime, pollaczekKhinchineResponseTime, utilization, type QueueParameters,
} from '../../sim/validation/references.ts';

const close = (actual: number, expected: number, what: string, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual}, expected ${expected}`);

/** Exponential service of mean 1/mu: variance 1/mu^2. */
const markov = (lambda: number, mu: number, servers = 1): QueueParameters => ({ lambda, serviceMeanS: 1 / mu, serviceVarianceS2: 1 / mu ** 2, servers });

test('M/M/1, lambda 0.9, mu 1: T = 1 / (mu - lambda) = 10 s', () => {
  close(mm1ResponseTime(markov(0.9, 1)), 10, 'T');
  close(mm1ResponseTime(markov(0.5, 1)), 2, 'T at rho 0.5');
  close(mm1ResponseTime(markov(2, 4)), 0.5, 'T with mu 4');
});

test("Erlang C for c = 2, a = 1.6: (1.28 / 0.2) / (1 + 1.6 + 1.28 / 0.2) = 0.7111..", () => {
  close(erlangC(2, 1.6), 6.4 / 9, 'C(2, 1.6)');
  assert.ok(Math.abs(erlangC(2, 1.6) - 0.7111) < 1e-4);
  // one server: the probability of waiting is rho
  close(erlangC(1, 0.7), 0.7, 'C(1, a) = a');
  // c = 4, a = 2: (16/24 / 0.5) / (1 + 2 + 2 + 4/3 + 16/24 / 0.5) = 4/23
  close(erlangC(4, 2), 4 / 23, 'C(4, 2)');
});

test('M/M/c response time: C / (c mu - lambda) + 1 / mu, and M/M/1 when c = 1', () => {
  close(erlangCResponseTime(markov(1.6, 1, 2)), 6.4 / 9 / 0.4 + 1, 'M/M/2 at rho 0.8');
  close(erlangCResponseTime(markov(2, 1, 4)), 4 / 23 / 2 + 1, 'M/M/4 at rho 0.5');
  close(erlangCResponseTime(markov(0.9, 1, 1)), 10, 'M/M/1 as M/M/c');
});

test('Pollaczek-Khinchine: M/D/1 at rho 0.5 gives 1.5 s; exponential service gives the M/M/1 value', () => {
  close(pollaczekKhinchineResponseTime({ lambda: 0.5, serviceMeanS: 1, serviceVarianceS2: 0, servers: 1 }), 1.5, 'M/D/1');
  close(pollaczekKhinchineResponseTime({ lambda: 0.9, serviceMeanS: 1, serviceVarianceS2: 0, servers: 1 }), 5.5, 'M/D/1 at rho 0.9');
  // lognormal cv 0.5: E[S^2] = 0.25 + 1
  close(pollaczekKhinchineResponseTime({ lambda: 0.5, serviceMeanS: 1, serviceVarianceS2: 0.25, servers: 1 }), 1.625, 'M/G/1');
  close(pollaczekKhinchineResponseTime(markov(0.8, 1)), mm1ResponseTime(markov(0.8, 1)), 'M/M/1 as M/G/1');
});

test('utilization is lambda E[S] / c', () => {
  close(utilization(markov(1.6, 1, 2)), 0.8, 'rho');
  close(utilization({ lambda: 3, serviceMeanS: 0.25, serviceVarianceS2: 0, servers: 1 }), 0.75, 'rho');
});

test('an unstable queue, or P-K with more than one server, is refused', () => {
  assert.throws(() => mm1ResponseTime(markov(1, 1)), RangeError);
  assert.throws(() => erlangCResponseTime(markov(2.5, 1, 2)), RangeError);
  assert.throws(() => pollaczekKhinchineResponseTime({ lambda: 1.2, serviceMeanS: 1, serviceVarianceS2: 0, servers: 1 }), RangeError);
  assert.throws(() => pollaczekKhinchineResponseTime(markov(0.5, 1, 2)), /one server/);
});

test('REFERENCES names each closed form as validation scenarios refer to it', () => {
  assert.equal(Object.keys(REFERENCES).sort(), ['erlang-c-response-time', 'mm1-response-time', 'pollaczek-khinchine-response-time']);
  assert.is(REFERENCES['mm1-response-time'], mm1ResponseTime);
  assert.is(REFERENCES['erlang-c-response-time'], erlangCResponseTime);
  assert.is(REFERENCES['pollaczek-khinchine-response-time'], pollaczekKhinchineResponseTime);
});

test.run();
