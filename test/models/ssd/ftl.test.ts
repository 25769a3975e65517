import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { assertFtlConsistent, ftlInconsistencies } from '../../../sim/checkers/ftl-consistency.ts';
import { BlockState, UNMAPPED } from '../../../sim/models/ssd/ftl.ts';
import { Geometry } from '../../../sim/models/ssd/geometry.ts';
import { wear } from '../../../sim/models/ssd/ssd.ts';
import { makeFtl, POLICY_NAMES, smallGeometry } from './ftl-harness.ts';

test('geometry: counts multiply out, and writes stripe channel first (CWDP)', () => {
  const g = new Geometry({ channels: 2, chipsPerChannel: 2, diesPerChip: 2, planesPerDie: 2, blocksPerPlane: 4, pagesPerBlock: 8, pageBytes: 4096 });
  assert.is(g.dies, 8);
  assert.is(g.planes, 16);
  assert.is(g.pages, 16 * 4 * 8);
  assert.is(g.rawBytes, 16 * 4 * 8 * 4096);
  const order = [...g.stripeOrder()];
  assert.is(new Set(order).size, 16, 'every plane once');
  // Consecutive writes go to channel 0, then channel 1, before any second chip/die/plane.
  const channelOf = (plane: number) => g.channelOfDie(g.dieOfPlane(plane));
  assert.equal(order.slice(0, 4).map(channelOf), [0, 1, 0, 1]);
  assert.equal(order.slice(0, 2).map((p) => g.dieOfPlane(p)), [0, 4]);
  assert.is(g.planeOfBlock(5), 1);
  assert.throws(() => new Geometry({ channels: 0, chipsPerChannel: 1, diesPerChip: 1, planesPerDie: 1, blocksPerPlane: 4, pagesPerBlock: 8, pageBytes: 4096 }), /channels must be an integer >= 1/);
});

test('logical capacity is the physical pages less the spare factor; bad spare factors and thresholds are refused', () => {
  const ftl = makeFtl('greedy', { spareFactor: 0.25 });
  assert.is(ftl.logicalPages, 32 * 8 * 0.75);
  assert.is(ftl.logicalBytes, 192 * 4096);
  assert.throws(() => makeFtl('greedy', { spareFactor: 0 }), /spareFactor must be in \(0, 1\)/);
  assert.throws(() => makeFtl('greedy', { threshold: 1 }), /gcThresholdBlocks must be an integer >= 2/);
  assert.throws(() => makeFtl('greedy', { spareFactor: 0.05 }), /leaves 13 spare pages, not more than the 32 that open and reserved blocks need/);
});

test('a write maps the page, a rewrite invalidates the old copy, a trim unmaps it', () => {
  const ftl = makeFtl('greedy');
  const first = ftl.writeHost(7, 0);
  assert.is(ftl.l2p[7], first);
  assert.is(ftl.p2l[first], 7);
  const second = ftl.writeHost(7, 0);
  assert.is.not(second, first);
  assert.is(ftl.l2p[7], second);
  assert.is(ftl.validCount[Math.floor(first / 8)], 1, 'one live page (the new copy) in the open block');
  ftl.trim(7);
  assert.is(ftl.l2p[7], UNMAPPED);
  assert.is(ftl.counters.trims, 1);
  ftl.trim(7);
  assert.is(ftl.counters.trims, 1, 'trimming an unmapped page does nothing');
  assertFtlConsistent(ftl);
});

test('the consistency checker reports a corrupted mapping', () => {
  const ftl = makeFtl('greedy');
  ftl.writeHost(1, 0);
  ftl.writeHost(2, 0);
  ftl.l2p[2] = ftl.l2p[1]!;
  const problems = ftlInconsistencies(ftl);
  assert.ok(problems.some((p) => /logical page 2 maps to flash page 0, whose out-of-band record names logical page 1/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /flash page 0 is mapped twice/.test(p)));
  assert.ok(problems.some((p) => /block 0 counts 2 valid pages but 2/.test(p)) === false);
  assert.throws(() => assertFtlConsistent(ftl), /FTL mapping inconsistent/);
});

for (const policy of POLICY_NAMES) {
  test(`${policy}: the mapping stays consistent through GC and no live page is lost (random writes and trims)`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ lpn: fc.nat(150), trim: fc.boolean() }), { minLength: 200, maxLength: 2500 }),
        fc.constantFrom(1, 2, 4),
        (ops, planes) => {
          const geometry = smallGeometry({ planesPerDie: planes, blocksPerPlane: 64 / planes });
          const ftl = makeFtl(policy, { geometry, spareFactor: 0.3 });
          const live = new Set<number>();
          for (const { lpn, trim } of ops) {
            if (trim && lpn % 5 === 0) {
              ftl.trim(lpn);
              live.delete(lpn);
            } else {
              ftl.writeHost(lpn, ftl.nextHostPlane());
              live.add(lpn);
            }
          }
          assert.equal(ftlInconsistencies(ftl), []);
          for (let lpn = 0; lpn < ftl.logicalPages; lpn++) assert.is(ftl.l2p[lpn] !== UNMAPPED, live.has(lpn), `page ${lpn}`);
          for (let b = 0; b < ftl.geometry.blocks; b++) {
            if (ftl.blockState[b] === BlockState.Free) assert.is(ftl.validCount[b], 0);
          }
          const { erases } = ftl.counters;
          let sum = 0;
          for (const e of ftl.eraseCount) sum += e;
          assert.is(sum, erases, 'erase counts add up to the erases counted');
        },
      ),
      { numRuns: 25 },
    );
  });
}

test('NAND writes = host writes + GC relocations, and GC only moves valid pages', () => {
  const ftl = makeFtl('greedy');
  let moved = 0;
  ftl.gcObserver = {
    relocated(from, to) {
      assert.is(ftl.p2l[to], ftl.p2l[from], 'the page keeps its logical address');
      assert.is(ftl.l2p[ftl.p2l[to]!], to);
      moved++;
    },
    erased(block) {
      assert.is(ftl.validCount[block], 0);
    },
  };
  for (let i = 0; i < 3000; i++) ftl.writeHost((i * 37) % ftl.logicalPages, 0);
  assert.is(ftl.counters.hostPageWrites, 3000);
  assert.is(ftl.counters.gcPageWrites, moved);
  assert.ok(ftl.counters.erases > 0);
});

test('wear: erase counts min / mean / max', () => {
  assert.equal(wear(Uint32Array.from([3, 1, 2, 6])), { min: 1, mean: 3, max: 6 });
});

test.run();
