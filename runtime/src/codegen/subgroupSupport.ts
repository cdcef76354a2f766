// Whether generated kernels may use WGSL subgroup operations, and whether fusion makes row
// kernels with them (passes/fuseRows.ts, codegen/lowerRowLocal.ts). The WebGPU backend sets it
// from the device's "subgroups" feature when it attaches.
//
// Row kernels are made wherever the device has subgroups, CPU adapters included (issue 16). On
// lavapipe they first lost to the separate kernels (one 8-lane workgroup per row: a workgroup's
// setup per row, 27.8 vs 11.6 ms for softmax [4096,1024]); re-measured, and with 8 rows per
// workgroup, they win (figures in codegen/lowerRowLocal.ts). JITSCOPE_ROW_KERNELS=0 (or
// config({ rowKernels: false })) turns them off, forceRowKernels(true) on (tests, benches);
// JITSCOPE_NO_SUBGROUPS=1 (or forceSubgroupFallback(true), for tests) lowers as if the device
// had no subgroups (both read through config.ts).

import { getConfig } from "../config.js";

let minSubgroupSize = 0;
let maxSubgroupSize = 0;
let softwareAdapter = false;
let adapterAttached = false;
let forcedOff = false;
let forcedOn = false;
let forcedSoftware: boolean | null = null;
let forcedSizes: { readonly min: number; readonly max: number } | null = null;

const smallest = () => forcedSizes?.min ?? minSubgroupSize;
const largest = () => forcedSizes?.max ?? maxSubgroupSize;

/** The device's smallest subgroup size (0 without the "subgroups" feature), whether the
 *  adapter is a CPU implementation (lavapipe, SwiftShader), and its largest subgroup size (0:
 *  unknown). */
export function setSubgroupSupport(minSize: number, software = false, maxSize = 0): void {
  minSubgroupSize = minSize;
  maxSubgroupSize = maxSize;
  softwareAdapter = software;
  adapterAttached = true;
}

/** Tests: lower as for a device whose subgroups are min..max lanes wide (0: none), whatever is
 *  attached; null: as the attached device. Returns the previous override. */
export function forceSubgroupSizes(sizes: { readonly min: number; readonly max: number } | null) {
  const was = forcedSizes;
  forcedSizes = sizes;
  return was;
}

/** Tests: lower without subgroups even where the device has them (returns the previous value). */
export function forceSubgroupFallback(on: boolean): boolean {
  const was = forcedOff;
  forcedOff = on;
  return was;
}

/** Tests and measurements: make row kernels on a CPU adapter too (returns the previous value). */
export function forceRowKernels(on: boolean): boolean {
  const was = forcedOn;
  forcedOn = on;
  return was;
}

/** Lanes a CPU adapter runs as one SIMD batch (lavapipe's 8 on AVX2, its subgroup size). Loops
 *  that let such a run walk one span of memory together read one stream per batch
 *  (elementwiseConfig.ts' interleaved layout, lowerReduction.ts' workgroup loop). */
export const RUN_LANES = 8;

/** Whether kernels may hand values round a run of RUN_LANES lanes with subgroup operations:
 *  every subgroup is exactly that wide (lavapipe), and subgroups are allowed. Assumes a subgroup
 *  is consecutive invocation indices, as rowsPerWorkgroup does. */
export function sharedRunsAvailable(): boolean {
  return !forcedOff && getConfig().subgroups && smallest() === RUN_LANES && largest() === RUN_LANES;
}

/** Whether the attached adapter is a CPU implementation (lavapipe, SwiftShader). */
export function isSoftwareAdapter(): boolean {
  return forcedSoftware ?? softwareAdapter;
}

/** Whether a hardware adapter (a GPU) is attached: false before any WebGPU device is (lowering
 *  for the CPU backend, or ahead of it, then keeps the defaults measured on lavapipe, and a
 *  program's kernels do not change with the order backends start in). */
export function isHardwareAdapter(): boolean {
  return forcedSoftware !== null ? !forcedSoftware : adapterAttached && !softwareAdapter;
}

/** Tests: lower as for a CPU (true) or a hardware (false) adapter whichever is attached; null:
 *  as for the attached one. Returns the previous override. */
export function forceSoftwareAdapter(on: boolean | null): boolean | null {
  const was = forcedSoftware;
  forcedSoftware = on;
  return was;
}

/** Lanes per row for subgroup row kernels (a workgroup of this many invocations is one subgroup,
 *  since the device never makes subgroups smaller), or 0: no subgroups. */
export function rowLanes(): number {
  if (forcedOff || smallest() < 4 || !getConfig().subgroups) return 0;
  return Math.min(smallest(), 32);
}

/** Lanes per row when fusion should make row kernels, else 0. */
export function rowKernelLanes(): number {
  const lanes = rowLanes();
  if (lanes === 0) return 0;
  return forcedOn || getConfig().rowKernels ? lanes : 0;
}

/** Rows a row kernel's workgroup takes, one subgroup each: several only where every subgroup
 *  is exactly `rowLanes()` wide (the smallest and largest sizes agree, as on lavapipe), since a
 *  wider subgroup would combine lanes of two rows. 64 invocations, as the best hand kernels.
 *  Assumes a subgroup is consecutive invocation indices (lavapipe; the usual hardware layout). */
export function rowsPerWorkgroup(): number {
  const lanes = rowLanes();
  return lanes > 0 && smallest() === largest() ? Math.max(1, Math.floor(64 / lanes)) : 1;
}
