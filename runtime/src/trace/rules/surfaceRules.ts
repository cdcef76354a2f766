// Derivative and batching rules of the primitives the NumPy surface added (issue 14): floor /
// ceil / round / is_nan / log1p / expm1 (elementwise), cumulative (cumsum, cumprod), rev and
// sort; their shape rules are in ops/surfaceShapes.ts. The shared rule tables (jvpRules,
// vjpRules, batchRules) delegate these prims here, so adding them touched one line per table.

import type { Params, PrimParams } from "../../ir/types.js";
import { bind1, lit } from "../../trace/core.js";
import * as L from "./lax.js";
import type { Val } from "./lax.js";
import { cumprodJvp, cumprodVjp } from "./cumprodRules.js";

import type { SurfacePrim } from "../../ops/surfaceShapes.js";
type Tangent = Val | null;
type BatchDim = number | null;

export const cumulative = (x: Val, op: "sum" | "prod", axis: number, reverse: boolean): Val =>
  bind1("cumulative", { op, axis, reverse }, [x]);

export const sortBy = (keys: Val, payload: Val, axis: number): Val => bind1("sort", { axis }, [keys, payload]);

/** The stable ascending order of `keys` along `axis` (argsort), int32. */
export function argsortOf(keys: Val, axis: number): Val {
  const shape = [...keys.aval.shape];
  return sortBy(keys, bind1("iota", { shape, axis, dtype: "int32" }, []), axis);
}

export function surfaceJvp(
  prim: SurfacePrim,
  params: PrimParams[SurfacePrim],
  x: readonly Val[],
  t: readonly Tangent[],
  y: Val,
): Tangent[] {
  const ta = t[0] ?? null;
  switch (prim) {
    case "floor":
    case "ceil":
    case "round":
    case "is_nan":
      return [null];
    case "log1p":
      return [ta === null ? null : L.div(ta, L.add(x[0]!, lit(1, "float32")))];
    case "expm1":
      return [ta === null ? null : L.mul(ta, L.add(y, lit(1, "float32")))];
    case "rev":
      return [ta === null ? null : bind1("rev", params as Params<"rev">, [ta])];
    case "cumulative": {
      if (ta === null) return [null];
      const { op, axis, reverse } = params as Params<"cumulative">;
      if (op === "sum") return [cumulative(ta, "sum", axis, reverse)];
      return [cumprodJvp(x[0]!, ta, y, axis, reverse)];
    }
    case "sort": {
      // The payload is permuted by an order that is piecewise constant in the keys.
      const tp = t[1] ?? null;
      return [tp === null ? null : sortBy(x[0]!, tp, (params as Params<"sort">).axis)];
    }
    default:
      return prim satisfies never;
  }
}

export function surfaceVjp(
  prim: SurfacePrim,
  params: PrimParams[SurfacePrim],
  x: readonly Val[],
  y: Val,
  ct: Val,
  needs: readonly boolean[],
): (Val | null)[] {
  switch (prim) {
    case "floor":
    case "ceil":
    case "round":
    case "is_nan":
      return [null];
    case "log1p":
      return [L.div(ct, L.add(x[0]!, lit(1, "float32")))];
    case "expm1":
      return [L.mul(ct, L.add(y, lit(1, "float32")))];
    case "rev":
      return [bind1("rev", params as Params<"rev">, [ct])];
    case "cumulative": {
      const { op, axis, reverse } = params as Params<"cumulative">;
      if (op === "sum") return [cumulative(ct, "sum", axis, !reverse)];
      return [cumprodVjp(x[0]!, ct, y, axis, reverse)];
    }
    case "sort": {
      if (!needs[1]) return [null, null];
      // The transpose of a permutation: sorting by the permutation itself puts each cotangent
      // back where its element came from.
      const { axis } = params as Params<"sort">;
      return [null, sortBy(argsortOf(x[0]!, axis), ct, axis)];
    }
    default:
      return prim satisfies never;
  }
}

/** Batching of the non-elementwise surface prims: the batch axis goes first, the axis shifts. */
export function surfaceBatch(
  prim: "cumulative" | "sort" | "rev",
  params: PrimParams["cumulative" | "sort" | "rev"],
  front: (i: number) => Val,
): [Val, BatchDim] {
  switch (prim) {
    case "cumulative": {
      const p = params as Params<"cumulative">;
      return [bind1("cumulative", { ...p, axis: p.axis + 1 }, [front(0)]), 0];
    }
    case "rev": {
      const { axes } = params as Params<"rev">;
      return [bind1("rev", { axes: axes.map((a) => a + 1) }, [front(0)]), 0];
    }
    case "sort": {
      const { axis } = params as Params<"sort">;
      return [bind1("sort", { axis: axis + 1 }, [front(0), front(1)]), 0];
    }
    default:
      return prim satisfies never;
  }
}
