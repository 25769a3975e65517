import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPONENT_TYPES } from '../../sim/scenario/components/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = 'test/fixtures/scenarios';
const scratch = mkdtempSync(join(tmpdir(), 'storsim-cli-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `node bin/storsim.js ...args` from the repository root. */
function storsim(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/storsim.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under `dir`, relative to it, sorted. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).map(String).sort();
}

/** A fresh directory under the scratch directory. */
function fresh(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}


/** The world component types, as the validator lists them. */
const WORLD_TYPES = COMPONENT_TYPES.filter((t) => t.section === 'world').map((t) => `"${t.type}"`).join(', ');

test('run on an invalid scenario exits 2, prints every issue as file:line:col pointer: message, and creates no output dir', () => {
  const out = join(fresh('run-invalid'), 'out');
  const { status, stdout, stderr } = storsim('run', `${fixtures}/bad/schema.json`, '--out', out);
  assert.is(status, 2, stderr);
  assert.is(stdout, '');
  assert.match(stderr, /^storsim: invalid input, nothing was run or written:\n/);
  const file = `${fixtures}/bad/schema.json`;
  for (const line of [
    `${file}:5:15 /world/server: missing required key "servers"`,
    `${file}:5:53 /world/server/sevrers: unknown key "sevrers"; did you mean "servers"?; allowed: "type", "servers", "queueLimit"`,
    `${file}:6:24 /world/spare/type: must be one of ${WORLD_TYPES} (got "queue-statoin"); did you mean "queue-station"?; allowed: ${WORLD_TYPES}`,
    `${file}:9:17 /workload/arrivals: missing required key "service"`,
    `${file}:12:56 /workload/arrivals/interarrival/mean: "1KiB" is a size, but a time is required here`,
  ]) {
    assert.ok(stderr.split('\n').includes(line), `missing line:\n${line}\nin:\n${stderr}`);
  }
  assert.not.ok(existsSync(out), 'the output directory must not be created');
});

test('run on several bad files reports each of them and leaves a pre-existing output dir empty', () => {
  const out = fresh('run-invalid-existing/out');
  const valid = `${fixtures}/valid/b-plain.json`;
  const { status, stderr } = storsim('run', valid, `${fixtures}/bad`, `${fixtures}/twins`, 'no-such-file.json', '--out', out);
  assert.is(status, 2, stderr);
  for (const name of ['schema', 'references', 'stop-neither', 'when-idle-interval', 'sweep-value', 'sweep-variants', 'build-uniform', 'build-lognormal']) {
    assert.match(stderr, new RegExp(`^${fixtures}/bad/${name}\\.json:\\d+:\\d+ /`, 'm'), `${name}.json is reported`);
  }
  assert.match(stderr, new RegExp(`^${fixtures}/twins/twin-2\\.json:2:11 /name: scenario name "twin" is also used by`, 'm'));
  assert.match(stderr, /^no-such-file\.json: no such file or directory$/m);
  assert.not.match(stderr, /b-plain/, 'the valid file has nothing to report');
  assert.equal(readdirSync(out), [], 'the output directory stays empty');
});

test('validate exits 2 on invalid JSON and reports the line and column of the error', () => {
  const dir = fresh('syntax');
  const file = join(dir, 'broken.json');
  writeFileSync(file, '{\n  "name": "broken",\n  "stop": { "at": "1s" },,\n  "world": {}\n}\n');
  const validate = storsim('validate', file);
  assert.is(validate.status, 2);
  assert.match(validate.stderr, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:26: \\S`, 'm'));
  assert.match(validate.stderr, /^storsim: 1 problem\(s\) found$/m);
  assert.is(validate.stdout, '');
});

test('validate exits 0 on the examples and lists each file as ok', () => {
  const { status, stdout, stderr } = storsim('validate', 'scenarios/examples');
  assert.is(status, 0, stderr);
  const examples = readdirSync(join(root, 'scenarios/examples')).filter((n) => n.endsWith('.json')).sort();
  assert.ok(examples.length > 0);
  assert.equal(
    stdout.trim().split('\n').map((l) => l.replace(/: ok \(.*\)$/, '')),
    examples.map((n) => join('scenarios/examples', n)),
  );
});

test('an unknown command exits 2', () => {
  const { status, stderr } = storsim('frobnicate');
  assert.is(status, 2);
  assert.match(stderr, /unknown command 'frobnicate'/);
});

test('bad options and missing arguments exit 2 before anything is loaded or written', () => {
  const out = join(fresh('bad-options'), 'out');
  const valid = `${fixtures}/valid/b-plain.json`;
  const cases: [string[], RegExp][] = [
    [['run', valid, '--replications', '0', '--out', out], /--replications <n>' argument '0' is invalid\. must be an integer >= 1/],
    [['run', valid, '--seed', '1.5', '--out', out], /--seed <n>' argument '1\.5' is invalid/],
    [['run', valid, '--bogus', '--out', out], /unknown option '--bogus'/],
    [['run', '--out', out], /missing required argument 'scenario'/],
    [['validation', '--workers', '0', '--out', out], /--workers <n>' argument '0' is invalid/],
  ];
  for (const [args, message] of cases) {
    const { status, stderr } = storsim(...args);
    assert.is(status, 2, `storsim ${args.join(' ')}: ${stderr}`);
    assert.match(stderr, message);
  }
  assert.not.ok(existsSync(out));
});

test('--help exits 0 for the program and each command, and mentions the exit codes', () => {
  for (const args of [['--help'], ['run', '--help'], ['validate', '--help'], ['validation', '--help'], ['schema', '--help']]) {
    const { status, stdout } = storsim(...args);
    assert.is(status, 0, args.join(' '));
    assert.match(stdout, /^Usage: storsim/, args.join(' '));
    assert.match(stdout, /Exit codes:\n\s+0\s+ok\n\s+1\s+.*\n\s+2\s+bad input.*nothing is written/, `${args.join(' ')} mentions the exit codes`);
  }
});

test('a scenario or variant named with "../" is rejected by the name patterns and nothing is written anywhere', () => {
  const dir = fresh('escape/work');
  const file = join(dir, 'escape.json');
  writeFileSync(file, JSON.stringify({ name: '../escape', stop: { at: '1s' }, world: { s: { type: 'queue-station', servers: 1 } }, sweep: { variants: [{ name: '../up', set: {} }] } }, null, 2));
  const out = fresh('escape/work/out');
  const before = tree(join(scratch, 'escape'));
  const { status, stderr } = storsim('run', file, '--out', out);
  assert.is(status, 2);
  assert.ok(
    stderr.includes(`${file}:2:11 /name: must match the pattern ^[a-z][a-z0-9_-]*$ (got "../escape"); allowed: scenario name, used in run ids`),
    stderr,
  );
  assert.match(stderr, /\/sweep\/variants\/0\/name: must match the pattern \^\[a-z0-9\]\[a-z0-9._-\]\*\$ \(got "\.\.\/up"\)/, 'variant names cannot climb either');
  assert.equal(tree(join(scratch, 'escape')), before);
  assert.equal(readdirSync(out), []);
});

test('a valid run writes runs.csv and timeseries.csv inside --out and nowhere else', () => {
  const base = fresh('ok');
  const out = join(base, 'nested', 'out');
  const { status, stdout, stderr } = storsim('run', `${fixtures}/valid/b-plain.json`, '--out', out);
  assert.is(status, 0, stderr);
  assert.match(stdout, /1 run\(s\) from 1 scenario\(s\)/);
  assert.equal(tree(base), ['nested', join('nested', 'out'), join('nested', 'out', 'runs.csv'), join('nested', 'out', 'timeseries.csv')]);
  assert.match(readFileSync(join(out, 'runs.csv'), 'utf8'), /^run_id,scenario,variant,policy\.queue-discipline,seed,/);
  assert.match(readFileSync(join(out, 'runs.csv'), 'utf8'), /\nplain\/v0\/r0,plain,v0,priority-classes,1,/);
});

test('a run that fails is exit 1 (not bad input); the other results are still written', () => {
  const dir = fresh('fails');
  const file = join(dir, 'guard.json');
  writeFileSync(file, JSON.stringify({
    name: 'guarded',
    stop: { at: '100s', maxEvents: 5 },
    world: { s: { type: 'queue-station', servers: 1 } },
    workload: { a: { type: 'open-source', target: 's', interarrival: { dist: 'constant', value: '1s' }, service: { dist: 'constant', value: '100ms' } } },
  }));
  const out = join(dir, 'out');
  const { status, stderr } = storsim('run', file, `${fixtures}/valid/b-plain.json`, '--out', out, '--quiet');
  assert.is(status, 1, stderr);
  assert.match(stderr, /run guarded\/v0\/r0 failed \(seed 1, file .*guard\.json\): run stopped after 5 events/);
  const runs = readFileSync(join(out, 'runs.csv'), 'utf8');
  assert.match(runs, /\nplain\/v0\/r0,/);
  assert.not.match(runs, /guarded/);
});

test('validation with an invalid suite exits 2 and writes nothing', () => {
  const out = join(fresh('validation'), 'out');
  const { status, stderr } = storsim('validation', '--suite', `${fixtures}/bad`, '--out', out);
  assert.is(status, 2);
  assert.match(stderr, /^storsim: invalid validation scenario, nothing was run or written:\n/);
  assert.match(stderr, /stop-neither\.json:3:11 \/stop: /);
  assert.not.ok(existsSync(out));
});

test('schema prints the checked-in schema, or writes it to --out', () => {
  const checkedIn = readFileSync(join(root, 'scenarios/schema/scenario.schema.json'), 'utf8');
  const printed = storsim('schema');
  assert.is(printed.status, 0);
  assert.ok(printed.stdout === checkedIn, 'stdout equals scenarios/schema/scenario.schema.json (regenerate: node bin/storsim.js schema --out scenarios/schema/scenario.schema.json)');
  const file = join(fresh('schema'), 'scenario.schema.json');
  const written = storsim('schema', '--out', file);
  assert.is(written.status, 0);
  assert.is(written.stdout, '');
  assert.ok(readFileSync(file, 'utf8') === checkedIn);
  assert.equal(readdirSync(join(scratch, 'schema')), ['scenario.schema.json']);
});

test.run();
