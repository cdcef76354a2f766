// Whether generated kernels may use WGSL subgroup operations, and whether fusion makes row
// kernels with them (passes/fuseRows.ts, codegen/lowerRowLocal.ts). The WebGPU backend sets it
// from the device's "subgroups" feature when it attaches.
//
// Row kernels are made on hardware adapters only by default. Measured on lavapipe (2 cores,
// interleaved, loaded machine, minima of 15 runs, [4096,1024] f32): softmax 11.6 ms as today's
// three kernels vs 27.8 ms as one subgroup kernel, layer norm 8.8 vs 11-15 ms; the hand-written
// subgroup kernels (bench/kernels/*_rows_subgroup.wgsl) were no faster. A CPU adapter runs a
// workgroup of 8 lanes as one SIMD batch with its own setup, and reads a lane's vec4 as a
// gather, so the per-row kernel loses to flat vec4 kernels that stream the whole array.
// JITSCOPE_ROW_KERNELS=1 (or forceRowKernels(true)) makes them anyway; JITSCOPE_NO_SUBGROUPS=1
// (or forceSubgroupFallback(true), for tests) lowers as if the device had no subgroups (both
// read through config.ts). Re-measured on a quiet machine (9 runs, same script), the row kernel
// without its register cache beat today's kernels (softmax 9.5 vs 10.7 ms, layer norm 6.7 vs
// 8.7 ms): this default is worth revisiting.

import { getConfig } from "../config.js";

let minSubgroupSize = 0;
let softwareAdapter = false;
let forcedOff = false;
let forcedOn = false;

/** The device's smallest subgroup size (0 without the "subgroups" feature), and whether the
 *  adapter is a CPU implementation (lavapipe, SwiftShader). */
export function setSubgroupSupport(minSize: number, software = false): void {
  minSubgroupSize = minSize;
  softwareAdapter = software;
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

/** Whether the attached adapter is a CPU implementation (lavapipe, SwiftShader). */
export function isSoftwareAdapter(): boolean {
  return softwareAdapter;
}

/** Lanes per row for subgroup row kernels (a workgroup of this many invocations is one subgroup,
 *  since the device never makes subgroups smaller), or 0: no subgroups. */
export function rowLanes(): number {
  if (forcedOff || minSubgroupSize < 4 || !getConfig().subgroups) return 0;
  return Math.min(minSubgroupSize, 32);
}

/** Lanes per row when fusion should make row kernels, else 0 (see the measurements above). */
export function rowKernelLanes(): number {
  const lanes = rowLanes();
  if (lanes === 0) return 0;
  return !softwareAdapter || forcedOn || getConfig().rowKernelsOnCpuAdapters ? lanes : 0;
}
