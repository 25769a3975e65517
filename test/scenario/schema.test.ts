import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { BUILT_IN_POLICIES } from '../../policies/index.ts';
import { schemaText } from '../../sim/cli/schema-command.ts';
import { COMPONENT_TYPES } from '../../sim/scenario/components/index.ts';
import { ID_PATTERN, PARAMETER_PATH_PATTERN, scenarioSchema, VARIANT_NAME_PATTERN } from '../../sim/scenario/schema.ts';
import { loadUnits } from '../../sim/scenario/units.ts';
import { createValidator } from '../../sim/scenario/validator.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const checkedInPath = `${root}scenarios/schema/scenario.schema.json`;
const checkedIn = readFileSync(checkedInPath, 'utf8');
const validator = await createValidator(await loadUnits());

/** Every scenario shipped with storsim: examples and the validation suite. */
const shipped = ['scenarios/examples', 'scenarios/validation'].flatMap((dir) =>
  readdirSync(`${root}${dir}`).filter((n) => n.endsWith('.json')).sort().map((n) => `${dir}/${n}`),
);

test('the checked-in schema equals the generated one', () => {
  const generated = schemaText();
  if (checkedIn !== generated) {
    assert.unreachable(
      'scenarios/schema/scenario.schema.json is out of date with the registered models and policies; ' +
        'regenerate it with: node bin/storsim.js schema --out scenarios/schema/scenario.schema.json',
    );
  }
});

test('the schema text is two-space JSON with a final newline, generated from the registered types and policies', () => {
  const text = schemaText();
  assert.ok(text.endsWith('}\n'));
  assert.equal(JSON.parse(text), scenarioSchema(COMPONENT_TYPES, BUILT_IN_POLICIES));
  assert.ok(text.startsWith('{\n  "$schema": "https://json-schema.org/draft/2020-12/schema",\n'));
});

test('there are shipped scenarios to check', () => {
  assert.ok(shipped.some((f) => f.startsWith('scenarios/examples/')), 'at least one example');
  assert.ok(shipped.some((f) => f.startsWith('scenarios/validation/')), 'at least one validation scenario');
});

for (const file of shipped) {
  test(`${file} validates against the schema (with storsim's unit checks)`, () => {
    const issues = validator.check(JSON.parse(readFileSync(`${root}${file}`, 'utf8')), file);
    assert.equal(issues, []);
  });
}

test('for a plain Ajv2020 without storsim\'s keyword, the schema is valid draft 2020-12 when unitKind and discriminator are annotations', () => {
  const ajv = new Ajv2020({ strict: false });
  const schema = JSON.parse(checkedIn);
  assert.is(ajv.validateSchema(schema), true, JSON.stringify(ajv.errors));
  const validate = ajv.compile(schema);
  for (const file of shipped) {
    const ok = validate(JSON.parse(readFileSync(`${root}${file}`, 'utf8')));
    assert.ok(ok, `${file}: ${JSON.stringify(validate.errors)}`);
  }
  // Not vacuous: the plain validator still rejects structural errors (units are storsim's own check).
  assert.is(validate({ name: 'x', stop: { at: '1s' }, world: { s: { type: 'queue-station', sevrers: 1 } } }), false);
  assert.is(validate({ name: 'x', stop: { at: '1 furlong' }, world: {} }), true, 'unitKind is only an annotation here');
});

test('a strict Ajv2020 rejects the schema unless told about unitKind: it is storsim\'s own keyword', () => {
  const ajv = new Ajv2020({ strict: true, discriminator: true });
  assert.throws(() => ajv.compile(JSON.parse(checkedIn)), /unitKind/);
});

test('the schema requires name, stop and world and forbids unknown top-level keys', () => {
  const schema = scenarioSchema(COMPONENT_TYPES, BUILT_IN_POLICIES) as { required: string[]; additionalProperties: boolean };
  assert.equal(schema.required, ['name', 'stop', 'world']);
  assert.is(schema.additionalProperties, false);
  const issues = validator.check({ stop: { at: '1s' }, wrold: {} }, 'x.json');
  assert.equal(issues.map((i) => [i.pointer, i.message]), [
    ['', 'missing required key "name"'],
    ['', 'missing required key "world"'],
    ['/wrold', 'unknown key "wrold"; did you mean "world"?'],
  ]);
});

test('names and ids are lower-case words that cannot climb out of a directory', () => {
  const id = new RegExp(ID_PATTERN);
  for (const ok of ['mm1', 'a', 'disk-1', 'x_y']) assert.ok(id.test(ok), ok);
  for (const bad of ['../x', 'a/b', 'A', '1a', '', '-a', '.hidden', 'a b']) assert.not.ok(id.test(bad), bad);
  const variant = new RegExp(VARIANT_NAME_PATTERN);
  assert.ok(variant.test('rho-0.9'));
  assert.not.ok(variant.test('../up'));
  assert.not.ok(variant.test('a/b'));
  const path = new RegExp(PARAMETER_PATH_PATTERN);
  assert.ok(path.test('workload.arrivals.interarrival.mean'));
  assert.ok(path.test('policies.queue-discipline'));
  assert.not.ok(path.test('a..b'));
  assert.not.ok(path.test('.a'));
  assert.not.ok(path.test('a/b'));
});

test('component types appear under their own section only, each as a oneOf branch chosen by "type"', () => {
  const schema = scenarioSchema(COMPONENT_TYPES, BUILT_IN_POLICIES) as { $defs: Record<string, { properties: { type: { enum: string[] } }; oneOf: unknown[] }> };
  for (const section of ['world', 'workload', 'faults'] as const) {
    const names = COMPONENT_TYPES.filter((t) => t.section === section).map((t) => t.type);
    assert.ok(names.length > 0, section);
    assert.equal(schema.$defs[`${section}-component`]!.properties.type.enum, names);
    assert.is(schema.$defs[`${section}-component`]!.oneOf.length, names.length);
  }
  assert.ok(schema.$defs['world-component']!.properties.type.enum.includes('queue-station'));
  assert.ok(!schema.$defs['world-component']!.properties.type.enum.includes('open-source'));
  const issues = validator.check({ name: 'x', stop: { at: '1s' }, world: { s: { type: 'open-source' } } }, 'x.json');
  assert.equal(issues.map((i) => i.pointer), ['/world/s/type']);
  assert.match(issues[0]!.message, /must be one of "queue-station", .*\(got "open-source"\)/);
});

test('policies are chosen by name or as {"name", "params"}, and unknown names list the allowed ones', () => {
  const base = { name: 'x', stop: { at: '1s' }, world: { s: { type: 'queue-station', servers: 1 } } };
  assert.equal(validator.check({ ...base, policies: { 'queue-discipline': 'sjf' } }, 'x.json'), []);
  assert.equal(validator.check({ ...base, policies: { 'queue-discipline': { name: 'lifo', params: {} } } }, 'x.json'), []);
  assert.equal(validator.check({ ...base, policies: { 'queue-discipline': { name: 'lifo' } } }, 'x.json'), []);
  const byName = validator.check({ ...base, policies: { 'queue-discipline': 'sfj' } }, 'x.json');
  assert.equal(byName.map((i) => i.pointer), ['/policies/queue-discipline']);
  assert.match(byName[0]!.message, /did you mean "sjf"\?/);
  assert.is(byName[0]!.allowed, '"fifo", "lifo", "sjf", "priority-classes"');
  const params = validator.check({ ...base, policies: { 'queue-discipline': { name: 'fifo', params: { depth: 1 } } } }, 'x.json');
  assert.equal(params.map((i) => i.pointer), ['/policies/queue-discipline/params/depth']);
  const point = validator.check({ ...base, policies: { 'queue-disciplin': 'fifo' } }, 'x.json');
  assert.equal(point.map((i) => [i.pointer, i.message]), [['/policies/queue-disciplin', 'unknown key "queue-disciplin"; did you mean "queue-discipline"?']]);
});

test('an unknown distribution is reported once, at "dist", with the allowed names', () => {
  const spec = {
    name: 'x', stop: { at: '1s' }, world: { s: { type: 'queue-station', servers: 1 } },
    workload: { a: { type: 'open-source', target: 's', interarrival: { dist: 'expo', mean: '1s' }, service: { dist: 'constant', value: '1s' } } },
  };
  const issues = validator.check(spec, 'x.json');
  assert.equal(issues.map((i) => i.pointer), ['/workload/a/interarrival/dist']);
  assert.match(issues[0]!.message, /got "expo"/);
  assert.match(issues[0]!.allowed ?? '', /"exponential"/);
});

test('every quantity is checked for its kind, including inside distributions, stop, metrics and validation', () => {
  const spec = {
    name: 'x',
    stop: { at: '10 KiB' },
    world: { s: { type: 'queue-station', servers: 1 } },
    workload: { a: { type: 'open-source', target: 's', interarrival: { dist: 'empirical', histogram: [{ low: '0s', high: '5 m', weight: 1 }] }, service: { dist: 'constant', value: '1s' } } },
    faults: { f: { type: 'station-outage', target: 's', at: '1s', duration: '2 apples' } },
    metrics: { warmup: '5%' },
    validation: { model: 'M/M/1', reference: 'mm1-response-time', station: 's', source: 'a', metric: 'm', citation: 'c', tolerance: '1s' },
  };
  const issues = validator.check(spec, 'x.json');
  assert.equal(issues.map((i) => i.pointer).sort(), [
    '/faults/f/duration',
    '/metrics/warmup',
    '/stop/at',
    '/validation/tolerance',
    '/workload/a/interarrival/histogram/0/high',
  ]);
});

test('issues carry line and column when the validator is given a locator', () => {
  const locate = (pointer: string) => (pointer === '/stop/at' ? { line: 4, column: 9 } : undefined);
  const [issue] = validator.check({ name: 'x', stop: { at: 'soon' }, world: {} }, 'x.json', locate);
  assert.equal([issue!.file, issue!.pointer, issue!.line, issue!.column], ['x.json', '/stop/at', 4, 9]);
});

test.run();
