/**
 * Renders a Vega-Lite chart to an SVG string in Node, without a browser: vega-lite compiles the
 * spec to Vega, and a headless Vega view (`renderer: 'none'`) serialises its scenegraph as SVG.
 *
 * The output is made deterministic and safe to inline several times in one HTML page:
 * - text widths are always estimated from the character count (never measured with a canvas
 *   package, which would make the layout depend on the fonts installed on the machine);
 * - the ids Vega generates for clip paths and gradients come from process-wide counters, so they
 *   depend on how many charts were rendered before; every id is renamed to `<prefix>-<k>` in order
 *   of first appearance, which also keeps ids unique across the charts of one page;
 * - the `xlink` namespace declaration (unused by Vega's output) is dropped, as is the page-level
 *   `class="marks"` the embedding page does not style.
 * Vega and vega-lite warnings are collected and returned instead of printed.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A rendered chart. */
export interface RenderedSvg {
  /** The `<svg>` element, ready to inline in HTML. */
  readonly svg: string;
  /** Warnings from vega-lite and vega while compiling and rendering (empty when all is well). */
  readonly warnings: readonly string[];
}

/** The part of Vega's text measurement module this file switches. */
interface TextMetrics {
  canvas(use: boolean): void;
}

let textEstimationForced = false;

/** Always estimate text widths (0.8 × font size per character), whatever packages are installed. */
function forceTextEstimation(): void {
  if (textEstimationForced) return;
  const metrics = (vega as unknown as { textMetrics?: TextMetrics }).textMetrics;
  if (metrics === undefined) throw new Error('vega.textMetrics is missing: the pinned vega version changed');
  metrics.canvas(false);
  textEstimationForced = true;
}

/** A vega logger that keeps warnings and errors in `sink` instead of printing them. */
function collectingLogger(sink: string[]): vega.LoggerInterface {
  return vega.logger(vega.Warn, undefined, (method, _level, args) => {
    sink.push(`${method}: ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')}`);
  });
}

/**
 * Renders `spec` to SVG. `idPrefix` (letters, digits, `-`, `_`; starting with a letter) names
 * the chart's internal ids; give each chart of a page its own.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<RenderedSvg> {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(idPrefix)) throw new Error(`renderSvg: bad id prefix ${JSON.stringify(idPrefix)}`);
  forceTextEstimation();
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  const compiled = compile(spec, { logger }).spec;
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    return { svg: normaliseSvg(svg, idPrefix), warnings };
  } finally {
    view.finalize();
  }
}

/**
 * Renames every `id="…"` (and its `url(#…)` / `href="#…"` references) to `<prefix>-<k>`, k
 * counting from 1 in order of first appearance, and tidies the root element.
 */
export function normaliseSvg(svg: string, idPrefix: string): string {
  const renamed = new Map<string, string>();
  const rename = (id: string): string => {
    let name = renamed.get(id);
    if (name === undefined) {
      name = `${idPrefix}-${renamed.size + 1}`;
      renamed.set(id, name);
    }
    return name;
  };
  // Collect ids in document order first, so references that come before a definition agree.
  for (const match of svg.matchAll(/\sid="([^"]*)"/g)) rename(match[1]!);
  return svg
    .replace(/(\sid=")([^"]*)(")/g, (_, a: string, id: string, b: string) => `${a}${rename(id)}${b}`)
    .replace(/url\(#([^)]*)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/(\s(?:xlink:)?href="#)([^"]*)(")/g, (_, a: string, id: string, b: string) => `${a}${rename(id)}${b}`)
    .replace(/^<svg ([^>]*)>/, (_, attrs: string) => `<svg ${attrs.replace(/\s*xmlns:xlink="[^"]*"/, '').replace(/\s*class="marks"/, '')}>`);
}
