// An anchor's operands as kernels read them: each a kernel input, or a strided view of one (the
// transposes that put NHWC images and HWIO weights in the conv's NCHW/OIHW order, reshapes and
// slices composed: codegen/stridedView.ts). The kernel indexes the source's buffer through the
// view's strides, where a layout kernel would first copy it. The matmul's operands
// (matmulOperands.ts) walk the same chains.

import type { Eqn, Var } from "../ir/types.js";
import type { FusionGroup } from "./kernelPlan.js";
import { contiguousView, isViewOp, viewThrough, type StridedView } from "./stridedView.js";

export interface ConvOperand {
  /** The kernel input it reads. */
  readonly pos: number;
  /** The operand as a view of that input's buffer, in elements. */
  readonly view: StridedView;
}

/** The view equations from a kernel input to operand `v` of `user`, in order, each value of the
 *  chain read by nothing else in the kernel; null where `v` is not reached that way. */
export function viewChain(group: FusionGroup, user: Eqn, v: Var): { chain: Eqn[]; source: Var } | null {
  const isInput = (x: Var) => group.inputs.some((i) => i.id === x.id);
  const isOutput = (x: Var) => group.outputs.some((o) => o.id === x.id);
  const readOnlyBy = (x: Var, reader: Eqn) =>
    !isOutput(x) && group.eqns.every((e) => e === reader || !e.inputs.some((a) => a.kind === "var" && a.id === x.id));
  const chain: Eqn[] = [];
  let [cur, reader] = [v, user];
  while (!isInput(cur)) {
    const e = group.eqns.find((x) => x.outputs[0]?.id === cur.id);
    const src = e?.inputs[0];
    if (!e || !isViewOp(e) || src?.kind !== "var" || !readOnlyBy(cur, reader)) return null;
    chain.unshift(e);
    [cur, reader] = [src, e];
  }
  return { chain, source: cur };
}

/** Operand `v` of the conv `cv` as a view of a kernel input, or null. */
export function convOperand(group: FusionGroup, cv: Eqn, v: Var): ConvOperand | null {
  const found = viewChain(group, cv, v);
  if (!found) return null;
  const { chain, source } = found;
  const view = chain.length ? viewThrough(chain) : contiguousView(source.aval.shape);
  return view && { pos: group.inputs.findIndex((i) => i.id === source.id), view };
}
