// When a row max (or min) needs its NaN bookkeeping. WGSL leaves max/min of a NaN unspecified,
// so lowerRowLocal.ts keeps, per lane, the largest magnitude bits it saw and makes the row's
// result NaN after the subgroup step: two integer ops per element. Where every output that reads
// the result is NaN anyway whenever the reduced row holds a NaN, that changes nothing and goes.
// Softmax is the case: exp(x − max) is NaN where x is, whatever the max came out as, so the sum
// of the row is NaN, and so is every output that divides by it (log-softmax and cross-entropy
// likewise). Without it, the jit's softmax on [4096, 1024] ran 1.17×, 1.04× and 1.00× as fast
// on lavapipe (three runs of bench/dev/softmax_exp_bound.ts, 2026-12-03).

import { sameShape, type Eqn, type Primitive, type Var } from "../ir/types.js";
import { isFullShape, type RowGeometry } from "./rowLocal.js";

/** Ops whose result is NaN wherever a float input of theirs is: IEEE arithmetic, emitted as
 *  WGSL operators or builtins. Not max/min/where/pow (they can drop a NaN), nor ops emitted
 *  through clamps or polynomials of our own. */
const NAN_PROPAGATING: ReadonlySet<Primitive> = new Set<Primitive>([
  "neg",
  "abs",
  "sqrt",
  "exp",
  "log",
  "add",
  "sub",
  "mul",
  "div",
]);

/**
 * Whether `red` (a reduce_max or reduce_min of the row kernel) must make its result NaN itself:
 * false when every output of `eqns` that depends on its result is, wherever the reduced row holds
 * a NaN, NaN across that row through NaN-propagating ops from a row sum that reads the NaN.
 */
export function nanCheckNeeded(eqns: readonly Eqn[], outputs: readonly Var[], geo: RowGeometry, red: Eqn): boolean {
  const y = red.inputs[0];
  if (y?.kind !== "var") return true;
  /** NaN at the element where the reduced row is. */
  const atNan = new Set([y.id]);
  /** NaN across the row (a row value, or a full-shape value made from one). */
  const rowNan = new Set<number>();
  /** Reads the reduction's result. */
  const reads = new Set([red.outputs[0]!.id]);
  for (const e of eqns) {
    const o = e.outputs[0]!;
    const vars = e.inputs.filter((a): a is Var => a.kind === "var");
    if (vars.some((v) => reads.has(v.id))) reads.add(o.id);
    if (e === red) continue;
    const fromRow = vars.some((v) => rowNan.has(v.id));
    if (geo.reductions.includes(e)) {
      if (e.prim === "reduce_sum" && vars.some((v) => atNan.has(v.id) || rowNan.has(v.id))) rowNan.add(o.id);
      continue;
    }
    if (NAN_PROPAGATING.has(e.prim)) {
      if (fromRow) rowNan.add(o.id);
      else if (vars.some((v) => atNan.has(v.id) && sameShape(v.aval.shape, o.aval.shape))) atNan.add(o.id);
      continue;
    }
    // rowLocal.ts admits only reshapes and broadcasts that keep a row value in its row.
    if ((e.prim === "reshape" || e.prim === "broadcast") && fromRow) rowNan.add(o.id);
    else if (
      e.prim === "reshape" &&
      atNan.has(vars[0]?.id ?? -1) &&
      isFullShape(vars[0]!.aval.shape, geo.full) &&
      isFullShape(o.aval.shape, geo.full)
    )
      atNan.add(o.id);
  }
  return outputs.some((o) => reads.has(o.id) && !rowNan.has(o.id));
}
