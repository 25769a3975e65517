/**
 * An NVMe namespace: a range of the backend's bytes addressed in logical blocks of one size
 * (512 B or 4 KiB), identified by its namespace ID (NSID, 1 and up). A function sees the
 * namespaces attached to it; a command beyond the end of its namespace fails with
 * LBA Out of Range (NVMe Base Specification 1.4, Generic Command Status 80h). Namespaces of one
 * controller occupy disjoint ranges of the backend; several functions may share one namespace.
 */

/** LBA sizes a namespace may use. */
export const NVME_LBA_SIZES: readonly number[] = [512, 4096];

/** How a namespace is declared. */
export interface NvmeNamespaceSpec {
  /** Namespace ID, an integer >= 1. */
  readonly nsid: number;
  /** First byte on the backend. */
  readonly startBytes: number;
  /** Length in bytes: a whole number of LBAs. */
  readonly sizeBytes: number;
  /** Logical block size: 512 or 4096. */
  readonly lbaBytes: number;
}

export class NvmeNamespace implements NvmeNamespaceSpec {
  readonly nsid: number;
  readonly startBytes: number;
  readonly sizeBytes: number;
  readonly lbaBytes: number;

  constructor(spec: NvmeNamespaceSpec) {
    this.nsid = spec.nsid;
    this.startBytes = spec.startBytes;
    this.sizeBytes = spec.sizeBytes;
    this.lbaBytes = spec.lbaBytes;
  }

  /** Whether [offsetBytes, offsetBytes + sizeBytes) lies inside the namespace. */
  contains(offsetBytes: number, sizeBytes: number): boolean {
    return offsetBytes >= 0 && offsetBytes + sizeBytes <= this.sizeBytes;
  }
}

/**
 * Checks a controller's namespaces against its backend: what is wrong, or undefined. NSIDs are
 * unique; each namespace is a whole number of LBAs, starts on an LBA boundary, lies inside the
 * backend, uses an LBA size the backend can serve (a multiple of its sector), and no two overlap.
 */
export function namespacesProblem(specs: readonly NvmeNamespaceSpec[], backendCapacityBytes: number, backendSectorBytes: number): string | undefined {
  const seen = new Set<number>();
  for (const ns of specs) {
    const name = `namespace ${ns.nsid}`;
    if (!(Number.isInteger(ns.nsid) && ns.nsid >= 1 && ns.nsid <= 0xfffffffe)) return `${name}: the NSID must be an integer from 1 to FFFFFFFEh`;
    if (seen.has(ns.nsid)) return `${name} is declared twice; allowed: one declaration per NSID`;
    seen.add(ns.nsid);
    if (!NVME_LBA_SIZES.includes(ns.lbaBytes)) return `${name}: LBA size ${ns.lbaBytes} B is not supported; allowed: 512 B or 4 KiB`;
    if (ns.lbaBytes % backendSectorBytes !== 0) {
      return `${name}: LBA size ${ns.lbaBytes} B is not a multiple of the backend's ${backendSectorBytes} B sectors; allowed: a multiple of ${backendSectorBytes} B`;
    }
    if (!(ns.sizeBytes > 0) || ns.sizeBytes % ns.lbaBytes !== 0) return `${name}: size ${ns.sizeBytes} B must be a positive whole number of ${ns.lbaBytes} B LBAs`;
    if (!(ns.startBytes >= 0) || ns.startBytes % ns.lbaBytes !== 0) return `${name}: start ${ns.startBytes} B must be >= 0 and on a ${ns.lbaBytes} B LBA boundary`;
    if (ns.startBytes + ns.sizeBytes > backendCapacityBytes) {
      return `${name}: [${ns.startBytes}, ${ns.startBytes + ns.sizeBytes}) B extends past the backend's ${backendCapacityBytes} B`;
    }
  }
  const sorted = [...specs].sort((a, b) => a.startBytes - b.startBytes);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (b.startBytes < a.startBytes + a.sizeBytes) return `namespaces ${a.nsid} and ${b.nsid} overlap on the backend; allowed: disjoint ranges`;
  }
  return undefined;
}
