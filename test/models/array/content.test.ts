/**
 * Content tracking, for byte-for-byte checks of copies. Reference: a plain model written here,
 * one label per block in ordinary arrays ("never written", or which write and which block of it),
 * updated by the obvious rules: a write labels its blocks anew, a copy assigns the source's labels
 * to the target range. After any sequence of writes and copies (offloaded, host-mediated or
 * auto, on one array or across a link) run through the simulator, two blocks must hold the same
 * content id exactly when the reference gives them the same label, and each copy's target range
 * must equal its source range when it completes.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { IoOp } from '../../../sim/models/block/io-request.ts';
import { ContentMap, ContentStamper } from '../../../sim/models/array/content-map.ts';
import { CopyJob, type CopyMode } from '../../../sim/models/array/copy-job.ts';
import { linkArrays } from '../../../sim/models/array/replication-link.ts';
import { LoggingRequester, world } from './harness.ts';

const BLOCK = 4096;
const BLOCKS = 48;

type Step =
  | { kind: 'write'; volume: 0 | 1; first: number; count: number }
  | { kind: 'copy'; from: 0 | 1; to: 0 | 1; first: number; toFirst: number; count: number; mode: CopyMode; segmentBlocks: number; outstanding: number };

const range = fc.integer({ min: 1, max: BLOCKS }).chain((count) =>
  fc.record({ count: fc.constant(count), first: fc.integer({ min: 0, max: BLOCKS - count }), toFirst: fc.integer({ min: 0, max: BLOCKS - count }) }),
);

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ volume: fc.constantFrom<0 | 1>(0, 1), r: range }).map(({ volume, r }) => ({ kind: 'write' as const, volume, first: r.first, count: r.count })),
  fc
    .record({
      from: fc.constantFrom<0 | 1>(0, 1),
      other: fc.boolean(),
      r: range,
      mode: fc.constantFrom<CopyMode>('auto', 'offload', 'host'),
      segmentBlocks: fc.integer({ min: 1, max: 9 }),
      outstanding: fc.integer({ min: 1, max: 5 }),
    })
    .map(({ from, other, r, mode, segmentBlocks, outstanding }) => ({
      kind: 'copy' as const,
      from,
      to: (other ? 1 - from : from) as 0 | 1,
      first: r.first,
      toFirst: r.toFirst,
      count: r.count,
      mode,
      segmentBlocks,
      outstanding,
    })),
);

function overlaps(s: Extract<Step, { kind: 'copy' }>): boolean {
  return s.from === s.to && s.first < s.toFirst + s.count && s.toFirst < s.first + s.count;
}

function runSequence(steps: Step[], layout: 'one-array' | 'linked' | 'unlinked', xcopyEnabled: boolean): void {
  const w = world();
  const a = w.array('a', { xcopy: { enabled: xcopyEnabled } });
  const b = layout === 'one-array' ? a : w.array('b', { xcopy: { enabled: xcopyEnabled } });
  if (layout === 'linked') linkArrays(w.env, a, b, { bandwidthBytesPerS: 1e9 }, w.metrics);
  const volumes = [a.addVolume('v0', { capacityBytes: BLOCKS * BLOCK, contentBlockBytes: BLOCK }), b.addVolume('v1', { capacityBytes: BLOCKS * BLOCK, contentBlockBytes: BLOCK })];
  const reference: string[][] = [Array(BLOCKS).fill('zero'), Array(BLOCKS).fill('zero')];
  const host = new LoggingRequester(w.env);
  steps.forEach((s, i) => {
    if (s.kind === 'write') {
      host.submit(volumes[s.volume]!, IoOp.Write, s.first * BLOCK, s.count * BLOCK);
      w.env.run();
      for (let k = 0; k < s.count; k++) reference[s.volume]![s.first + k] = `w${i}:${k}`;
      return;
    }
    if (overlaps(s)) return;
    const job = new CopyJob(w.env, {
      source: volumes[s.from]!,
      target: volumes[s.to]!,
      sourceOffsetBytes: s.first * BLOCK,
      targetOffsetBytes: s.toFirst * BLOCK,
      lengthBytes: s.count * BLOCK,
      mode: s.mode,
      segmentBytes: s.segmentBlocks * BLOCK,
      maxOutstandingSegments: s.outstanding,
    }).start();
    w.env.run();
    const offloadPossible = xcopyEnabled && (layout !== 'unlinked' || s.from === s.to);
    if (s.mode === 'offload' && !offloadPossible) {
      assert.is(job.state, 'failed');
      return; // refused before any segment ran: nothing copied
    }
    assert.is(job.state, 'ok', job.failure);
    const copied = reference[s.from]!.slice(s.first, s.first + s.count);
    for (let k = 0; k < s.count; k++) reference[s.to]![s.toFirst + k] = copied[k]!;
    assert.ok(
      volumes[s.to]!.content!.equalRange(s.toFirst * BLOCK, volumes[s.from]!.content!, s.first * BLOCK, s.count * BLOCK),
      `step ${i}: target range differs from the source range`,
    );
  });
  assert.is(host.log.filter((c) => !c.ok).length, 0);
  // Same id exactly when the reference has the same label: a bijection between ids and labels.
  const idOf = new Map<string, number>();
  const labelOf = new Map<number, string>();
  for (let v = 0; v < 2; v++) {
    for (let b2 = 0; b2 < BLOCKS; b2++) {
      const label = reference[v]![b2]!;
      const id = volumes[v]!.content!.ids[b2]!;
      if (label === 'zero') assert.is(id, 0, `v${v} block ${b2} never written`);
      if (!idOf.has(label)) idOf.set(label, id);
      if (!labelOf.has(id)) labelOf.set(id, label);
      assert.is(idOf.get(label), id, `v${v} block ${b2}: label ${label}`);
      assert.is(labelOf.get(id), label, `v${v} block ${b2}: id ${id}`);
    }
  }
}

test('property: after random writes and copies the content ids match a plain reference model, block for block', () => {
  fc.assert(
    fc.property(
      fc.array(step, { minLength: 1, maxLength: 14 }),
      fc.constantFrom<'one-array' | 'linked' | 'unlinked'>('one-array', 'linked', 'unlinked'),
      fc.boolean(),
      (steps, layout, xcopy) => runSequence(steps, layout, xcopy),
    ),
    { numRuns: 150, seed: 3 },
  );
});

test('a block only partly written or copied gets fresh content (neither old nor new); a trim zeroes whole blocks', () => {
  const stamper = new ContentStamper();
  const map = new ContentMap(8 * BLOCK, BLOCK, stamper);
  map.write(0, 8 * BLOCK);
  const before = map.ids.slice();
  map.write(BLOCK + 512, 512);
  assert.ok(map.ids[1] !== before[1] && map.ids[1]! > before[7]!, 'partial write: fresh id');
  map.trim(2 * BLOCK + 512, 2 * BLOCK);
  assert.ok(map.ids[2] !== 0 && map.ids[2] !== before[2], 'partly trimmed block: fresh id');
  assert.is(map.ids[3], 0, 'wholly trimmed block: zeroes');
  const other = new ContentMap(8 * BLOCK, BLOCK, stamper);
  other.copyIn(map.ids, 0, BLOCK, 512, 0, 2 * BLOCK); // shifted by half a sector of a block: not expressible
  assert.ok(other.ids[0] !== map.ids[0] && other.ids[0] !== map.ids[1] && other.ids[0] !== 0);
  other.copyIn(map.ids, 0, BLOCK, 4 * BLOCK, 0, 2 * BLOCK);
  assert.equal([other.ids[0], other.ids[1]], [map.ids[4], map.ids[5]]);
});

test.run();
