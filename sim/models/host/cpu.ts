/**
 * A host's processor: `cores` identical cores serving CPU work from one FIFO run queue
 * (M/G/c with a shared queue). IO paths charge their per-IO CPU time here, so IOs of all
 * VMs on a host compete for the same cores and wait when every core is busy.
 *
 * Callback path only: a task is any object with `cpuNs` and `cpuDone()`, reused by its
 * owner; running one costs one engine event and no allocation. `cpuDone` is always called
 * from that engine event, never from `run`. (The engine's `Resource.acquire` would serve
 * too, but allocates a request object per grant; IO paths run this per request.)
 *
 * Metrics under the host's path: `cpu_utilization` (time-weighted fraction of cores busy)
 * and `cpu_run_queue` (time-weighted number of tasks waiting for a core).
 */
import type { Environment } from '../../engine/index.ts';
import type { MetricRegistry, TimeWeighted } from '../../metrics/index.ts';
import { Fifo } from './fifo.ts';

/** A piece of CPU work: how long it holds a core, and whom to tell when it is done. */
export interface CpuTask {
  /** Core time the task needs (ns, >= 0). Read when the task starts on a core. */
  cpuNs: number;
  /** Called from an engine event when the task has had its core time. */
  cpuDone(): void;
}

export class HostCpu {
  readonly cores: number;
  private readonly env: Environment;
  private readonly running: (CpuTask | null)[];
  private readonly startedNs: Float64Array;
  private readonly handles: Float64Array;
  private readonly queue = new Fifo<CpuTask>();
  private busyCores = 0;
  private completedBusyNs = 0;
  private readonly utilization: TimeWeighted;
  private readonly runQueue: TimeWeighted;
  private readonly finishFn = (core: number) => this.finish(core);

  constructor(env: Environment, path: string, cores: number, metrics: MetricRegistry) {
    if (!Number.isInteger(cores) || cores < 1) throw new RangeError(`cores must be an integer >= 1, got ${cores}`);
    this.env = env;
    this.cores = cores;
    this.running = new Array<CpuTask | null>(cores).fill(null);
    this.startedNs = new Float64Array(cores);
    this.handles = new Float64Array(cores).fill(-1);
    this.utilization = metrics.timeWeighted(`${path}/cpu_utilization`);
    this.runQueue = metrics.timeWeighted(`${path}/cpu_run_queue`);
  }

  /** Cores busy right now. */
  get busy(): number {
    return this.busyCores;
  }

  /** Tasks waiting for a core right now. */
  get waiting(): number {
    return this.queue.size;
  }

  /** Core time (ns) used so far, counting tasks in progress up to now. */
  get busyNs(): number {
    let total = this.completedBusyNs;
    for (let core = 0; core < this.cores; core++) if (this.running[core] !== null) total += this.env.now - this.startedNs[core]!;
    return total;
  }

  /** Queues `task`; it starts at once on the lowest-numbered idle core, else waits its turn (FIFO). */
  run(task: CpuTask): void {
    if (this.busyCores < this.cores) {
      this.start(this.idleCore(), task);
      return;
    }
    this.queue.push(task);
    this.runQueue.set(this.queue.size);
  }

  /**
   * Drops every task, running or waiting, without calling their `cpuDone` (a crash). The
   * time the running ones had used counts as busy time. Returns how many were dropped.
   */
  abortAll(): number {
    let dropped = this.queue.drain().length;
    for (let core = 0; core < this.cores; core++) {
      if (this.running[core] === null) continue;
      this.env.cancel(this.handles[core]!);
      this.completedBusyNs += this.env.now - this.startedNs[core]!;
      this.running[core] = null;
      this.handles[core] = -1;
      dropped++;
    }
    this.busyCores = 0;
    this.utilization.set(0);
    this.runQueue.set(0);
    return dropped;
  }

  private idleCore(): number {
    for (let core = 0; core < this.cores; core++) if (this.running[core] === null) return core;
    throw new Error('no idle core'); // unreachable: callers check busyCores first
  }

  private start(core: number, task: CpuTask): void {
    this.running[core] = task;
    this.startedNs[core] = this.env.now;
    this.handles[core] = this.env.schedule(task.cpuNs, this.finishFn, core);
    this.busyCores++;
    this.utilization.set(this.busyCores / this.cores);
  }

  private finish(core: number): void {
    const task = this.running[core]!;
    this.completedBusyNs += this.env.now - this.startedNs[core]!;
    this.running[core] = null;
    this.handles[core] = -1;
    this.busyCores--;
    // The next waiting task takes the core before `cpuDone` can queue more work (FIFO).
    const next = this.queue.shift();
    if (next !== undefined) {
      this.runQueue.set(this.queue.size);
      this.start(core, next);
    } else {
      this.utilization.set(this.busyCores / this.cores);
    }
    task.cpuDone();
  }
}
