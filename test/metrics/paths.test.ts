import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertMetricPath, compilePathSelector, isMetricPath, outputName } from '../../sim/metrics/paths.ts';
import { resolveUnit, toDisplay } from '../../sim/metrics/units.ts';

test('metric paths are [a-z0-9_-] segments separated by "/"', () => {
  for (const good of ['a', 'server/queue_length', 'raid-1/disk_3/busy', '0/1']) assert.ok(isMetricPath(good), good);
  for (const bad of ['', 'A', 'a/', '/a', 'a//b', 'a b', 'a.b', 'ü', 'a/*']) assert.not.ok(isMetricPath(bad), bad);
  assert.throws(() => assertMetricPath('Server'), /Invalid metric path "Server": expected one or more segments/);
});

test('output names join path, statistic and unit label with "_", skipping empty parts', () => {
  assert.is(outputName('server/response_time', 'p99', 's'), 'server/response_time_p99_s');
  assert.is(outputName('server/queue_length', 'mean', ''), 'server/queue_length_mean');
  assert.is(outputName('ssd0/host_writes', '', 'B'), 'ssd0/host_writes_B');
  assert.is(outputName('server/completed', '', ''), 'server/completed');
});

test('a pattern selects the paths it matches and everything below them', () => {
  const select = compilePathSelector(['ssd0']);
  assert.ok(select('ssd0'));
  assert.ok(select('ssd0/host_writes'));
  assert.ok(select('ssd0/a/b'));
  assert.not.ok(select('ssd01/host_writes'));
  assert.not.ok(select('x/ssd0'));
});

test('"*" matches within one segment and "**" across segments', () => {
  const star = compilePathSelector(['server/*_time']);
  assert.ok(star('server/response_time'));
  assert.not.ok(star('server/x/response_time'));
  assert.not.ok(star('server/response_time_x'));
  const deep = compilePathSelector(['**/queue_length']);
  assert.ok(deep('server/queue_length'));
  assert.ok(deep('a/b/c/queue_length'));
  assert.not.ok(deep('queue_length'));
  const prefix = compilePathSelector(['ssd*']);
  assert.ok(prefix('ssd1/host_writes'));
  assert.not.ok(prefix('hdd1/host_writes'));
});

test('several patterns select the union; none selects nothing; malformed patterns throw', () => {
  const both = compilePathSelector(['a', 'b/c']);
  assert.ok(both('a/x') && both('b/c') && !both('b/d'));
  assert.not.ok(compilePathSelector([])('a'));
  assert.throws(() => compilePathSelector(['a/']), /Invalid metric path pattern "a\/"/);
  assert.throws(() => compilePathSelector(['a.b']), /Invalid metric path pattern/);
});

test('display units: time units divide exactly, explicit scales multiply, none is identity', () => {
  assert.is(toDisplay(resolveUnit({ unit: 's' }), 1_500_000_000), 1.5);
  assert.is(toDisplay(resolveUnit({ unit: 'us' }), 2_500), 2.5);
  assert.is(toDisplay(resolveUnit({ unit: 'B', scale: 512 }), 3), 1536);
  assert.is(toDisplay(resolveUnit(undefined), 7), 7);
  assert.equal(resolveUnit({ unit: 'ms' }), { label: 'ms', multiplier: 1, divisor: 1e6 });
});

test.run();
