import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { close, stationHarness } from './station-harness.ts';

test('one server, arrivals every second, 1.25 s of service: waits 0, 0.25, 0.5, 0.75 s as worked out by hand', () => {
  const h = stationHarness({ servers: 1 });
  for (const t of [1, 2, 3, 4]) h.arriveAt(t, 1.25);
  h.env.run();
  assert.equal(h.waitsS(), [0, 0.25, 0.5, 0.75]);
  assert.equal(h.log.starts.map((s) => s.atS), [1, 2.25, 3.5, 4.75]);
  assert.equal(h.log.departuresS, [2.25, 3.5, 4.75, 6]);
  assert.is(h.value('server/wait_time_mean_s'), 0.375);
  assert.is(h.value('server/wait_time_max_s'), 0.75);
  assert.is(h.value('server/response_time_mean_s'), 1.625);
  assert.is(h.value('server/completed'), 4);
  assert.is(h.value('server/dropped'), 0);
  assert.is(h.value('server/queue_length_max'), 1);
  assert.is(h.value('server/in_system_max'), 2);
  // time averages over [0, 6]: busy from 1 to 6; waiting 0.25 + 0.5 + 0.75 s
  close(h.value('server/utilization_mean'), 5 / 6, 'utilization');
  close(h.value('server/queue_length_mean'), 1.5 / 6, 'queue length');
  close(h.value('server/in_system_mean'), 6.5 / 6, 'in system');
});

test('a job that is served at once never counts as waiting, not even for an instant', () => {
  const h = stationHarness({ servers: 1 });
  for (const t of [1, 2, 3]) h.arriveAt(t, 0.5);
  h.env.run();
  assert.equal(h.waitsS(), [0, 0, 0]);
  assert.is(h.value('server/queue_length_max'), 0);
  assert.is(h.value('server/queue_length_mean'), 0);
  assert.is(h.value('server/in_system_max'), 1);
});

test('two servers: a job waits only when both are busy, for the first to come free', () => {
  const h = stationHarness({ servers: 2 });
  for (const t of [1, 2, 3, 4, 5]) h.arriveAt(t, 2.5);
  h.env.run();
  assert.equal(h.waitsS(), [0, 0, 0.5, 0.5, 1]);
  assert.equal(h.log.departuresS, [3.5, 4.5, 6, 7, 8.5]);
  assert.is(h.value('server/in_system_max'), 3);
  close(h.value('server/utilization_mean'), (5 * 2.5) / (2 * 8.5), 'utilization (fraction of the two servers)');
  assert.is(h.value('server/utilization_max'), 1);
});

test('queueLimit: an arrival finding every server busy and the queue full is dropped', () => {
  const h = stationHarness({ servers: 1, queueLimit: 1 });
  for (const t of [1, 2, 3, 4, 5]) h.arriveAt(t, 2.5);
  h.env.run();
  // 3 s: job 2 waits, queue full -> drop; 4 s: job 2 is in service, job 4 waits; 5 s: full -> drop
  assert.is(h.value('server/dropped'), 2);
  assert.is(h.value('server/completed'), 3);
  assert.equal(h.log.starts.map((s) => s.arrivalS), [1, 2, 4]);
  assert.equal(h.log.departuresS, [3.5, 6, 8.5]);
});

test('queueLimit 0: no job ever waits; a free server still takes an arrival', () => {
  const h = stationHarness({ servers: 2, queueLimit: 0 });
  for (const t of [1, 2, 3, 4]) h.arriveAt(t, 2.5);
  h.env.run();
  // 3 s: both busy (until 3.5 and 4.5) -> drop; 4 s: the first server is free again
  assert.is(h.value('server/dropped'), 1);
  assert.equal(h.log.starts.map((s) => s.arrivalS), [1, 2, 4]);
  assert.equal(h.waitsS(), [0, 0, 0]);
  assert.is(h.value('server/queue_length_max'), 0);
});

test('no queue limit: nothing is dropped', () => {
  const h = stationHarness({ servers: 1 });
  for (let t = 1; t <= 50; t++) h.arriveAt(t, 3);
  h.env.run();
  assert.is(h.value('server/dropped'), 0);
  assert.is(h.value('server/completed'), 50);
  assert.is(h.value('server/queue_length_max'), 33);
});

test('an outage delays service: the job in service finishes, then the server is down for the whole duration', () => {
  const normal = stationHarness({ servers: 1 });
  const down = stationHarness({ servers: 1 });
  for (const h of [normal, down]) for (const t of [1, 2, 3]) h.arriveAt(t, 2);
  down.outageAt(2, 5);
  normal.env.run();
  down.env.run();
  assert.equal(normal.log.departuresS, [3, 5, 7]);
  // job 1 runs to 3 s; down from 3 to 8 s; jobs 2 and 3 follow, in arrival order
  assert.equal(down.log.departuresS, [3, 10, 12]);
  assert.equal(down.waitsS(), [0, 6, 7]);
  assert.is(down.value('server/completed'), 3);
  // the outage is not a job: it is in no job metric, and the server counts as idle while down
  assert.is(down.value('server/queue_length_max'), 2);
  close(down.value('server/utilization_mean'), 6 / 12, 'utilization');
});

test('an outage of an idle station starts at once; arrivals during it queue and are served after it', () => {
  const h = stationHarness({ servers: 1 });
  h.outageAt(0.5, 2);
  h.arriveAt(1, 1);
  h.arriveAt(2, 1);
  h.env.run();
  assert.equal(h.log.starts.map((s) => s.atS), [2.5, 3.5]);
  assert.equal(h.log.departuresS, [3.5, 4.5]);
});

test('with two servers, each goes down when its own job finishes and comes back after the duration', () => {
  const h = stationHarness({ servers: 2 });
  h.arriveAt(1, 4); // server A busy 1 .. 5
  h.arriveAt(1.5, 1); // server B busy 1.5 .. 2.5
  h.outageAt(2, 3); // B down 2.5 .. 5.5, A down 5 .. 8
  h.arriveAt(3, 1); // waits for the first server back: B at 5.5
  h.env.run();
  assert.equal(h.log.departuresS, [2.5, 5, 6.5]);
  assert.equal(h.log.starts.map((s) => s.atS), [1, 1.5, 5.5]);
  assert.is(h.env.now, 8 * 1e9, 'the last event is the second server coming back');
});

test('metrics reset (end of warm-up) restarts counts and histograms but not the jobs in the station', () => {
  const h = stationHarness({ servers: 1 });
  for (const t of [1, 2, 3, 4]) h.arriveAt(t, 1.5);
  h.env.schedule(3.25e9, () => h.metrics.reset(), null);
  h.env.run();
  assert.equal(h.log.departuresS, [2.5, 4, 5.5, 7]);
  assert.is(h.value('server/completed'), 3);
  assert.is(h.value('server/wait_time_count'), 2); // service starts at 4 and 5.5 s
  assert.is(h.value('server/wait_time_mean_s'), 1.25);
});

test.run();
