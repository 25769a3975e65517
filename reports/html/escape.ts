/**
 * Escaping text for HTML. Every piece of text the report takes from its inputs (scenario names,
 * descriptions, policy labels, metric names, parameter values, file names) goes through
 * {@link escapeHtml} before it is put into the page, in element content or in a quoted attribute.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `text` with `& < > " '` replaced by entities: safe in element content and in quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A tagged template that escapes every interpolated value unless it is {@link Html} already. */
export function html(strings: TemplateStringsArray, ...values: readonly (Html | string | number | readonly Html[])[]): Html {
  let out = strings[0]!;
  for (const [i, value] of values.entries()) {
    out += toHtml(value) + strings[i + 1]!;
  }
  return new Html(out);
}

/** Markup that is already safe (built by {@link html} or from escaped parts). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Trusted markup produced by code, not taken from inputs (rendered SVG, fixed markup). */
export function trusted(markup: string): Html {
  return new Html(markup);
}

function toHtml(value: Html | string | number | readonly Html[]): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map((v: Html) => v.text).join('');
  return escapeHtml(String(value));
}
