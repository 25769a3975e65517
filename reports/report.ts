/**
 * `storsim report`: one self-contained HTML page from a results folder (what `storsim run`,
 * `sweep` or `merge` writes). Per scenario: its description and run matrix, policy comparison
 * the significant differences in a few lines, bar charts with 95% interval error bars, time series
 * per policy, latency CDFs built from the reported quantiles, and the comparison table
 * (compare.ts) with significant differences marked.
 *
 * Charts are vega-lite specs rendered to SVG in Node (charts/render-svg.ts); the page loads
 * nothing and runs no script. The same inputs and options give byte-identical HTML: nothing
 * depends on the time, the machine, the folder's path, or the order files are listed.
 *
 * Inputs: `runs.csv` (required) and `timeseries.csv` (optional) of the results folder; scenario
 * descriptions from scenario files given with `scenarioPaths`, or else the files named by the
 * folder's `manifest.json` (written by sweeps) when they can still be read; `failures.csv`
 * (sweeps) is listed when present.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as vega from 'vega';
import { version as vegaLiteVersion } from 'vega-lite';
import { findLatencyHistograms } from './charts/latency-quantiles.ts';
import { chooseBarMetrics, chooseHistograms, chooseSeries, globToRegExp, MAX_BAR_CHARTS } from './charts/select-metrics.ts';
import { compareRuns, type ComparisonRow } from './compare.ts';
import { comparisonTable } from './html/comparison-table.ts';
import { html, type Html } from './html/escape.ts';
import { ChartCounter } from './html/figure.ts';
import { highlights } from './html/highlights.ts';
import { latencyCdfs } from './html/latency-cdfs.ts';
import { page } from './html/page.ts';
import { indexComparison, policyBars } from './html/policy-bars.ts';
import { runMatrix } from './html/run-matrix.ts';
import { linesDiffer, scenarioSeriesNames, seriesPoints, timeSeriesCharts, type SeriesByRun } from './html/time-series.ts';
import { reportScenarios, type ReportScenario } from './report-scenario.ts';
import { suggest } from '../sim/scenario/did-you-mean.ts';
import { csvRecords, readRunsTable, ResultsFileError, type RunsTable } from './runs-table.ts';
import { readTimeseries, seriesByRun } from './timeseries-table.ts';

/** Bad input to a report that runs-table.ts does not already catch (an option that selects nothing). */
export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
}

export interface ReportOptions {
  /** Page title (default `storsim report`). */
  readonly title?: string;
  /** Globs of runs.csv metric columns to chart (default: a few that differ between policies). */
  readonly metrics?: readonly string[];
  /** Globs of timeseries.csv series to chart (default: a few). */
  readonly series?: readonly string[];
  /** Baseline policy label of the comparison (default: each group's first policy). */
  readonly baseline?: string;
}

/** What a scenario file says about itself. */
export interface ScenarioInfo {
  readonly description?: string;
  /** The file, as named on the command line or in the manifest. */
  readonly file?: string;
  /** Set when the manifest's content hash no longer matches the file. */
  readonly changed?: boolean;
}

/** A failed run listed in failures.csv. */
export interface FailedRun {
  readonly runId: string;
  readonly error: string;
}

/** Everything a report is made from. */
export interface ReportInputs {
  readonly runs: RunsTable;
  /** Sampled series by run and metric; undefined when the folder has no timeseries.csv. */
  readonly series: SeriesByRun | undefined;
  readonly scenarios: ReadonlyMap<string, ScenarioInfo>;
  readonly failures: readonly FailedRun[];
}

/** A rendered report. */
export interface RenderedReport {
  readonly html: string;
  readonly charts: number;
  /** Warnings from the chart renderer (none expected; shown by the command when present). */
  readonly warnings: readonly string[];
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a results folder. Throws ResultsFileError when runs.csv is missing or malformed or
 * timeseries.csv is malformed; a missing timeseries.csv, manifest or scenario file is not an error.
 */
export async function readReportInputs(dir: string, scenarioPaths: readonly string[] = []): Promise<ReportInputs> {
  let info;
  try {
    info = await stat(dir);
  } catch {
    throw new ResultsFileError(`${dir}: no such folder`);
  }
  if (!info.isDirectory()) throw new ResultsFileError(`${dir}: not a folder; give the results folder that holds runs.csv`);
  const runs = await readRunsTable(dir);
  const series = (await exists(join(dir, 'timeseries.csv'))) ? seriesByRun(await readTimeseries(dir)) : undefined;
  const scenarios = scenarioPaths.length > 0 ? await scenarioFileInfo(scenarioPaths) : await manifestScenarioInfo(dir);
  const failures = await readFailures(dir);
  return { runs, series, scenarios, failures };
}

/** Names and descriptions from scenario files (or folders of `*.json`), read as plain JSON. */
async function scenarioFileInfo(paths: readonly string[]): Promise<Map<string, ScenarioInfo>> {
  const files: string[] = [];
  for (const path of paths) {
    let isDir;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch {
      throw new ResultsFileError(`--scenarios ${path}: no such file or folder`);
    }
    if (isDir) files.push(...(await readdir(path)).filter((n) => n.endsWith('.json')).sort().map((n) => join(path, n)));
    else files.push(path);
  }
  const result = new Map<string, ScenarioInfo>();
  for (const file of files) {
    const spec = await readJson(file);
    if (spec === undefined) throw new ResultsFileError(`--scenarios ${file}: not a JSON scenario file`);
    const name = spec['name'];
    if (typeof name !== 'string') continue;
    const description = spec['description'];
    result.set(name, { file, ...(typeof description === 'string' ? { description } : {}) });
  }
  return result;
}

/** Descriptions from the scenario files a sweep's manifest.json names, where they can be read. */
async function manifestScenarioInfo(dir: string): Promise<Map<string, ScenarioInfo>> {
  const result = new Map<string, ScenarioInfo>();
  const manifest = await readJson(join(dir, 'manifest.json'));
  const listed = manifest?.['scenarios'];
  if (!Array.isArray(listed)) return result;
  for (const entry of listed as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { name, file, sha256 } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || typeof file !== 'string') continue;
    let text: Buffer | undefined;
    try {
      text = await readFile(file);
    } catch {
      text = undefined;
    }
    const spec = text === undefined ? undefined : parseJsonObject(text.toString('utf8'));
    const description = spec?.['name'] === name ? spec['description'] : undefined;
    const changed = text !== undefined && typeof sha256 === 'string' && createHash('sha256').update(text).digest('hex') !== sha256;
    result.set(name, { file, changed, ...(typeof description === 'string' ? { description } : {}) });
  }
  return result;
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return parseJsonObject(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** failures.csv (`run_id,error`) of a sweep, when present and readable. */
async function readFailures(dir: string): Promise<FailedRun[]> {
  let text;
  try {
    text = await readFile(join(dir, 'failures.csv'), 'utf8');
  } catch {
    return [];
  }
  return csvRecords(text)
    .slice(1)
    .map(({ fields }) => ({ runId: fields[0] ?? '', error: fields[1] ?? '' }))
    .filter((f) => f.runId !== '');
}

/** The chosen charts of one scenario. */
interface ScenarioPlan {
  readonly scenario: ReportScenario;
  readonly barMetrics: string[];
  readonly series: string[];
  readonly histograms: ReturnType<typeof findLatencyHistograms>;
  /** Whether the scenario's runs have any series in timeseries.csv. */
  readonly sampled: boolean;
}

/** Chooses every scenario's charts; a `--metric` or `--series` glob that selects nothing anywhere is an error. */
function plan(inputs: ReportInputs, scenarios: readonly ReportScenario[], options: ReportOptions): ScenarioPlan[] {
  const metricGlobs = options.metrics?.map(globToRegExp);
  const seriesGlobs = options.series?.map(globToRegExp);
  const columns = inputs.runs.metricColumns;
  const histograms = findLatencyHistograms(columns);
  for (const [i, glob] of (options.metrics ?? []).entries()) {
    if (!columns.some((c) => metricGlobs![i]!.test(c))) {
      const close = /[*?]/.test(glob) ? undefined : suggest(glob, columns);
      throw new ReportInputError(`--metric "${glob}" matches no metric column of runs.csv${close === undefined ? '' : ` (did you mean "${close}"?)`} (${columns.length} columns, named like ${columns.slice(0, 3).join(', ')}; * matches any characters)`);
    }
  }
  const plans = scenarios.map((scenario): ScenarioPlan => {
    const groups = scenario.groups.map((g) => g.rows);
    const names = inputs.series === undefined ? [] : scenarioSeriesNames(scenario, inputs.series);
    const seriesMap = inputs.series;
    return {
      scenario,
      barMetrics: chooseBarMetrics(columns, groups, histograms, metricGlobs),
      series: seriesMap === undefined ? [] : chooseSeries(names, (m) => linesDiffer(seriesPoints(scenario, m, seriesMap)), seriesGlobs),
      histograms: chooseHistograms(histograms, scenario.rows, metricGlobs),
      sampled: names.length > 0,
    };
  });
  for (const [i, glob] of (options.series ?? []).entries()) {
    if (inputs.series === undefined) throw new ReportInputError(`--series "${glob}": the results folder has no timeseries.csv`);
    const all = scenarios.flatMap((s) => scenarioSeriesNames(s, inputs.series!));
    if (!all.some((m) => seriesGlobs![i]!.test(m))) {
      const sample = [...new Set(all)].slice(0, 3).join(', ');
      throw new ReportInputError(`--series "${glob}" matches no series of timeseries.csv (${sample === '' ? 'it has no series' : `series are named like ${sample}`}; * matches any characters)`);
    }
  }
  return plans;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function describe(info: ScenarioInfo | undefined): Html {
  if (info?.description === undefined) {
    return html`<p class="muted small">No description available: runs.csv does not carry one. Give the scenario files with <code>--scenarios</code>, or report on a sweep folder (its manifest.json names them).</p>`;
  }
  const source = info.file === undefined ? html`` : html`<p class="muted small">Scenario file <code>${info.file}</code>${info.changed ? ' (changed since these results were made)' : ''}</p>`;
  return html`<p class="description">${info.description}</p>${source}`;
}

function part(kind: string, title: string, intro: Html, content: Html): Html {
  return html`<div class="part ${kind}"><h3>${title}</h3>${intro}${content}</div>`;
}

async function scenarioSection(index: number, p: ScenarioPlan, inputs: ReportInputs, stats: readonly ComparisonRow[], counter: ChartCounter, chosenByOption: boolean): Promise<Html> {
  const { scenario } = p;
  const own = stats.filter((r) => r.scenario === scenario.name);
  const charted = own.filter((r) => p.barMetrics.includes(r.metric));
  const parts: Html[] = [part('run-matrix', 'Run matrix', html``, runMatrix(scenario))];
  const found = highlights(scenario, charted);
  if (found.text !== '') parts.push(part('highlights', 'Significant differences', html``, found));

  const comparable = scenario.groups.length > 1;
  const bars = await policyBars(scenario, p.barMetrics, indexComparison(own), counter);
  parts.push(
    part(
      'policy-comparison',
      'Policy comparison',
      html`<p class="muted small">${barsIntro(bars.length, comparable, chosenByOption)}</p>`,
      html`<div class="charts">${bars}</div>`,
    ),
  );

  if (inputs.series !== undefined) {
    const charts = await timeSeriesCharts(scenario, p.series, inputs.series, counter);
    parts.push(
      part(
        'time-series',
        'Time series',
        html`<p class="muted small">${charts.length > 0 ? 'Sampled every metrics.interval of simulated time (timeseries.csv): counters are cumulative, time-weighted metrics are interval means, latency series are the interval mean or p99.' : p.sampled ? 'None of the series chosen with --series is sampled in this scenario.' : 'This scenario samples no series (set metrics.interval in the scenario).'}</p>`,
        html`<div class="charts">${charts}</div>`,
      ),
    );
  }

  const cdfs = await latencyCdfs(scenario, p.histograms, counter);
  if (cdfs.length > 0) {
    parts.push(
      part(
        'latency-cdf',
        'Latency distributions',
        html`<p class="muted small">Built from the quantiles runs.csv reports for each latency histogram (p50, p95, p99, p99.9 and the maximum), averaged across seeds: each point is a quantile, and the step stays at its level until the next, a lower bound of the distribution between the known points. The vertical axis is in "nines" (−log₁₀(1 − p)) so the tail shows; the maximum is drawn one step above p99.9.</p>`,
        html`<div class="charts">${cdfs}</div>`,
      ),
    );
  }

  parts.push(
    part(
      'comparison-table',
      'Comparison',
      html`<p class="muted small">${scenario.policies.length > 1
        ? 'For the charted metrics: n, mean and 95% Student t interval across seeds; for each policy against the baseline, the paired difference over common seeds (the same seed gives the same workload), its 95% interval and the relative change. Rows marked ▲/▼ are significant (the interval excludes 0).'
        : 'For the charted metrics: n, mean and 95% Student t interval across seeds (one policy, so no paired differences).'}</p><p class="muted small"><code>storsim compare</code> writes every metric to comparison.csv.</p>`,
      comparisonTable(scenario, charted, p.barMetrics),
    ),
  );

  return html`<section class="scenario" id="scenario-${index + 1}"><h2>${scenario.name}</h2>${describe(inputs.scenarios.get(scenario.name))}${parts}</section>`;
}

function barsIntro(charts: number, comparable: boolean, chosenByOption: boolean): string {
  if (charts === 0) {
    if (chosenByOption) return 'The metrics chosen with --metric have no value in this scenario.';
    return comparable ? 'No summary metric differs between the policies and variants.' : 'One policy and one variant: there is nothing to compare.';
  }
  const which = chosenByOption
    ? 'The metrics chosen with --metric'
    : `The summary metrics whose means differ most between the policies and variants (at most ${MAX_BAR_CHARTS}, in column order; choose others with --metric)`;
  return `${which}. Bars: mean across seeds, after warm-up; error bars: 95% confidence interval of the mean. The table below has the numbers.`;
}

/** Renders the report page. Throws ReportInputError / CompareError on options that do not fit the inputs. */
export async function renderReport(inputs: ReportInputs, options: ReportOptions = {}): Promise<RenderedReport> {
  const title = options.title ?? 'storsim report';
  const scenarios = reportScenarios(inputs.runs);
  const plans = plan(inputs, scenarios, options);
  const charted = [...new Set(plans.flatMap((p) => p.barMetrics))];
  // called even when nothing is charted, so that a --baseline that names no policy is reported
  const stats =
    inputs.runs.rows.length === 0
      ? []
      : compareRuns(inputs.runs, { metrics: charted, ...(options.baseline === undefined ? {} : { baseline: options.baseline }) });
  const counter = new ChartCounter();
  const sections: Html[] = [];
  for (const [i, p] of plans.entries()) sections.push(await scenarioSection(i, p, inputs, stats, counter, options.metrics !== undefined));

  const runs = inputs.runs.rows.length;
  const summary = html`<p class="muted">${plural(runs, 'run')} of ${plural(scenarios.length, 'scenario')}${inputs.series === undefined ? ' (runs.csv; no timeseries.csv)' : ' (runs.csv and timeseries.csv)'}.</p>`;
  const toc =
    scenarios.length > 1
      ? html`<nav class="toc"><strong>Scenarios</strong><ol>${scenarios.map((s, i) => html`<li><a href="#scenario-${i + 1}">${s.name}</a> <span class="muted small">(${plural(s.rows.length, 'run')})</span></li>`)}</ol></nav>`
      : html``;
  const failures =
    inputs.failures.length > 0
      ? html`<div class="notice"><strong>${plural(inputs.failures.length, 'run')} failed</strong> and ${inputs.failures.length === 1 ? 'is' : 'are'} not in this report (failures.csv):<ul>${inputs.failures.map((f) => html`<li><code>${f.runId}</code>: ${f.error}</li>`)}</ul></div>`
      : html``;
  const empty = runs === 0 ? html`<div class="notice">runs.csv holds no runs.</div>` : html``;
  const footer = html`<footer>Made by <code>storsim report</code> from runs.csv${inputs.series === undefined ? '' : ' and timeseries.csv'}. Charts: vega-lite ${vegaLiteVersion} and vega ${vega.version}, rendered to SVG without a browser. Summary metrics exclude each scenario's warm-up.</footer>`;
  const body = html`<header class="report"><h1>${title}</h1>${summary}${toc}</header>${failures}${empty}${sections}${footer}`;
  return { html: page(title, body), charts: counter.count, warnings: counter.warnings };
}

