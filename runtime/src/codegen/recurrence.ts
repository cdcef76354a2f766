// Which scans run as one recurrence kernel (codegen/lowerRecurrence.ts) instead of a loop of
// per-step dispatches (backend/webgpuLoop.ts): those whose body is elementwise over one set of
// elements, so that element i of every carry at step t+1 depends only on element i (or a scalar)
// at step t. One invocation then carries its element through every step in registers: an EMA,
// discounted returns, a linear recurrence h = a·h + b, an ODE integrated per element. The
// per-step route costs a dispatch (or several) per step, which for short bodies is most of
// the time; this route costs one. A scan whose state is a handful of numbers, whatever its body
// does with them (slices, stacks, a small matmul), runs unrolled on one invocation instead
// (unrolledWork below, lowerUnrolledScan.ts).

import { isElementwise, sizeOf, type Eqn, type Primitive, type ScanParams, type Var } from "../ir/types.js";
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

/** A broadcast of a literal (zeros as a carry's start): a recurrence kernel computes it itself,
 *  as its prologue (passes/fuseMarks.ts leaves it unstored, lowerRecurrence.ts reads it). */
export const isFill = (e: Eqn): boolean => e.prim === "broadcast" && e.inputs[0]?.kind === "lit";

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

/** How a scan runs as one kernel: one invocation per element of its carries ("lanes"), or its
 *  whole small state on one invocation, unrolled element by element ("unrolled":
 *  lowerUnrolledScan.ts). Lanes first: they run in parallel. */
export type RecurrenceMode =
  { readonly kind: "lanes"; readonly lanes: number } | { readonly kind: "unrolled"; readonly work: number };

export function recurrenceMode(e: Eqn): RecurrenceMode | null {
  const lanes = recurrenceLanes(e);
  if (lanes !== null) return { kind: "lanes", lanes };
  const work = unrolledWork(e);
  return work === null ? null : { kind: "unrolled", work };
}

/** A value of an unrolled body holds at most this many elements (each one a register). */
export const UNROLL_MAX_ELEMENTS = 64;
/** Scalar ops a step of an unrolled body may take (each a line of WGSL): the pendulum fixture's RK4
 *  step takes 282. */
export const UNROLL_MAX_WORK = 2048;

/** Ops an unrolled body may hold besides elementwise ones (not the random ones, whose bits
 *  are drawn by position in a kernel of their own). */
const UNROLLABLE: ReadonlySet<Primitive> = new Set<Primitive>([
  "reshape",
  "broadcast",
  "transpose",
  "slice",
  "rev",
  "pad",
  "concatenate",
  "iota",
  "reduce_sum",
  "matmul",
]);

/** Scalar ops a step of scan `e` takes unrolled, or null when it cannot be unrolled: an op
 *  other than those above, a value of more than UNROLL_MAX_ELEMENTS, more than UNROLL_MAX_WORK
 *  ops a step, or more than RECURRENCE_MAX_ELEMENT_STEPS ops in all. */
export function unrolledWork(e: Eqn): number | null {
  if (e.prim !== "scan") return null;
  const p = e.params as ScanParams;
  const { body } = p;
  const small = (a: { aval: { shape: readonly number[] } }) => sizeOf(a.aval.shape) <= UNROLL_MAX_ELEMENTS;
  if (!body.inputs.every(small) || !body.outputs.every(small)) return null;
  let work = 0;
  for (const b of body.eqns) {
    const random = b.prim === "random_uniform" || b.prim === "random_bits" || b.prim === "random_fold_in";
    if (random || !(isElementwise(b.prim) || UNROLLABLE.has(b.prim))) return null;
    if (b.outputs.length !== 1 || !small(b.outputs[0]!)) return null;
    const out = sizeOf(b.outputs[0]!.aval.shape);
    const x = b.inputs[0]?.aval.shape ?? [];
    work += b.prim === "matmul" ? out * x[x.length - 1]! : b.prim === "reduce_sum" ? sizeOf(x) : out;
  }
  if (work > UNROLL_MAX_WORK || p.length < 1 || work * p.length > RECURRENCE_MAX_ELEMENT_STEPS) return null;
  return work;
}
