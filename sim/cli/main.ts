/**
 * The `storsim` command line. Commands load their modules only when they run, so
 * `storsim --help` starts fast (mathjs and ajv are loaded by the scenario loader).
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ExitCode } from './exit-codes.ts';

const program = new Command();

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be an integer >= 1');
  return n;
}

function seedNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 4294967295) throw new InvalidArgumentError('must be an integer in [0, 4294967295]');
  return n;
}

const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  a run failed, or validation rows did not pass
  2  bad input (invalid scenario, option or argument); nothing is written`;

program
  .name('storsim')
  .description('Deterministic discrete-event simulation of storage systems and their policies.')
  .addHelpText('after', EXIT_CODES_HELP)
  .exitOverride();

program
  .command('run')
  .addHelpText('after', EXIT_CODES_HELP)
  .description('run scenarios (files or directories of *.json) and write runs.csv and timeseries.csv')
  .argument('<scenario...>', 'scenario files or directories')
  .option('-o, --out <dir>', 'output directory', 'out')
  .option('--seed <n>', 'base seed for every scenario (replication r uses seed + r)', seedNumber)
  .option('--replications <n>', 'replications (seeds) per variant', positiveInteger)
  .option('-q, --quiet', 'print nothing but errors')
  .action(async (scenarios: string[], options) => {
    const { runCommand } = await import('./run-command.ts');
    process.exitCode = await runCommand(scenarios, options);
  });

program
  .command('sweep')
  .addHelpText('after', `${EXIT_CODES_HELP}

Results folder: manifest.json (what the sweep is), parts/NNNNNN.json (one per finished run, written
whole as it ends), then runs.csv and timeseries.csv (byte-identical to \`storsim run\`) and
failures.csv (run_id,error) when runs failed. --resume runs only the runs without a part.
Shard k of N takes the runs whose canonical index mod N is k (0-based); seeds never depend on it.
--shard auto: index = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN (default 0), count = SLURM_ARRAY_TASK_COUNT.`)
  .description('run scenarios on every core into a results folder that survives interruption and splits into shards')
  .argument('<scenario...>', 'scenario files or directories')
  .option('-o, --out <dir>', 'results folder (default: out, or out/shard-<i>-of-<N> for a shard)')
  .option('--workers <n>', 'worker threads (default: one per core)', positiveInteger)
  .option('--seed <n>', 'base seed for every scenario (replication r uses seed + r)', seedNumber)
  .option('--replications <n>', 'replications (seeds) per variant', positiveInteger)
  .option('--resume', 'finish the sweep in --out: run only the runs that have no part yet')
  .option('--shard <i/N|auto>', 'run shard i of N (1-based), or "auto" from Slurm job-array variables')
  .option('--shard-index <k>', 'run shard k (0-based, e.g. $JOB_COMPLETION_INDEX); with --shard-count')
  .option('--shard-count <n>', 'number of shards; with --shard-index')
  .option('--progress <mode>', 'auto (bar on a terminal, else lines), bar, lines or none; on stderr', 'auto')
  .option('-q, --quiet', 'print nothing but errors (and no progress unless --progress is given)')
  .action(async (scenarios: string[], options, command: Command) => {
    const { sweepCommand } = await import('./sweep-command.ts');
    const progress = command.getOptionValueSource('progress') === 'default' ? undefined : options.progress;
    process.exitCode = await sweepCommand(scenarios, { ...options, progress });
  });

program
  .command('merge')
  .addHelpText('after', EXIT_CODES_HELP.replace('a run failed, or validation rows did not pass', 'the merged sweep has failed runs (failures.csv); all files are written'))
  .description('merge the results folders of a sweep\'s shards into one, as a single-process sweep writes it')
  .argument('<dirs...>', 'results folders of `storsim sweep` (one per shard, any order)')
  .requiredOption('-o, --out <dir>', 'the merged results folder')
  .option('-q, --quiet', 'print nothing but errors')
  .action(async (dirs: string[], options) => {
    const { mergeCommand } = await import('./merge-command.ts');
    process.exitCode = await mergeCommand(dirs, options);
  });

program
  .command('validate')
  .addHelpText('after', EXIT_CODES_HELP)
  .description('check scenario files without running them')
  .argument('<scenario...>', 'scenario files or directories')
  .action(async (scenarios: string[]) => {
    const { validateCommand } = await import('./validate-command.ts');
    process.exitCode = await validateCommand(scenarios);
  });

program
  .command('validation')
  .addHelpText('after', EXIT_CODES_HELP)
  .description('run the validation suite (scenarios/validation) against closed-form references; write validation.csv')
  .option('-o, --out <dir>', 'output directory', 'out')
  .option('--workers <n>', 'worker threads (default: one per core)', positiveInteger)
  .option('--suite <dir>', 'directory of validation scenarios (default: the built-in suite)')
  .action(async (options) => {
    const { validationCommand } = await import('./validation-command.ts');
    process.exitCode = await validationCommand(options);
  });

program
  .command('check')
  .addHelpText('after', `
Exit codes:
  0  every metric of every run is within tolerance of the baseline (or --update wrote it)
  1  something moved, a run or column is in one side only, or a run failed: the table says what
  2  bad input (scenario, baseline, tolerance or per-metric file); nothing is run or written

A value is within tolerance when |current - baseline| <= max(tolerance * |baseline|, floor);
floor is 0 unless a per-metric rule gives one, so a baseline of 0 must stay exactly 0.
Per-metric file: CSV with header "metric,tolerance" or "metric,tolerance,floor"; metric is a glob
over the column name (* any characters, ? one); the first matching line wins.`)
  .description('run scenarios as `storsim run` does and compare every summary metric with a baseline runs.csv')
  .argument('<scenario...>', 'scenario files or directories')
  .requiredOption('-b, --baseline <file>', 'the baseline runs.csv (written by --update or by `storsim run`)')
  .option('-t, --tolerance <t>', 'relative tolerance, dimensionless ("2%", "0.02")', '2%')
  .option('--per-metric <file>', 'per-metric tolerances (CSV: metric,tolerance[,floor]; globs; first match wins)')
  .option('--workers <n>', 'worker threads (default: one per core)', positiveInteger)
  .option('--update', 'run and rewrite the baseline on purpose instead of comparing')
  .option('-o, --out <dir>', 'also write the current runs.csv, timeseries.csv and check.csv (the differences) here')
  .option('--max-rows <n>', 'print at most n rows of the difference table, 0 for all (default 200)', (v: string) => (v === '0' ? 0 : positiveInteger(v)))
  .option('--seed <n>', 'base seed for every scenario, as in `storsim run`', seedNumber)
  .option('--replications <n>', 'replications (seeds) per variant, as in `storsim run`', positiveInteger)
  .action(async (scenarios: string[], options) => {
    const { checkCommand } = await import('./check-command.ts');
    process.exitCode = await checkCommand(scenarios, options);
  });

program
  .command('compare')
  .addHelpText('after', `
Exit codes:
  0  ok
  2  bad input (a results path that is not a storsim runs.csv, a run id given twice, an unknown
     --baseline or --metric); nothing is written

For each scenario, variant (its non-policy parameters), policy and metric: n, mean, standard
deviation and 95% Student t interval across seeds; for each policy against the baseline, the mean
paired difference (policy - baseline) over the seeds both ran, its 95% t interval, the relative
change and whether the interval excludes 0. Metrics are post-warm-up summaries from runs.csv.
--metric takes exact names or globs (* any characters, / included; ? one character).`)
  .description('compare policies across seeds: means, 95% intervals and paired differences; write comparison.csv')
  .argument('<results...>', 'results folders (holding runs.csv) or runs.csv files; several are concatenated')
  .option('-b, --baseline <policy>', 'baseline policy label (default: the first policy of each scenario and variant)')
  .option('-m, --metric <name...>', 'metrics to compare, names or globs (default: every metric column)')
  .option('-o, --out <dir>', 'output directory for comparison.csv (default: the first results folder)')
  .action(async (results: string[], options) => {
    const { compareCommand } = await import('./compare-command.ts');
    process.exitCode = await compareCommand(results, options);
  });

program
  .command('report')
  .addHelpText('after', `${EXIT_CODES_HELP.replace('a run failed, or validation rows did not pass', '(not used)')}

Writes one self-contained HTML page (it loads nothing, runs no script): per scenario, the run
matrix, policy comparison bar charts with 95% interval error bars, time series per policy, latency
CDFs from the reported quantiles, and the comparison table. --metric and --series take exact names
or globs (* any characters, / included; ? one character). The same inputs give identical HTML.`)
  .description('write an HTML report with charts of a results folder (runs.csv, timeseries.csv)')
  .argument('<results-dir>', 'results folder (holding runs.csv) written by run, sweep or merge')
  .option('-o, --out <file>', 'HTML file to write (default: <results-dir>/report.html)')
  .option('-m, --metric <name...>', 'runs.csv metrics to chart, names or globs (default: a few that differ between policies)')
  .option('-s, --series <name...>', 'timeseries.csv series to chart, names or globs (default: a few)')
  .option('-t, --title <text>', 'page title (default: storsim report)')
  .option('-b, --baseline <policy>', 'baseline policy of the comparison (default: the first policy of each scenario and variant)')
  .option('--scenarios <path...>', 'scenario files or folders, for the scenarios\' descriptions (a sweep folder\'s manifest.json names them already)')
  .option('-q, --quiet', 'print nothing but errors')
  .action(async (resultsDir: string, options) => {
    const { reportCommand } = await import('./report-command.ts');
    process.exitCode = await reportCommand(resultsDir, options);
  });

program
  .command('schema')
  .addHelpText('after', EXIT_CODES_HELP)
  .description('print the scenario JSON Schema (generated from the registered models and policies)')
  .option('-o, --out <file>', 'write it to this file instead of standard output')
  .action(async (options) => {
    const { schemaCommand } = await import('./schema-command.ts');
    process.exitCode = await schemaCommand(options);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version exit 0; every usage error is bad input.
    process.exitCode = error.exitCode === 0 ? ExitCode.OK : ExitCode.BAD_INPUT;
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = ExitCode.FAILED;
  }
}
