// Flat indexing: computing values by the flat (row-major) index of the value being computed,
// with no per-axis coordinates. Every value is indexed in its own flat space: elementwise ops
// and reshapes keep the index, a broadcast maps it (flatBroadcast), inputs are read at it. In
// vec4 kernels the index counts vec4s; a broadcast over trailing axes whose kept block is a
// multiple of 4 stays vec4 (bias [C] over [R,C]: index % (C/4)), one over leading axes whose
// dropped block is a multiple of 4 becomes a splat of one scalar (a row's max [R,1] over [R,C]:
// vec4(m[index / (C/4)])); in elementwise kernels a gather reads its operand at the run its
// index picks (rows gathered by row number stay vec4). Used by elementwise kernels and by
// reductions' prologues.

import type { Atom, Eqn, PrimParams, Var } from "../ir/types.js";
import { isElementwise, sizeOf } from "../ir/types.js";
import { needsScalar } from "./opExpr.js";

/** How a broadcast's input is indexed from its output's flat index e. */
export type FlatBroadcast =
  | { readonly kind: "same" }
  /** Input index e % p (input = the output's trailing axes). */
  | { readonly kind: "mod"; readonly p: number }
  /** Input index e / q (input = the output's leading axes; q = size of the broadcast block). */
  | { readonly kind: "div"; readonly q: number }
  /** Input index 0 (size 1). */
  | { readonly kind: "zero" };

/** The flat map of a broadcast of `inShape` into `outShape` along `dims` (strictly increasing,
 *  checked by the shape rule), or null when the kept axes are neither all, a suffix nor a prefix
 *  of the output's non-unit axes (a middle axis broadcast: nd coordinates needed). */
export function flatBroadcast(
  inShape: readonly number[],
  outShape: readonly number[],
  dims: readonly number[],
): FlatBroadcast | null {
  if (sizeOf(inShape) === 1) return { kind: "zero" };
  const kept = new Set<number>();
  inShape.forEach((d, k) => {
    if (d !== 1) kept.add(dims[k]!);
  });
  // Output axes of extent 1 do not move the flat index: ignore them.
  const axes = outShape.map((d, i) => i).filter((i) => outShape[i] !== 1);
  const flags = axes.map((i) => kept.has(i));
  const firstKept = flags.indexOf(true);
  const lastKept = flags.lastIndexOf(true);
  if (flags.slice(firstKept, lastKept + 1).includes(false)) return null; // kept axes not contiguous
  if (firstKept === 0 && lastKept === flags.length - 1) return { kind: "same" };
  if (lastKept === flags.length - 1) return { kind: "mod", p: sizeOf(inShape) };
  if (firstKept === 0) return { kind: "div", q: sizeOf(outShape) / sizeOf(inShape) };
  return null;
}

export interface FlatAccess {
  /** 0: some value cannot be indexed flat; 1: flat, scalar; 4: flat, vec4. */
  readonly width: 0 | 1 | 4;
  /** Inputs read as vec4 (when width is 4); all others are read one element at a time. */
  readonly vec4Inputs: ReadonlySet<number>;
}

/**
 * Whether `roots` (all of `n` elements) can be computed by flat index from `inputs`, through
 * `eqns`, and whether on vec4 (n need not be a multiple of 4: the caller handles the last,
 * partial vec4). An input read both as vec4 and as scalar forces scalar (one binding type).
 */
export function flatAccess(
  eqns: readonly Eqn[],
  inputs: readonly Var[],
  roots: readonly Atom[],
  n: number,
  /** Gathers of whole runs count as flat: only in elementwise kernels. A reduction's kernels keep
   *  values in registers by their own position (a row cache, the row's reductions), which a
   *  gather reading another position must not be handed. */
  gathers = false,
): FlatAccess {
  const producer = new Map<number, Eqn>();
  for (const e of eqns) for (const o of e.outputs) producer.set(o.id, e);
  const inputIds = new Set(inputs.map((v) => v.id));
  let vectorOk = true;
  const readAs = new Map<number, Set<"vec" | "elem">>();
  const seen = new Set<string>();
  // `splat`: the value is computed one element at a time and splatted (below a leading-axis
  // broadcast, or a rank-0 operand), so vec4 constraints do not apply beneath it.
  const visit = (a: Atom, splat: boolean): boolean => {
    if (a.kind === "lit") return true;
    const key = `${a.id}:${splat}`;
    if (seen.has(key)) return true;
    seen.add(key);
    const size = sizeOf(a.aval.shape);
    if (inputIds.has(a.id)) {
      const how = splat || size === 1 ? "elem" : "vec";
      readAs.set(a.id, (readAs.get(a.id) ?? new Set()).add(how));
      return true;
    }
    const e = producer.get(a.id);
    if (!e) return false;
    if (e.prim === "iota") {
      // Its coordinate along `axis` from the flat index; on vec4 where a vec4's 4 elements
      // share every other coordinate (ValueWriter's iota).
      const { axis } = e.params as PrimParams["iota"];
      const run = axis === a.aval.shape.length - 1 ? a.aval.shape[axis]! : sizeOf(a.aval.shape.slice(axis + 1));
      if (run % 4 !== 0 && !splat) vectorOk = false;
      return true;
    }
    if (e.prim === "random_uniform" || e.prim === "random_bits" || e.prim === "random_fold_in") {
      if (!splat) vectorOk = false;
      return true; // bits of the flat index, at width 1
    }
    if (e.prim === "reshape") return visit(e.inputs[0]!, splat);
    if (e.prim === "broadcast") {
      const x = e.inputs[0]!;
      const { dims } = e.params as PrimParams["broadcast"];
      const m = flatBroadcast(x.aval.shape, a.aval.shape, dims);
      if (!m) return false;
      if (m.kind === "zero") return visit(x, true);
      if (m.kind === "mod" && m.p % 4 !== 0 && !splat) vectorOk = false;
      if (m.kind === "div") {
        if (m.q % 4 !== 0 && !splat) vectorOk = false;
        return visit(x, true);
      }
      return visit(x, splat);
    }
    if (e.prim === "gather" && gathers) {
      // Flat when the index picks whole runs of the trailing axes (ValueWriter.flatGather); on
      // vec4 when a run is a multiple of 4. The index is read one element a run.
      const { axis } = e.params as PrimParams["gather"];
      const [x, ind] = [e.inputs[0]!, e.inputs[1]!];
      const run = sizeOf(x.aval.shape.slice(axis + 1));
      if (run === 0 || sizeOf(ind.aval.shape) === 0) return false;
      if (run % 4 !== 0 && !splat) vectorOk = false;
      return visit(ind, true) && visit(x, splat);
    }
    if (!isElementwise(e.prim)) return false;
    const inDtype = (e.prim === "where" ? e.inputs[1] : e.inputs[0])?.aval.dtype ?? a.aval.dtype;
    if (!splat && needsScalar(e.prim, inDtype, a.aval.dtype)) vectorOk = false;
    return e.inputs.every((x) => visit(x, splat || (x.kind === "var" && x.aval.shape.length === 0)));
  };
  if (!roots.every((r) => visit(r, false))) return { width: 0, vec4Inputs: new Set() };
  for (const hows of readAs.values()) if (hows.size > 1) vectorOk = false;
  if (!vectorOk || n < 4) return { width: 1, vec4Inputs: new Set() };
  const vec4Inputs = new Set([...readAs].filter(([, hows]) => hows.has("vec")).map(([id]) => id));
  return { width: 4, vec4Inputs };
}
