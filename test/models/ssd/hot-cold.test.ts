// Under hot/cold writes, theory says cost-benefit cleaning beats greedy (Rosenblum and Ousterhout,
// "The design and implementation of a log-structured file system", ACM TOCS 10(1), 1992, §3.5-3.6),
// while greedy is the best policy for uniform writes. The example scenario's output (which the
// golden test proves byte for byte is what the simulator produces) must show both.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { csvParse } from 'd3-dsv';
import { readFileSync } from 'node:fs';
import { makeFtl, smallGeometry, uniformWriteAmplification } from './ftl-harness.ts';

const runs = csvParse(readFileSync(new URL('../../golden/expected/ssd-gc-policies/runs.csv', import.meta.url), 'utf8'));
/** Write amplification of `policy` on each seed, in seed order. */
const wa = (policy: string) =>
  runs.filter((r) => r['policy.gc-victim'] === policy).sort((a, b) => Number(a.seed) - Number(b.seed)).map((r) => Number(r['ssd/write_amplification']));

test('hot/cold example: on every seed, cost-benefit writes less than greedy, and greedy less than FIFO and random', () => {
  assert.is(runs.length, 15, 'five policies, three seeds each');
  const [greedy, costBenefit, fifo, random] = [wa('greedy'), wa('cost-benefit'), wa('fifo'), wa('random')];
  assert.is(greedy.length, 3);
  for (let seed = 0; seed < 3; seed++) {
    assert.ok(costBenefit[seed]! < 0.9 * greedy[seed]!, `seed ${seed}: cost-benefit ${costBenefit[seed]} vs greedy ${greedy[seed]}`);
    assert.ok(greedy[seed]! < fifo[seed]!);
    assert.ok(fifo[seed]! < random[seed]!);
  }
});

test('uniform writes: greedy beats cost-benefit, FIFO and random (Yang, Misra and Rubenstein 2015: greedy is optimal here)', () => {
  const geometry = smallGeometry({ blocksPerPlane: 1024, pagesPerBlock: 32 });
  const measure = (policy: string) => uniformWriteAmplification(makeFtl(policy, { geometry, spareFactor: 0.15 }), 150_000, 100_000);
  const greedy = measure('greedy');
  for (const other of ['cost-benefit', 'fifo', 'random']) assert.ok(greedy < measure(other), other);
});

test.run();
