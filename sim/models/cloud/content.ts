/**
 * The content model of cloud objects: what bytes an object holds, described without storing
 * them. Content is a list of extents, each `length` bytes taken from a named source starting
 * at `offset` ("bytes 0..4 MiB of volume v1 as of write 17"). Two contents are equal when
 * they describe the same bytes in the same order, whatever the extent boundaries: comparing
 * normalized extent lists is a byte-for-byte comparison of what the bytes would be.
 *
 * Sources are the caller's names. The source `ZERO_SOURCE` ('') means zero bytes (a chunk
 * never written); its offsets are ignored. A PUT without a content description gets a source
 * of its own (`<store>:<etag>`), so every object is distinguishable from every other.
 *
 * Functions here never mutate their arguments; they return new arrays (content is per
 * request, not per IO, so the allocation is acceptable).
 */

/** `length` bytes of `source` from `offset`. */
export interface Extent {
  readonly length: number;
  readonly source: string;
  readonly offset: number;
}

/** An object's (or a part's, or a range's) bytes, in order. */
export type Content = readonly Extent[];

/** The source name of zero-filled bytes. */
export const ZERO_SOURCE = '';

/** One extent of `length` bytes of `source` from `offset` (default 0). */
export function extentOf(source: string, length: number, offset = 0): Content {
  return length > 0 ? [{ length, source, offset: source === ZERO_SOURCE ? 0 : offset }] : [];
}

/** `length` zero bytes. */
export function zeroContent(length: number): Content {
  return extentOf(ZERO_SOURCE, length);
}

/** Total bytes described. */
export function contentLength(content: Content): number {
  let total = 0;
  for (const e of content) total += e.length;
  return total;
}

/** The same bytes with empty extents dropped and contiguous extents of one source merged. */
export function normalizeContent(content: Content): Extent[] {
  const out: Extent[] = [];
  for (const e of content) {
    if (e.length <= 0) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last.source === e.source && (e.source === ZERO_SOURCE || last.offset + last.length === e.offset)) {
      out[out.length - 1] = { length: last.length + e.length, source: last.source, offset: last.offset };
    } else {
      out.push(e.source === ZERO_SOURCE && e.offset !== 0 ? { length: e.length, source: ZERO_SOURCE, offset: 0 } : e);
    }
  }
  return out;
}

/**
 * Bytes [offset, offset + length) of `content`.
 * @throws RangeError when the range is not inside the content.
 */
export function sliceContent(content: Content, offset: number, length: number): Extent[] {
  const total = contentLength(content);
  if (!(offset >= 0 && length >= 0 && offset + length <= total)) {
    throw new RangeError(`range [${offset}, ${offset + length}) is outside content of ${total} bytes`);
  }
  const out: Extent[] = [];
  let position = 0;
  const end = offset + length;
  for (const e of content) {
    const from = Math.max(offset, position);
    const to = Math.min(end, position + e.length);
    if (from < to) {
      const skip = from - position;
      out.push({ length: to - from, source: e.source, offset: e.source === ZERO_SOURCE ? 0 : e.offset + skip });
    }
    position += e.length;
    if (position >= end) break;
  }
  return normalizeContent(out);
}

/** The contents one after another. */
export function concatContent(parts: readonly Content[]): Extent[] {
  const out: Extent[] = [];
  for (const part of parts) for (const e of part) out.push(e);
  return normalizeContent(out);
}

/** True when both describe the same bytes (byte-for-byte equality of what they describe). */
export function sameContent(a: Content, b: Content): boolean {
  return firstDifference(a, b) === -1;
}

/**
 * The first byte offset at which `a` and `b` differ (a length difference counts at the end of
 * the shorter one), or -1 when they are equal.
 */
export function firstDifference(a: Content, b: Content): number {
  const x = normalizeContent(a);
  const y = normalizeContent(b);
  // Normalized lists are canonical (maximal runs), but walking them piecewise also yields the
  // offset of the first differing byte, which is what a checker wants to report.
  let i = 0;
  let j = 0;
  let ix = 0; // bytes consumed of x[i]
  let jy = 0;
  let position = 0;
  while (i < x.length && j < y.length) {
    const ex = x[i]!;
    const ey = y[j]!;
    const sameSource = ex.source === ey.source && (ex.source === ZERO_SOURCE || ex.offset + ix === ey.offset + jy);
    if (!sameSource) return position;
    const step = Math.min(ex.length - ix, ey.length - jy);
    position += step;
    ix += step;
    jy += step;
    if (ix === ex.length) {
      i++;
      ix = 0;
    }
    if (jy === ey.length) {
      j++;
      jy = 0;
    }
  }
  return i === x.length && j === y.length ? -1 : position;
}

/** A short deterministic digest of the bytes described (equal for equal content), e.g. for an ETag. */
export function contentDigest(content: Content): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const e of normalizeContent(content)) {
    const text = `${e.source}\u0000${e.offset}\u0000${e.length}\u0001`;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

/**
 * Splits `content` into consecutive pieces of `lengths` bytes (which must add up to at most
 * its length), in one pass: linear in extents plus pieces.
 * @throws RangeError when the lengths run past the end of the content.
 */
export function splitContent(content: Content, lengths: ArrayLike<number>): Extent[][] {
  const pieces: Extent[][] = [];
  let index = 0; // extent
  let used = 0; // bytes of content[index] already handed out
  for (let p = 0; p < lengths.length; p++) {
    let want = lengths[p]!;
    const piece: Extent[] = [];
    while (want > 0) {
      const e = content[index];
      if (e === undefined) throw new RangeError('splitContent: the lengths add up to more than the content');
      const take = Math.min(want, e.length - used);
      if (take > 0) piece.push({ length: take, source: e.source, offset: e.source === ZERO_SOURCE ? 0 : e.offset + used });
      used += take;
      want -= take;
      if (used === e.length) {
        index++;
        used = 0;
      }
    }
    pieces.push(normalizeContent(piece));
  }
  return pieces;
}
