/**
 * A chart on the page: its SVG (rendered in Node, see charts/render-svg.ts) in a `<figure>`
 * with a caption, and the numbering that gives every chart of a page its own id prefix.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../charts/render-svg.ts';
import { html, trusted, type Html } from './escape.ts';

/** Hands out chart ids `c1`, `c2`, ... in page order, and keeps the renderers' warnings. */
export class ChartCounter {
  private next = 1;
  readonly warnings: string[] = [];
  id(): string {
    return `c${this.next++}`;
  }
  get count(): number {
    return this.next - 1;
  }
}

/** Renders `spec` and wraps it in a figure; `kind` is a class name (`bar`, `series`, `cdf`). */
export async function chartFigure(counter: ChartCounter, kind: string, spec: TopLevelSpec, caption: Html): Promise<Html> {
  const id = counter.id();
  const { svg, warnings } = await renderSvg(spec, id);
  for (const w of warnings) counter.warnings.push(`chart ${id}: ${w}`);
  return html`<figure class="chart ${kind}" id="${id}">${trusted(svg)}<figcaption>${caption}</figcaption></figure>`;
}
