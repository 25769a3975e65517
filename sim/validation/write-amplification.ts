/**
 * Analytic write amplification of garbage collection under uniform random single-page writes
 * at steady state, in the many-blocks (mean-field) limit. Inputs: the spare factor
 * S_f = (physical − logical) / physical pages, and b = pages per block. ρ = 1 − S_f is the
 * fraction of flash pages holding live data.
 *
 * FIFO / LRW (Desnoyers, "Analytic models of SSD write performance", ACM TOS 10(2), 2014;
 * Xiang and Kurkoski, "An improved analytic expression for write amplification in NAND flash",
 * arXiv:1110.4245, 2012): a page survives one trip through the log with probability
 * u = exp(−(1 − u)/ρ), so u = −ρ · W₀(−e^{−1/ρ}/ρ) and WA = 1 / (1 − u). It does not depend
 * on b. (Xiang and Kurkoski quote WA = 2.36 at over-provisioning (T−U)/U = 0.3.)
 *
 * Greedy (the fluid limit of Bux and Iliadis, "Performance of greedy garbage collection in
 * flash-based solid-state drives", Performance Evaluation 67(11), 2010; it is also the
 * d → ∞ limit of Van Houdt's d-choices mean-field model, SIGMETRICS 2013): each valid page is
 * invalidated at rate 1/U per host write, so between the fill level b and the victim level k
 * the number of blocks holding i valid pages is proportional to 1/i. Victims hold k or k − 1
 * valid pages (a mass m of blocks waits at level k and is taken as soon as it decays). With
 * r = victims per host write and μ = m / U, conservation of pages and of blocks give
 *   (b − k) r + k μ = 1   and   1 / (ρ b) = r (H_b − H_k) + μ,   0 <= μ <= r / k,
 * for exactly one integer k, and WA = b r. As b → ∞ it tends to the FIFO value (greedy and
 * LRW coincide for uniform writes with large blocks, as Desnoyers observes).
 */

/** Principal branch of the Lambert W function for x in [−1/e, ∞), by Halley's iteration. */
export function lambertW0(x: number): number {
  const minusInvE = -1 / Math.E;
  if (!(x >= minusInvE)) throw new RangeError(`lambertW0 is defined for x >= -1/e (got ${x})`);
  if (x === minusInvE) return -1;
  // Start near the branch point with its series, elsewhere with log1p.
  let w = x < -0.25 ? -1 + Math.sqrt(2 * (1 + Math.E * x)) : Math.log1p(x);
  for (let i = 0; i < 100; i++) {
    const ew = Math.exp(w);
    const f = w * ew - x;
    const step = f / (ew * (w + 1) - ((w + 2) * f) / (2 * w + 2));
    w -= step;
    if (Math.abs(step) <= 1e-15 * (1 + Math.abs(w))) break;
  }
  return w;
}

function checkSpareFactor(spareFactor: number): number {
  if (!(spareFactor > 0 && spareFactor < 1)) throw new RangeError(`spare factor must be in (0, 1) (got ${spareFactor})`);
  return 1 - spareFactor;
}

/** FIFO (LRW) write amplification for spare factor S_f. */
export function fifoWriteAmplification(spareFactor: number): number {
  const rho = checkSpareFactor(spareFactor);
  const u = -rho * lambertW0((-1 / rho) * Math.exp(-1 / rho));
  return 1 / (1 - u);
}

/** Greedy write amplification for spare factor S_f and b pages per block (mean-field limit). */
export function greedyWriteAmplification(spareFactor: number, pagesPerBlock: number): number {
  const rho = checkSpareFactor(spareFactor);
  const b = pagesPerBlock;
  if (!Number.isInteger(b) || b < 1) throw new RangeError(`pages per block must be an integer >= 1 (got ${b})`);
  const target = 1 / (rho * b);
  // H_b − H_k for k = b−1 down to 0, accumulated as k falls.
  let tail = 0;
  for (let k = b - 1; k >= 0; k--) {
    tail += 1 / (k + 1);
    // r = (1 − kμ)/(b − k); target = tail (1 − kμ)/(b − k) + μ  ⇒  μ (1 − k·tail/(b − k)) = target − tail/(b − k)
    const slope = 1 - (k * tail) / (b - k);
    const rest = target - tail / (b - k);
    const mu = k === 0 ? (rest >= 0 ? rest : -1) : slope === 0 ? -1 : rest / slope;
    const r = (1 - k * mu) / (b - k);
    if (mu >= 0 && (k === 0 || mu <= r / k + 1e-15)) return b * r;
  }
  throw new Error(`no greedy fixed point for spare factor ${spareFactor} and ${b} pages per block`);
}
