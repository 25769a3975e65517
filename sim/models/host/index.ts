/** Hosts, hypervisors, VMs, IO paths and virtual disks. Re-exports only. */
export { HostCpu, type CpuTask } from './cpu.ts';
export { Host, HOST_CRASHED, HOST_DEFAULTS, type HostOptions } from './host.ts';
export { HYPERVISORS, HYPERVISOR_KINDS, ILLUSTRATIVE_PATH_COSTS, type HypervisorKind, type HypervisorProfile } from './hypervisor.ts';
export { IO_PATH_KINDS, completeCpuNs, submitCpuNs, totalCpuNs, type IoPathCost, type IoPathKind } from './io-path.ts';
export { DISK_FORMATS, conversionTimeNs, metadataBytes, type DiskFormat } from './disk-format.ts';
export { VirtualDisk, type VirtualDiskOptions } from './virtual-disk.ts';
export { VirtualMachine, VM_STATES, VM_STOPPED, type MigrateOptions, type VmOptions, type VmState, type VmStateListener } from './vm.ts';
export { BootSet, BOOT_ORDERS, generateBootSet, type BootOrder, type GeneratedBootOptions } from './boot.ts';
export { convertDisk, DEFAULT_CONVERSION_CHUNK_BYTES, type ConversionResult, type ConvertOptions } from './convert.ts';
