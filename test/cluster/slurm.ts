/**
 * Drives the throw-away single-node Slurm of test/cluster/slurm-setup.sh from a test: install (or learn
 * why it cannot be), start, submit with sbatch, wait with squeue, read job states with scontrol, stop.
 * No accounting database is configured, so job states come from `scontrol show job`, which keeps
 * finished jobs for MinJobAge (600 s in the generated slurm.conf).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SETUP = fileURLToPath(new URL('./slurm-setup.sh', import.meta.url));
/** slurm-setup.sh's exit code for "Slurm cannot be had here". */
const SKIP_EXIT = 77;
/** Slurm's daemons live in /usr/sbin, which a non-login PATH may lack. */
const PATH = `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`;

export type Availability = { available: true } | { available: false; reason: string };

function setup(command: string, dir?: string): SpawnSyncReturns<string> {
  return spawnSync('bash', [SETUP, command, ...(dir ? [dir] : [])], {
    encoding: 'utf8',
    env: { ...process.env, PATH },
    maxBuffer: 1 << 26,
  });
}

/** Installs slurm-wlm and munge when missing and checks the daemons can run here; says why not when that is impossible. */
export function ensureSlurmInstalled(): Availability {
  const result = setup('check');
  if (result.status === 0) return { available: true };
  const lines = result.stderr.trim().split('\n');
  const reason = lines.filter((l) => l.includes('SKIP:')).pop()?.replace(/^.*SKIP:\s*/, '');
  if (result.status === SKIP_EXIT && reason) return { available: false, reason };
  throw new Error(`slurm-setup.sh check failed (exit ${result.status ?? result.signal}):\n${result.stderr}`);
}

export class SlurmCluster {
  private stopped = false;
  private readonly onExit = () => this.stop();
  /** On Ctrl-C or a CI time-out, stop the daemons before dying ('exit' handlers do not run on signals). */
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.stop();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };

  private constructor(
    readonly dir: string,
    /** The environment every Slurm client command needs (SLURM_CONF, PATH). */
    readonly env: NodeJS.ProcessEnv,
  ) {
    process.on('exit', this.onExit);
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  /** Starts munged, slurmctld and slurmd (stopping what an earlier run left), waiting until the node is idle. */
  static start(dir = join(tmpdir(), 'storsim-slurm')): SlurmCluster {
    const result = setup('start', dir);
    if (result.status !== 0) {
      throw new Error(`could not start the test's Slurm (slurm-setup.sh start exit ${result.status ?? result.signal}):\n${result.stderr}`);
    }
    const conf = /^SLURM_CONF=(.+)$/m.exec(result.stdout)?.[1];
    if (!conf) throw new Error(`slurm-setup.sh start printed no SLURM_CONF line:\n${result.stdout}`);
    return new SlurmCluster(dir, { ...process.env, PATH, SLURM_CONF: conf });
  }

  /** Runs a Slurm client command; throws with its output when it fails. */
  command(name: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): string {
    const result = spawnSync(name, args, { encoding: 'utf8', env: { ...this.env, ...extraEnv }, timeout: 60_000 });
    if (result.status !== 0) {
      throw new Error(`${name} ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
    }
    return result.stdout;
  }

  /** sbatch --parsable ...; returns the job id (of the array job, for an array). */
  sbatch(args: string[], extraEnv: NodeJS.ProcessEnv = {}): string {
    const out = this.command('sbatch', ['--parsable', ...args], extraEnv).trim();
    const id = out.split(';')[0] ?? '';
    if (!/^\d+$/.test(id)) throw new Error(`sbatch printed no job id: "${out}"`);
    return id;
  }

  /**
   * Polls squeue until none of the jobs (arrays included) is pending or running, or the poll budget is
   * spent. A job left pending only because its dependency failed (the cluster cancels those,
   * DependencyParameters=kill_invalid_depend, but not at once) counts as gone.
   */
  async waitUntilGone(jobIds: string[], { pollMs = 500, maxPolls = 1200 } = {}): Promise<void> {
    for (let poll = 0; poll < maxPolls; poll++) {
      const queued = this.command('squeue', ['-h', '-j', jobIds.join(','), '-o', '%i %T %r']).trim();
      if (queued === '') return;
      if (queued.split('\n').every((line) => / PENDING DependencyNeverSatisfied$/.test(line))) return;
      await sleep(pollMs);
    }
    const queued = this.command('squeue', ['-h', '-j', jobIds.join(','), '-o', '%i %T %r']).trim();
    throw new Error(`jobs ${jobIds.join(', ')} still queued after ${(pollMs * maxPolls) / 1000} s:\n${queued}`);
  }

  /** The state and exit code of a job, or of every task of an array job, as scontrol reports them. */
  jobStates(jobId: string): JobState[] {
    const out = this.command('scontrol', ['-o', 'show', 'job', jobId]);
    return out
      .trim()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const fields = new Map<string, string>();
        for (const token of line.split(/\s+/)) {
          const eq = token.indexOf('=');
          if (eq > 0) fields.set(token.slice(0, eq), token.slice(eq + 1));
        }
        return {
          jobId: fields.get('JobId') ?? '',
          arrayTaskId: fields.get('ArrayTaskId') ?? null,
          state: fields.get('JobState') ?? '',
          reason: fields.get('Reason') ?? '',
          exitCode: fields.get('ExitCode') ?? '',
          startTime: fields.get('StartTime') ?? '',
          endTime: fields.get('EndTime') ?? '',
          runTime: fields.get('RunTime') ?? '',
        };
      });
  }

  /** The node line of sinfo: state, CPUs and memory (MB). */
  nodeSummary(): string {
    return this.command('sinfo', ['-h', '-N', '-o', '%N %t %c %m']).trim();
  }

  /** Cancels jobs and stops the daemons; safe to call twice. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    const result = setup('stop', this.dir);
    if (result.status !== 0) console.error(`slurm-setup.sh stop failed:\n${result.stderr}`);
  }

  /** The tails of the daemons' logs, for a failure message. */
  logTails(): string {
    const result = spawnSync('bash', ['-c', 'for f in "$0"/log/*.log "$0"/munge/munged.log; do [ -f "$f" ] && { echo "----- $f"; tail -n 20 "$f"; }; done', this.dir], {
      encoding: 'utf8',
    });
    return result.stdout;
  }
}

export interface JobState {
  jobId: string;
  arrayTaskId: string | null;
  state: string;
  reason: string;
  exitCode: string;
  /** As scontrol prints them: ISO-like local times with 1 s resolution, and RunTime as [D-]HH:MM:SS. */
  startTime: string;
  endTime: string;
  runTime: string;
}
