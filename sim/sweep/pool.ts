/**
 * A pool of sweep worker threads. Workers are started when the pool is made — a sweep makes it
 * before loading its scenarios, so the threads get ready (tsx, the models, the unit parser) while
 * the main thread checks the scenarios. Each worker executes one run at a time and writes that
 * run's part file itself before it reports back, so the main thread only hands out work and
 * counts (its event loop stays free for the progress display), and a run is on disk before it
 * counts as done.
 *
 * A run that throws is written as a failed part by its worker. A worker that dies in a run (an
 * uncaught error or an exit of the thread, e.g. out of memory) has that run written as a failed
 * part by the main thread, and a fresh worker takes its place. Failing to write a part (disk
 * full, permissions) stops the sweep: `run` rejects and the parts already written stay.
 */
import { Worker } from 'node:worker_threads';
import { writeFileAtomic } from '../output/atomic-write.ts';
import type { PlannedRun } from '../scenario/load.ts';
import { encodeErrorPart } from './part.ts';

/** One run to make and where its part goes. */
export interface SweepTask {
  index: number;
  run: PlannedRun;
  partPath: string;
}

export type SweepWorkerReply = { index: number; error?: string } | { index: number; writeError: string };

/** A run whose part is written: `error` when it failed. */
export interface TaskDone {
  index: number;
  run: PlannedRun;
  error?: string;
}

const WORKER_URL = new URL('./worker-entry.js', import.meta.url);

/** The state of one `run` call. */
interface Batch {
  tasks: readonly SweepTask[];
  next: number;
  done: number;
  onDone: (done: TaskDone) => void;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  thread: Worker;
  current: SweepTask | undefined;
}

export class SweepPool {
  private readonly workers = new Set<PoolWorker>();
  private batch: Batch | undefined;
  private closed = false;
  /** Workers that died before they were given work; past a few, the threads cannot start at all. */
  private idleDeaths = 0;
  private startError: Error | undefined;

  /** Starts `size` worker threads (at least 1). `workerUrl`: the worker script (tests give another). */
  constructor(size: number, private readonly workerUrl: URL = WORKER_URL) {
    for (let i = 0; i < Math.max(1, size); i++) this.spawn();
  }

  /**
   * Runs every task (workers beyond the number of tasks are stopped); resolves when every part
   * is written. Call once; `close` afterwards.
   */
  run(tasks: readonly SweepTask[], onDone: (done: TaskDone) => void): Promise<void> {
    if (this.batch !== undefined || this.closed) throw new Error('SweepPool.run: the pool is in use or closed');
    if (this.startError !== undefined) {
      this.close();
      return Promise.reject(this.startError);
    }
    if (tasks.length === 0) {
      this.close();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.batch = { tasks, next: 0, done: 0, onDone, resolve, reject };
      for (const worker of [...this.workers]) this.feed(worker);
    });
  }

  /** Stops every worker. */
  close(): void {
    this.closed = true;
    for (const worker of this.workers) void worker.thread.terminate();
    this.workers.clear();
  }

  private spawn(): void {
    const worker: PoolWorker = { thread: new Worker(this.workerUrl), current: undefined };
    this.workers.add(worker);
    worker.thread.on('message', (reply: SweepWorkerReply) => this.replied(worker, reply));
    worker.thread.on('error', (error) => this.died(worker, error.message));
    worker.thread.on('exit', (code) => this.died(worker, `exit code ${code}`));
  }

  /** Gives `worker` the next task, or stops it when there is none. */
  private feed(worker: PoolWorker): void {
    const batch = this.batch;
    if (this.closed || batch === undefined) return;
    if (batch.next >= batch.tasks.length) {
      worker.current = undefined;
      this.workers.delete(worker);
      void worker.thread.terminate(); // nothing left for it; the others finish theirs
      return;
    }
    worker.current = batch.tasks[batch.next++]!;
    worker.thread.postMessage(worker.current);
  }

  private replied(worker: PoolWorker, reply: SweepWorkerReply): void {
    const task = worker.current;
    if (this.closed || task === undefined || reply.index !== task.index) return;
    if ('writeError' in reply) {
      this.fail(new Error(`cannot write ${task.partPath}: ${reply.writeError}`));
      return;
    }
    this.feed(worker);
    this.finished(task, reply.error);
  }

  /** A worker that died: its run (if any) is recorded as failed, and a fresh worker replaces it. */
  private died(worker: PoolWorker, reason: string): void {
    if (this.closed || !this.workers.has(worker)) return;
    this.workers.delete(worker);
    const task = worker.current;
    worker.current = undefined;
    const batch = this.batch;
    if (task === undefined || batch === undefined) {
      // died before it had work: replace it, unless the threads cannot start at all
      if (++this.idleDeaths > 3) {
        this.startError = new Error(`sweep worker threads do not start: ${reason}`);
        if (batch !== undefined) this.fail(this.startError);
        return;
      }
      this.spawn();
      if (batch !== undefined) this.feed([...this.workers].at(-1)!);
      return;
    }
    const error = `worker thread stopped during the run: ${reason}`;
    writeFileAtomic(task.partPath, encodeErrorPart(task.index, task.run, error)).then(
      () => {
        if (this.closed) return;
        if (batch.next < batch.tasks.length) {
          this.spawn();
          this.feed([...this.workers].at(-1)!);
        }
        this.finished(task, error);
      },
      (e: unknown) => this.fail(new Error(`cannot write ${task.partPath}: ${e instanceof Error ? e.message : String(e)}`)),
    );
  }

  private finished(task: SweepTask, error: string | undefined): void {
    const batch = this.batch!;
    batch.done++;
    batch.onDone(error === undefined ? { index: task.index, run: task.run } : { index: task.index, run: task.run, error });
    if (batch.done === batch.tasks.length) {
      this.close();
      batch.resolve();
    }
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.close();
    this.batch?.reject(error);
  }
}
