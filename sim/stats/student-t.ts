/**
 * Two-sided Student t critical values, for confidence intervals across replications.
 *
 * For df <= 30 the 97.5% quantiles are tabulated (Abramowitz & Stegun, Handbook of
 * Mathematical Functions, 1964, Table 26.10); other levels at integer df <= 30 invert the
 * exact distribution function (A&S eqs. 26.7.3 and 26.7.4) by bisection. Above df 30 the
 * Cornish-Fisher expansion of A&S eq. 26.7.5 around the normal quantile is used, accurate
 * to better than 1e-4 for df > 30 (it is not accurate for small df: at df 1, p 0.995 it
 * gives 40.5 instead of 63.66). Non-integer df <= 30 also use the expansion.
 */

const T975: readonly number[] = [
  NaN, 12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604, 2.1448,
  2.1314, 2.1199, 2.1098, 2.1009, 2.093, 2.086, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452,
  2.0423,
];

/** The quantile p of Student's t with `df` degrees of freedom (p in (0.5, 1)). */
export function studentTQuantile(p: number, df: number): number {
  if (!(df >= 1)) throw new RangeError(`degrees of freedom must be >= 1, got ${df}`);
  if (!(p > 0.5 && p < 1)) throw new RangeError(`p must be in (0.5, 1), got ${p}`);
  if (p === 0.975 && Number.isInteger(df) && df <= 30) return T975[df]!;
  if (Number.isInteger(df) && df <= 30) return exactQuantile(p, df);
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = (z2 + 1) * z / 4;
  const g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  const g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/**
 * P(|T| <= t) for integer df, as a function of theta = atan(t / sqrt(df)):
 * A&S eq. 26.7.3 (odd df) and 26.7.4 (even df), finite sums.
 */
function centralProbability(theta: number, df: number): number {
  const c2 = Math.cos(theta) ** 2;
  if (df % 2 === 0) {
    let term = 1;
    let sum = 1;
    for (let k = 2; k <= df - 2; k += 2) sum += term *= (c2 * (k - 1)) / k;
    return Math.sin(theta) * sum;
  }
  let term = Math.cos(theta);
  let sum = df === 1 ? 0 : term;
  for (let k = 3; k <= df - 2; k += 2) sum += term *= (c2 * (k - 1)) / k;
  return (2 / Math.PI) * (theta + Math.sin(theta) * sum);
}

/** The quantile p (> 0.5) of t with integer df, by bisection on theta in [0, pi/2). */
function exactQuantile(p: number, df: number): number {
  const target = 2 * p - 1;
  let low = 0;
  let high = Math.PI / 2;
  for (let i = 0; i < 200 && high - low > 0; i++) {
    const mid = (low + high) / 2;
    if (mid === low || mid === high) break;
    if (centralProbability(mid, df) < target) low = mid;
    else high = mid;
  }
  return Math.sqrt(df) * Math.tan((low + high) / 2);
}

/**
 * The standard normal quantile, by Acklam's rational approximation (relative error
 * below 1.15e-9), P. J. Acklam, "An algorithm for computing the inverse normal
 * cumulative distribution function", 2003.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
