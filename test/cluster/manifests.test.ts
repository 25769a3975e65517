/**
 * The cluster examples in scenarios/cluster, checked without a cluster:
 * - the Kubernetes Indexed Job and its merge Job are well-formed YAML with the fields the batch/v1 Job
 *   API requires (reference: Kubernetes API, JobSpec: completionMode Indexed needs completions;
 *   pod template restartPolicy must be Never or OnFailure; containers need a name and an image;
 *   volumeMounts name declared volumes; names are DNS-1123 labels), and their storsim arguments agree
 *   with each other (shard count = completions, each pod writes its own folder, the merge names every
 *   shard folder once);
 * - the sbatch script parses (bash -n), keeps every #SBATCH line before its first command (sbatch stops
 *   reading directives there: Slurm's sbatch man page), shards with --shard auto, and refuses to run
 *   outside a job array with a clear message.
 * The real run of the sbatch script is test/cluster/slurm-sweep.e2e.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseYamlSubset, type YamlValue } from './mini-yaml.ts';

const CLUSTER = fileURLToPath(new URL('../../scenarios/cluster/', import.meta.url));
type Obj = { [key: string]: YamlValue };

function obj(value: YamlValue | undefined, where: string): Obj {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${where} must be a mapping`);
  return value as Obj;
}
function list(value: YamlValue | undefined, where: string): YamlValue[] {
  assert.ok(Array.isArray(value) && value.length > 0, `${where} must be a non-empty list`);
  return value as YamlValue[];
}
function str(value: YamlValue | undefined, where: string): string {
  assert.type(value, 'string', `${where} must be a string`);
  return value as string;
}
function positiveInt(value: YamlValue | undefined, where: string): number {
  assert.ok(typeof value === 'number' && Number.isInteger(value) && value >= 1, `${where} must be an integer >= 1`);
  return value as number;
}
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function load(file: string): Obj {
  return obj(parseYamlSubset(readFileSync(`${CLUSTER}${file}`, 'utf8')), file);
}

/** Checks what the batch/v1 Job API requires of a Job and its pod template; returns the containers. */
function checkJob(job: Obj, file: string): { spec: Obj; containers: Obj[]; volumes: Map<string, Obj> } {
  assert.is(job.apiVersion, 'batch/v1', `${file}: apiVersion`);
  assert.is(job.kind, 'Job', `${file}: kind`);
  const name = str(obj(job.metadata, `${file}: metadata`).name, `${file}: metadata.name`);
  assert.ok(DNS_LABEL.test(name), `${file}: metadata.name "${name}" must be a DNS-1123 label`);
  const spec = obj(job.spec, `${file}: spec`);
  const podSpec = obj(obj(spec.template, `${file}: spec.template`).spec, `${file}: spec.template.spec`);
  assert.ok(['Never', 'OnFailure'].includes(str(podSpec.restartPolicy, `${file}: restartPolicy`)), `${file}: a Job's restartPolicy must be Never or OnFailure`);

  const volumes = new Map<string, Obj>();
  for (const [i, v] of (podSpec.volumes === undefined ? [] : list(podSpec.volumes, `${file}: volumes`)).entries()) {
    const volume = obj(v, `${file}: volumes[${i}]`);
    const vname = str(volume.name, `${file}: volumes[${i}].name`);
    assert.not.ok(volumes.has(vname), `${file}: volume "${vname}" declared twice`);
    const sources = Object.keys(volume).filter((k) => k !== 'name');
    assert.is(sources.length, 1, `${file}: volume "${vname}" needs exactly one source, has ${sources.join(', ') || 'none'}`);
    volumes.set(vname, volume);
  }

  const containers = list(podSpec.containers, `${file}: containers`).map((c, i) => obj(c, `${file}: containers[${i}]`));
  const names = new Set<string>();
  for (const c of containers) {
    const cname = str(c.name, `${file}: container name`);
    assert.ok(DNS_LABEL.test(cname) && !names.has(cname), `${file}: container name "${cname}" must be a unique DNS-1123 label`);
    names.add(cname);
    str(c.image, `${file}: container ${cname} image`);
    for (const m of c.volumeMounts === undefined ? [] : list(c.volumeMounts, `${file}: ${cname} volumeMounts`)) {
      const mount = obj(m, `${file}: ${cname} volumeMount`);
      const vname = str(mount.name, `${file}: volumeMount name`);
      assert.ok(volumes.has(vname), `${file}: container ${cname} mounts undeclared volume "${vname}"`);
      assert.ok(str(mount.mountPath, `${file}: mountPath`).startsWith('/'), `${file}: mountPath must be absolute`);
    }
  }
  return { spec, containers, volumes };
}

/** The storsim arguments of a container: command + args after the word "storsim". */
function storsimArgs(container: Obj, file: string): string[] {
  const words = [...(container.command === undefined ? [] : list(container.command, `${file}: command`)), ...(container.args === undefined ? [] : list(container.args, `${file}: args`))].map(
    (w) => str(w, `${file}: command/args entries must be strings (quote numbers)`),
  );
  const at = words.indexOf('storsim');
  assert.ok(at >= 0, `${file}: the container must run storsim (found ${words.join(' ')})`);
  return words.slice(at + 1);
}

function optionValue(args: string[], option: string, file: string): string {
  const at = args.indexOf(option);
  assert.ok(at >= 0 && at + 1 < args.length, `${file}: ${option} <value> missing from ${args.join(' ')}`);
  return args[at + 1]!;
}

test('the Indexed Job is a valid batch/v1 Job whose pods each run one shard of N = completions', () => {
  const file = 'sweep-indexed-job.yaml';
  const { spec, containers, volumes } = checkJob(load(file), file);
  assert.is(spec.completionMode, 'Indexed', `${file}: completionMode`);
  const completions = positiveInt(spec.completions, `${file}: spec.completions (required for Indexed)`);
  const parallelism = positiveInt(spec.parallelism, `${file}: spec.parallelism`);
  assert.ok(parallelism <= completions, `${file}: parallelism ${parallelism} > completions ${completions} would leave pods idle`);

  assert.is(containers.length, 1, `${file}: one container`);
  const container = containers[0]!;
  const args = storsimArgs(container, file);
  assert.is(args[0], 'sweep', `${file}: storsim sweep`);
  assert.is(optionValue(args, '--shard-count', file), String(completions), `${file}: --shard-count must equal spec.completions`);

  // --shard-index is $(VAR), VAR the completion index: the controller's JOB_COMPLETION_INDEX, or an env
  // var read from the job-completion-index annotation through the downward API.
  const index = optionValue(args, '--shard-index', file);
  const variable = /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(index)?.[1];
  assert.ok(variable, `${file}: --shard-index must be $(VAR), found ${index}`);
  if (variable !== 'JOB_COMPLETION_INDEX') {
    const env = list(container.env, `${file}: env`).map((e) => obj(e, `${file}: env entry`));
    const entry = env.find((e) => e.name === variable);
    assert.ok(entry, `${file}: --shard-index uses $(${variable}), which the container's env does not define`);
    const fieldPath = obj(obj(entry!.valueFrom, `${file}: ${variable}.valueFrom`).fieldRef, `${file}: fieldRef`).fieldPath;
    assert.is(fieldPath, "metadata.annotations['batch.kubernetes.io/job-completion-index']", `${file}: ${variable} must come from the completion-index annotation`);
  }

  // Each pod writes its own folder, on a volume every pod and the merge Job share.
  const out = optionValue(args, '--out', file);
  assert.ok(out.includes(`$(${variable})`), `${file}: --out ${out} must contain the shard index, or the pods overwrite each other`);
  const mount = list(container.volumeMounts, `${file}: volumeMounts`)
    .map((m) => obj(m, 'mount'))
    .find((m) => out.startsWith(`${String(m.mountPath)}/`));
  assert.ok(mount, `${file}: --out ${out} must be on a mounted volume`);
  const volume = volumes.get(String(mount!.name))!;
  assert.ok(volume.persistentVolumeClaim, `${file}: the results volume must be a PersistentVolumeClaim (shared with the merge Job), not ${Object.keys(volume).join(', ')}`);
});

test('the merge Job names every shard folder the Indexed Job writes, once, on the same claim', () => {
  const sweepFile = 'sweep-indexed-job.yaml';
  const mergeFile = 'sweep-merge-job.yaml';
  const sweep = checkJob(load(sweepFile), sweepFile);
  const merge = checkJob(load(mergeFile), mergeFile);
  const completions = sweep.spec.completions as number;
  const sweepContainer = sweep.containers[0]!;
  const sweepArgs = storsimArgs(sweepContainer, sweepFile);
  const out = optionValue(sweepArgs, '--out', sweepFile);
  const index = optionValue(sweepArgs, '--shard-index', sweepFile);

  const args = storsimArgs(merge.containers[0]!, mergeFile);
  assert.is(args[0], 'merge', `${mergeFile}: storsim merge`);
  const outAt = args.indexOf('--out');
  const folders = args.slice(1, outAt < 0 ? undefined : outAt);
  const expected = Array.from({ length: completions }, (_, k) => out.replace(index, String(k)));
  assert.equal(folders, expected, `${mergeFile}: merge exactly the ${completions} shard folders`);
  assert.ok(!expected.includes(optionValue(args, '--out', mergeFile)), `${mergeFile}: the merged folder must not be a shard folder`);

  const claim = (job: typeof sweep) => [...job.volumes.values()].map((v) => (v.persistentVolumeClaim as Obj | undefined)?.claimName).filter(Boolean);
  assert.equal(claim(merge), claim(sweep), 'both Jobs use the same PersistentVolumeClaim');
});

test('the sbatch script parses, keeps #SBATCH lines before its first command and shards with --shard auto', () => {
  const path = `${CLUSTER}sweep.sbatch`;
  const syntax = spawnSync('bash', ['-n', path], { encoding: 'utf8' });
  assert.is(syntax.status, 0, `bash -n: ${syntax.stderr}`);

  const lines = readFileSync(path, 'utf8').split('\n');
  assert.ok(lines[0]!.startsWith('#!'), 'sbatch needs a #! line');
  const firstCommand = lines.findIndex((l, i) => i > 0 && l.trim() !== '' && !l.trimStart().startsWith('#'));
  const directives = lines.flatMap((l, i) => (l.startsWith('#SBATCH') ? [i] : []));
  assert.ok(directives.length > 0, 'no #SBATCH line');
  assert.ok(directives.every((i) => i < firstCommand), '#SBATCH lines after the first command are ignored by sbatch');
  assert.ok(lines.some((l) => l.startsWith('#SBATCH --array=')), 'the script declares its array');
  const sweepLine = lines.find((l) => /storsim sweep /.test(l) && !l.startsWith('#'));
  assert.ok(sweepLine && /--shard auto/.test(sweepLine) && /\$SLURM_ARRAY_TASK_ID/.test(sweepLine + lines.join('\n')), 'runs storsim sweep --shard auto');
});

test('the sbatch script refuses to run outside a Slurm job array, saying why', () => {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', SCENARIO: 'x.json', OUT: 'out' };
  const result = spawnSync('bash', [`${CLUSTER}sweep.sbatch`], { encoding: 'utf8', env });
  assert.is.not(result.status, 0);
  assert.match(result.stderr, /SLURM_ARRAY_TASK_ID.*job array/);
  const noScenario = spawnSync('bash', [`${CLUSTER}sweep.sbatch`], { encoding: 'utf8', env: { PATH: env.PATH } });
  assert.is.not(noScenario.status, 0);
  assert.match(noScenario.stderr, /SCENARIO/);
});

test.run();
