// Shape and dtype rules of gather, scatter and conv (the rest are in shapeRules.ts). Errors name
// the op and the shapes involved; `bind` attaches the user's location.

import { JitScopeError } from "../ir/errors.js";
import { avalToString, sizeOf, type Aval, type ConvParams, type PrimParams } from "../ir/types.js";

type Prim = "gather" | "scatter" | "scatter_sorted" | "conv";

const err = (kind: "shape" | "dtype" | "axis" | "value", message: string): JitScopeError =>
  new JitScopeError(kind, message);

export function indexConvAvals(prim: Prim, params: PrimParams[Prim], ins: readonly Aval[]): Aval[] {
  switch (prim) {
    case "gather":
      return [gatherAval(ins, (params as PrimParams["gather"]).axis)];
    case "scatter":
      return [scatterAval(ins, params as PrimParams["scatter"])];
    case "scatter_sorted":
      return [scatterSortedAval(ins, params as PrimParams["scatter_sorted"])];
    case "conv":
      return [convAval(ins, params as ConvParams)];
    default:
      return prim satisfies never;
  }
}

/** x.shape[:axis] + idx.shape + x.shape[axis+1:] */
export function gatherShape(x: readonly number[], idx: readonly number[], axis: number): number[] {
  return [...x.slice(0, axis), ...idx, ...x.slice(axis + 1)];
}

function checkIndexOperands(prim: string, x: Aval, idx: Aval, axis: number): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= x.shape.length) {
    throw err("axis", `${prim}: axis ${axis} is out of range of ${avalToString(x)} (valid: 0..${x.shape.length - 1})`);
  }
  if (idx.dtype !== "int32") throw err("dtype", `${prim}: indices must be int32, got ${avalToString(idx)}`);
}

function gatherAval(ins: readonly Aval[], axis: number): Aval {
  if (ins.length !== 2) throw err("value", `gather: expects 2 inputs (array, indices), got ${ins.length}`);
  const [x, idx] = [ins[0]!, ins[1]!];
  checkIndexOperands("gather", x, idx, axis);
  return { shape: gatherShape(x.shape, idx.shape, axis), dtype: x.dtype };
}

/** scatter's rule on (x, idx, upd), and `order` a permutation of idx's flat positions. */
function scatterSortedAval(ins: readonly Aval[], p: PrimParams["scatter_sorted"]): Aval {
  if (ins.length !== 4)
    throw err("value", `scatter_sorted: expects 4 inputs (array, indices, order, updates), got ${ins.length}`);
  const [idx, order] = [ins[1]!, ins[2]!];
  if (order.dtype !== "int32" || order.shape.length !== 1 || order.shape[0] !== sizeOf(idx.shape))
    throw err("shape", `scatter_sorted: order ${avalToString(order)} must be int32[${sizeOf(idx.shape)}]`);
  return scatterAval([ins[0]!, idx, ins[3]!], p);
}

function scatterAval(ins: readonly Aval[], p: PrimParams["scatter"]): Aval {
  if (ins.length !== 3) throw err("value", `scatter: expects 3 inputs (array, indices, updates), got ${ins.length}`);
  const [x, idx, upd] = [ins[0]!, ins[1]!, ins[2]!];
  checkIndexOperands("scatter", x, idx, p.axis);
  if (!["set", "add", "mul", "min", "max"].includes(p.mode))
    throw err("value", `scatter: unknown mode ${String(p.mode)}`);
  const want = gatherShape(x.shape, idx.shape, p.axis);
  if (upd.shape.length !== want.length || upd.shape.some((d, i) => d !== want[i])) {
    throw err(
      "shape",
      `scatter: updates ${avalToString(upd)} must have shape [${want.join(",")}] for ${avalToString(x)} indexed by ${avalToString(idx)} on axis ${p.axis}`,
    );
  }
  if (upd.dtype !== x.dtype)
    throw err("dtype", `scatter: updates ${avalToString(upd)} and array ${avalToString(x)} differ in dtype`);
  if (x.dtype === "bool" && p.mode !== "set")
    throw err("dtype", `scatter ${p.mode}: not defined for bool (${avalToString(x)}); cast first`);
  return { shape: [...x.shape], dtype: x.dtype };
}

/** Size of `n` elements with `d - 1` holes between neighbours. */
export const dilateDim = (n: number, d: number): number => (n === 0 ? 0 : 1 + d * (n - 1));

/** Spatial output sizes of a convolution. */
export function convOutSpatial(inSp: readonly number[], kSp: readonly number[], p: ConvParams): number[] {
  return inSp.map((n, i) => {
    const padded = dilateDim(n, p.lhsDilation[i]!) + p.padLow[i]! + p.padHigh[i]!;
    const k = dilateDim(kSp[i]!, p.rhsDilation[i]!);
    return padded < k ? 0 : Math.floor((padded - k) / p.strides[i]!) + 1;
  });
}

function convAval(ins: readonly Aval[], p: ConvParams): Aval {
  if (ins.length !== 2) throw err("value", `conv: expects 2 inputs (lhs, rhs), got ${ins.length}`);
  const [lhs, rhs] = [ins[0]!, ins[1]!];
  const shapes = `lhs ${avalToString(lhs)}, rhs ${avalToString(rhs)}`;
  if (lhs.dtype !== "float32" || rhs.dtype !== "float32")
    throw err("dtype", `conv: operands must be float32, got ${shapes}`);
  const r = lhs.shape.length;
  if (r < 3 || rhs.shape.length !== r)
    throw err(
      "shape",
      `conv: lhs and rhs need the same rank (batch, feature and at least one spatial axis), got ${shapes}`,
    );
  const ns = r - 2;
  for (const [name, v] of Object.entries({
    strides: p.strides,
    padLow: p.padLow,
    padHigh: p.padHigh,
    lhsDilation: p.lhsDilation,
    rhsDilation: p.rhsDilation,
  })) {
    if (!Array.isArray(v) || v.length !== ns || v.some((x) => !Number.isInteger(x))) {
      throw err("value", `conv: ${name} needs ${ns} integers (one per spatial axis), got [${String(v)}] for ${shapes}`);
    }
    if (name !== "padLow" && name !== "padHigh" && v.some((x) => x < 1))
      throw err("value", `conv: ${name} must be positive, got [${v.join(",")}]`);
  }
  const g = p.groups;
  const [c, o, ci] = [lhs.shape[1]!, rhs.shape[0]!, rhs.shape[1]!];
  if (!Number.isInteger(g) || g < 1 || c % g !== 0 || o % g !== 0) {
    throw err(
      "shape",
      `conv: feature_group_count ${g} must divide the input features (${c}) and the output features (${o}); ${shapes}`,
    );
  }
  if (ci * g !== c) {
    throw err(
      "shape",
      `conv: rhs has ${ci} input features per group, lhs has ${c} features in ${g} group${g > 1 ? "s" : ""} (${c / g} each); ${shapes}`,
    );
  }
  const out = convOutSpatial(lhs.shape.slice(2), rhs.shape.slice(2), p);
  return { shape: [lhs.shape[0]!, o, ...out], dtype: "float32" };
}
