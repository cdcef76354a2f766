// Row-local groups: several reductions over the last axis of the same rows, and the elementwise
// ops on those rows (before, between and after them), as one kernel: softmax, log-softmax, layer
// norm, RMS norm. This file says whether a set of equations is row-local (passes/fuseRows.ts asks
// before merging kernels); codegen/lowerRowLocal.ts writes the kernel.
//
// Row-local means a reduction's result is only ever used at its own row: every value computed
// from a reduction result (a "row value") is either at the row shape ([...P] or [...P, 1]) or at
// the full shape [...P, C], reached by elementwise ops, the keepdims reshape and a broadcast back
// over the last axis. Values that depend on no reduction (the input, a bias [C]) may come from
// any op the flat indexer handles (codegen/flatAccess.ts).

import type { Atom, Eqn, PrimParams, Var } from "../ir/types.js";
import { isElementwise, sameShape, sizeOf } from "../ir/types.js";
import { flatAccess } from "./flatAccess.js";

const ROW_REDUCTIONS = new Set(["reduce_sum", "reduce_max", "reduce_min"]);

export interface RowGeometry {
  /** The reductions' input shape [...P, C]. */
  readonly full: readonly number[];
  /** Rows (product of P) and their length C. */
  readonly rows: number;
  readonly cols: number;
  /** The reductions, in program order. */
  readonly reductions: readonly Eqn[];
  /** Vars whose value depends on a reduction result (computed per row). */
  readonly rowValues: ReadonlySet<number>;
  /** 4: the full-shape values are read and written as vec4 (C a multiple of 4); else 1. */
  readonly width: 1 | 4;
  readonly vec4Inputs: ReadonlySet<number>;
}

const isRowShape = (s: readonly number[], full: readonly number[]): boolean =>
  sameShape(s, full.slice(0, -1)) || sameShape(s, [...full.slice(0, -1), 1]);

/** Whether `s` holds the full rows in the same element order as `full` [...P, C]: `full` itself,
 *  or a reshape of it that keeps the last axis (a layer norm over [B, T, D] whose output a
 *  matmul reads as [B·T, D]). Elements are indexed flat, so these read and write alike. */
export const isFullShape = (s: readonly number[], full: readonly number[]): boolean =>
  s.length > 0 && s[s.length - 1] === full[full.length - 1] && sizeOf(s) === sizeOf(full);

/** The row geometry of `eqns` (with `inputs` read from memory and `outputs` written), or a reason
 *  why they are not one row-local kernel. */
export function rowGeometry(
  eqns: readonly Eqn[],
  inputs: readonly Var[],
  outputs: readonly Var[],
): RowGeometry | string {
  const reductions = eqns.filter((e) => ROW_REDUCTIONS.has(e.prim));
  if (reductions.length === 0) return "no reduction";
  const full = reductions[0]!.inputs[0]!.aval.shape;
  const rank = full.length;
  if (rank < 2) return "a whole-array reduction (no rows)";
  for (const r of reductions) {
    const x = r.inputs[0]!;
    const { axes } = r.params as PrimParams["reduce_sum"];
    if (!sameShape(x.aval.shape, full) || axes.length !== 1 || axes[0] !== rank - 1)
      return `${r.prim} is not over the last axis of [${full}]`;
    if (x.aval.dtype !== "float32") return `${r.prim} of ${x.aval.dtype}`;
  }
  const rowValues = new Set<number>();
  const rowsOk = (v: { readonly aval: { readonly shape: readonly number[] } }) => isRowShape(v.aval.shape, full);
  const fullOk = (v: { readonly aval: { readonly shape: readonly number[] } }) => isFullShape(v.aval.shape, full);
  for (const e of eqns) {
    if (e.outputs.length !== 1) return `${e.prim} has several outputs`;
    const out = e.outputs[0]!;
    if (ROW_REDUCTIONS.has(e.prim)) {
      rowValues.add(out.id);
      continue;
    }
    const fromRow = e.inputs.some((a) => a.kind === "var" && rowValues.has(a.id));
    if (!fromRow) continue; // computed from inputs only: the flat indexer decides below
    rowValues.add(out.id);
    if (
      isElementwise(e.prim) &&
      e.prim !== "iota" &&
      e.prim !== "random_uniform" &&
      e.prim !== "random_bits" &&
      e.prim !== "random_fold_in"
    ) {
      const ok = e.inputs.every(
        (a) => a.kind === "lit" || a.aval.shape.length === 0 || sameShape(a.aval.shape, out.aval.shape),
      );
      if (!ok || !(rowsOk(out) || fullOk(out))) return `${e.prim} mixes shapes`;
      continue;
    }
    const x = e.inputs[0]!;
    if (e.prim === "reshape" && ((rowsOk(x) && rowsOk(out)) || (fullOk(x) && fullOk(out)))) continue;
    if (e.prim === "broadcast" && rowsOk(x) && fullOk(out)) {
      const { dims } = e.params as PrimParams["broadcast"];
      if (dims.every((d, i) => d === i)) continue; // row axes stay row axes
    }
    return `${e.prim} moves a row value across rows`;
  }
  for (const o of outputs) if (!fullOk(o) && !rowsOk(o)) return `output of shape [${o.aval.shape}]`;
  const rows = sizeOf(full.slice(0, -1));
  const cols = full[rank - 1]!;
  if (rows < 2) return "a single row";
  // Reduction results enter the flat indexer as values it reads (at their row's index).
  const rowInputs = [...inputs, ...reductions.map((r) => r.outputs[0]!)];
  const body = eqns.filter((e) => !ROW_REDUCTIONS.has(e.prim));
  const roots = [...reductions.map((r) => r.inputs[0]!), ...outputs.filter(fullOk)];
  const plan = flatAccess(body, rowInputs, roots, rows * cols);
  if (plan.width === 0) return "a value the flat indexer cannot compute";
  // Row-shaped outputs are computed at the row's index too (lowerRowLocal.ts): an argmax beside
  // a run of row maxes, computed from the inputs alone, cannot be.
  const rowRoots = outputs.filter((o) => !fullOk(o));
  if (rowRoots.length > 0 && flatAccess(body, rowInputs, rowRoots, rows).width === 0)
    return "a row-shaped value the flat indexer cannot compute";
  // Row values and row-shaped inputs are read one element at a time (by row index).
  const vec =
    plan.width === 4 &&
    cols % 4 === 0 &&
    ![...plan.vec4Inputs].some((id) => reductions.some((r) => r.outputs[0]!.id === id));
  const rowShapedInputs = inputs.filter((v) => rowsOk(v) && !fullOk(v));
  const vecOk = vec && !rowShapedInputs.some((v) => plan.vec4Inputs.has(v.id));
  return {
    full,
    rows,
    cols,
    reductions,
    rowValues,
    width: vecOk ? 4 : 1,
    vec4Inputs: vecOk ? plan.vec4Inputs : new Set(),
  };
}

/** Over a row group's equations: `made(a)`, the equation that computes `a` (none for an input or
 *  a literal), and `through(a)`, `a` with keepdims reshapes and broadcasts looked through (a row
 *  value broadcast back over its row is the row value). rowVariance.ts and rowOnline.ts match
 *  their patterns with these. */
export function rowProducers(eqns: readonly Eqn[]): {
  made(a: Atom | undefined): Eqn | undefined;
  through(a: Atom | undefined): Atom | undefined;
} {
  const producer = new Map(eqns.map((e) => [e.outputs[0]!.id, e] as const));
  const made = (a: Atom | undefined): Eqn | undefined => (a?.kind === "var" ? producer.get(a.id) : undefined);
  const through = (a: Atom | undefined): Atom | undefined => {
    let e = made(a);
    while (e && (e.prim === "reshape" || e.prim === "broadcast")) {
      a = e.inputs[0];
      e = made(a);
    }
    return a;
  };
  return { made, through };
}
