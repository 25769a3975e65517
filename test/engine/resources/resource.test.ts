import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Environment } from '../../../sim/engine/environment.ts';
import { Interrupt, type ProcessBody } from '../../../sim/engine/process.ts';
import { Request, Resource, type Preempted, type RequestOptions } from '../../../sim/engine/resources/resource.ts';
import { setup } from '../who-did-what.ts';

/** A customer that arrives, waits for a unit, holds it, and leaves. */
function customer(
  env: Environment,
  say: (what: string) => void,
  resource: Resource,
  name: string,
  arriveAt: number,
  holdFor: number,
  options: RequestOptions = {},
): ProcessBody<void> {
  return (function* () {
    yield arriveAt;
    const request = resource.request(options);
    const granted = yield request;
    assert.is(granted, request, 'the grant value is the request itself');
    say(`${name} got the server`);
    yield holdFor;
    resource.release(request);
    say(`${name} left`);
  })();
}

test('with capacity 1, customers are served one at a time in arrival order', () => {
  const { env, log, say } = setup();
  const server = new Resource(env, { capacity: 1 });
  for (let i = 1; i <= 3; i++) env.process(customer(env, say, server, `customer ${i}`, i - 1, 5));
  env.run();
  assert.equal(log, [
    [0, 'customer 1 got the server'],
    [5, 'customer 1 left'],
    [5, 'customer 2 got the server'],
    [10, 'customer 2 left'],
    [10, 'customer 3 got the server'],
    [15, 'customer 3 left'],
  ]);
});

test('with capacity 2, two customers are served at once and the rest wait in arrival order', () => {
  const { env, log, say } = setup();
  const server = new Resource(env, { capacity: 2 });
  for (let i = 1; i <= 5; i++) env.process(customer(env, say, server, `customer ${i}`, i - 1, 5));
  env.run();
  assert.equal(log, [
    [0, 'customer 1 got the server'],
    [1, 'customer 2 got the server'],
    [5, 'customer 1 left'],
    [5, 'customer 3 got the server'],
    [6, 'customer 2 left'],
    [6, 'customer 4 got the server'],
    [10, 'customer 3 left'],
    [10, 'customer 5 got the server'],
    [11, 'customer 4 left'],
    [15, 'customer 5 left'],
  ]);
});

test('waiting requests are served by priority (lower first), and in arrival order among equal priorities', () => {
  const { env, log, say } = setup();
  const server = new Resource(env, { capacity: 1 });
  env.process(customer(env, say, server, 'holder', 0, 10));
  const priorities = [3, 1, 2, 1, 3, 0];
  priorities.forEach((priority, i) => {
    env.process(customer(env, say, server, `w${i + 1} (priority ${priority})`, i + 1, 1, { priority }));
  });
  env.run();
  assert.equal(
    log.filter(([, what]) => what.endsWith('got the server')),
    [
      [0, 'holder got the server'],
      [10, 'w6 (priority 0) got the server'],
      [11, 'w2 (priority 1) got the server'],
      [12, 'w4 (priority 1) got the server'],
      [13, 'w3 (priority 2) got the server'],
      [14, 'w1 (priority 3) got the server'],
      [15, 'w5 (priority 3) got the server'],
    ],
  );
});

test('queue lists waiting requests in service order; users lists holders in grant order', () => {
  const { env } = setup();
  const server = new Resource(env, { capacity: 2 });
  const a = server.request({ priority: 5 });
  const b = server.request({ priority: 5 });
  const c = server.request({ priority: 2 });
  const d = server.request({ priority: 1 });
  const e = server.request({ priority: 2 });
  assert.equal(server.users, [a, b]);
  assert.equal(server.queue, [d, c, e]);
  assert.is(server.inUse, 2);
  assert.is(server.queueLength, 3);
  assert.is(a.grantedAtNs, 0);
  assert.is(c.grantedAtNs, -1);
});

test('a preemptive request evicts a worse holder, whose process receives an Interrupt with a Preempted cause', () => {
  const { env, log, say } = setup();
  const disk = new Resource(env, { capacity: 1, preemptive: true, name: 'disk' });
  let cause: Preempted | null = null;
  env.process(
    (function* () {
      yield 2;
      const request = disk.request({ priority: 5 });
      yield request;
      say('scrubber got the disk');
      try {
        yield 100;
        say('scrubber finished (should not happen)');
      } catch (error) {
        assert.instance(error, Interrupt);
        cause = (error as Interrupt).cause as Preempted;
        say(`scrubber preempted; had the disk since ${cause.usageSinceNs}; request released: ${request.released}`);
        disk.release(request); // a no-op: the unit is already gone
      }
    })(),
    'scrubber',
  );
  const reader = env.process(
    (function* () {
      yield 7;
      const request = disk.request({ priority: 1, preempt: true });
      yield request;
      say('reader got the disk');
      yield 3;
      disk.release(request);
      say('reader released the disk');
    })(),
    'reader',
  );
  env.process(customer(env, say, disk, 'writer', 8, 1, { priority: 3 }));
  env.run();
  assert.equal(log, [
    [2, 'scrubber got the disk'],
    [7, 'scrubber preempted; had the disk since 2; request released: true'],
    [7, 'reader got the disk'],
    [10, 'reader released the disk'],
    [10, 'writer got the server'],
    [11, 'writer left'],
  ]);
  assert.ok(cause !== null);
  const c = cause as Preempted;
  assert.is(c.kind, 'preempted');
  assert.is(c.resource, 'disk');
  assert.is(c.by, reader);
  assert.is(c.usageSinceNs, 2);
});

test('preemption evicts the worst holder: the highest priority number, the latest granted among equals', () => {
  const { env, log, say } = setup();
  const pool = new Resource(env, { capacity: 2, preemptive: true, name: 'pool' });
  const holder = (name: string, at: number, priority: number, preempt = false): ProcessBody<void> =>
    (function* () {
      yield at;
      const request = pool.request({ priority, preempt });
      yield request;
      say(`${name} granted`);
      try {
        yield 100;
        pool.release(request);
      } catch (error) {
        say(`${name} evicted (held since ${((error as Interrupt).cause as Preempted).usageSinceNs})`);
      }
    })();
  env.process(holder('a (p4)', 0, 4));
  env.process(holder('b (p4)', 1, 4));
  env.process(holder('c (p3, preempts)', 2, 3, true));
  env.process(holder('d (p1, preempts)', 3, 1, true));
  env.process(holder('e (p3, preempts)', 4, 3, true));
  env.run({ until: 50 });
  assert.equal(log, [
    [0, 'a (p4) granted'],
    [1, 'b (p4) granted'],
    [2, 'b (p4) evicted (held since 1)'],
    [2, 'c (p3, preempts) granted'],
    [3, 'a (p4) evicted (held since 0)'],
    [3, 'd (p1, preempts) granted'],
  ]);
  assert.is(pool.queueLength, 1, 'e cannot evict an equal priority and waits');
  assert.equal(pool.queue.map((r) => r.priority), [3]);
});

test('requests that do not ask to preempt never evict, even with a better priority', () => {
  const { env, log, say } = setup();
  const preemptive = new Resource(env, { capacity: 1, preemptive: true });
  const plain = new Resource(env, { capacity: 1 });
  env.process(customer(env, say, preemptive, 'low on preemptive', 0, 10, { priority: 9 }));
  env.process(customer(env, say, preemptive, 'high without preempt', 1, 1, { priority: 0 }));
  env.process(customer(env, say, plain, 'low on plain', 0, 10, { priority: 9 }));
  env.process(customer(env, say, plain, 'high with preempt on plain', 1, 1, { priority: 0, preempt: true }));
  env.run();
  assert.equal(log, [
    [0, 'low on preemptive got the server'],
    [0, 'low on plain got the server'],
    [10, 'low on preemptive left'],
    [10, 'low on plain left'],
    [10, 'high without preempt got the server'],
    [10, 'high with preempt on plain got the server'],
    [11, 'high without preempt left'],
    [11, 'high with preempt on plain left'],
  ]);
});

test('releasing a request that is still waiting withdraws it; it is never granted', () => {
  const { env, log, say } = setup();
  const server = new Resource(env, { capacity: 1 });
  env.process(customer(env, say, server, 'holder', 0, 10));
  let withdrawn: Request | null = null;
  env.schedule(1, () => {
    withdrawn = server.request();
    withdrawn.addCallback(() => say('withdrawn request granted (should not happen)'));
  }, null);
  env.process(customer(env, say, server, 'next', 2, 1));
  env.schedule(3, () => {
    assert.is(server.queueLength, 2);
    server.release(withdrawn!);
    say(`withdrew; ${server.queueLength} still waiting`);
  }, null);
  env.run();
  assert.equal(log, [
    [0, 'holder got the server'],
    [3, 'withdrew; 1 still waiting'],
    [10, 'holder left'],
    [10, 'next got the server'],
    [11, 'next left'],
  ]);
  assert.ok(withdrawn!.released);
  assert.is(withdrawn!.grantedAtNs, -1);
});

test('releasing twice is a no-op: the second release grants nothing more', () => {
  const { env } = setup();
  const server = new Resource(env, { capacity: 2 });
  const a = server.request();
  const b = server.request();
  const c = server.request();
  const d = server.request();
  server.release(a);
  assert.equal(server.users, [b, c]);
  server.release(a);
  assert.equal(server.users, [b, c], 'd must still wait');
  assert.equal(server.queue, [d]);
  server.release(d); // withdraw
  server.release(d);
  assert.equal(server.queue, []);
  assert.is(server.inUse, 2);
});

test('the callback path grants synchronously when a unit is free, and inside release otherwise', () => {
  const { env, log, say } = setup();
  const channel = new Resource(env, { capacity: 1 });
  const onGrant = (request: Request, name: string): void => {
    say(`${name} granted (request ${request.seq})`);
    env.schedule(4, (r: Request) => {
      say(`${name} releasing`);
      channel.release(r);
      say(`${name} release returned`);
    }, request);
  };
  const first = channel.acquire(onGrant, 'first');
  say('acquire of first returned');
  const second = channel.acquire(onGrant, 'second');
  say('acquire of second returned');
  assert.is(first.owner, null);
  assert.is(second.grantedAtNs, -1);
  assert.not.ok(first.triggered, 'no event is triggered on the callback path');
  env.run();
  assert.equal(log, [
    [0, 'first granted (request 0)'],
    [0, 'acquire of first returned'],
    [0, 'acquire of second returned'],
    [4, 'first releasing'],
    [4, 'second granted (request 1)'],
    [4, 'first release returned'],
    [8, 'second releasing'],
    [8, 'second release returned'],
  ]);
  assert.is(env.eventsProcessed, 2, 'only the two scheduled releases went through the queue');
});

test('a callback-path holder is never evicted: a preempting request waits for it instead', () => {
  const { env, log, say } = setup();
  const disk = new Resource(env, { capacity: 1, preemptive: true });
  disk.acquire((request: Request) => {
    say('background scrub holds the disk');
    env.schedule(10, (r: Request) => disk.release(r), request);
  }, null, { priority: 5 });
  env.process((function* () {
    yield 1;
    const request = disk.request({ priority: 0, preempt: true });
    yield request;
    say('urgent read got the disk');
    disk.release(request);
  })());
  env.run();
  assert.equal(log, [
    [0, 'background scrub holds the disk'],
    [10, 'urgent read got the disk'],
  ]);
});

test('the callback path and the process path share one queue in arrival order', () => {
  const { env, log, say } = setup();
  const server = new Resource(env, { capacity: 1 });
  env.process(customer(env, say, server, 'process 1', 0, 3));
  env.schedule(1, () => {
    server.acquire((request: Request) => {
      say('callback customer got the server');
      env.schedule(3, () => {
        server.release(request);
        say('callback customer left');
      }, null);
    }, null);
  }, null);
  env.process(customer(env, say, server, 'process 2', 2, 3));
  env.run();
  assert.equal(log, [
    [0, 'process 1 got the server'],
    [3, 'callback customer got the server'], // synchronously, inside process 1's release
    [3, 'process 1 left'],
    [6, 'callback customer left'],
    [6, 'process 2 got the server'],
    [9, 'process 2 left'],
  ]);
});

test('a request records the process that made it', () => {
  const { env } = setup();
  const server = new Resource(env, { capacity: 1 });
  let request: Request | null = null;
  const p = env.process(
    (function* () {
      request = server.request();
      yield request;
    })(),
  );
  env.run();
  assert.is(request!.owner, p);
  assert.is(server.request().owner, null, 'made outside any process');
});

test('the capacity must be an integer of at least 1', () => {
  const env = new Environment();
  for (const capacity of [0, -1, 1.5, NaN]) {
    assert.throws(() => new Resource(env, { capacity }), /resource capacity must be an integer >= 1/);
  }
});

test.run();
