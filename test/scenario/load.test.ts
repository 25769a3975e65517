import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioError, type ScenarioIssue } from '../../sim/scenario/errors.ts';
import { loadScenarios, type LoadedScenario } from '../../sim/scenario/load.ts';

const fixtures = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));
const valid = join(fixtures, 'valid');
const bad = join(fixtures, 'bad');
const twins = join(fixtures, 'twins');

const scratch = mkdtempSync(join(tmpdir(), 'storsim-load-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

/** A minimal valid scenario named `name`, as JSON text. */
function minimal(name: string, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ name, stop: { at: '1s' }, world: { server: { type: 'queue-station', servers: 1 } }, ...extra }, null, 2)}\n`;
}

/** Loads `paths`, expecting failure; returns the issues of the ScenarioError. */
async function issuesOf(paths: string[]): Promise<ScenarioIssue[]> {
  try {
    await loadScenarios(paths);
  } catch (error) {
    assert.instance(error, ScenarioError);
    return (error as ScenarioError).issues;
  }
  assert.unreachable(`expected ${paths.join(', ')} to be rejected`);
  return [];
}

function byName(scenarios: LoadedScenario[], name: string): LoadedScenario {
  const found = scenarios.find((s) => s.name === name);
  assert.ok(found, `scenario ${name} loaded`);
  return found!;
}

test('a directory is loaded as its *.json files in name order, other files ignored', async () => {
  const dir = join(scratch, 'order');
  mkdirSync(dir);
  // Written in a scrambled order. Name order is UTF-16 code-unit order (JavaScript's sort); on Linux
  // libuv happens to return byte (UTF-8) order, which differs for "\uFF21" (fullwidth A) and an emoji.
  const names = ['m', 'c', 'x', 'a', 'q', 'e', 'z', 'b', 'k', 'h', 'B', '10', '9', '\uFF21', '\u{1F600}'];
  names.forEach((n, i) => writeFileSync(join(dir, `${n}.json`), minimal(`s-${i}`)));
  writeFileSync(join(dir, 'notes.txt'), 'not a scenario');
  writeFileSync(join(dir, 'scenario.json.bak'), 'not a scenario either');
  const { scenarios } = await loadScenarios([dir]);
  const expected = names.map((n) => `${n}.json`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.equal(scenarios.map((s) => basename(s.file)), expected);
  assert.is(scenarios[0]!.file, join(dir, '10.json'));
  assert.equal(expected.slice(-2), ['\u{1F600}.json', '\uFF21.json'], 'a surrogate pair sorts before U+FF21');
});

test('the fixtures directory loads its two scenarios in file name order', async () => {
  const { scenarios, units } = await loadScenarios([valid]);
  assert.equal(scenarios.map((s) => [basename(s.file), s.name]), [['a-tiny.json', 'tiny'], ['b-plain.json', 'plain']]);
  assert.is(units.parse('2s', 'time'), 2e9, 'the unit parser is returned ready for the runs');
});

test('runs come in canonical order: variants x matrix (last key fastest), then replications with seed base + r', async () => {
  const { scenarios } = await loadScenarios([valid]);
  const tiny = byName(scenarios, 'tiny');
  assert.is(tiny.runs.length, 16);
  const expected: [string, number, string, string, string, number][] = [];
  let v = 0;
  for (const [name, mean] of [['slow', '1.5s'], ['fast', '0.5s']] as const) {
    for (const policy of ['fifo', 'sjf']) {
      for (const servers of [1, 2]) {
        for (const r of [0, 1]) expected.push([`tiny/v${v}/r${r}`, 7 + r, name, mean, policy, servers]);
        v++;
      }
    }
  }
  assert.equal(
    tiny.runs.map((run) => [run.id, run.seed, run.variant.name, run.spec.workload.arrivals.service.mean, run.spec.policies['queue-discipline'], run.spec.world.server.servers]),
    expected,
  );
  assert.equal(tiny.runs.map((run) => run.replication), Array.from({ length: 16 }, (_, i) => i % 2));
  assert.equal(tiny.runs.map((run) => run.variant.index), Array.from({ length: 16 }, (_, i) => Math.floor(i / 2)));
  for (const run of tiny.runs) {
    assert.is(run.scenario, 'tiny');
    assert.is(run.file, join(valid, 'a-tiny.json'));
  }
});

test('run ids are stable: loading the same files twice gives the same runs', async () => {
  const first = await loadScenarios([valid]);
  const second = await loadScenarios([valid]);
  const ids = (s: LoadedScenario[]) => s.flatMap((x) => x.runs.map((r) => `${r.id}@${r.seed}`));
  assert.equal(ids(first.scenarios), ids(second.scenarios));
  assert.equal(first.scenarios.map((s) => s.runs.map((r) => r.spec)), second.scenarios.map((s) => s.runs.map((r) => r.spec)));
});

test('a run spec has its variant applied while the scenario spec stays as written', async () => {
  const { scenarios } = await loadScenarios([valid]);
  const tiny = byName(scenarios, 'tiny');
  assert.is(tiny.spec.workload.arrivals.service.mean, '1s');
  assert.is(tiny.spec.policies, undefined);
  assert.is(tiny.spec.world.server.servers, 1);
  assert.is(tiny.runs[15]!.spec.world.server.servers, 2);
  assert.is(tiny.runs[15]!.spec.workload.arrivals.service.mean, '0.5s');
  assert.is(tiny.runs[15]!.spec.policies['queue-discipline'], 'sjf');
  assert.is.not(tiny.runs[0]!.spec, tiny.spec);
});

test('without seed or sweep a scenario makes one run, v0/r0, with seed 1', async () => {
  const { scenarios } = await loadScenarios([join(valid, 'b-plain.json')]);
  assert.is(scenarios.length, 1);
  const [run] = scenarios[0]!.runs;
  assert.is(scenarios[0]!.runs.length, 1);
  assert.is(run!.id, 'plain/v0/r0');
  assert.is(run!.seed, 1);
  assert.is(run!.replication, 0);
  assert.equal(run!.variant, { index: 0, name: '', baseIndex: 0, assignments: [] });
});

test('LoadOptions seed and replications override the scenario (--seed, --replications)', async () => {
  const { scenarios } = await loadScenarios([valid], { seed: 100, replications: 3 });
  const tiny = byName(scenarios, 'tiny');
  assert.is(tiny.runs.length, 8 * 3);
  assert.equal(tiny.runs.slice(0, 4).map((r) => [r.id, r.seed]), [['tiny/v0/r0', 100], ['tiny/v0/r1', 101], ['tiny/v0/r2', 102], ['tiny/v1/r0', 100]]);
  const plain = byName(scenarios, 'plain');
  assert.equal(plain.runs.map((r) => [r.id, r.seed]), [['plain/v0/r0', 100], ['plain/v0/r1', 101], ['plain/v0/r2', 102]]);
});

test('a seed override of 0 is honoured (not treated as absent)', async () => {
  const { scenarios } = await loadScenarios([join(valid, 'a-tiny.json')], { seed: 0 });
  assert.equal(scenarios[0]!.runs.slice(0, 2).map((r) => r.seed), [0, 1]);
});

test('each run carries the policy in force at every decision point, sorted, defaulting to the first registered', async () => {
  const { scenarios } = await loadScenarios([valid]);
  const tiny = byName(scenarios, 'tiny');
  // tiny has no policies section: the matrix sets it; variant order fifo, fifo, sjf, sjf per base.
  assert.equal(
    tiny.runs.filter((r) => r.replication === 0).map((r) => r.policies),
    [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [['queue-discipline', i % 4 < 2 ? 'fifo' : 'sjf']]),
  );
  const plain = byName(scenarios, 'plain');
  assert.equal(plain.runs[0]!.policies, [['queue-discipline', 'priority-classes']], 'the {"name", "params"} form');
  const dir = join(scratch, 'default-policy');
  mkdirSync(dir);
  writeFileSync(join(dir, 'd.json'), minimal('defaulted'));
  const { scenarios: [defaulted] } = await loadScenarios([dir]);
  assert.equal(defaulted!.runs[0]!.policies, [['queue-discipline', 'fifo']], 'a queue-station uses queue-discipline; none chosen gives fifo');
});

/** Every issue the loader must find in the bad fixtures, the twins and a missing file, at once. */
const EXPECTED: { file: string; pointer: string; at?: [number, number]; message: RegExp; allowed?: RegExp }[] = [
  // schema problems, all in one file
  { file: 'bad/schema.json', pointer: '/world/server/sevrers', at: [5, 53], message: /^unknown key "sevrers"; did you mean "servers"\?$/, allowed: /"servers"/ },
  { file: 'bad/schema.json', pointer: '/world/server', at: [5, 15], message: /^missing required key "servers"$/ },
  { file: 'bad/schema.json', pointer: '/world/spare/type', at: [6, 24], message: /got "queue-statoin".*did you mean "queue-station"/, allowed: /^"queue-station", / },
  { file: 'bad/schema.json', pointer: '/workload/arrivals', at: [9, 17], message: /^missing required key "service"$/ },
  { file: 'bad/schema.json', pointer: '/workload/arrivals/interarrival/mean', at: [12, 56], message: /"1KiB" is a size, but a time is required/ },
  // semantic problems, all in one file
  { file: 'bad/references.json', pointer: '/stop', at: [3, 11], message: /exactly one of "at" or "whenIdle"/, allowed: /"at"/ },
  { file: 'bad/references.json', pointer: '/workload/arrivals/target', at: [10, 17], message: /^no component "sever"; did you mean "server"\?$/, allowed: /^"server"$/ },
  { file: 'bad/references.json', pointer: '/workload/server', at: [14, 15], message: /id "server" is already used in world/, allowed: /unique/ },
  { file: 'bad/references.json', pointer: '/sweep/variants/0/set/seed', at: [22, 37], message: /^a sweep cannot change "seed"$/ },
  { file: 'bad/references.json', pointer: '/sweep/matrix/name', at: [23, 25], message: /^a sweep cannot change "name"$/ },
  { file: 'bad/stop-neither.json', pointer: '/stop', at: [3, 11], message: /exactly one of "at" or "whenIdle"/ },
  { file: 'bad/when-idle-interval.json', pointer: '/metrics/interval', at: [7, 28], message: /needs "stop.at"/ },
  // a bad sweep value, reported where the sweep writes it
  {
    file: 'bad/sweep-value.json', pointer: '/sweep/matrix/workload.arrivals.interarrival.mean', at: [16, 56],
    message: /^in sweep variant 1 \(workload\.arrivals\.interarrival\.mean="1 furlong"\): \/workload\/arrivals\/interarrival\/mean: .*unknown unit "furlong"/,
  },
  // named variants x matrix: each broken variant reported at its variants entry
  { file: 'bad/sweep-variants.json', pointer: '/sweep/variants/0', at: [18, 7], message: /^in sweep variant 1 \(.*"nope"\): \/policies\/queue-discipline: must be one of/, allowed: /"fifo", "lifo", "sjf", "priority-classes"/ },
  { file: 'bad/sweep-variants.json', pointer: '/sweep/variants/1', at: [19, 7], message: /^in sweep variant 2 \(world\.server\.servers=0, .*\): \/world\/server\/servers: must be an integer >= 1/, allowed: /integer >= 1/ },
  { file: 'bad/sweep-variants.json', pointer: '/sweep/variants/1', at: [19, 7], message: /^in sweep variant 3 .*\/policies\/queue-discipline/ },
  { file: 'bad/sweep-variants.json', pointer: '/sweep/variants/1', at: [19, 7], message: /^in sweep variant 3 .*\/world\/server\/servers/ },
  { file: 'bad/sweep-variants.json', pointer: '/sweep/variants/2', at: [20, 7], message: /^in sweep variant 4 .*: \/workload\/arrivals\/target: no component "nowhere"/, allowed: /^"server"$/ },
  { file: 'bad/sweep-variants.json', pointer: '/sweep/variants/2', at: [20, 7], message: /^in sweep variant 5 .*\/policies\/queue-discipline/ },
  { file: 'bad/sweep-variants.json', pointer: '/sweep/variants/2', at: [20, 7], message: /^in sweep variant 5 .*\/workload\/arrivals\/target/ },
  { file: 'bad/sweep-variants.json', pointer: '/sweep/variants/3', at: [21, 7], message: /^in sweep variant 6 .*: \/workload\/arrivals: uniform: max must be > min/ },
  { file: 'bad/sweep-variants.json', pointer: '/sweep/variants/3', at: [21, 7], message: /^in sweep variant 7 .*\/policies\/queue-discipline/ },
  // build-time range errors, at the component
  { file: 'bad/build-uniform.json', pointer: '/workload/arrivals', at: [8, 17], message: /^uniform: max must be > min/ },
  { file: 'bad/build-lognormal.json', pointer: '/workload/arrivals', at: [8, 17], message: /^lognormal: mean must be > 0, got 0$/ },
  // across files
  { file: 'twins/twin-2.json', pointer: '/name', at: [2, 11], message: /^scenario name "twin" is also used by .*twin-1\.json$/, allowed: /unique/ },
  { file: 'missing.json', pointer: '', message: /^no such file or directory$/ },
];

test('every issue in every file is reported at once, with file, pointer, line, column, message and allowed', async () => {
  const missing = join(fixtures, 'missing.json');
  const issues = await issuesOf([bad, twins, missing]);
  const rel = (file: string) => (file.startsWith(fixtures) ? file.slice(fixtures.length) : file);
  const unmatched = [...issues];
  for (const want of EXPECTED) {
    const i = unmatched.findIndex((got) => rel(got.file) === want.file && got.pointer === want.pointer && want.message.test(got.message));
    assert.ok(i >= 0, `expected an issue ${want.file} ${want.pointer} ${want.message}; got:\n${issues.map((x) => `${rel(x.file)} ${x.pointer}: ${x.message}`).join('\n')}`);
    const [got] = unmatched.splice(i, 1);
    if (want.at !== undefined) assert.equal([got!.line, got!.column], want.at, `position of ${want.file} ${want.pointer}`);
    else assert.equal([got!.line, got!.column], [undefined, undefined]);
    if (want.allowed !== undefined) assert.match(got!.allowed ?? '', want.allowed, `allowed of ${want.file} ${want.pointer}`);
  }
  assert.equal(unmatched, [], 'no issue beyond the expected ones');
});

test('the error message lists the issues one per line as file:line:col pointer: message', async () => {
  try {
    await loadScenarios([join(bad, 'stop-neither.json'), join(bad, 'when-idle-interval.json')]);
    assert.unreachable('should fail');
  } catch (error) {
    assert.instance(error, ScenarioError);
    const lines = (error as Error).message.split('\n');
    assert.is(lines.length, 2);
    assert.ok(lines[0]!.endsWith('stop-neither.json:3:11 /stop: give exactly one of "at" or "whenIdle"; allowed: {"at": "1000s"} or {"whenIdle": true}'), lines[0]);
    assert.match(lines[1]!, /when-idle-interval\.json:7:28 \/metrics\/interval: a sampling interval needs "stop\.at"/);
  }
});

test('a bad file spoils the whole load, even when the other files are valid', async () => {
  const issues = await issuesOf([valid, join(bad, 'stop-neither.json')]);
  assert.is(issues.length, 1);
  assert.is(basename(issues[0]!.file), 'stop-neither.json');
});

test('a schema problem is reported once even when the scenario has a sweep (no per-variant repeats)', async () => {
  const dir = join(scratch, 'schema-and-sweep');
  mkdirSync(dir);
  const file = join(dir, 's.json');
  writeFileSync(file, minimal('swept', { sweep: { matrix: { 'world.server.servers': [1, 2, 3] } }, metrics: { warmup: '5 parsecs' } }));
  const issues = await issuesOf([file]);
  assert.equal(issues.map((i) => i.pointer), ['/metrics/warmup']);
});

test('two scenarios with the same name are reported at the second one, pointing at its name', async () => {
  const issues = await issuesOf([twins]);
  assert.is(issues.length, 1);
  assert.is(issues[0]!.file, join(twins, 'twin-2.json'));
  assert.is(issues[0]!.pointer, '/name');
  assert.equal([issues[0]!.line, issues[0]!.column], [2, 11]);
  assert.match(issues[0]!.message, /also used by .*twin-1\.json/);
});

test('the same file given twice is a name clash too', async () => {
  const file = join(valid, 'b-plain.json');
  const issues = await issuesOf([file, file]);
  assert.equal(issues.map((i) => [i.pointer, i.message]), [['/name', `scenario name "plain" is also used by ${file}`]]);
});

test('invalid JSON is reported with its line and column, alongside the other files\' issues', async () => {
  const dir = join(scratch, 'syntax');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.json'), '{\n  "name": "broken",\n  "stop": { "at": "1s" },,\n  "world": {}\n}\n');
  writeFileSync(join(dir, 'b.json'), '{\n  "name": "dup",\n  "name": "dup2",\n  "stop": { "at": "1s" }, "world": {}\n}\n');
  // All three in one directory: issues are ordered by file path, so mixing directories
  // would make the order depend on where the checkout lives.
  copyFileSync(join(bad, 'stop-neither.json'), join(dir, 'c-stop-neither.json'));
  const issues = await issuesOf([dir]);
  assert.equal(
    issues.map((i) => [basename(i.file), i.pointer, i.line, i.column]),
    [['a.json', '', 3, 26], ['b.json', '/name', 3, 3], ['c-stop-neither.json', '/stop', 3, 11]],
  );
  assert.match(issues[1]!.message, /^duplicate key "name" \(first at line 2, column 3\)/);
});

test('no path at all, an empty directory and an unreadable entry are each reported', async () => {
  const none = await issuesOf([]);
  assert.equal(none.map((i) => [i.file, i.pointer, i.message, i.allowed]), [['(command line)', '', 'no scenario given', 'one or more scenario files or directories']]);

  const empty = join(scratch, 'empty');
  mkdirSync(empty);
  writeFileSync(join(empty, 'readme.txt'), 'no scenarios here');
  const emptyIssues = await issuesOf([empty]);
  assert.equal(emptyIssues.map((i) => [i.file, i.message]), [[empty, 'directory holds no .json scenario']]);

  const odd = join(scratch, 'odd');
  mkdirSync(join(odd, 'sub.json'), { recursive: true });
  const oddIssues = await issuesOf([odd]);
  assert.is(oddIssues.length, 1);
  assert.is(oddIssues[0]!.file, join(odd, 'sub.json'));
  assert.match(oddIssues[0]!.message, /^cannot read: /);
});

test('a directory and a missing file: the valid directory does not hide the missing one', async () => {
  const issues = await issuesOf([valid, join(scratch, 'nope', 'x.json')]);
  assert.equal(issues.map((i) => [i.file, i.pointer, i.message]), [[join(scratch, 'nope', 'x.json'), '', 'no such file or directory']]);
});

test.run();
