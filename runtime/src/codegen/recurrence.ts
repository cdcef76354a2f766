// Which scans run as one recurrence kernel (codegen/lowerRecurrence.ts) instead of a loop of
// per-step dispatches (backend/webgpuLoop.ts): those whose body is elementwise over one set of
// elements, so that element i of every carry at step t+1 depends only on element i (or a scalar)
// at step t. One invocation then carries its element through every step in registers: an EMA,
// discounted returns, a linear recurrence h = a·h + b, an ODE integrated per element. The
// per-step route costs a dispatch (or several) per step, which for short bodies is most of
// the time; this route costs one.

import { sizeOf, type Eqn, type ScanParams, type Var } from "../ir/types.js";
import { flatAccess } from "./flatAccess.js";
import { elementwiseName } from "./kernelName.js";

/** Above this many element-steps the loop keeps its per-step kernels: one invocation's loop
 *  would run long enough for a driver's watchdog (and per-step dispatch costs are then small
 *  beside the work). 2^26 element-steps run in tens of ms on lavapipe. */
export const RECURRENCE_MAX_ELEMENT_STEPS = 2 ** 26;

/** The recurrence's lanes (the element count of its carries and rows), or null when the scan
 *  must run as a loop: a body op that is not elementwise (a reduction, a matmul, a slice, a
 *  nested loop), a carry or y row whose elements are neither the lanes nor one scalar, or too
 *  many element-steps. */
export function recurrenceLanes(e: Eqn): number | null {
  if (e.prim !== "scan") return null;
  const p = e.params as ScanParams;
  const { body } = p;
  const carries = body.inputs.slice(p.numConsts, p.numConsts + p.numCarry);
  // Carries live in registers and y rows are written one element a lane: each has the lanes'
  // count or is one scalar every lane computes alike. Consts and x rows are read from memory,
  // so they may be anything a flat index reaches (a bias row broadcast over a batch).
  const held = [...carries, ...body.outputs].map((a) => sizeOf(a.aval.shape));
  const n = Math.max(1, ...held);
  if (held.some((s) => s !== n && s !== 1)) return null;
  if (p.length < 1 || p.length * n > RECURRENCE_MAX_ELEMENT_STEPS) return null;
  if (body.eqns.some((b) => b.prim === "scan" || b.prim === "while")) return null;
  if (readsCarryElsewhere(body.eqns, carries)) return null;
  return flatAccess(body.eqns, body.inputs, body.outputs, n, true).width === 0 ? null : n;
}

/** A recurrence kernel's name: "scan_" and its body's ops ("scan_mul_add"). */
export const recurrenceName = (e: Eqn): string =>
  `scan_${elementwiseName((e.params as ScanParams).body.eqns).replace(/^fused_/, "")}`;

/** Whether an op reads a carry (or a view of one) at another lane's element: a gather's table
 *  or index and a random op's key are read at positions of their own, while a lane holds only
 *  its own element of each carry. */
function readsCarryElsewhere(eqns: readonly Eqn[], carries: readonly Var[]): boolean {
  const held = new Set(carries.filter((c) => sizeOf(c.aval.shape) > 1).map((c) => c.id));
  for (const e of eqns) {
    const reads = e.inputs.some((a) => a.kind === "var" && held.has(a.id));
    if (!reads) continue;
    if (e.prim === "reshape" || e.prim === "broadcast") for (const o of e.outputs) held.add(o.id);
    else if (e.prim === "gather" || e.prim.startsWith("random_")) return true;
  }
  return false;
}
