import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseJsonWithPositions, ScenarioSyntaxError } from '../../sim/scenario/json-source.ts';
import { ScenarioError } from '../../sim/scenario/errors.ts';

function syntaxError(text: string): ScenarioSyntaxError {
  try {
    parseJsonWithPositions(text, 'x.json');
  } catch (e) {
    assert.instance(e, ScenarioSyntaxError);
    assert.instance(e, ScenarioError);
    return e as ScenarioSyntaxError;
  }
  return assert.unreachable('expected a ScenarioSyntaxError') as never;
}

test('valid JSON parses to the same value as JSON.parse', () => {
  const text = '{\n  "a": [1, 2, {"b": null}],\n  "c": "x"\n}\n';
  assert.equal(parseJsonWithPositions(text, 'x.json').value, JSON.parse(text));
  assert.equal(parseJsonWithPositions('\ufeff[true]', 'x.json').value, [true]); // BOM ignored
});

test('missing comma: line and column of the offending token', () => {
  const e = syntaxError('{\n  "a": 1\n  "b": 2\n}');
  assert.is(e.issues.length, 1);
  assert.is(e.issues[0]!.line, 3);
  assert.is(e.issues[0]!.column, 3);
  assert.match(e.message, /^x\.json:3:3: /);
});

test('trailing comma in an object and in an array', () => {
  const o = syntaxError('{\n  "a": 1,\n}');
  assert.is(o.issues[0]!.line, 3);
  assert.is(o.issues[0]!.column, 1);
  const a = syntaxError('{"a": [1, 2,\n  ]}');
  assert.is(a.issues[0]!.line, 2);
  assert.is(a.issues[0]!.column, 3);
  assert.match(a.message, /^x\.json:2:3: /);
});

test('unterminated string and end of input', () => {
  const s = syntaxError('{\n "name": "abc\n}');
  assert.is(s.issues[0]!.line, 2);
  assert.match(s.message, /^x\.json:2:\d+: .*(string|control)/i);
  const eof = syntaxError('{"a": [1,');
  assert.match(eof.message, /^x\.json:1:10: /);
  const empty = syntaxError('');
  assert.match(empty.message, /^x\.json:1:1: /);
});

test('text after the value', () => {
  assert.is(syntaxError('{"a": 1} x').message, 'x.json:1:10: Unexpected non-whitespace character after JSON');
});

test('newer V8 messages with "(line L column C)" are used as is', () => {
  const parse = JSON.parse;
  JSON.parse = () => {
    throw new SyntaxError("Expected ',' or '}' after property value in JSON at position 99 (line 7 column 4)");
  };
  try {
    assert.is(syntaxError('{}').message, "x.json:7:4: Expected ',' or '}' after property value");
  } finally {
    JSON.parse = parse;
  }
});

test('CRLF line endings', () => {
  const e = syntaxError('{\r\n  "a": 1\r\n  "b": 2\r\n}');
  assert.is(e.issues[0]!.line, 3);
  assert.is(e.issues[0]!.column, 3);
});

test('locate: nested values and array items', () => {
  const text = [
    '{',
    '  "world": {',
    '    "server": { "servers": 4, "a/b": [10, 20] }',
    '  },',
    '  "list": [',
    '    "x",',
    '    {"y": true}',
    '  ]',
    '}',
  ].join('\n');
  const src = parseJsonWithPositions(text, 'x.json');
  assert.equal(src.locate(''), { line: 1, column: 1 });
  assert.equal(src.locate('/world'), { line: 2, column: 12 });
  assert.equal(src.locate('/world/server/servers'), { line: 3, column: 28 });
  assert.equal(src.locate('/world/server/a~1b/1'), { line: 3, column: 43 });
  assert.equal(src.locate('/list/0'), { line: 6, column: 5 });
  assert.equal(src.locate('/list/1/y'), { line: 7, column: 11 });
  assert.is(src.locate('/nope'), undefined);
  assert.is(src.locate('/list/2'), undefined);
});

test('duplicate keys are reported with pointer and position', () => {
  const e = syntaxError('{\n  "a": {"x": 1,\n         "x": 2},\n  "b": 1,\n  "b": 2\n}');
  assert.is(e.issues.length, 2);
  const [x, b] = e.issues;
  assert.is(x!.pointer, '/a/x');
  assert.is(x!.line, 3);
  assert.is(x!.column, 10);
  assert.match(x!.message, /duplicate key "x" \(first at line 2, column 9\)/);
  assert.is(b!.pointer, '/b');
  assert.is(b!.line, 5);
  assert.match(e.message, /^x\.json:3:10 \/a\/x: duplicate key "x"/);
});

test('same key in different objects is fine', () => {
  const src = parseJsonWithPositions('[{"a": 1}, {"a": 2}]', 'x.json');
  assert.equal(src.value, [{ a: 1 }, { a: 2 }]);
});

test.run();
