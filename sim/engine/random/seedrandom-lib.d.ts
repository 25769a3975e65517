/**
 * Types for the seedrandom generator subpath used by the random streams.
 * @types/seedrandom only describes the package root (ARC4), not `lib/*.js`.
 */
declare module 'seedrandom/lib/xor128.js' {
  /** The four 32-bit words of Marsaglia's xorshift128 state (signed int32 values). */
  interface Xor128State {
    x: number;
    y: number;
    z: number;
    w: number;
  }

  /** A seeded xor128 generator: each call returns a uniform in [0,1) with 32-bit resolution. */
  interface Xor128Prng {
    (): number;
    /** Uniform in (0,1) with 53-bit resolution (consumes two outputs). */
    double(): number;
    /** Raw signed 32-bit output. */
    int32(): number;
    quick(): number;
    /** Present only when created with `{ state: true }` or a state object. */
    state(): Xor128State;
  }

  /**
   * Create a generator. A string seed is mixed into the state; `state: true` enables
   * `prng.state()`; a state object restores that exact state (after seeding).
   */
  function xor128(seed?: string | number, options?: { state?: boolean | Xor128State }): Xor128Prng;

  export = xor128;
}
