/**
 * JSON parsing that knows where things are: syntax errors as `file:line:column: message`, JSON
 * Pointers mapped back to line/column for validation messages, and duplicate keys (which
 * `JSON.parse` silently resolves to the last one) reported as errors.
 */
import { ScenarioError, escapePointerToken, type ScenarioIssue } from './errors.ts';

/** Where a value starts: 1-based line and column (column in UTF-16 code units; a tab counts 1). */
export interface Position {
  line: number;
  column: number;
}

/** A parsed JSON document that can say where each of its values starts. */
export interface JsonSource {
  /** The parsed value, exactly as `JSON.parse` returns it. */
  value: unknown;
  /** Where the value at a JSON Pointer (RFC 6901; '' is the root) starts, or undefined if absent. */
  locate(pointer: string): Position | undefined;
}

/** Invalid JSON (or duplicate keys); a {@link ScenarioError} whose message is `file:line:column: message`. */
export class ScenarioSyntaxError extends ScenarioError {
  override name = 'ScenarioSyntaxError';
}

/**
 * Parses `text` (a leading byte-order mark is ignored) and records where each value starts.
 * Throws {@link ScenarioSyntaxError} on invalid JSON, with the line and column taken from V8's
 * message (`(line L column C)` on newer Node, `at position N` on Node 20) or, when the message has
 * neither, from our own scanner; and on duplicate keys, with one issue per repeated key.
 */
export function parseJsonWithPositions(text: string, fileName: string): JsonSource {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = lineStarts(src);
  let value: unknown;
  try {
    value = JSON.parse(src);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const { position, message } = syntaxErrorAt(e.message, src, lines);
    throw new ScenarioSyntaxError([{ file: fileName, pointer: '', ...position, message }]);
  }
  const scan = new Scanner(src);
  scan.document();
  if (scan.duplicates.length > 0) {
    throw new ScenarioSyntaxError(scan.duplicates.map((d): ScenarioIssue => {
      const first = toPosition(lines, d.firstOffset);
      return {
        file: fileName, pointer: d.pointer, ...toPosition(lines, d.offset),
        message: `duplicate key ${JSON.stringify(d.key)} (first at line ${first.line}, column ${first.column}); JSON would keep only the last value`,
        allowed: 'each key at most once per object',
      };
    }));
  }
  return {
    value,
    locate: (pointer) => {
      const offset = scan.offsets.get(pointer);
      return offset === undefined ? undefined : toPosition(lines, offset);
    },
  };
}

/** Position and cleaned-up message of a `JSON.parse` SyntaxError. */
function syntaxErrorAt(v8: string, src: string, lines: number[]): { position: Position; message: string } {
  const lc = /\(line (\d+) column (\d+)\)/.exec(v8);
  const at = /at position (\d+)/.exec(v8);
  const cleaned = v8.replace(/,? ?"[\s\S]*" is not valid JSON$/, '').replace(/ (?:in JSON )?at position \d+.*$/, '');
  if (lc) return { position: { line: Number(lc[1]), column: Number(lc[2]) }, message: cleaned };
  if (at) return { position: toPosition(lines, Number(at[1])), message: cleaned };
  try {
    new Scanner(src).document();
  } catch (e) {
    if (e instanceof ScanError) return { position: toPosition(lines, e.offset), message: e.message };
    throw e;
  }
  return { position: toPosition(lines, 0), message: cleaned }; // scanner found nothing: unlikely
}

/** Offsets at which each line starts; "\n", "\r\n" and a lone "\r" end a line. */
function lineStarts(s: string): number[] {
  const starts = [0];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

function toPosition(starts: number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

class ScanError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/** A small recursive-descent JSON scanner recording where each value starts, by JSON Pointer. */
class Scanner {
  pos = 0;
  readonly offsets = new Map<string, number>();
  readonly duplicates: Array<{ pointer: string; key: string; offset: number; firstOffset: number }> = [];

  constructor(private readonly s: string) {}

  document(): void {
    this.value('');
    this.ws();
    if (this.pos < this.s.length) this.fail('unexpected text after the JSON value');
  }

  /** Throws; at the end of the text the message becomes `atEnd`. */
  private fail(message: string, at = this.pos, atEnd = 'unexpected end of input'): never {
    throw new ScanError(at >= this.s.length ? atEnd : message, at);
  }

  private ws(): void {
    while (this.pos < this.s.length && ' \t\n\r'.includes(this.s[this.pos]!)) this.pos++;
  }

  private value(pointer: string): void {
    this.ws();
    this.offsets.set(pointer, this.pos);
    const c = this.s[this.pos];
    if (c === '{') return this.object(pointer);
    if (c === '[') return this.array(pointer);
    if (c === '"') return void this.string();
    for (const re of [NUMBER, LITERAL]) {
      re.lastIndex = this.pos;
      if (re.test(this.s)) return void (this.pos = re.lastIndex);
    }
    this.fail(`unexpected ${c === undefined ? 'end of input' : JSON.stringify(c)} where a value is expected`);
  }

  private object(pointer: string): void {
    const seen = new Map<string, number>();
    this.pos++;
    this.ws();
    if (this.s[this.pos] === '}') return void this.pos++;
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') this.fail(this.s[this.pos] === '}' ? 'trailing comma before "}"' : 'expected a double-quoted key');
      const keyAt = this.pos;
      const key = this.string();
      const child = `${pointer}/${escapePointerToken(key)}`;
      const first = seen.get(key);
      if (first !== undefined) this.duplicates.push({ pointer: child, key, offset: keyAt, firstOffset: first });
      else seen.set(key, keyAt);
      this.ws();
      if (this.s[this.pos] !== ':') this.fail('expected ":" after the key');
      this.pos++;
      this.value(child);
      this.ws();
      const c = this.s[this.pos];
      if (c === '}') return void this.pos++;
      if (c !== ',') this.fail('expected "," or "}" after a value in an object');
      this.pos++;
    }
  }

  private array(pointer: string): void {
    this.pos++;
    this.ws();
    if (this.s[this.pos] === ']') return void this.pos++;
    for (let i = 0; ; i++) {
      this.ws();
      if (this.s[this.pos] === ']' && i > 0) this.fail('trailing comma before "]"');
      this.value(`${pointer}/${i}`);
      this.ws();
      const c = this.s[this.pos];
      if (c === ']') return void this.pos++;
      if (c !== ',') this.fail('expected "," or "]" after an array item');
      this.pos++;
    }
  }

  /** Scans a string at `pos` and returns its decoded value. */
  private string(): string {
    const start = this.pos++;
    for (;;) {
      const c = this.s[this.pos];
      if (c === undefined) this.fail('unterminated string', start, 'unterminated string');
      if (c === '"') break;
      if (c < ' ') this.fail('unescaped control character in a string');
      this.pos += c === '\\' ? 2 : 1;
    }
    this.pos++;
    try {
      return JSON.parse(this.s.slice(start, this.pos)) as string;
    } catch {
      return this.fail('bad escape in a string', start);
    }
  }
}
