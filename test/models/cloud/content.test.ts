/**
 * The content model against a byte-level reference: every content description is expanded to
 * the bytes it stands for (harness `bytesOf`), and each operation must agree with the same
 * operation done on plain byte arrays (slice, concatenation, equality).
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  concatContent, contentDigest, contentLength, extentOf, firstDifference, normalizeContent, sameContent, sliceContent,
  splitContent, zeroContent, type Content, type Extent,
} from '../../../sim/models/cloud/content.ts';
import { bytesOf } from './harness.ts';

const extent: fc.Arbitrary<Extent> = fc.record({
  length: fc.integer({ min: 0, max: 12 }),
  source: fc.constantFrom('', 'a', 'b'),
  offset: fc.integer({ min: 0, max: 20 }),
});
const content: fc.Arbitrary<Content> = fc.array(extent, { maxLength: 8 });

test('normalizing changes no byte and leaves no empty or mergeable neighbours', () => {
  fc.assert(fc.property(content, (c) => {
    const n = normalizeContent(c);
    assert.equal(bytesOf(n), bytesOf(c));
    for (let i = 0; i < n.length; i++) {
      assert.ok(n[i]!.length > 0);
      if (i > 0) {
        const [p, e] = [n[i - 1]!, n[i]!];
        assert.ok(!(p.source === e.source && (e.source === '' || p.offset + p.length === e.offset)), 'mergeable neighbours left');
      }
    }
  }));
});

test('slicing agrees with slicing the bytes', () => {
  fc.assert(fc.property(content, fc.nat(), fc.nat(), (c, x, y) => {
    const total = contentLength(c);
    const offset = total === 0 ? 0 : x % (total + 1);
    const length = (total - offset) === 0 ? 0 : y % (total - offset + 1);
    assert.equal(bytesOf(sliceContent(c, offset, length)), bytesOf(c).slice(offset, offset + length));
  }));
});

test('concatenating agrees with concatenating the bytes', () => {
  fc.assert(fc.property(fc.array(content, { maxLength: 4 }), (parts) => {
    const expected = parts.flatMap((p) => [...bytesOf(p)]);
    assert.equal([...bytesOf(concatContent(parts))], expected);
  }));
});

test('splitting into pieces and joining them again gives the same bytes, piece by piece', () => {
  fc.assert(fc.property(content, fc.array(fc.nat(), { maxLength: 5 }), (c, cuts) => {
    const total = contentLength(c);
    const lengths: number[] = [];
    let left = total;
    for (const cut of cuts) {
      const l = left === 0 ? 0 : cut % (left + 1);
      lengths.push(l);
      left -= l;
    }
    lengths.push(left);
    const pieces = splitContent(c, lengths);
    const bytes = bytesOf(c);
    let at = 0;
    pieces.forEach((piece, i) => {
      assert.equal(bytesOf(piece), bytes.slice(at, at + lengths[i]!));
      at += lengths[i]!;
    });
  }));
});

/** Exact identity of each byte: which source and offset it is (zeros are all alike). */
function byteIds(c: Content): string[] {
  const ids: string[] = [];
  for (const e of c) for (let k = 0; k < e.length; k++) ids.push(e.source === '' ? '0' : `${e.source}:${e.offset + k}`);
  return ids;
}

test('equality and the first difference agree with comparing the bytes one by one', () => {
  fc.assert(fc.property(content, content, (a, b) => {
    const ia = byteIds(a);
    const ib = byteIds(b);
    let expected = -1;
    for (let i = 0; i < Math.max(ia.length, ib.length); i++) {
      if (ia[i] !== ib[i]) {
        expected = i;
        break;
      }
    }
    assert.is(firstDifference(a, b), expected);
    assert.is(sameContent(a, b), expected === -1);
    if (expected === -1) assert.is(contentDigest(a), contentDigest(b));
  }));
});

test('the same bytes cut into extents differently are the same content', () => {
  const whole = extentOf('vol@v3', 100, 400);
  const cut = [...sliceContent(whole, 0, 30), ...sliceContent(whole, 30, 70)];
  assert.ok(sameContent(whole, cut));
  assert.is(contentDigest(whole), contentDigest(cut));
  assert.is(firstDifference(whole, extentOf('vol@v3', 100, 401)), 0);
  assert.is(firstDifference(whole, [...sliceContent(whole, 0, 50), ...extentOf('other', 50)]), 50);
  assert.is(firstDifference(zeroContent(10), [...zeroContent(4), ...zeroContent(6)]), -1);
  assert.is(firstDifference(whole, sliceContent(whole, 0, 99)), 99, 'a shorter content differs where it ends');
});

test.run();
