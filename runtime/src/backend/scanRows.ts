// How a scan's body reaches its rows and carries (webgpuLoop.ts runs it): each stacked xs / ys
// row bound in place at a dynamic offset, through a padded stack, or (fallback) copied; each
// carry in two private buffers or in the rows of a y it equals. Also the adapter limits these
// choices depend on, which tests may lower.

import type { LoopPlan } from "../codegen/kernelPlan.js";
import { avalBytes } from "../ir/types.js";

/** Thrown while preparing a kernel that would need more dynamic-offset bindings than allowed. */
export class DynamicBindingLimit extends Error {
  constructor(need: number, limit: number) {
    super(`a kernel needs ${need} dynamic-offset storage bindings; the adapter allows ${limit}`);
  }
}

interface LoopLimits {
  /** Dynamic-offset storage bindings one kernel may have. */
  readonly maxDynamic: number;
  /** What a row's byte offset must be a multiple of to be bound in place (≥ 16: a vec4). */
  readonly rowAlign: number;
}
let limitsOverride: Partial<LoopLimits> = {};
/** Tests only: pretend the adapter has these limits (an alignment must be a multiple of the real
 *  one); `{}` restores the adapter's. */
export function setLoopLimitsForTests(limits: Partial<LoopLimits>): void {
  limitsOverride = limits;
}
export const loopLimits = (device: GPUDevice): LoopLimits => ({
  maxDynamic: limitsOverride.maxDynamic ?? device.limits.maxDynamicStorageBuffersPerPipelineLayout,
  rowAlign: limitsOverride.rowAlign ?? Math.max(16, device.limits.minStorageBufferOffsetAlignment),
});

/** Bytes a dynamic-offset binding of a value of `bytes` covers: a whole number of vec4s. */
export const dynamicBindingBytes = (bytes: number): number => Math.ceil(Math.max(4, bytes) / 16) * 16;

/** How one stacked xs / ys is reached by the body at iteration t. */
export type RowMode =
  /** Bound in place at offset t × rowBytes. */
  | { readonly k: "direct" }
  /** Bound in a padded stack at t × stride, moved once per run. */
  | { readonly k: "padded"; readonly stride: number }
  /** Copied to/from a private buffer every iteration (the fallback). */
  | { readonly k: "copy" }
  /** Zero bytes: a private placeholder, nothing moved. */
  | { readonly k: "empty" };

export function rowMode(rowBytes: number, align: number, inPlace: boolean): RowMode {
  if (rowBytes === 0) return { k: "empty" };
  if (!inPlace) return { k: "copy" };
  if (rowBytes % align === 0) return { k: "direct" };
  return { k: "padded", stride: Math.ceil(rowBytes / align) * align };
}

export const isRow = (m: RowMode): boolean => m.k === "direct" || m.k === "padded";

/** How a carry moves between iterations: two private buffers in turn, or (when it is also a y,
 *  as grad's saved residuals are) in that y's rows: "yIn", y row t is the carry iteration t
 *  reads; "yOut", the carry it writes. Iteration t then reads and writes rows of two different
 *  stacks (the y's own rows for even iterations, a second stack for odd ones, merged once per
 *  run): WebGPU forbids reading and writing one buffer in a dispatch, and no copy per step. */
export type CarryRole = { readonly k: "pingPong" } | { readonly k: "yIn" | "yOut"; readonly y: number };

export function carryRoles(loop: LoopPlan, nc: number, nk: number, yModes: readonly RowMode[]): CarryRole[] {
  const ins = loop.body.program.inputs;
  const outs = loop.body.outputs;
  const taken = new Set<number>();
  return Array.from({ length: nk }, (_, j): CarryRole => {
    if (avalBytes(ins[nc + j]!.aval) === 0) return { k: "pingPong" };
    const carryOut = outs[j]!;
    for (let k = 0; k < yModes.length; k++) {
      const y = outs[nk + k]!;
      if (taken.has(k) || !isRow(yModes[k]!) || y.kind !== "var") continue;
      const role = y.id === ins[nc + j]!.id ? "yIn" : carryOut.kind === "var" && carryOut.id === y.id ? "yOut" : null;
      if (role) {
        taken.add(k);
        return { k: role, y: k };
      }
    }
    return { k: "pingPong" };
  });
}
