import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fifoWriteAmplification, greedyWriteAmplification, lambertW0 } from '../../sim/validation/write-amplification.ts';
import { makeFtl, smallGeometry, uniformWriteAmplification } from '../models/ssd/ftl-harness.ts';

test('lambertW0 inverts w e^w on [-1/e, inf)', () => {
  for (const w of [-1, -0.999, -0.5, -0.1, 0, 0.3, 1, 5, 20]) {
    const x = w * Math.exp(w);
    assert.ok(Math.abs(lambertW0(x) - w) < 1e-9 * (1 + Math.abs(w)), `W(${x}) = ${lambertW0(x)}, expected ${w}`);
  }
  assert.ok(Math.abs(lambertW0(Math.E) - 1) < 1e-15, 'W(e) = 1');
  assert.throws(() => lambertW0(-0.5), /defined for x >= -1\/e/);
});

test('FIFO reproduces Xiang and Kurkoski\'s published value: WA 2.36 at over-provisioning (T - U)/U = 0.3', () => {
  const spareFactor = 0.3 / 1.3; // (T - U)/T
  assert.is(Math.round(fifoWriteAmplification(spareFactor) * 100) / 100, 2.36);
  // and its defining equation holds: u = exp(-(1 - u)/rho) with WA = 1/(1 - u)
  for (const sf of [0.07, 0.1, 0.2, 0.3, 0.5]) {
    const u = 1 - 1 / fifoWriteAmplification(sf);
    assert.ok(Math.abs(u - Math.exp(-(1 - u) / (1 - sf))) < 1e-12, `sf ${sf}`);
    assert.ok(u > 0 && u < 1);
  }
});

test('greedy: one page per block never relocates; more pages per block tend to the FIFO value (Desnoyers)', () => {
  assert.ok(Math.abs(greedyWriteAmplification(0.2, 1) - 1) < 1e-12);
  for (const sf of [0.07, 0.1, 0.3]) {
    let previous = 1;
    for (const b of [2, 8, 32, 128, 512]) {
      const wa = greedyWriteAmplification(sf, b);
      assert.ok(wa > previous, `greedy WA rises with b (sf ${sf}, b ${b})`);
      assert.ok(wa < fifoWriteAmplification(sf), 'greedy beats FIFO for uniform writes');
      previous = wa;
    }
    const limit = greedyWriteAmplification(sf, 20000);
    assert.ok(Math.abs(limit - fifoWriteAmplification(sf)) / fifoWriteAmplification(sf) < 0.005, `sf ${sf}: ${limit}`);
  }
  assert.throws(() => greedyWriteAmplification(0, 32), /spare factor must be in \(0, 1\)/);
  assert.throws(() => greedyWriteAmplification(0.1, 0), /pages per block/);
});

test('the FTL in fast mode lands within 3% of both references on a small device (the full check is `storsim validation`)', () => {
  const geometry = smallGeometry({ blocksPerPlane: 2048, pagesPerBlock: 16 });
  const greedy = uniformWriteAmplification(makeFtl('greedy', { geometry, spareFactor: 0.2 }), 200_000, 100_000);
  const greedyReference = greedyWriteAmplification(0.2, 16);
  assert.ok(Math.abs(greedy - greedyReference) / greedyReference < 0.03, `greedy ${greedy} vs ${greedyReference}`);
  const fifo = uniformWriteAmplification(makeFtl('fifo', { geometry, spareFactor: 0.2 }), 200_000, 100_000);
  const fifoReference = fifoWriteAmplification(0.2);
  assert.ok(Math.abs(fifo - fifoReference) / fifoReference < 0.03, `fifo ${fifo} vs ${fifoReference}`);
});

test.run();
