/**
 * Seed derivation for named random streams: a stable string hash (cyrb53) and the
 * expansion of its 53-bit result into a full xorshift128 state.
 *
 * Everything here is part of the determinism contract: changing any constant shifts
 * every simulation result, which the golden-sequence tests are there to catch.
 */

/** 2^32, the range of one generator output word. */
const TWO_POW_32 = 0x1_0000_0000;

/**
 * cyrb53 by bryc (public domain): a fast string hash with a 53-bit result, so it fits
 * exactly in a JavaScript number. Reference values: cyrb53('a') = 7929297801672961,
 * cyrb53('') = 3338908027751811. Hashes UTF-16 code units.
 *
 * @param text the string to hash
 * @param seed optional 32-bit hash seed
 * @returns an integer in [0, 2^53)
 */
export function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return TWO_POW_32 * (2097151 & h2) + (h1 >>> 0);
}

/** MurmurHash3's 32-bit finaliser: a bijection on 32-bit words with full avalanche. */
function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** The four signed 32-bit words of an xorshift128 generator. */
export interface Xor128Words {
  x: number;
  y: number;
  z: number;
  w: number;
}

/**
 * Expand a 53-bit stream seed into a well-mixed xorshift128 state.
 *
 * x depends bijectively on the low 32 bits and y on the high 21 bits, so distinct seeds
 * always give distinct states; z and w mix both halves. y is never 0 (the high part is
 * below 2^21, so `hi ^ 0x9e3779b9` is non-zero and fmix32 maps only 0 to 0), hence the
 * forbidden all-zero state cannot occur.
 *
 * @param seed an integer in [0, 2^53)
 */
export function expandSeedToXor128(seed: number): Xor128Words {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_POW_32);
  const x = fmix32(lo);
  const y = fmix32(hi ^ 0x9e3779b9);
  const z = fmix32(x ^ Math.imul(y, 0x7feb352d) ^ 0x632be5ab);
  const w = fmix32(y ^ Math.imul(z, 0x846ca68b) ^ 0x85157af5);
  return { x, y, z, w };
}

/**
 * The seed of the stream named `path` in the run seeded `runSeed`:
 * cyrb53 of `${runSeed}\u0000${path}`. The NUL separator keeps e.g. (1, "2a") and
 * (12, "a") apart. Depends only on these two values, never on which other streams exist.
 *
 * @param runSeed the run seed, a safe integer
 * @param path the component path, e.g. "host1/vm3/workload"
 * @returns an integer in [0, 2^53)
 */
export function deriveStreamSeed(runSeed: number, path: string): number {
  if (!Number.isSafeInteger(runSeed)) {
    throw new RangeError(`random streams: run seed must be a safe integer, got ${runSeed}`);
  }
  return cyrb53(`${runSeed}\u0000${path}`);
}
