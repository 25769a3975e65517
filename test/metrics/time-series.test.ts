import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TimeSeriesSampler, type SampleSource } from '../../sim/metrics/time-series.ts';
import { FakeScheduler } from './fakes.ts';

/** A source that reports, per series, the interval start and a fixed offset: easy to check. */
function intervalStartSource(names: string[]): SampleSource & { begins: number[] } {
  let start = NaN;
  const begins: number[] = [];
  return {
    names,
    begins,
    begin(now) {
      start = now;
      begins.push(now);
    },
    sample(now, out) {
      for (let i = 0; i < names.length; i++) out[i] = start * 10 + i;
      start = now;
    },
  };
}

test('samples are taken every interval from the start time, one row per series, in fixed order', () => {
  const s = new FakeScheduler();
  s.now = 5;
  const sampler = new TimeSeriesSampler();
  sampler.add(intervalStartSource(['a/x', 'a/y']));
  sampler.add(intervalStartSource(['b']));
  sampler.start(s, 10);
  s.runUntil(35);
  assert.equal(sampler.rows(), [
    { timeNs: 15, metric: 'a/x', value: 50 },
    { timeNs: 15, metric: 'a/y', value: 51 },
    { timeNs: 15, metric: 'b', value: 50 },
    { timeNs: 25, metric: 'a/x', value: 150 },
    { timeNs: 25, metric: 'a/y', value: 151 },
    { timeNs: 25, metric: 'b', value: 150 },
    { timeNs: 35, metric: 'a/x', value: 250 },
    { timeNs: 35, metric: 'a/y', value: 251 },
    { timeNs: 35, metric: 'b', value: 250 },
  ]);
  assert.is(sampler.rowCount, 9);
  assert.equal(sampler.seriesNames, ['a/x', 'a/y', 'b']);
});

test('columns() holds the same rows compactly', () => {
  const s = new FakeScheduler();
  const sampler = new TimeSeriesSampler();
  sampler.add(intervalStartSource(['m', 'n']));
  sampler.start(s, 4);
  s.runUntil(8);
  const c = sampler.columns();
  assert.equal(Array.from(c.timeNs), [4, 4, 8, 8]);
  assert.equal(Array.from(c.series), [0, 1, 0, 1]);
  assert.equal(Array.from(c.value), [0, 1, 40, 41]);
  assert.equal(c.names, ['m', 'n']);
});

test('storage grows past its initial capacity without losing rows', () => {
  const s = new FakeScheduler();
  const sampler = new TimeSeriesSampler();
  sampler.add(intervalStartSource(['a', 'b', 'c']));
  sampler.start(s, 1);
  s.runUntil(1000);
  const rows = sampler.rows();
  assert.is(rows.length, 3000);
  assert.equal(rows[2999], { timeNs: 1000, metric: 'c', value: 9992 });
});

test('stop() cancels the pending sample and keeps the rows taken', () => {
  const s = new FakeScheduler();
  const sampler = new TimeSeriesSampler();
  sampler.add(intervalStartSource(['a']));
  sampler.start(s, 10);
  s.runUntil(25);
  sampler.stop();
  assert.not.ok(sampler.running);
  assert.is(s.queued, 0);
  s.runUntil(100);
  assert.equal(sampler.rows().map((r) => r.timeNs), [10, 20]);
});

test('untilNs bounds the last sample and the sampler stops rescheduling itself', () => {
  const s = new FakeScheduler();
  const sampler = new TimeSeriesSampler();
  sampler.add(intervalStartSource(['a']));
  sampler.start(s, 10, { untilNs: 30 });
  s.runUntil(1000);
  assert.equal(sampler.rows().map((r) => r.timeNs), [10, 20, 30]);
  assert.is(s.queued, 0);
  assert.not.ok(sampler.running);
});

test('a source added while running begins now and follows earlier series', () => {
  const s = new FakeScheduler();
  const sampler = new TimeSeriesSampler();
  sampler.add(intervalStartSource(['first']));
  sampler.start(s, 10);
  s.runUntil(13);
  const late = intervalStartSource(['late']);
  sampler.add(late);
  assert.equal(late.begins, [13]);
  s.runUntil(20);
  assert.equal(sampler.rows(), [
    { timeNs: 10, metric: 'first', value: 0 },
    { timeNs: 20, metric: 'first', value: 100 },
    { timeNs: 20, metric: 'late', value: 130 },
  ]);
});

test('duplicate series names, bad intervals and double starts are rejected', () => {
  const s = new FakeScheduler();
  const sampler = new TimeSeriesSampler();
  sampler.add(intervalStartSource(['a']));
  assert.throws(() => sampler.add(intervalStartSource(['b', 'a'])), /"a" is already being sampled/);
  assert.equal(sampler.seriesNames, ['a']);
  assert.throws(() => sampler.start(s, 0), /positive integer/);
  assert.throws(() => sampler.start(s, 2.5), /positive integer/);
  sampler.start(s, 10);
  assert.throws(() => sampler.start(s, 10), /already running/);
});

test('no rows before the first interval has passed', () => {
  const s = new FakeScheduler();
  const sampler = new TimeSeriesSampler();
  sampler.add(intervalStartSource(['a']));
  sampler.start(s, 10);
  s.runUntil(9);
  assert.equal(sampler.rows(), []);
});

test.run();
