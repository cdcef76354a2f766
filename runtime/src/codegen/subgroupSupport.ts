// Whether generated kernels may use WGSL subgroup operations, and how many lanes a row gets.
// The WebGPU backend sets it from the device's "subgroups" feature when it attaches; codegen
// reads it when it lowers a row reduction (codegen/lowerRowLocal.ts). JITSCOPE_NO_SUBGROUPS=1
// (or forceSubgroupFallback(true), for tests) lowers as if the device had none.

let minSubgroupSize = 0;
let forcedOff = false;

/** The device's smallest subgroup size, 0 when it has no "subgroups" feature. */
export function setSubgroupSupport(minSize: number): void {
  minSubgroupSize = minSize;
}

/** Tests: lower without subgroups even where the device has them (returns the previous value). */
export function forceSubgroupFallback(on: boolean): boolean {
  const was = forcedOff;
  forcedOff = on;
  return was;
}

/** Lanes per row for subgroup row kernels (a workgroup of this many invocations is one subgroup,
 *  since the device never makes subgroups smaller), or 0: use the kernels without subgroups. */
export function rowLanes(): number {
  if (forcedOff || minSubgroupSize < 4) return 0;
  if (typeof process !== "undefined" && process.env.JITSCOPE_NO_SUBGROUPS === "1") return 0;
  return Math.min(minSubgroupSize, 32);
}
