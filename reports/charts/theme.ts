/**
 * The look shared by every chart of a report: fonts, sizes, colours and axis style, as a
 * vega-lite config, plus the colour scale that gives each policy (or series) the same colour
 * in every chart of a scenario.
 */
import type { Config } from 'vega-lite';

/** Font stack of the page and the charts (system fonts: the page loads nothing). */
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif';

/** Categorical palette (Tableau 10, as vega's default, listed so the mapping is explicit). */
export const PALETTE: readonly string[] = [
  '#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac',
];

/** Vega-lite config applied to every chart. */
export const CHART_CONFIG: Config = {
  font: FONT,
  background: 'white',
  padding: 6,
  view: { stroke: '#d0d7de' },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 600,
    titleColor: '#24292f',
    labelColor: '#3d444d',
    gridColor: '#eaeef2',
    domainColor: '#8c959f',
    tickColor: '#8c959f',
    titlePadding: 8,
    labelLimit: 160,
  },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 600, labelLimit: 220, symbolSize: 90 },
  title: { fontSize: 13, fontWeight: 600, anchor: 'start' },
  bar: { color: PALETTE[0]! },
  line: { strokeWidth: 2 },
  point: { size: 36, filled: true },
};

/** A colour scale with a fixed domain, so a label keeps its colour across charts. */
export function colourScale(domain: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...domain], range: domain.map((_, i) => PALETTE[i % PALETTE.length]!) };
}

/** The colour encoding of a chart with one line per label: fixed colours, a legend below when there are several. */
export function lineColourEncoding(lines: readonly string[]): object {
  return {
    field: 'line',
    type: 'nominal',
    scale: colourScale(lines),
    title: null,
    legend: lines.length > 1 ? { orient: 'bottom', direction: 'horizontal', columns: 3 } : null,
  };
}
