/**
 * The order components are built in: the order they are written (world, then workload,
 * then faults), except that a component referring to another one written after it waits
 * until that one is built. So a scenario may declare a VM before its host.
 *
 * The sort is stable: a scenario whose references all point backwards keeps exactly its
 * written order, and with it the order components start in. Components that refer to
 * each other in a cycle cannot be built; they are left in written order and the build
 * reports the first reference it cannot satisfy.
 */
import { COMPONENT_SECTIONS, type ComponentSection, type ComponentType } from './component-type.ts';

export interface ComponentEntry {
  readonly section: ComponentSection;
  readonly id: string;
  readonly spec: Record<string, any>;
}

export function buildOrder(spec: Record<string, any>, types: readonly ComponentType[]): ComponentEntry[] {
  const written: ComponentEntry[] = COMPONENT_SECTIONS.flatMap((section) =>
    Object.entries<Record<string, any>>(spec[section] ?? {}).map(([id, componentSpec]) => ({ section, id, spec: componentSpec })),
  );
  const declared = new Set(written.map((entry) => entry.id));
  const dependencies = written.map((entry) => {
    const type = types.find((t) => t.type === entry.spec.type && t.section === entry.section);
    return Object.keys(type?.references ?? {})
      .map((key) => entry.spec[key])
      .filter((target): target is string => typeof target === 'string' && declared.has(target) && target !== entry.id);
  });

  const order: ComponentEntry[] = [];
  const built = new Set<string>();
  const placed = new Array<boolean>(written.length).fill(false);
  while (order.length < written.length) {
    // The first entry, in written order, whose references are all built.
    let next = written.findIndex((_, i) => !placed[i] && dependencies[i]!.every((target) => built.has(target)));
    if (next < 0) next = placed.indexOf(false); // a cycle: keep written order, the build will say which reference fails
    placed[next] = true;
    built.add(written[next]!.id);
    order.push(written[next]!);
  }
  return order;
}
