// A conv kernel's operands: each a kernel input, or a strided view of one (the transposes that
// put NHWC images and HWIO weights in the conv's NCHW/OIHW order, reshapes and slices composed:
// codegen/stridedView.ts). The kernel indexes the source's buffer through the view's strides,
// where a layout kernel would first copy it.

import type { Eqn, Var } from "../ir/types.js";
import type { FusionGroup } from "./kernelPlan.js";
import { contiguousView, isViewOp, viewThrough, type StridedView } from "./stridedView.js";

export interface ConvOperand {
  /** The kernel input it reads. */
  readonly pos: number;
  /** The operand as a view of that input's buffer, in elements. */
  readonly view: StridedView;
}

/** Operand `v` of `user` as a view of a kernel input: through the group's view equations, each
 *  value of the chain read by nothing else in the kernel; null where it is neither. */
export function convOperand(group: FusionGroup, user: Eqn, v: Var): ConvOperand | null {
  const inputPos = (x: Var) => group.inputs.findIndex((i) => i.id === x.id);
  const isOutput = (x: Var) => group.outputs.some((o) => o.id === x.id);
  const readOnlyBy = (x: Var, reader: Eqn) =>
    !isOutput(x) && group.eqns.every((e) => e === reader || !e.inputs.some((a) => a.kind === "var" && a.id === x.id));
  const chain: Eqn[] = [];
  let [cur, reader] = [v, user];
  while (inputPos(cur) < 0) {
    const e = group.eqns.find((x) => x.outputs[0]?.id === cur.id);
    const src = e?.inputs[0];
    if (!e || !isViewOp(e) || src?.kind !== "var" || !readOnlyBy(cur, reader)) return null;
    chain.unshift(e);
    [cur, reader] = [src, e];
  }
  const view = chain.length ? viewThrough(chain) : contiguousView(cur.aval.shape);
  return view && { pos: inputPos(cur), view };
}
