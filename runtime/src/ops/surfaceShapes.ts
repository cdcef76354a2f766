// Shape rules of the primitives the NumPy surface added (issue 14): floor / ceil / round / is_nan
// / log1p / expm1, cumulative, rev and sort. ops/shapeRules.ts delegates them here.

import { JitScopeError } from "../ir/errors.js";
import { avalToString, type Aval, type Params, type PrimParams } from "../ir/types.js";

export type SurfacePrim = "floor" | "ceil" | "round" | "is_nan" | "log1p" | "expm1" | "cumulative" | "sort" | "rev";

const err = (kind: "shape" | "dtype" | "axis", message: string) => new JitScopeError(kind, message);

export function surfaceAvals(prim: SurfacePrim, params: PrimParams[SurfacePrim], ins: readonly Aval[]): Aval[] {
  const arity = (n: number) => {
    if (ins.length !== n) throw err("shape", `${prim}: expected ${n} operand${n === 1 ? "" : "s"}, got ${ins.length}`);
  };
  switch (prim) {
    case "floor":
    case "ceil":
    case "round":
    case "is_nan":
    case "log1p":
    case "expm1": {
      arity(1);
      const x = ins[0]!;
      if (x.dtype !== "float32") throw err("dtype", `${prim}: expected float32, got ${avalToString(x)}`);
      return [prim === "is_nan" ? { shape: x.shape, dtype: "bool" } : x];
    }
    case "cumulative": {
      arity(1);
      const x = ins[0]!;
      const { axis } = params as Params<"cumulative">;
      checkAxis(prim, axis, x);
      if (x.dtype === "bool")
        throw err("dtype", `${prim}: bool input (cast it to int32 first), got ${avalToString(x)}`);
      return [x];
    }
    case "rev": {
      arity(1);
      const x = ins[0]!;
      const { axes } = params as Params<"rev">;
      for (const a of axes) checkAxis(prim, a, x);
      if (new Set(axes).size !== axes.length) throw err("axis", `rev: repeated axis in [${axes}]`);
      return [x];
    }
    case "sort": {
      arity(2);
      const [keys, payload] = [ins[0]!, ins[1]!];
      const { axis } = params as Params<"sort">;
      checkAxis(prim, axis, keys);
      if (keys.dtype === "bool") throw err("dtype", `sort: keys must be float32 or int32, got ${avalToString(keys)}`);
      if (keys.shape.length !== payload.shape.length || keys.shape.some((d, i) => d !== payload.shape[i])) {
        throw err("shape", `sort: keys ${avalToString(keys)} and payload ${avalToString(payload)} must have one shape`);
      }
      return [payload];
    }
    default:
      return prim satisfies never;
  }
}

function checkAxis(prim: string, axis: number, x: Aval): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= x.shape.length) {
    throw err("axis", `${prim}: axis ${axis} is out of range for ${avalToString(x)}`);
  }
}
