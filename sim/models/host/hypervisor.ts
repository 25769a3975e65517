/**
 * Hypervisor kinds: each with its native virtual disk format, the formats it can attach,
 * the name of each IO path on it, and illustrative default CPU costs per path.
 *
 * The default costs are ORDER-OF-MAGNITUDE ILLUSTRATIONS, not measurements of any product,
 * and every host may override them in its scenario (`pathCosts`). They are the same for
 * the three kinds because we know of no like-for-like published comparison that would
 * justify different numbers; what the sources below agree on is the ordering and rough size:
 * - passthrough, 2 + 2 µs: only the guest's native driver runs (a few µs of block layer and
 *   NVMe driver work per request); with posted interrupts the hypervisor is not entered.
 *   Gordon et al., "ELI: Bare-Metal Performance for I/O Virtualization", ASPLOS 2012, show
 *   that interrupt-delivery exits are what keeps assigned devices from bare-metal speed.
 * - paravirtual, 6 + 6 µs: virtio-blk adds on the order of 10 µs per request over bare
 *   metal (S. Hajnoczi, "The 10 Microsecond Challenge: Optimizing for NVMe Drives", KVM
 *   Forum 2020), and Peng et al., "MDev-NVMe", USENIX ATC 2018, measure virtio reaching a
 *   fraction of native IOPS where passthrough is near native.
 * - emulated, 25 + 15 µs plus copies at 2 GB/s: an emulated controller takes several
 *   trapping register accesses per request, each a VM exit (about a microsecond of
 *   hardware round trip alone, Adams & Agesen, "A Comparison of Software and Hardware
 *   Techniques for x86 Virtualization", ASPLOS 2006) plus device-model work in the
 *   hypervisor, and copies data through bounce buffers.
 */
import type { DiskFormat } from './disk-format.ts';
import { NS_PER_US } from '../../engine/index.ts';
import type { IoPathCost, IoPathKind } from './io-path.ts';

export const HYPERVISOR_KINDS = ['esxi', 'hyperv', 'kvm'] as const;
export type HypervisorKind = (typeof HYPERVISOR_KINDS)[number];

export interface HypervisorProfile {
  readonly kind: HypervisorKind;
  /** What it stands for. */
  readonly label: string;
  /** The format its own tools create. */
  readonly nativeFormat: DiskFormat;
  /** Formats a VM disk on this hypervisor may be in (`raw`: a LUN, RDM, pass-through disk or raw image). */
  readonly formats: readonly DiskFormat[];
  /** The product name of each IO path on this hypervisor. */
  readonly pathNames: Readonly<Record<IoPathKind, string>>;
  /** Default CPU cost per request of each path (see the file comment). */
  readonly defaultCosts: Readonly<Record<IoPathKind, IoPathCost>>;
}

/** The illustrative defaults of the file comment, shared by the three kinds. */
export const ILLUSTRATIVE_PATH_COSTS: Readonly<Record<IoPathKind, IoPathCost>> = Object.freeze({
  emulated: Object.freeze({ submitNs: 25 * NS_PER_US, completeNs: 15 * NS_PER_US, copyBytesPerS: 2e9 }),
  paravirtual: Object.freeze({ submitNs: 6 * NS_PER_US, completeNs: 6 * NS_PER_US, copyBytesPerS: Infinity }),
  passthrough: Object.freeze({ submitNs: 2 * NS_PER_US, completeNs: 2 * NS_PER_US, copyBytesPerS: Infinity }),
});

export const HYPERVISORS: Readonly<Record<HypervisorKind, HypervisorProfile>> = Object.freeze({
  esxi: {
    kind: 'esxi',
    label: 'ESXi-like',
    nativeFormat: 'vmdk',
    formats: ['vmdk', 'raw'],
    pathNames: { emulated: 'lsilogic', paravirtual: 'pvscsi', passthrough: 'directpath-io' },
    defaultCosts: ILLUSTRATIVE_PATH_COSTS,
  },
  hyperv: {
    kind: 'hyperv',
    label: 'Hyper-V-like',
    nativeFormat: 'vhdx',
    formats: ['vhdx', 'raw'],
    pathNames: { emulated: 'ide', paravirtual: 'storvsc', passthrough: 'dda' },
    defaultCosts: ILLUSTRATIVE_PATH_COSTS,
  },
  kvm: {
    kind: 'kvm',
    label: 'KVM-like',
    nativeFormat: 'qcow2',
    // QEMU's block layer also opens VMDK and VHDX images.
    formats: ['qcow2', 'raw', 'vmdk', 'vhdx'],
    pathNames: { emulated: 'ide', paravirtual: 'virtio-blk', passthrough: 'vfio' },
    defaultCosts: ILLUSTRATIVE_PATH_COSTS,
  },
});
