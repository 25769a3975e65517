/**
 * Scenario validation issues: what is wrong, where (file, JSON Pointer, line/column) and what is
 * allowed; plus the translation of ajv's schema errors into such issues.
 */
import type { ErrorObject } from 'ajv';
import { didYouMean } from './did-you-mean.ts';

/** One problem found in a scenario file. */
export interface ScenarioIssue {
  /** File the problem is in, as given by the caller (e.g. "scenarios/x.json"). */
  file: string;
  /** JSON Pointer (RFC 6901) to the offending value; '' for the root. */
  pointer: string;
  /** 1-based line of the value in the file, when known. */
  line?: number;
  /** 1-based column (UTF-16 code units) of the value in the file, when known. */
  column?: number;
  /** What is wrong. */
  message: string;
  /** What is allowed instead, when that can be said. */
  allowed?: string;
}

/** Maps a JSON Pointer to where its value starts in the file (see `json-source.ts`). */
export type Locate = (pointer: string) => { line: number; column: number } | undefined;

/** Thrown when a scenario is invalid; carries every issue found, sorted by {@link compareIssues}. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
  readonly issues: ScenarioIssue[];
  constructor(issues: readonly ScenarioIssue[]) {
    const sorted = [...issues].sort(compareIssues);
    super(formatIssues(sorted));
    this.issues = sorted;
  }
}

/** Fixed issue order: file, then line (unknown first), column, pointer, message; code-unit order. */
export function compareIssues(a: ScenarioIssue, b: ScenarioIssue): number {
  return cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) ||
    cmp(a.pointer, b.pointer) || cmp(a.message, b.message);
}

/**
 * One line per issue, sorted by {@link compareIssues}:
 * `file[:line:column][ pointer]: message[; allowed: …]`, e.g.
 * `scenarios/x.json:12:5 /world/server/servers: must be an integer >= 1 (got 0); allowed: integer >= 1`.
 */
export function formatIssues(issues: readonly ScenarioIssue[]): string {
  return [...issues].sort(compareIssues).map((i) => {
    const where = i.line !== undefined ? `${i.file}:${i.line}:${i.column ?? 1}` : i.file;
    const ptr = i.pointer === '' ? '' : ` ${i.pointer}`;
    return `${where}${ptr}: ${i.message}${i.allowed !== undefined ? `; allowed: ${i.allowed}` : ''}`;
  }).join('\n');
}

/** Escapes one JSON Pointer reference token (RFC 6901: "~" → "~0", "/" → "~1"). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

type Err = ErrorObject;
const COMBINATORS = new Set(['oneOf', 'anyOf']);
/** Keywords that say "this value has the wrong shape altogether" for a oneOf/anyOf branch. */
const SHAPE_KEYWORDS = new Set(['type', 'const', 'enum']);

/**
 * Turns ajv 8 errors (validator compiled with `allErrors: true, verbose: true`) into readable,
 * de-duplicated issues, sorted. oneOf/anyOf noise is collapsed to one branch's errors, and the
 * generic "must match exactly one schema" is dropped. Branches that reject the value's very type
 * are out; of the rest, a branch whose discriminator matches (no `const` error on a direct child)
 * beats one whose does not, then the one whose errors reach deepest, then the one with fewest
 * errors, then the first. When every branch rejects the type, one issue lists the allowed forms.
 * When `locate` is given, issues get the line and column of their pointer.
 */
export function ajvErrorsToIssues(errors: readonly Err[], file: string, locate?: Locate): ScenarioIssue[] {
  const issues = new Map<string, ScenarioIssue>();
  for (const { pointer, message, allowed } of collapse(errors).map(describe)) {
    const key = `${pointer}\u0000${message}`;
    if (issues.has(key)) continue;
    const issue: ScenarioIssue = { file, pointer, message };
    if (allowed !== undefined) issue.allowed = allowed;
    const at = locate?.(pointer);
    if (at) Object.assign(issue, at);
    issues.set(key, issue);
  }
  return [...issues.values()].sort(compareIssues);
}

/** Collapses oneOf/anyOf branches, outermost combinator first, and drops "if" wrappers. */
function collapse(input: readonly Err[]): Err[] {
  let errs = [...input];
  const combinators = errs.filter((e) => COMBINATORS.has(e.keyword))
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const c of combinators) {
    if (!errs.includes(c)) continue; // removed with a losing branch of an outer combinator
    const prefix = `${c.schemaPath}/`;
    const branches = new Map<string, Err[]>();
    for (const e of errs) {
      if (!e.schemaPath.startsWith(prefix)) continue;
      const b = e.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      branches.set(b, [...(branches.get(b) ?? []), e]);
    }
    if (branches.size === 0) continue; // e.g. several branches matched: keep ajv's message
    const inBranch = (e: Err): boolean => e.schemaPath.startsWith(prefix);
    const shapeOnly = (es: Err[]): boolean =>
      es.every((e) => SHAPE_KEYWORDS.has(e.keyword) && e.instancePath === c.instancePath);
    const candidates = [...branches.values()].filter((es) => !shapeOnly(es));
    if (candidates.length === 0) {
      const forms = [...branches.values()].flat().flatMap(formsOf);
      const merged: Err = { ...c, keyword: '$forms', params: { forms: [...new Set(forms)] } };
      errs = errs.filter((e) => e !== c && !inBranch(e)).concat(merged);
      continue;
    }
    // Rank: no discriminator mismatch (a "const" on a direct child) first, then deepest, then fewest errors.
    const base = c.instancePath.split('/').length;
    const rank = (es: Err[]): [number, number, number] => [
      es.some((e) => e.keyword === 'const' && e.instancePath.split('/').length === base + 1) ? 0 : 1,
      Math.max(...es.map(depthOf)),
      -es.length,
    ];
    const better = (a: number[], b: number[]): boolean => {
      const i = a.findIndex((x, k) => x !== b[k]);
      return i >= 0 && a[i]! > b[i]!;
    };
    const best = candidates.reduce((a, b) => (better(rank(b), rank(a)) ? b : a));
    if (rank(best)[0] === 0) {
      // Every candidate's discriminator mismatches: the discriminator is the one thing to report.
      const discriminators = candidates.flatMap((es) => es.filter((e) => e.keyword === 'const' &&
        e.instancePath.split('/').length === base + 1));
      const at = discriminators[0]!;
      if (discriminators.every((d) => d.instancePath === at.instancePath)) {
        const merged: Err = { ...at, keyword: '$forms', params: { forms: [...new Set(discriminators.flatMap(formsOf))] } };
        errs = errs.filter((e) => e !== c && !inBranch(e)).concat(merged);
        continue;
      }
    }
    errs = errs.filter((e) => e !== c && (!inBranch(e) || best.includes(e)));
  }
  return errs.filter((e) => e.keyword !== 'if' ||
    !errs.some((o) => o !== e && o.instancePath.startsWith(e.instancePath) && o.keyword !== 'if'));
}

/** Depth in the data of what an error is about (an unknown key counts as one level below its object). */
function depthOf(e: Err): number {
  const extra = e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties' ? 1 : 0;
  return e.instancePath.split('/').length + extra;
}

/** The value forms a shape error wanted: ["string"], ['"fixed"'], ['"a"', '"b"']. */
function formsOf(e: Err): string[] {
  if (e.keyword === 'type') return typeList(e.params['type']);
  if (e.keyword === 'const') return [JSON.stringify(e.params['allowedValue'])];
  return ((e.params['allowedValues'] ?? []) as unknown[]).map((v) => JSON.stringify(v));
}

function describe(e: Err): { pointer: string; message: string; allowed?: string } {
  const p = e.params;
  const got = e.data !== undefined ? ` (got ${show(e.data)})` : '';
  const pointer = e.instancePath;
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(p['additionalProperty'] ?? p['unevaluatedProperty']);
      const props = e.parentSchema?.['properties'];
      const known = props && typeof props === 'object' ? Object.keys(props as object) : [];
      return {
        pointer: `${pointer}/${escapePointerToken(key)}`,
        message: `unknown key ${JSON.stringify(key)}${didYouMean(key, known)}`,
        ...(known.length > 0 ? { allowed: known.map((k) => JSON.stringify(k)).join(', ') } : { allowed: 'no other keys' }),
      };
    }
    case 'required':
      return { pointer, message: `missing required key ${JSON.stringify(String(p['missingProperty']))}` };
    case 'enum': {
      const values = ((p['allowedValues'] ?? []) as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      const near = typeof e.data === 'string'
        ? didYouMean(e.data, ((p['allowedValues'] ?? []) as unknown[]).filter((v): v is string => typeof v === 'string'))
        : '';
      return { pointer, message: `must be one of ${values}${got}${near}`, allowed: values };
    }
    case 'const':
      return { pointer, message: `must be ${JSON.stringify(p['allowedValue'])}${got}`, allowed: JSON.stringify(p['allowedValue']) };
    case 'type': {
      const types = typeList(p['type']);
      return { pointer, message: `must be ${orList(types.map(article))}${got}`, allowed: types.join(', ') };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const t = e.parentSchema?.['type'];
      const noun = t === 'integer' ? 'an integer ' : t === 'number' ? 'a number ' : '';
      return { pointer, message: `must be ${noun}${String(p['comparison'])} ${String(p['limit'])}${got}`, allowed: numberRange(e) };
    }
    case 'pattern': {
      const description = e.parentSchema?.['description'];
      return {
        pointer,
        message: `must match the pattern ${String(p['pattern'])}${got}`,
        allowed: typeof description === 'string' ? description : `text matching ${String(p['pattern'])}`,
      };
    }
    case '$forms': {
      const forms = p['forms'] as string[];
      return { pointer, message: `must be ${orList(forms.map(article))}${got}`, allowed: forms.join(', ') };
    }
    case 'unitKind': // storsim's quantity keyword: the unit parser's message already quotes the value
      return { pointer, message: e.message ?? 'not a valid quantity' };
    default:
      return { pointer, message: `${e.message ?? `fails "${e.keyword}"`}${got}` };
  }
}

/** "integer >= 1 and <= 64", from the numeric keywords of the error's parent schema. */
function numberRange(e: Err): string {
  const s = e.parentSchema ?? {};
  const parts: string[] = [];
  if (typeof s['minimum'] === 'number') parts.push(`>= ${s['minimum']}`);
  if (typeof s['exclusiveMinimum'] === 'number') parts.push(`> ${s['exclusiveMinimum']}`);
  if (typeof s['maximum'] === 'number') parts.push(`<= ${s['maximum']}`);
  if (typeof s['exclusiveMaximum'] === 'number') parts.push(`< ${s['exclusiveMaximum']}`);
  const t = typeof s['type'] === 'string' ? `${s['type']} ` : '';
  return `${t}${parts.join(' and ')}`;
}

function typeList(t: unknown): string[] {
  return Array.isArray(t) ? t.map(String) : String(t).split(',');
}

/** "an integer", "a string", "null"; JSON literals ('"fifo"') unchanged. */
function article(type: string): string {
  if (type === 'null' || !/^[a-z]/.test(type)) return type;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** "a", "a or b", "a, b or c". */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Short rendering of a JSON value for messages. */
function show(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v !== null && typeof v === 'object') return 'an object';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
