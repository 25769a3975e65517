import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ajvErrorsToIssues, formatIssues, ScenarioError, type ScenarioIssue } from '../../sim/scenario/errors.ts';
import { parseJsonWithPositions } from '../../sim/scenario/json-source.ts';

const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });
const validate = ajv.compile({
  type: 'object',
  additionalProperties: false,
  required: ['name', 'world'],
  properties: {
    name: { type: 'string' },
    world: {
      type: 'object',
      additionalProperties: false,
      properties: {
        server: {
          type: 'object',
          additionalProperties: false,
          properties: {
            servers: { type: 'integer', minimum: 1, maximum: 64 },
            policy: { enum: ['fifo', 'lru', 'random'] },
            latency: { type: 'string', pattern: '^[0-9.]+ ?(ns|us|ms|s)$', description: 'a time such as "100us"' },
          },
        },
      },
    },
    arrivals: {
      oneOf: [
        { type: 'string' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind'],
          properties: { kind: { const: 'poisson' }, rate: { type: 'number', exclusiveMinimum: 0 } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind'],
          properties: { kind: { const: 'fixed' }, gap: { type: 'string' } },
        },
      ],
    },
  },
});

function issuesFor(text: string): ScenarioIssue[] {
  const src = parseJsonWithPositions(text, 'x.json');
  assert.is(validate(src.value), false);
  return ajvErrorsToIssues(validate.errors ?? [], 'x.json', src.locate);
}

test('unknown key with a close match suggests it and lists the allowed keys', () => {
  const issues = issuesFor('{"name": "a", "world": {"server": {"sevrers": 4}}}');
  assert.is(issues.length, 1);
  const i = issues[0]!;
  assert.is(i.pointer, '/world/server/sevrers');
  assert.is(i.message, 'unknown key "sevrers"; did you mean "servers"?');
  assert.is(i.allowed, '"servers", "policy", "latency"');
  assert.is(i.line, 1);
  assert.is(i.column, 47);
});

test('unknown key without a close match', () => {
  const [i] = issuesFor('{"name": "a", "world": {}, "colour": 3}');
  assert.is(i!.message, 'unknown key "colour"');
  assert.is(i!.allowed, '"name", "world", "arrivals"');
});

test('several errors at once are all reported, sorted by line', () => {
  const text = [
    '{',
    '  "world": {',
    '    "server": {',
    '      "servers": 0,',
    '      "policy": "lr",',
    '      "latency": "fast"',
    '    }',
    '  },',
    '  "extra": true',
    '}',
  ].join('\n');
  const issues = issuesFor(text);
  const lines = formatIssues(issues).split('\n');
  assert.equal(lines, [
    'x.json:1:1: missing required key "name"',
    'x.json:4:18 /world/server/servers: must be an integer >= 1 (got 0); allowed: integer >= 1 and <= 64',
    'x.json:5:17 /world/server/policy: must be one of "fifo", "lru", "random" (got "lr"); did you mean "lru"?; allowed: "fifo", "lru", "random"',
    'x.json:6:18 /world/server/latency: must match the pattern ^[0-9.]+ ?(ns|us|ms|s)$ (got "fast"); allowed: a time such as "100us"',
    'x.json:9:12 /extra: unknown key "extra"; allowed: "name", "world", "arrivals"',
  ]);
});

test('type errors name the expected type', () => {
  const [i] = issuesFor('{"name": 5, "world": {}}');
  assert.is(i!.message, 'must be a string (got 5)');
  assert.is(i!.allowed, 'string');
});

test('oneOf: the deepest branch wins and the generic message is dropped', () => {
  const issues = issuesFor('{"name": "a", "world": {}, "arrivals": {"kind": "poisson", "rate": -1}}');
  assert.equal(issues.map((i) => `${i.pointer}: ${i.message}`), ['/arrivals/rate: must be a number > 0 (got -1)']);
});

test('oneOf: an unknown key inside the matching branch', () => {
  const issues = issuesFor('{"name": "a", "world": {}, "arrivals": {"kind": "fixed", "gapp": "1s"}}');
  assert.ok(issues.some((i) => i.pointer === '/arrivals/gapp' && /did you mean "gap"/.test(i.message)));
  assert.not.ok(issues.some((i) => /must match exactly one schema/.test(i.message)));
});

test('oneOf: when no branch fits the type, the allowed forms are listed', () => {
  const issues = issuesFor('{"name": "a", "world": {}, "arrivals": 7}');
  assert.equal(issues.map((i) => `${i.pointer}: ${i.message}`), ['/arrivals: must be a string or an object (got 7)']);
});

test('oneOf: a discriminator matching no branch lists the allowed values', () => {
  const issues = issuesFor('{"name": "a", "world": {}, "arrivals": {"kind": "bursty", "rate": 1}}');
  assert.equal(issues.map((i) => `${i.pointer}: ${i.message}; ${i.allowed}`),
    ['/arrivals/kind: must be "poisson" or "fixed" (got "bursty"); "poisson", "fixed"']);
});

test('ScenarioError carries every issue, sorted', () => {
  const e = new ScenarioError([
    { file: 'b.json', pointer: '/x', line: 2, column: 1, message: 'm2' },
    { file: 'a.json', pointer: '/z', line: 9, column: 3, message: 'm1', allowed: 'A' },
    { file: 'a.json', pointer: '/y', message: 'm0' },
  ]);
  assert.equal(e.issues.map((i) => i.message), ['m0', 'm1', 'm2']);
  assert.is(e.message, 'a.json /y: m0\na.json:9:3 /z: m1; allowed: A\nb.json:2:1 /x: m2');
});

test('duplicate ajv errors are merged', () => {
  const err = { keyword: 'required', instancePath: '', schemaPath: '#/required', params: { missingProperty: 'x' } };
  assert.is(ajvErrorsToIssues([err, { ...err }], 'f.json').length, 1);
});

test.run();
