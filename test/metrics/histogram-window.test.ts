import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LatencyHistogram } from '../../sim/metrics/histogram.ts';
import { HistogramWindow, readHistogramStat } from '../../sim/metrics/histogram-window.ts';

test('a window sees only the values recorded since it opened', () => {
  const h = new LatencyHistogram();
  for (let v = 1; v <= 100; v++) h.record(1000 + v); // before the window
  const w = new HistogramWindow(h);
  assert.is(w.count, 0);
  assert.ok(Number.isNaN(w.mean));
  assert.ok(Number.isNaN(w.quantile(0.99)));
  for (const v of [10, 20, 30, 40]) h.record(v);
  assert.is(w.count, 4);
  assert.is(w.mean, 25);
  assert.is(w.quantile(0.5), 20);
  assert.is(w.quantile(1), 40);
});

test('roll() closes one interval and opens the next', () => {
  const h = new LatencyHistogram();
  const w = new HistogramWindow(h);
  for (const v of [1, 2, 3]) h.record(v);
  assert.is(w.count, 3);
  w.roll();
  h.record(100);
  h.record(50);
  assert.is(w.count, 2);
  assert.is(w.mean, 75);
  assert.is(w.quantile(0), 50);
  assert.is(w.max, 100);
  w.roll();
  assert.is(w.count, 0);
});

test('interval quantiles keep the histogram bound: bucket lower bound, never above the value', () => {
  const h = new LatencyHistogram();
  const w = new HistogramWindow(h);
  h.record(1); // keeps the histogram min below the interval values
  w.roll();
  for (let i = 0; i < 99; i++) h.record(1000);
  h.record(1_000_001);
  const p100 = w.quantile(1);
  assert.ok(p100 <= 1_000_001 && 1_000_001 - p100 < 1_000_001 * 2 ** -7);
  assert.is(w.quantile(0.5), 1000);
});

test('after a histogram reset the window covers the values recorded since the reset', () => {
  const h = new LatencyHistogram();
  const w = new HistogramWindow(h);
  for (const v of [5, 6, 7]) h.record(v);
  h.reset();
  h.record(9);
  assert.is(w.count, 1);
  assert.is(w.mean, 9);
  w.roll();
  h.record(11);
  assert.is(w.count, 1);
  assert.is(w.quantile(0.5), 11);
});

test('readHistogramStat() names the statistics: count, mean, p50..p999, max', () => {
  const h = new LatencyHistogram();
  for (let v = 1; v <= 1000; v++) h.record(v % 200);
  assert.is(readHistogramStat(h, 'count'), 1000);
  assert.is(readHistogramStat(h, 'mean'), h.mean);
  assert.is(readHistogramStat(h, 'p50'), h.quantile(0.5));
  assert.is(readHistogramStat(h, 'p95'), h.quantile(0.95));
  assert.is(readHistogramStat(h, 'p99'), h.quantile(0.99));
  assert.is(readHistogramStat(h, 'p999'), h.quantile(0.999));
  assert.is(readHistogramStat(h, 'max'), 199);
});

test.run();
