/**
 * `storsim report` in a real browser: a small sweep is run and reported through the CLI
 * functions, then Debian's headless Chromium (through playwright-core with `executablePath`; no
 * browser is ever downloaded) opens the page from a file:// URL. Every chart must be there and
 * drawn (an SVG with a non-zero box and marks inside), the page must log no console error and
 * throw nothing, and it must request nothing but itself. A screenshot and the page are saved
 * under `test-output/reports/` (git-ignored) for people to look at.
 *
 * When /usr/bin/chromium is missing, test/browser/setup-chromium.sh installs it with apt-get; the
 * test is skipped, saying why, only if that fails.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { reportCommand } from '../../sim/cli/report-command.ts';
import { runCommand } from '../../sim/cli/run-command.ts';
import { smallSweep, writeScenarios } from '../run/scenario-files.ts';

// The page's DOM, for the functions that run inside the browser (the project compiles without lib "dom").
declare const document: { querySelectorAll(selector: string): Iterable<any> };

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ROOT = new URL('../../', import.meta.url).pathname;
const OUTPUT = join(ROOT, 'test-output', 'reports');

/** Why the browser test cannot run here, or undefined when Chromium is (now) installed. */
function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const setup = spawnSync('bash', [join(ROOT, 'test/browser/setup-chromium.sh')], { encoding: 'utf8', timeout: 600_000 });
  if (existsSync(CHROMIUM)) return undefined;
  const said = `${setup.stderr ?? ''}`.trim().split('\n').slice(-3).join(' / ');
  return `${CHROMIUM} is missing and test/browser/setup-chromium.sh could not install it (${said || `exit ${setup.status}`})`;
}

const missing = chromiumMissing();

if (missing !== undefined) {
  console.log(`browser test skipped: ${missing}`);
  test.skip('the report opens in headless Chromium with every chart drawn and no console error', () => {});
} else {
  test('the report opens in headless Chromium with every chart drawn and no console error', async () => {
    const { chromium } = await import('playwright-core');
    const scenarios = writeScenarios({ 'queue.json': { ...smallSweep('browser-check', 2000), description: 'Two queue disciplines, <b>escaped</b>.' } });
    const results = mkdtempSync(join(tmpdir(), 'storsim-browser-'));
    const log = console.log;
    console.log = () => {};
    let browser;
    try {
      assert.equal(await runCommand([scenarios.dir], { out: results, replications: 3, quiet: true }), 0);
      assert.equal(await reportCommand(results, { scenarios: [scenarios.dir], title: 'storsim browser check' }), 0);
      console.log = log;
      const reportPath = join(results, 'report.html');
      const html = readFileSync(reportPath, 'utf8');
      const expectedCharts = (html.match(/<figure class="chart /g) ?? []).length;
      assert.ok(expectedCharts >= 5, `bar, time series and CDF charts expected, found ${expectedCharts}`);

      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      const url = pathToFileURL(reportPath).href;
      await page.goto(url, { waitUntil: 'load' });

      const charts = await page.evaluate(() =>
        [...document.querySelectorAll('figure.chart')].map((figure) => {
          const svg = figure.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return {
            id: figure.id as string,
            svgs: figure.querySelectorAll('svg').length,
            width: box?.width ?? 0,
            height: box?.height ?? 0,
            marks: svg?.querySelectorAll('.role-mark path, .role-mark line, .role-mark text').length ?? 0,
            axisTitles: [...(svg?.querySelectorAll('.role-axis-title text') ?? [])].map((t) => (t.textContent ?? '') as string),
          };
        }),
      );
      assert.equal(charts.length, expectedCharts, 'every chart figure of the HTML is in the DOM');
      assert.equal(await page.locator('svg').count(), expectedCharts, 'one SVG per chart, no other');
      for (const c of charts) {
        assert.equal(c.svgs, 1, `${c.id}: one svg`);
        assert.ok(c.width > 50 && c.height > 50, `${c.id}: drawn with a real size (${c.width}×${c.height})`);
        assert.ok(c.marks > 0, `${c.id}: has marks`);
        assert.ok(c.axisTitles.length >= 1 && c.axisTitles.every((t) => t.length > 0), `${c.id}: axis titles ${JSON.stringify(c.axisTitles)}`);
      }
      assert.ok(charts.some((c) => c.axisTitles.includes('server/response_time_mean (s)')), 'a bar chart with a unit in its axis title');
      assert.ok(charts.some((c) => c.axisTitles.includes('simulated time (s)')), 'a time series');
      assert.ok(charts.some((c) => c.axisTitles.includes('percentile')), 'a latency CDF');
      assert.equal(await page.locator('h2').first().innerText(), 'browser-check');
      assert.equal(await page.locator('p.description').first().innerText(), 'Two queue disciplines, <b>escaped</b>.');

      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: join(OUTPUT, 'report.png'), fullPage: true });
      copyFileSync(reportPath, join(OUTPUT, 'report.html'));
      assert.equal(problems, [], 'no console errors or warnings, no page errors');
      assert.equal(requests, [url], 'the page loads nothing but itself');
    } finally {
      console.log = log;
      await browser?.close();
      scenarios.remove();
      rmSync(results, { recursive: true, force: true });
    }
  });
}

test.run();
