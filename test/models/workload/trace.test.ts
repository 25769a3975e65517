import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IoOp, type IoRequest } from '../../../sim/models/block/io-request.ts';
import { TraceReader, TraceFormatError } from '../../../sim/models/workload/trace-reader.ts';
import { TraceReplay, type TraceReplayOptions } from '../../../sim/models/workload/trace-replay.ts';
import { harness, S } from './fake-device.ts';

const dir = mkdtempSync(join(tmpdir(), 'storsim-traces-'));
let fileCount = 0;

/** Writes `text` to a fresh file named `name` in the temporary directory; returns its path. */
function traceFile(text: string, name = `t${fileCount++}.csv`): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function replay(file: string, options: Partial<TraceReplayOptions> = {}, h = harness({ capacityBytes: 1 << 30, sectorBytes: 512 })) {
  const r = new TraceReplay(h.env, 'replay', { file, ...options }, h.device, h.metrics);
  r.start();
  return { h, r };
}

// Filetimes: T0 plus multiples of 100 ns.
const T0 = 128166372003061629n;
const at = (ns: number) => `${T0 + BigInt(ns / 100)}`;

const MSR = [
  `${at(0)},hm,1,Read,383496192,32768,4121`,
  `${at(1_000_000)},hm,0,Write,4096,4096,100`,
  `${at(1_000_000)},hm,1,Write,8192,512,100`,
  `${at(2_500_000)},hm,1,read,0,1024,77`,
  `${at(7_000_300)},hm,1,WRITE,1048576,65536,9`,
].join('\n');

test('MSR replay: times are (Timestamp − first Timestamp) × 100 ns, and ops, offsets and sizes are as recorded', () => {
  const { h, r } = replay(traceFile(MSR));
  h.env.run();
  assert.equal(h.device.submissions, [
    { atNs: 0, op: IoOp.Read, offset: 383496192, size: 32768 },
    { atNs: 1_000_000, op: IoOp.Write, offset: 4096, size: 4096 },
    { atNs: 1_000_000, op: IoOp.Write, offset: 8192, size: 512 },
    { atNs: 2_500_000, op: IoOp.Read, offset: 0, size: 1024 },
    { atNs: 7_000_300, op: IoOp.Write, offset: 1048576, size: 65536 },
  ]);
  assert.is(r.reader.format, 'msr');
  assert.is(h.value('replay/issued'), 5);
  assert.is(h.value('replay/read_bytes_B'), 32768 + 1024);
  assert.is(h.value('replay/write_bytes_B'), 4096 + 512 + 65536);
});

test('MSR: speedup divides times, start shifts them, the disk filter keeps one disk (times stay on the file\'s origin)', () => {
  const { h } = replay(traceFile(MSR), { speedup: 4, startNs: 1000, disk: 1 });
  h.env.run();
  assert.equal(h.device.submissions.map((s) => s.atNs), [1000, 1000 + 250_000, 1000 + 625_000, 1000 + 1_750_075]);
  assert.is(h.value('replay/records_skipped'), 1);
  const { h: h0 } = replay(traceFile(MSR), { disk: 0 });
  h0.env.run();
  assert.equal(h0.device.submissions, [{ atNs: 1_000_000, op: IoOp.Write, offset: 4096, size: 4096 }]);
});

test('MSR: 18-digit filetimes (beyond 2^53) keep every 100 ns tick, across digit carries and long gaps', () => {
  const text = [
    '128166372999999990,hm,0,Read,0,512,1',
    '128166373000000010,hm,0,Read,0,512,1', // +20 ticks, carrying into the high digits
    '128166376000000011,hm,0,Read,0,512,1', // +3e9 + 1 ticks = 300 s + 100 ns
  ].join('\n');
  const { h } = replay(traceFile(text));
  h.env.run();
  assert.equal(h.device.submissions.map((s) => s.atNs), [0, 2000, (3e9 + 21) * 100]);
});

test('MSR: an optional header, CRLF line ends, blank lines and a last line without newline are accepted', () => {
  const text = `Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime\r\n${MSR.split('\n').join('\r\n\r\n')}`;
  const { h } = replay(traceFile(text));
  h.env.run();
  assert.is(h.device.submissions.length, 5);
  assert.is(h.device.submissions[4]!.size, 65536);
});

test('plain CSV: time unit from the header, columns in any order, fractional times, trims', () => {
  const text = ['op,time_us,size,offset', 'read,0,4096,0', 'write,1.5,512,512', 'trim,2.0005,8192,4096', 'Read,10,1024,1024'].join('\n');
  const { h, r } = replay(traceFile(text));
  h.env.run();
  assert.is(r.reader.format, 'csv');
  assert.equal(h.device.submissions, [
    { atNs: 0, op: IoOp.Read, offset: 0, size: 4096 },
    { atNs: 1500, op: IoOp.Write, offset: 512, size: 512 },
    { atNs: 2001, op: IoOp.Trim, offset: 4096, size: 8192 }, // 2000.5 ns rounds to 2001 (half up)
    { atNs: 10000, op: IoOp.Read, offset: 1024, size: 1024 },
  ]);
  assert.is(h.value('replay/trims'), 1);
  assert.is(h.value('replay/trim_bytes_B'), 8192);
  const { h: h2 } = replay(traceFile('time_s,op,offset,size\n0.25,write,0,512\n3,read,0,512\n'));
  h2.env.run();
  assert.equal(h2.device.submissions.map((s) => s.atNs), [0.25 * S, 3 * S], 'plain CSV times count from the start of the replay');
});

test('remapping: offsets shift, widen to whole target sectors, wrap modulo the capacity; a request past the end without wrap names its line', () => {
  const text = ['time_ns,op,offset,size', '0,read,512,1024', '1,read,0,0', '2,write,20480,4096', '3,write,16384,4096', '4,read,15360,4096'].join('\n');
  const h = harness({ capacityBytes: 16384, sectorBytes: 4096 });
  const { h: hw } = replay(traceFile(text), { remap: 'wrap', offsetShiftBytes: -512 + 4096 }, h);
  hw.env.run();
  // Shifted by +3584 B, then widened to 4 KiB sectors, then wrapped modulo 16 KiB:
  // [4096, 5120) → [4096, 8192); [3584, 3584) → one sector at 0 (at least one sector);
  // [24064, 28160) → [20480, 28672) → start 4096, 8 KiB; [19968, 24064) → [16384, 24576) → start 0, 8 KiB;
  // [18944, 23040) → [16384, 24576) → start 0, 8 KiB.
  assert.equal(hw.device.submissions.map((s) => [s.offset, s.size]), [[4096, 4096], [0, 4096], [4096, 8192], [0, 8192], [0, 8192]]);

  const h2 = harness({ capacityBytes: 16384, sectorBytes: 4096 });
  const { h: hn } = replay(traceFile(text, 'beyond.csv'), {}, h2);
  assert.throws(() => hn.env.run(), (e: Error) => e instanceof TraceFormatError && /beyond\.csv:4: request \[20480, 24576\) B lies beyond the target's capacity of 16384 B; allowed: offsets within the target, or remap "wrap"/.test(e.message));
  assert.is(hn.device.submissions.length, 2, 'the records before the bad one were replayed');

  const h3 = harness({ capacityBytes: 16384, sectorBytes: 4096 });
  const { h: hs } = replay(traceFile(text, 'negative.csv'), { offsetShiftBytes: -1024 }, h3);
  assert.throws(() => hs.env.run(), /negative\.csv:2: offset 512 B shifted by -1024 B is negative; allowed: a shift that keeps offsets >= 0/);
});

test('closed-loop replay at queue depth Q ignores timestamps: Q in flight, records in file order', () => {
  const lines = ['time_s,op,offset,size'];
  for (let i = 0; i < 40; i++) lines.push(`${i * 100},${i % 2 ? 'write' : 'read'},${i * 4096},4096`);
  const { h } = replay(traceFile(lines.join('\n')), { queueDepth: 3 }, harness({ serviceNs: 1e6, oneServer: true }));
  h.env.run();
  assert.equal(h.device.submissions.map((s) => s.offset / 4096), Array.from({ length: 40 }, (_, i) => i));
  assert.is(h.env.now, 40e6, 'one server busy all along: 40 × 1 ms, whatever the recorded times');
  assert.ok(Math.abs(h.value('replay/in_flight_mean')! - (3 * 38 + 2 + 1) / 40) < 1e-9, 'Q in flight until the trace runs out');
});

test('requestLimit stops the replay', () => {
  const { h } = replay(traceFile(MSR), { requestLimit: 2 });
  h.env.run();
  assert.is(h.device.submissions.length, 2);
});

// ---- bad input -----------------------------------------------------------------------------

/** Reads every record of `text` (saved as `name`); returns the error message. */
function readError(text: string, name = 'trace.csv', options = {}): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  try {
    const reader = new TraceReader(path, options);
    while (reader.next());
  } catch (error) {
    return (error as Error).message.replace(`${dir}/`, '');
  }
  throw new Error('no error');
}

test('bad lines: file, line number, what is wrong and what is allowed', () => {
  const good = `${at(0)},hm,1,Read,0,512,1`;
  const cases: [string, string][] = [
    [`${good}\n${at(100)},hm,1,Read,0,abc,1`, 'trace.csv:2: Size "abc" is not a non-negative integer'],
    [`${good}\n${at(100)},hm,1,Read,-512,512,1`, 'trace.csv:2: Offset "-512" is not a non-negative integer'],
    [`${good}\n${at(100)},hm,x,Read,0,512,1`, 'trace.csv:2: DiskNumber "x" is not a non-negative integer'],
    [`${good}\n\n${at(100)},hm,1,Trim,0,512,1`, 'trace.csv:3: Type "Trim" is not Read or Write'],
    [`${good}\n${at(100)},hm,1,Read,0,512`, 'trace.csv:2: expected 7 fields (Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime), got 6'],
    [`${good}\n12:00:01,hm,1,Read,0,512,1`, 'trace.csv:2: Timestamp "12:00:01" is not a Windows filetime (a non-negative integer of 100 ns units)'],
    [`${at(500)},hm,1,Read,0,512,1\n${good}`, `trace.csv:2: Timestamp ${at(0)} is earlier than the previous record's time; allowed: records in time order (sort the trace by time)`],
    [`${good}\n${at(100)},hm,1,Read,0,99999999999999999999,1`, 'trace.csv:2: Size "99999999999999999999" is too large; allowed: integers up to 2^53 - 1'],
    ['', 'trace.csv:1: the trace is empty; allowed: MSR Cambridge records, or a plain CSV header "time_us,op,offset,size" and records'],
    ['time,op,offset,size\n0,read,0,512', 'trace.csv:1: header column "time" has no unit; allowed: time_ns, time_us, time_ms or time_s'],
    ['time_us,op,offset\n0,read,0', 'trace.csv:1: header lacks column size; allowed: columns time_<unit> (unit ns, us, ms or s), op, offset and size, in any order, e.g. "time_us,op,offset,size"'],
    ['time_us,op,offset,size,lba\n0,read,0,512,0', 'trace.csv:1: header column "lba" is unknown; allowed: columns time_<unit> (unit ns, us, ms or s), op, offset and size, in any order, e.g. "time_us,op,offset,size"'],
    ['time_us,op,offset,size\n0,erase,0,512', 'trace.csv:2: op "erase" is not read, write or trim'],
    ['time_us,op,offset,size\n1e3,read,0,512', 'trace.csv:2: time_us "1e3" is not a non-negative decimal number (e.g. 12 or 0.25)'],
    ['time_us,op,offset,size\n-1,read,0,512', 'trace.csv:2: time_us "-1" is not a non-negative decimal number (e.g. 12 or 0.25)'],
    ['time_us,op,offset,size\n.,read,0,512', 'trace.csv:2: time_us "." is not a non-negative decimal number (e.g. 12 or 0.25)'],
    ['time_us,op,offset,size\n5,read,0,512\n4.9,read,0,512', 'trace.csv:3: time_us 4.9 is earlier than the previous record\'s time; allowed: records in time order (sort the trace by time)'],
    ['time_us,op,offset,size\n5,read,0', 'trace.csv:2: expected 4 fields (time_us,op,offset,size), got 3'],
  ];
  for (const [text, message] of cases) assert.is(readError(text), message);
  assert.is(readError(`${'x'.repeat(100)}\n`, 'long.csv', { chunkBytes: 64 }), 'long.csv:1: line is longer than 64 bytes; allowed: lines up to 64 bytes');
  assert.throws(() => new TraceReader(join(dir, 'missing.csv')), /cannot read trace ".*missing\.csv": ENOENT/);
});

test('a bad line deep in a trace fails the run when the replay reaches it, naming the line', () => {
  const lines = ['time_us,op,offset,size'];
  for (let i = 0; i < 5000; i++) lines.push(`${i},read,0,512`);
  lines[4000] = '3999,read,0,oops';
  const { h } = replay(traceFile(lines.join('\n'), 'deep.csv'), { windowRecords: 64 });
  assert.throws(() => h.env.run(), /deep\.csv:4001: size "oops" is not a non-negative integer/);
});

// ---- streaming -----------------------------------------------------------------------------

test('a 200k-line trace replays with a bounded window: never more than windowRecords parsed ahead, the file read as the clock advances', () => {
  const records = 200_000;
  const window = 256;
  const parts: string[] = [];
  for (let i = 0; i < records; i++) parts.push(`${T0 + BigInt(i * 1000)},big,0,${i % 3 === 0 ? 'Write' : 'Read'},${(i % 1000) * 4096},4096,10\n`);
  const path = traceFile(parts.join(''), 'big.csv');
  const fileBytes = statSync(path).size;
  const { h, r } = replay(path, { windowRecords: window });
  h.device.keepLog = false;
  const seen = new Set<IoRequest>();
  const submit = h.device.submit.bind(h.device);
  h.device.submit = (request) => (seen.add(request), submit(request));
  // Halfway through the trace's time (100 ms of 200 ms), no more than half the file plus a chunk has been read.
  h.env.run({ until: (records / 2) * 100_000 });
  assert.ok(r.reader.bytesRead <= fileBytes / 2 + 64 * 1024 + 1000, `${r.reader.bytesRead} of ${fileBytes} bytes read halfway`);
  h.env.run();
  assert.is(h.device.submitted, records);
  assert.is(r.reader.bytesRead, fileBytes);
  assert.ok(r.reader.maxBuffered <= window, `at most ${window} records buffered, saw ${r.reader.maxBuffered}`);
  assert.is(r.reader.maxBuffered, window, 'the window is used');
  assert.ok(seen.size <= h.value('replay/in_flight_max')!, 'requests come from a free list');
});

test('the shipped synthetic MSR trace replays completely: per-disk counts and bytes equal a plain parse of the file', () => {
  const path = new URL('../../../scenarios/traces/msr-synthetic.csv', import.meta.url).pathname;
  const rows = readFileSync(path, 'utf8').trim().split('\n').map((line) => line.split(','));
  for (const disk of [0, 1]) {
    const mine = rows.filter((row) => Number(row[2]) === disk);
    const { h } = replay(path, { disk, speedup: 10 }, harness({ capacityBytes: 2 ** 31, sectorBytes: 512 }));
    h.env.run();
    assert.is(h.device.submitted, mine.length);
    assert.is(h.value('replay/reads'), mine.filter((row) => row[3] === 'Read').length);
    assert.is(h.value('replay/write_bytes_B'), mine.filter((row) => row[3] === 'Write').reduce((sum, row) => sum + Number(row[5]), 0));
    assert.is(h.value('replay/records_skipped'), rows.length - mine.length);
    const last = mine[mine.length - 1]!;
    assert.is(h.device.submissions[h.device.submissions.length - 1]!.atNs, Math.round(Number(BigInt(last[0]!) - BigInt(rows[0]![0]!)) * 100 / 10));
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
