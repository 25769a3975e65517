/**
 * Closed-form queueing results that the validation suite checks the simulator against.
 * Inputs: arrival rate lambda (per second), service time mean and variance (seconds,
 * seconds^2), number of servers c. Outputs: mean response (sojourn) time in seconds.
 */

export interface QueueParameters {
  /** Arrival rate, jobs per second. */
  readonly lambda: number;
  /** Mean service time, seconds. */
  readonly serviceMeanS: number;
  /** Service time variance, seconds^2. */
  readonly serviceVarianceS2: number;
  /** Number of servers. */
  readonly servers: number;
}

/** M/M/1: T = 1 / (mu - lambda) (Kleinrock 1975, vol. I, eq. 3.26). */
export function mm1ResponseTime(p: QueueParameters): number {
  const mu = 1 / p.serviceMeanS;
  requireStable(p);
  return 1 / (mu - p.lambda);
}

/**
 * Erlang's C formula: the probability that an arriving job waits in an M/M/c queue with
 * offered load a = lambda / mu (Kleinrock 1975, vol. I, eq. 3.42).
 */
export function erlangC(servers: number, offeredLoad: number): number {
  // Sum a^k / k! for k < c, term by term to avoid overflow.
  let term = 1;
  let sum = 1;
  for (let k = 1; k < servers; k++) {
    term *= offeredLoad / k;
    sum += term;
  }
  const last = (term * offeredLoad) / servers; // a^c / c!
  const rho = offeredLoad / servers;
  const top = last / (1 - rho);
  return top / (sum + top);
}

/** M/M/c: T = C(c, a) / (c mu - lambda) + 1 / mu. */
export function erlangCResponseTime(p: QueueParameters): number {
  const mu = 1 / p.serviceMeanS;
  requireStable(p);
  return erlangC(p.servers, p.lambda / mu) / (p.servers * mu - p.lambda) + 1 / mu;
}

/**
 * M/G/1, Pollaczek-Khinchine mean value formula (Kleinrock 1975, vol. I, eq. 5.72):
 * T = E[S] + lambda E[S^2] / (2 (1 - rho)).
 */
export function pollaczekKhinchineResponseTime(p: QueueParameters): number {
  if (p.servers !== 1) throw new RangeError('the Pollaczek-Khinchine formula is for one server');
  requireStable(p);
  const rho = p.lambda * p.serviceMeanS;
  const secondMoment = p.serviceVarianceS2 + p.serviceMeanS ** 2;
  return p.serviceMeanS + (p.lambda * secondMoment) / (2 * (1 - rho));
}

/** Utilization rho = lambda E[S] / c. */
export function utilization(p: QueueParameters): number {
  return (p.lambda * p.serviceMeanS) / p.servers;
}

function requireStable(p: QueueParameters): void {
  if (!(utilization(p) < 1)) throw new RangeError(`the queue is unstable (rho = ${utilization(p)} >= 1)`);
}

/** The references by the name a validation scenario gives. */
export const REFERENCES: Readonly<Record<string, (p: QueueParameters) => number>> = {
  'mm1-response-time': mm1ResponseTime,
  'erlang-c-response-time': erlangCResponseTime,
  'pollaczek-khinchine-response-time': pollaczekKhinchineResponseTime,
};
