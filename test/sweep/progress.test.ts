import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { formatDuration, progressLine, startProgress, type ProgressMode } from '../../sim/sweep/progress.ts';

/** A stream that records what is written; `tty` makes it look like a terminal. */
function capture(tty: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  }) as Writable & { isTTY?: boolean; columns?: number; cursorTo?: unknown; clearLine?: unknown; moveCursor?: unknown };
  if (tty) {
    stream.isTTY = true;
    stream.columns = 120;
  }
  return { stream, text: () => chunks.join('') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function show(mode: ProgressMode, tty: boolean): Promise<string> {
  const { stream, text } = capture(tty);
  const progress = startProgress(mode, 10, 2, 1, { stream, lineIntervalS: 0.02 });
  progress.update(3, 1);
  await sleep(120);
  progress.update(10, 2);
  progress.stop();
  return text();
}

test('progress lines: runs done of the total, failed, elapsed, ETA while unfinished, and a final line', async () => {
  const out = await show('lines', false);
  const lines = out.trim().split('\n');
  assert.ok(lines.length >= 2, out);
  assert.match(lines[0]!, /^storsim sweep: 3\/10 runs done, 1 failed, \d+ s elapsed, ETA (\d+ s|\d+ min \d+ s)$/);
  assert.match(lines.at(-1)!, /^storsim sweep: 10\/10 runs done, 2 failed, \d+ s elapsed$/, 'no ETA when done');
  assert.is(new Set(lines.slice(0, -1)).size, lines.length - 1, 'a line is printed only when something changed');
});

test('progress bar on a terminal: cli-progress bar with runs, failed, elapsed and ETA', async () => {
  const out = await show('bar', true);
  assert.match(out, /storsim sweep \[[^\]]+\] 10\/10 runs \| 2 failed \| elapsed \S+ \| ETA \S+/);
  assert.match(out, /2\/10 runs \| 1 failed/, 'the runs done before a resume count from the start');
});

test('auto is the bar on a terminal and lines elsewhere; none writes nothing', async () => {
  assert.match(await show('auto', true), /storsim sweep \[/);
  assert.match(await show('auto', false), /^storsim sweep: /);
  assert.is(await show('none', true), '');
  assert.is(await show('none', false), '');
});

test('durations and lines read naturally', () => {
  assert.is(formatDuration(0.4), '0 s');
  assert.is(formatDuration(75), '1 min 15 s');
  assert.is(formatDuration(7260), '2 h 1 min');
  assert.is(progressLine(0, 4, 0, 1, undefined), 'storsim sweep: 0/4 runs done, 0 failed, 1 s elapsed, ETA ?');
});

test.run();
