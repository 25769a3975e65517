/**
 * Progress of a sweep, always on stderr (stdout stays for results and summaries):
 * - `bar`: a cli-progress bar — runs done of the total, runs failed, elapsed time, ETA;
 * - `lines`: a plain line every few seconds when something changed (and at least once a minute),
 *   for logs and batch jobs: `storsim sweep: 12/40 runs done, 1 failed, 13 s elapsed, ETA 30 s`;
 * - `none`: nothing;
 * - `auto`: `bar` when stderr is a terminal, else `lines`.
 * Runs already done when a resumed sweep starts count as done; the ETA is estimated from the
 * runs finished since this process started. Wall-clock time is used only for this display.
 */
import cliProgress from 'cli-progress';

export const PROGRESS_MODES = ['auto', 'bar', 'lines', 'none'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

export interface Progress {
  update(done: number, failed: number): void;
  stop(): void;
}

export interface ProgressOptions {
  /** Where to write (default process.stderr). */
  stream?: NodeJS.WriteStream | (NodeJS.WritableStream & { isTTY?: boolean });
  /** Seconds between lines in `lines` mode (default 5). */
  lineIntervalS?: number;
}

export function startProgress(mode: ProgressMode, total: number, doneBefore: number, failedBefore: number, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const resolved = mode === 'auto' ? (stream.isTTY === true ? 'bar' : 'lines') : mode;
  if (resolved === 'none') return { update() {}, stop() {} };
  if (resolved === 'bar') return barProgress(stream, total, doneBefore, failedBefore);
  return lineProgress(stream, total, doneBefore, failedBefore, options.lineIntervalS ?? 5);
}

function barProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, total: number, doneBefore: number, failedBefore: number): Progress {
  const bar = new cliProgress.SingleBar({
    stream: stream as NodeJS.WriteStream,
    format: 'storsim sweep [{bar}] {value}/{total} runs | {failed} failed | elapsed {duration_formatted} | ETA {eta_formatted}',
    barsize: 30,
    fps: 5,
    etaBuffer: 50,
    etaAsynchronousUpdate: true,
    // `--progress bar` on a stream that is not a terminal: still draw, one line at a time
    noTTYOutput: stream.isTTY !== true,
    notTTYSchedule: 5000,
  });
  bar.start(total, doneBefore, { failed: failedBefore });
  return {
    update(done, failed) {
      bar.update(done, { failed });
    },
    stop() {
      bar.stop();
    },
  };
}

/** `90 s`, `12 min 5 s`, `2 h 3 min`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** The text of one progress line. `etaS` undefined: not known yet. */
export function progressLine(done: number, total: number, failed: number, elapsedS: number, etaS: number | undefined): string {
  const eta = done >= total ? '' : `, ETA ${etaS === undefined ? '?' : formatDuration(etaS)}`;
  return `storsim sweep: ${done}/${total} runs done, ${failed} failed, ${formatDuration(elapsedS)} elapsed${eta}`;
}

function lineProgress(stream: NodeJS.WritableStream, total: number, doneBefore: number, failedBefore: number, intervalS: number): Progress {
  const started = performance.now(); // wall-clock ok: progress display only
  let done = doneBefore;
  let failed = failedBefore;
  let printedDone = -1;
  let printedAt = started;
  const print = () => {
    const now = performance.now(); // wall-clock ok
    const elapsedS = (now - started) / 1000;
    const ranHere = done - doneBefore;
    const etaS = ranHere > 0 ? ((total - done) * elapsedS) / ranHere : undefined;
    stream.write(`${progressLine(done, total, failed, elapsedS, etaS)}\n`);
    printedDone = done;
    printedAt = now;
  };
  const timer = setInterval(() => {
    if (done !== printedDone || performance.now() - printedAt >= 60_000) print(); // wall-clock ok
  }, intervalS * 1000);
  timer.unref();
  return {
    update(d, f) {
      done = d;
      failed = f;
    },
    stop() {
      clearInterval(timer);
      print();
    },
  };
}
