/**
 * The files a scenario's components read (trace files, ...), as written in the scenario:
 * what a sweep's manifest hashes beside the scenario file itself.
 */
import { COMPONENT_SECTIONS, type ComponentType } from './component-type.ts';

/**
 * Paths named by the `inputFiles` keys of the components in `specs` (a scenario's variant
 * specs), each once, sorted. Paths are as written: relative to the scenario file's folder,
 * or absolute.
 */
export function inputFilePaths(specs: readonly Record<string, any>[], types: readonly ComponentType[]): string[] {
  const paths = new Set<string>();
  for (const spec of specs) {
    for (const section of COMPONENT_SECTIONS) {
      for (const component of Object.values<Record<string, any>>(spec[section] ?? {})) {
        const type = types.find((t) => t.type === component.type && t.section === section);
        for (const key of type?.inputFiles ?? []) {
          if (typeof component[key] === 'string') paths.add(component[key]);
        }
      }
    }
  }
  return [...paths].sort();
}
