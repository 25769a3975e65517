/**
 * Checks a schema-valid scenario for what a schema cannot say: references between
 * components, a stop condition, sweep paths that stay inside the scenario's parameters.
 */
import { COMPONENT_SECTIONS, type ComponentSection, type ComponentType } from './component-type.ts';
import { didYouMean } from './did-you-mean.ts';
import { escapePointerToken, type ScenarioIssue } from './errors.ts';

/** Top-level keys a sweep may not change: they identify the scenario, define the sweep, or (seed) come from replications. */
const FIXED_KEYS = new Set(['name', 'seed', 'sweep', 'validation', '$schema']);

type Issue = Omit<ScenarioIssue, 'file'>;

export function semanticIssues(spec: Record<string, any>, types: readonly ComponentType[]): Issue[] {
  const issues: Issue[] = [];
  const all = new Map<string, { section: ComponentSection; type: string }>();
  for (const section of COMPONENT_SECTIONS) {
    for (const [id, component] of Object.entries<Record<string, any>>(spec[section] ?? {})) {
      const earlier = all.get(id);
      if (earlier !== undefined) {
        issues.push({ pointer: `/${section}/${id}`, message: `id "${id}" is already used in ${earlier.section}`, allowed: 'ids unique across world, workload and faults' });
      } else {
        all.set(id, { section, type: component.type });
      }
    }
  }
  for (const section of COMPONENT_SECTIONS) {
    for (const [id, component] of Object.entries<Record<string, any>>(spec[section] ?? {})) {
      const type = types.find((t) => t.type === component.type);
      for (const [key, allowedTypes] of Object.entries(type?.references ?? {})) {
        const target = component[key];
        if (typeof target !== 'string') continue;
        const pointer = `/${section}/${id}/${escapePointerToken(key)}`;
        const candidates = [...all].filter(([, c]) => allowedTypes.includes(c.type)).map(([candidate]) => candidate);
        const found = all.get(target);
        if (found === undefined) {
          issues.push({ pointer, message: `no component "${target}"${didYouMean(target, candidates)}`, allowed: listOrNone(candidates) });
        } else if (!allowedTypes.includes(found.type)) {
          issues.push({ pointer, message: `"${target}" is ${withArticle(found.type)}, but ${allowedTypes.map(withArticle).join(' or ')} is required here`, allowed: listOrNone(candidates) });
        }
      }
    }
  }
  const stop = spec.stop ?? {};
  if ((stop.at === undefined) === (stop.whenIdle === undefined)) {
    issues.push({ pointer: '/stop', message: 'give exactly one of "at" or "whenIdle"', allowed: '{"at": "1000s"} or {"whenIdle": true}' });
  }
  if (stop.whenIdle !== undefined && spec.metrics?.interval !== undefined) {
    issues.push({ pointer: '/metrics/interval', message: 'a sampling interval needs "stop.at" (sampling would keep a run that stops when idle alive forever)' });
  }
  const sweepPaths: [string, string][] = [
    ...Object.keys(spec.sweep?.matrix ?? {}).map((path): [string, string] => [`/sweep/matrix/${escapePointerToken(path)}`, path]),
    ...(spec.sweep?.variants ?? []).flatMap((v: { set: object }, i: number) =>
      Object.keys(v.set).map((path): [string, string] => [`/sweep/variants/${i}/set/${escapePointerToken(path)}`, path]),
    ),
  ];
  for (const [pointer, path] of sweepPaths) {
    const head = path.split('.')[0]!;
    if (FIXED_KEYS.has(head)) issues.push({ pointer, message: `a sweep cannot change "${head}"` });
  }
  if (spec.validation !== undefined) {
    for (const key of ['station', 'source', 'ssd'] as const) {
      const id = spec.validation[key];
      if (id !== undefined && !all.has(id)) issues.push({ pointer: `/validation/${key}`, message: `no component "${id}"`, allowed: listOrNone([...all.keys()]) });
    }
  }
  return issues;
}

/** Type names read as spoken: "an ssd", "an nvme-function", "a host". */
function withArticle(noun: string): string {
  return `${/^([aeiou]|ssd|nvme)/.test(noun) ? 'an' : 'a'} ${noun}`;
}

function listOrNone(ids: string[]): string {
  return ids.length === 0 ? '(none declared)' : ids.map((id) => JSON.stringify(id)).join(', ');
}
