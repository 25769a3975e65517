/**
 * `storsim report` (reports/report.ts, sim/cli/report-command.ts) on a hand-written results folder
 * (report-fixture.ts): the page is deterministic, self-contained and escaped, has its sections and
 * one SVG per chart with axis titles in units, and its numbers are the ones worked out by hand
 * from the fixture (means; 95% Student t intervals with t(0.975, 2) = 4.3027 from Abramowitz &
 * Stegun, Table 26.10; quantile positions -log10(1 - p)). Bad input exits 2 with nothing written.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ninesOf } from '../../reports/charts/latency-cdf.ts';
import { findLatencyHistograms } from '../../reports/charts/latency-quantiles.ts';
import { normaliseSvg } from '../../reports/charts/render-svg.ts';
import { globToRegExp } from '../../reports/charts/select-metrics.ts';
import { axisTitle, metricUnit } from '../../reports/charts/units.ts';
import { CompareError } from '../../reports/compare.ts';
import { escapeHtml } from '../../reports/html/escape.ts';
import { cdfPoints } from '../../reports/html/latency-cdfs.ts';
import { displayNumber } from '../../reports/html/numbers.ts';
import { meanSeries } from '../../reports/html/time-series.ts';
import { readReportInputs, renderReport, ReportInputError, type ReportOptions } from '../../reports/report.ts';
import { reportScenarios } from '../../reports/report-scenario.ts';
import { ResultsFileError } from '../../reports/runs-table.ts';
import { reportCommand } from '../../sim/cli/report-command.ts';
import { ExitCode } from '../../sim/cli/exit-codes.ts';
import { BYTES_B, COST_USD, EVIL_DESCRIPTION, EVIL_POLICY, EVIL_SCENARIO, METRIC_COLUMNS, writeFixture } from './report-fixture.ts';

const T_975_DF2 = 4.3027; // Abramowitz & Stegun, Table 26.10

async function render(options: ReportOptions = {}, fixture = { timeseries: true }, withScenario = true): Promise<string> {
  const f = writeFixture(fixture);
  try {
    const inputs = await readReportInputs(f.dir, withScenario ? [f.scenarioFile] : []);
    return (await renderReport(inputs, options)).html;
  } finally {
    f.remove();
  }
}

/** The chart figures of a page: kind, caption metric, SVG. */
function figures(html: string): { kind: string; metric: string; svg: string }[] {
  return [...html.matchAll(/<figure class="chart (\w+)" id="c\d+">(<svg[\s\S]*?<\/svg>)<figcaption><strong>([^<]*)<\/strong>/g)].map((m) => ({ kind: m[1]!, svg: m[2]!, metric: m[3]! }));
}

/** The scenario sections of a page, in order. */
function sections(html: string): string[] {
  return html.split('<section class="scenario"').slice(1);
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${what}: ${actual} != ${expected}`);
}

/** Passes when `fn` rejects with an error that `check` accepts (uvu has no assert.rejects). */
async function rejects(fn: () => Promise<unknown>, check: (e: unknown) => boolean): Promise<void> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined, 'expected a rejection');
  assert.ok(check(error), `unexpected error: ${String(error)}`);
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function sd(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

/** Number values of the named fields in the aria-labels of marks of one role in an SVG. */
function ariaValues(svg: string, role: string): Record<string, string>[] {
  return [...svg.matchAll(new RegExp(`aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="${role}"`, 'g'))].map((m) =>
    Object.fromEntries(m[1]!.split('; ').map((kv) => {
      const at = kv.lastIndexOf(': ');
      return [kv.slice(0, at), kv.slice(at + 2)];
    })),
  );
}

test('units come from the metric name suffix', () => {
  assert.equal(axisTitle('ssd/write_latency_p99_us'), 'ssd/write_latency_p99 (µs)');
  assert.equal(axisTitle('server/response_time_mean_s'), 'server/response_time_mean (s)');
  assert.equal(axisTitle('ssd/bytes_written_B'), 'ssd/bytes_written (bytes)');
  assert.equal(axisTitle('s3/total_cost_USD'), 's3/total_cost (USD)');
  assert.equal(axisTitle('ssd/bandwidth_B_per_s'), 'ssd/bandwidth (bytes/s)');
  assert.equal(axisTitle('h1/passthrough/cpu_per_io_p99_us'), 'h1/passthrough/cpu_per_io_p99 (µs)');
  assert.equal(axisTitle('ssd/write_amplification'), 'ssd/write_amplification');
  assert.equal(metricUnit('ssd/reads').label, '');
  assert.equal(metricUnit('_s').label, '', 'a bare suffix is not a unit');
});

test('latency histograms are found from their five quantile columns with a time unit', () => {
  const found = findLatencyHistograms(METRIC_COLUMNS);
  assert.equal(found, [{ path: 'q/latency', unit: 'us', columns: ['q/latency_p50_us', 'q/latency_p95_us', 'q/latency_p99_us', 'q/latency_p999_us', 'q/latency_max_us'] }]);
  assert.equal(findLatencyHistograms(['a/size_p50_B', 'a/size_p95_B', 'a/size_p99_B', 'a/size_p999_B', 'a/size_max_B']), [], 'a size histogram is not a latency');
  assert.equal(findLatencyHistograms(['a/t_p50_us', 'a/t_p99_us']), [], 'incomplete');
});

test('globs match whole names, * across slashes', () => {
  assert.ok(globToRegExp('ssd/*').test('ssd/a/b_us'));
  assert.ok(!globToRegExp('ssd/*').test('xssd/a'));
  assert.ok(globToRegExp('*_p99_us').test('vm1/read_latency_p99_us'));
  assert.ok(globToRegExp('a.b?').test('a.bc') && !globToRegExp('a.b?').test('axbc'), '. is literal, ? one character');
});

test('SVG ids are renamed in order of appearance, references follow', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" class="marks" width="1"><defs><clipPath id="clip7"><path/></clipPath><linearGradient id="gradient_3"/></defs><g clip-path="url(#clip7)"><rect fill="url(#gradient_3)"/><use href="#clip7"/></g></svg>';
  const out = normaliseSvg(svg, 'c4');
  assert.equal(out, '<svg xmlns="http://www.w3.org/2000/svg" width="1"><defs><clipPath id="c4-1"><path/></clipPath><linearGradient id="c4-2"/></defs><g clip-path="url(#c4-1)"><rect fill="url(#c4-2)"/><use href="#c4-1"/></g></svg>');
});

test('escapeHtml escapes the five characters', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('displayNumber: four significant digits, exponent outside [0.001, 1e6)', () => {
  assert.equal([110, 206.6666667, 1572864, 0.00012346, -3, NaN].map(displayNumber), ['110', '206.7', '1.573e6', '1.235e−4', '−3', '–']);
});

test('the same inputs give byte-identical HTML, whatever was rendered before and wherever the folder is', async () => {
  const first = await render({}, { timeseries: true }, false);
  await render({ metrics: ['dev/*'], title: 'other' }); // moves vega's process-wide id counters
  const second = await render({}, { timeseries: true }, false);
  assert.ok(first.length > 10000);
  assert.equal(createHash('sha256').update(first).digest('hex'), createHash('sha256').update(second).digest('hex'));
  assert.ok(!/storsim-report-/.test(first), 'the temporary folder name does not leak into the page');
});

test('the page is self-contained: no scripts, no external resources, a CSP that forbids loading', async () => {
  const html = await render();
  assert.not.match(html, /<script/i);
  assert.not.match(html, /<(link|iframe|object|embed|img|video|audio|source)\b/i);
  assert.not.match(html, /@import/i);
  for (const tag of html.matchAll(/<[A-Za-z][^>]*>/g)) {
    for (const m of tag[0].matchAll(/\s(?:src|href|xlink:href|action|srcset|poster|data)\s*=\s*["']?([^"'\s>]*)/gi)) {
      assert.ok(m[1]!.startsWith('#'), `reference to something outside the page: ${tag[0]}`);
    }
  }
  for (const m of html.matchAll(/url\(([^)]*)\)/g)) assert.ok(m[1]!.startsWith('#'), `url() outside the page: ${m[0]}`);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
});

test('markup in scenario names, policy labels, descriptions and titles is escaped', async () => {
  const html = await render({ title: '<i>my</i> report' });
  for (const raw of ['<script>alert(1)</script>', '<img src=x', '<b>benefit</b>', '<i>my</i>']) assert.not.ok(html.includes(raw), `raw ${raw}`);
  assert.ok(html.includes(`<h2>${escapeHtml(EVIL_SCENARIO)}</h2>`));
  assert.ok(html.includes(`<p class="description">${escapeHtml(EVIL_DESCRIPTION)}</p>`));
  assert.ok(html.includes('<title>&lt;i&gt;my&lt;/i&gt; report</title>'));
  assert.ok(html.includes(escapeHtml(EVIL_POLICY)));
});

test('sections, and one SVG per chart with its axis titles in units', async () => {
  const html = await render();
  const [s1, s2] = sections(html);
  assert.ok(s1 !== undefined && s2 !== undefined && sections(html).length === 2);
  for (const part of ['run-matrix', 'policy-comparison', 'time-series', 'latency-cdf', 'comparison-table']) {
    assert.ok(s1.includes(`<div class="part ${part}">`), `scenario 1 has ${part}`);
  }
  assert.not.ok(s2.includes('<div class="part latency-cdf">'), 'no latency samples in scenario 2: no CDF part');
  assert.equal((html.match(/<svg/g) ?? []).length, (html.match(/<figure class="chart/g) ?? []).length);

  const charts = figures(html);
  // Default choice (select-metrics.ts): metrics whose means differ between policies, without engine
  // counters or a histogram's count and quantiles other than p99.
  assert.equal(charts.map((c) => `${c.kind} ${c.metric}`), [
    'bar dev/bytes_written_B', 'bar dev/cost_USD', 'bar q/latency_mean_us', 'bar q/latency_p99_us',
    'series dev/queue_length_mean', 'series q/latency_p99_us',
    'cdf q/latency',
    'bar dev/bytes_written_B',
  ]);
  const title = (svg: string) => [...svg.matchAll(/role-axis-title[^>]*>(?:<[^>]*>)*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  assert.equal(title(charts[0]!.svg), ['dev/bytes_written (bytes)']);
  assert.equal(title(charts[1]!.svg), ['dev/cost (USD)']);
  assert.equal(title(charts[2]!.svg), ['q/latency_mean (µs)']);
  assert.equal(title(charts[4]!.svg), ['simulated time (s)', 'dev/queue_length_mean']);
  assert.equal(title(charts[5]!.svg), ['simulated time (s)', 'q/latency_p99 (µs)']);
  assert.equal(title(charts[6]!.svg), ['q/latency (µs, log scale)', 'percentile']);
  assert.equal(title(charts[7]!.svg), ['dev/bytes_written (bytes)', 'variant']);
});

test('bars are the means across seeds, error bars the 95% Student t intervals', async () => {
  const charts = figures(await render());
  const bytes = charts[0]!.svg;
  const bars = ariaValues(bytes, 'bar');
  const errors = ariaValues(bytes, 'errorbar');
  const key = 'dev/bytes_written (bytes)';
  for (const [i, policy] of ['greedy', EVIL_POLICY].entries()) {
    const xs = BYTES_B[policy as keyof typeof BYTES_B];
    const half = (T_975_DF2 * sd(xs)) / Math.sqrt(3);
    close(Number(bars[i]![key]), mean(xs), `${policy} mean`);
    close(Number(errors[i]!['low']), mean(xs) - half, `${policy} low`);
    close(Number(errors[i]!['high']), mean(xs) + half, `${policy} high`);
  }
  assert.equal(bars.map((b) => b['policy']), ['greedy', escapeHtml(EVIL_POLICY)]);
  // one seed per bar: no error bars at all
  assert.equal(ariaValues(charts[7]!.svg, 'errorbar'), []);
  assert.equal(ariaValues(charts[7]!.svg, 'bar').map((b) => Number(b['dev/bytes_written (bytes)'])), [1000, 3000]);
});

test('the comparison table marks the significant paired differences', async () => {
  const html = await render();
  const table = sections(html)[0]!.split('<table class="comparison">')[1]!.split('</table>')[0]!;
  const rows = table.split('<tr').slice(2);
  const evilRows = rows.filter((r) => r.includes(escapeHtml(EVIL_POLICY)));
  // bytes: differences 100, 80, 110 -> mean 96.67, interval 96.67 ± 4.3027 · 15.28 / √3 = [58.72, 134.6]: significant
  assert.ok(evilRows[0]!.startsWith(' class="significant"'), evilRows[0]);
  assert.match(evilRows[0]!, />96\.67</);
  assert.match(evilRows[0]!, /\[58\.72, 134\.6\]/);
  assert.match(evilRows[0]!, /▲ higher/);
  // cost: differences 2, 0, 1 -> mean 1, interval 1 ± 4.3027 / √3 = [−1.484, 3.484]: not significant
  const diffs = COST_USD[EVIL_POLICY].map((v, i) => v - COST_USD.greedy[i]!);
  close(mean(diffs), 1, 'cost difference');
  assert.not.ok(evilRows[1]!.includes('significant'), evilRows[1]);
  assert.match(evilRows[1]!, /\[−1\.484, 3\.484\]/);
  assert.match(evilRows[1]!, />no</);
  // the summary at the top lists the significant bytes difference (+87.9% = 96.67 / 110) and not cost
  const summary = sections(html)[0]!.split('<ul class="highlights">')[1]!.split('</ul>')[0]!;
  assert.match(summary, /<code>dev\/bytes_written_B<\/code> <span class="sig up">\+87\.9%<\/span> vs greedy/);
  assert.not.ok(summary.includes('dev/cost_USD'));
  assert.not.ok(sections(html)[1]!.includes('<div class="part highlights">'), 'one policy: nothing to compare');
});

test('time series are means across seeds at each time; CDF points are the averaged quantiles', async () => {
  const f = writeFixture();
  try {
    const inputs = await readReportInputs(f.dir);
    const [s1] = reportScenarios(inputs.runs);
    const greedy = s1!.groups.find((g) => g.policy === 'greedy')!;
    // values are 10·v + seed·t for seeds 1..3: the mean at t is 2t (v = 0)
    assert.equal(meanSeries(greedy.rows.map((r) => r.runId), 'dev/queue_length_mean', inputs.series!), [
      { time_s: 1, value: 2 },
      { time_s: 2, value: 4 },
      { time_s: 3, value: 6 },
    ]);
    const points = cdfPoints(s1!, findLatencyHistograms(inputs.runs.metricColumns)[0]!);
    assert.equal(points.filter((p) => p.line === 'greedy').map((p) => [p.stat, p.latency]), [['p50', 12], ['p95', 40], ['p99', 80], ['p999', 160], ['max', 400]]);
    close(ninesOf('p50'), Math.log10(2), 'p50 height');
    close(ninesOf('p99'), 2, 'p99 height');
    close(ninesOf('p999'), 3, 'p99.9 height');
    assert.equal(ninesOf('max'), 4);
  } finally {
    f.remove();
  }
});

test('--metric and --series choose charts by glob; one that matches nothing is bad input', async () => {
  const charts = figures(await render({ metrics: ['dev/*'], series: ['q/*'] }));
  assert.equal(charts.map((c) => `${c.kind} ${c.metric}`), [
    'bar dev/bytes_written_B', 'bar dev/constant', 'bar dev/cost_USD',
    'series q/latency_p99_us',
    'bar dev/bytes_written_B', 'bar dev/constant', 'bar dev/cost_USD',
  ]);
  await rejects(() => render({ metrics: ['nothing*'] }), (e: unknown) => e instanceof ReportInputError && /--metric "nothing\*" matches no metric column/.test(e.message));
  await rejects(() => render({ series: ['nothing'] }), (e: unknown) => e instanceof ReportInputError && /--series "nothing" matches no series/.test(e.message));
  await rejects(() => render({ series: ['dev/*'] }, { timeseries: false }), (e: unknown) => e instanceof ReportInputError && /no timeseries\.csv/.test(e.message));
  await rejects(() => render({ baseline: 'nope' }), (e: unknown) => e instanceof CompareError);
});

test('without timeseries.csv there is no time series part; a manifest supplies descriptions', async () => {
  const f = writeFixture({ timeseries: false });
  try {
    const sha256 = createHash('sha256').update(readFileSync(f.scenarioFile)).digest('hex');
    writeFileSync(join(f.dir, 'manifest.json'), JSON.stringify({ format: 'storsim-sweep-manifest/1', scenarios: [{ name: EVIL_SCENARIO, file: f.scenarioFile, sha256 }] }));
    const html = (await renderReport(await readReportInputs(f.dir))).html;
    assert.not.ok(html.includes('<div class="part time-series">'));
    assert.ok(html.includes('no timeseries.csv'));
    assert.ok(html.includes(escapeHtml(EVIL_DESCRIPTION)));
    assert.not.ok(html.includes('changed since these results were made'));
  } finally {
    f.remove();
  }
});

test('storsim report writes <dir>/report.html whole; bad input exits 2 and writes nothing', async () => {
  const quiet = console.error;
  const log = console.log;
  const errors: string[] = [];
  console.error = (line: string) => errors.push(line);
  console.log = () => {};
  const empty = mkdtempSync(join(tmpdir(), 'storsim-report-empty-'));
  const f = writeFixture();
  try {
    assert.equal(await reportCommand(empty, {}), ExitCode.BAD_INPUT);
    assert.match(errors.join('\n'), /has no runs\.csv/);
    assert.equal(readdirSync(empty), [], 'nothing written');
    await rejects(() => readReportInputs(empty), (e: unknown) => e instanceof ResultsFileError);
    assert.equal(await reportCommand(join(empty, 'missing'), {}), ExitCode.BAD_INPUT);

    writeFileSync(join(empty, 'runs.csv'), 'not,a,runs,file\n');
    assert.equal(await reportCommand(empty, {}), ExitCode.BAD_INPUT);
    assert.equal(readdirSync(empty), ['runs.csv']);

    const before = readdirSync(f.dir).sort();
    assert.equal(await reportCommand(f.dir, { metric: ['nothing'] }), ExitCode.BAD_INPUT);
    assert.equal(await reportCommand(f.dir, { out: empty }), ExitCode.BAD_INPUT, '--out is a folder');
    assert.equal(readdirSync(f.dir).sort(), before);

    assert.equal(await reportCommand(f.dir, { quiet: true }), ExitCode.OK);
    assert.equal(readdirSync(f.dir).sort(), [...before, 'report.html'].sort(), 'report.html and no temporary file');
    const out = join(f.dir, 'sub', 'r.html');
    assert.equal(await reportCommand(f.dir, { out, title: 'T', quiet: true }), ExitCode.OK);
    assert.ok(existsSync(out));
    assert.match(readFileSync(out, 'utf8'), /<h1>T<\/h1>/);
  } finally {
    console.error = quiet;
    console.log = log;
    rmSync(empty, { recursive: true, force: true });
    f.remove();
  }
});

test.run();
