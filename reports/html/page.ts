/**
 * The report's page shell: one self-contained HTML document with its CSS inline. It loads
 * nothing (no scripts, fonts, images or style sheets from anywhere), so it opens offline, from
 * a file, in any browser, and prints cleanly. Its Content-Security-Policy forbids loading
 * anything from elsewhere, so even a mistake could not make it reach the network.
 */
import { FONT } from '../charts/theme.ts';
import { html, trusted, type Html } from './escape.ts';

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: ${FONT}; font-size: 15px; line-height: 1.5; color: #1f2328; background: #f6f8fa; }
main { max-width: 1400px; margin: 0 auto; padding: 24px 28px 64px; }
header.report { padding: 8px 0 16px; border-bottom: 1px solid #d0d7de; margin-bottom: 8px; }
h1 { font-size: 28px; margin: 0 0 4px; font-weight: 650; }
h2 { font-size: 22px; margin: 0 0 6px; font-weight: 650; }
h3 { font-size: 17px; margin: 28px 0 10px; font-weight: 600; color: #24292f; }
p { margin: 6px 0; }
.muted { color: #57606a; }
.small { font-size: 13px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.92em; background: #eff1f3; padding: 1px 4px; border-radius: 4px; }
nav.toc { margin: 12px 0 8px; }
nav.toc ol { margin: 4px 0; padding-left: 22px; columns: 2; column-gap: 36px; }
nav.toc a { color: #0969da; text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
section.scenario { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 20px 24px 24px; margin: 22px 0; }
.description { max-width: 920px; }
.notice { border-left: 4px solid #bf8700; background: #fff8c5; padding: 8px 12px; border-radius: 4px; margin: 10px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
figure.chart { margin: 0; padding: 10px 12px 8px; border: 1px solid #eaeef2; border-radius: 6px; background: #fff; max-width: 100%; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figure.chart figcaption { font-size: 13px; color: #57606a; margin-top: 4px; width: 0; min-width: 100%; overflow-wrap: break-word; }
figure.chart figcaption strong { color: #1f2328; font-weight: 600; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 13.5px; margin: 6px 0; }
th, td { border-bottom: 1px solid #eaeef2; padding: 5px 10px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; border-bottom: 1px solid #d0d7de; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.metric { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; overflow-wrap: anywhere; }
tr.significant td { background: #fff8e6; }
tr.group-start td { border-top: 1px solid #d0d7de; }
.sig { font-weight: 600; white-space: nowrap; }
.sig.up { color: #9a3412; }
.sig.down { color: #1d4ed8; }
.legend-key { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
ul.highlights { margin: 4px 0; padding-left: 22px; }
ul.highlights li { margin: 3px 0; }
footer { margin-top: 32px; color: #57606a; font-size: 13px; }
@media print { body { background: #fff; } section.scenario { break-inside: avoid-page; border: none; padding: 0; } }
`;

/** The whole document around `body`. */
export function page(title: string, body: Html): string {
  const doc = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="storsim report">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${title}</title>
<style>${trusted(CSS)}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
  return doc.text;
}
