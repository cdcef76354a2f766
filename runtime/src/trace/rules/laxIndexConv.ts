// Shape-exact wrappers over `bind` for gather, scatter and conv (see lax.ts for the others), and
// the index arithmetic their rules share.

import { bind1 } from "../core.js";
import type { ConvParams, ScatterMode } from "../../ir/types.js";
import * as L from "./lax.js";
import type { Val } from "./lax.js";

export function gather(x: Val, idx: Val, axis: number): Val {
  return bind1("gather", { axis }, [L.full(x, x.aval.shape), L.full(idx, idx.aval.shape)]);
}

export function scatter(x: Val, idx: Val, upd: Val, axis: number, mode: ScatterMode): Val {
  return bind1("scatter", { axis, mode }, [
    L.full(x, x.aval.shape),
    L.full(idx, idx.aval.shape),
    L.full(upd, upd.aval.shape),
  ]);
}

export function conv(lhs: Val, rhs: Val, p: ConvParams): Val {
  return bind1(
    "conv",
    {
      ...p,
      strides: [...p.strides],
      padLow: [...p.padLow],
      padHigh: [...p.padHigh],
      lhsDilation: [...p.lhsDilation],
      rhsDilation: [...p.rhsDilation],
    },
    [lhs, rhs],
  );
}

export function iota(shape: readonly number[], axis: number): Val {
  return bind1("iota", { shape: [...shape], axis, dtype: "int32" }, []);
}

/** A vmap batch axis (null: unbatched) and a tangent (null: a symbolic zero). Defined here, below
 *  the rule tables (batchRules.ts and jvpRules.ts re-export them), so the index and conv rules
 *  need neither table: no import cycle. */
export type BatchDim = number | null;
export type Tangent = Val | null;
export const addT = (a: Tangent, b: Tangent): Tangent => (a === null ? b : b === null ? a : L.add(a, b));
/** The tangent of `x`, materialised as zeros where it is symbolic. */
export const instantiate = (t: Tangent, x: Val): Val => t ?? L.zeros({ shape: x.aval.shape, dtype: "float32" });

const i32 = (v: number): Val => ({ kind: "lit", value: v, aval: { shape: [], dtype: "int32" } });

/** Index `idx` (batch axis 0, size b) into an array whose axes 0 and 1 (b and n) were merged:
 *  i + row·n, with indices outside [0, n) kept outside (-1), so they still read 0 / drop. */
export function offsetIndices(idx: Val, n: number): Val {
  const shape = idx.aval.shape;
  const row = iota(shape, 0);
  const inside = L.where(
    L.compare("ge", idx, i32(0)),
    L.compare("lt", idx, i32(n)),
    L.full({ kind: "lit", value: 0, aval: { shape: [], dtype: "bool" } }, shape),
  );
  return L.where(inside, L.add(idx, L.mul(row, i32(n))), L.full(i32(-1), shape));
}

/** Reverses `x` along `axis` (a gather by n-1-i: fuses as a read by index). */
export function reverse(x: Val, axis: number): Val {
  const n = x.aval.shape[axis]!;
  if (n <= 1) return x;
  return gather(x, L.sub(i32(n - 1), iota([n], 0)), axis);
}
