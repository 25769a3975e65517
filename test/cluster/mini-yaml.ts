/**
 * A tiny reader for the block-style YAML subset that Kubernetes manifests are usually written in, so a
 * test can check scenarios/cluster/*.yaml without a YAML dependency. It reads one document of: block
 * mappings, block sequences (also "- key: value" items), plain / single-quoted / double-quoted scalars,
 * one-line flow sequences of scalars ([a, "b"]), empty flow collections ({} and []), literal block
 * scalars (| and |-), and comments. Plain scalars are typed as YAML 1.2's core schema does: integers,
 * floats, true/false, null/~; everything else is a string.
 *
 * Anything outside that subset (anchors, aliases, tags, folded scalars, multi-line plain scalars,
 * flow mappings with content, several documents, tabs in indentation, duplicate keys) is an error that
 * names the line, never a silent misreading.
 */

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  /** 1-based line number in the source, for messages. */
  readonly number: number;
  indent: number;
  /** The line without its indentation and comment, trailing spaces trimmed. */
  text: string;
  /** The raw line, for block scalars (whose content keeps '#' and spacing). */
  readonly raw: string;
}

export class YamlSubsetError extends Error {}

function fail(line: Line | undefined, message: string): never {
  throw new YamlSubsetError(line ? `line ${line.number}: ${message}` : message);
}

/** Removes a comment ('#' at the start or after a space, outside quotes). */
function stripComment(text: string): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      // A quote opens a quoted scalar only at the start of a token.
      if (i === 0 || /[\s:[,\-]/.test(text[i - 1] ?? '')) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      return text.slice(0, i);
    }
  }
  return text;
}

function splitLines(source: string): Line[] {
  const lines: Line[] = [];
  source.split(/\r?\n/).forEach((raw, index) => {
    const number = index + 1;
    const indentMatch = /^[ \t]*/.exec(raw)?.[0] ?? '';
    const text = stripComment(raw.slice(indentMatch.length)).trimEnd();
    if (text === '') {
      lines.push({ number, indent: -1, text: '', raw }); // blank or comment only: kept for block scalars
      return;
    }
    if (indentMatch.includes('\t')) fail({ number, indent: 0, text, raw }, 'tabs in indentation are not YAML');
    lines.push({ number, indent: indentMatch.length, text, raw });
  });
  return lines;
}

function parseDoubleQuoted(body: string, line: Line): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0' };
    if (e !== undefined && e in simple) out += simple[e];
    else fail(line, `unsupported escape \\${e ?? ''} in a double-quoted scalar`);
  }
  return out;
}

/** Reads a quoted scalar at the start of text; returns its value and the rest of the text. */
function readQuoted(text: string, line: Line): { value: string; rest: string } {
  const quote = text[0];
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      const body = text.slice(1, i);
      const value = quote === '"' ? parseDoubleQuoted(body, line) : body.replace(/''/g, "'");
      return { value, rest: text.slice(i + 1) };
    }
  }
  return fail(line, 'unterminated quoted scalar (multi-line quoted scalars are not supported)');
}

function plainScalar(text: string, line: Line): YamlValue {
  if (/^[&*!|>%@`]/.test(text)) fail(line, `unsupported YAML construct at "${text}" (anchors, aliases, tags, folded scalars)`);
  if (text.startsWith('{')) {
    if (text === '{}') return {};
    fail(line, 'flow mappings with content are not supported');
  }
  if (/^(null|Null|NULL|~)$/.test(text)) return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) return Number(text);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  return text;
}

function flowSequence(text: string, line: Line): YamlValue[] {
  if (!text.endsWith(']')) fail(line, 'a flow sequence must close on the same line');
  const items: YamlValue[] = [];
  let rest = text.slice(1, -1).trim();
  while (rest !== '') {
    let item: YamlValue;
    if (rest[0] === '"' || rest[0] === "'") {
      const q = readQuoted(rest, line);
      item = q.value;
      rest = q.rest.trim();
    } else {
      const comma = rest.indexOf(',');
      const token = (comma < 0 ? rest : rest.slice(0, comma)).trim();
      if (/^[[{]/.test(token)) fail(line, 'nested flow collections are not supported');
      item = plainScalar(token, line);
      rest = comma < 0 ? '' : rest.slice(comma);
    }
    items.push(item);
    if (rest === '') break;
    if (rest[0] !== ',') fail(line, `expected ',' in a flow sequence at "${rest}"`);
    rest = rest.slice(1).trim();
  }
  return items;
}

/** A scalar or one-line flow collection written after "key:" or "- ". */
function inlineValue(text: string, line: Line): YamlValue {
  if (text[0] === '"' || text[0] === "'") {
    const q = readQuoted(text, line);
    if (q.rest.trim() !== '') fail(line, `unexpected text after a quoted scalar: "${q.rest.trim()}"`);
    return q.value;
  }
  if (text.startsWith('[')) return flowSequence(text, line);
  return plainScalar(text, line);
}

class Parser {
  private index = 0;
  constructor(private readonly lines: Line[]) {}

  /** The next non-blank line, without consuming it. */
  peek(): Line | undefined {
    while (this.index < this.lines.length && this.lines[this.index]!.indent < 0) this.index++;
    return this.lines[this.index];
  }

  parseDocument(): YamlValue {
    const first = this.peek();
    if (!first) return null;
    if (first.text === '---') {
      this.index++;
      return this.parseDocumentBody();
    }
    return this.parseDocumentBody();
  }

  private parseDocumentBody(): YamlValue {
    const first = this.peek();
    if (!first) return null;
    const value = this.parseNode(first.indent);
    const extra = this.peek();
    if (extra) fail(extra, extra.text === '---' ? 'several documents in one file are not supported' : `unexpected indentation or text: "${extra.text}"`);
    return value;
  }

  private parseNode(indent: number): YamlValue {
    const line = this.peek()!;
    if (isSequenceItem(line.text)) return this.parseSequence(indent);
    if (splitKey(line) !== null) return this.parseMapping(indent);
    this.index++;
    return inlineValue(line.text, line);
  }

  private parseSequence(indent: number): YamlValue[] {
    const items: YamlValue[] = [];
    for (let line = this.peek(); line && line.indent === indent && isSequenceItem(line.text); line = this.peek()) {
      const rest = line.text === '-' ? '' : line.text.slice(2).trimStart();
      if (rest === '') {
        this.index++;
        const next = this.peek();
        items.push(next && next.indent > indent ? this.parseNode(next.indent) : null);
        continue;
      }
      // "- key: value" or "- - x": the item is a node that starts at the column after the dash.
      const column = indent + (line.text.length - rest.length);
      if (isSequenceItem(rest) || splitKey({ ...line, text: rest }) !== null) {
        line.indent = column;
        line.text = rest;
        items.push(this.parseNode(column));
        continue;
      }
      this.index++;
      items.push(this.scalarOrBlock(rest, line, indent));
    }
    return items;
  }

  private parseMapping(indent: number): { [key: string]: YamlValue } {
    const map: { [key: string]: YamlValue } = {};
    for (let line = this.peek(); line && line.indent === indent && !isSequenceItem(line.text); line = this.peek()) {
      if (line.text === '---' || line.text === '...') break; // a document marker: parseDocumentBody reports it
      const split = splitKey(line);
      if (split === null) fail(line, `expected "key: value", found "${line.text}"`);
      const { key, rest } = split;
      if (Object.hasOwn(map, key)) fail(line, `duplicate key "${key}"`);
      this.index++;
      if (rest !== '') {
        map[key] = this.scalarOrBlock(rest, line, indent);
        continue;
      }
      const next = this.peek();
      if (next && next.indent > indent) map[key] = this.parseNode(next.indent);
      else if (next && next.indent === indent && isSequenceItem(next.text)) map[key] = this.parseSequence(indent);
      else map[key] = null;
    }
    const after = this.peek();
    if (after && after.indent > indent) fail(after, `unexpected indentation: "${after.text}"`);
    return map;
  }

  /** An inline value, or a literal block scalar (| or |-) whose lines follow, indented more than parentIndent. */
  private scalarOrBlock(text: string, line: Line, parentIndent: number): YamlValue {
    if (text !== '|' && text !== '|-') return inlineValue(text, line);
    const body: string[] = [];
    let blockIndent = -1;
    while (this.index < this.lines.length) {
      const l = this.lines[this.index]!;
      const leading = /^ */.exec(l.raw)?.[0].length ?? 0;
      if (l.raw.trim() === '') {
        body.push('');
        this.index++;
        continue;
      }
      if (leading <= parentIndent) break;
      if (blockIndent < 0) blockIndent = leading;
      if (leading < blockIndent) fail(l, 'a literal block scalar line is indented less than its first line');
      body.push(l.raw.slice(blockIndent));
      this.index++;
    }
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    const content = body.join('\n');
    return text === '|' && content !== '' ? `${content}\n` : content;
  }
}

function isSequenceItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** Splits "key: rest" (key plain or quoted); null when the line is not a mapping entry. */
function splitKey(line: Line): { key: string; rest: string } | null {
  const text = line.text;
  if (text[0] === '"' || text[0] === "'") {
    const q = readQuoted(text, line);
    if (q.rest === ':' || q.rest.startsWith(': ')) return { key: q.value, rest: q.rest.slice(1).trim() };
    return null;
  }
  if (text.startsWith('[') || text.startsWith('{')) return null;
  const match = /^([^\s:#][^:]*?|[^\s#]*?):(?:\s+(.*))?$/.exec(text);
  if (!match || match[1] === undefined) return null;
  if (match[1].startsWith('? ')) fail(line, 'complex keys are not supported');
  return { key: match[1], rest: (match[2] ?? '').trim() };
}

/** Parses one YAML document written in the subset described at the top of this file. */
export function parseYamlSubset(source: string): YamlValue {
  return new Parser(splitLines(source)).parseDocument();
}
