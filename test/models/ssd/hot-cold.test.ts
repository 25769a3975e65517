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
const wa = (policy: string) => Number(runs.find((r) => r['policy.gc-victim'] === policy)!['ssd/write_amplification']);

test('hot/cold example: cost-benefit writes less than greedy, and greedy less than FIFO and random', () => {
  assert.is(runs.length, 5);
  assert.ok(wa('cost-benefit') < 0.9 * wa('greedy'), `cost-benefit ${wa('cost-benefit')} vs greedy ${wa('greedy')}`);
  assert.ok(wa('greedy') < wa('fifo'));
  assert.ok(wa('fifo') < wa('random'));
});

test('uniform writes: greedy beats cost-benefit, FIFO and random (Yang, Misra and Rubenstein 2015: greedy is optimal here)', () => {
  const geometry = smallGeometry({ blocksPerPlane: 1024, pagesPerBlock: 32 });
  const measure = (policy: string) => uniformWriteAmplification(makeFtl(policy, { geometry, spareFactor: 0.15 }), 150_000, 100_000);
  const greedy = measure('greedy');
  for (const other of ['cost-benefit', 'fifo', 'random']) assert.ok(greedy < measure(other), other);
});

test.run();
