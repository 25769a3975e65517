/** Conversions between the engine's integer nanoseconds and human units. */
export const NS_PER_US = 1e3;
export const NS_PER_MS = 1e6;
export const NS_PER_S = 1e9;

/** Seconds (possibly fractional) to integer nanoseconds. */
export function secondsToNs(seconds: number): number {
  return Math.round(seconds * NS_PER_S);
}

/** Integer nanoseconds to seconds. */
export function nsToSeconds(ns: number): number {
  return ns / NS_PER_S;
}
