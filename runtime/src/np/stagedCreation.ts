// Creation inside a staged program (jit, a loop body): a filled array, an arange, an identity or
// a triangle becomes ops (a broadcast literal; iota, compares) that fuse into the kernels reading
// it, as JAX's lax.full and lax.iota do, instead of a host constant uploaded once and bound as a
// buffer by every kernel that reads it (a jitted `x + np.arange(n)` was a cast kernel and a
// buffer read; it is one kernel now, and a loop body's mask no longer takes one of a kernel's
// eight buffer slots). Eager calls keep host arrays: made on the host, they cost no dispatch.
// Values whose host rounding an in-kernel computation would not reproduce stay constants.

import type { DType } from "../ir/types.js";
import { bind1, isStaging, lit, type Tracer } from "../trace/core.js";
import * as L from "../trace/rules/lax.js";
import { hostBuffer } from "./host.js";

/** Whether creating an array of `shape` makes ops: inside a staged program, non-scalar, non-empty. */
export const stagesCreation = (shape: readonly number[]): boolean =>
  isStaging() && shape.length > 0 && shape.every((d) => d > 0);

/** The value a host array of `dtype` stores for `v`, so a fill reads as np.full's outside jit. */
const stored = (v: number, dtype: DType): number => hostBuffer(dtype, 1, v)[0]!;

/** `shape` filled with `value`. */
export function stagedFill(shape: readonly number[], value: number, dtype: DType): Tracer {
  return bind1("broadcast", { shape: [...shape], dims: [] }, [lit(stored(value, dtype), dtype)]);
}

/** Every value of the arange an exact integer of its dtype (|v| ≤ 2^24 in float32), or null. */
export function stagedArange(start: number, step: number, n: number, dtype: DType): Tracer | null {
  if (dtype === "bool" || !Number.isInteger(start) || !Number.isInteger(step)) return null;
  const limit = dtype === "float32" ? 2 ** 24 : 2 ** 31 - 1;
  // |start| and |(n-1)·step| bounded: iota·step and its sum with start stay exact.
  if (Math.abs(start) > limit || Math.abs((n - 1) * step) > limit || Math.abs(start + (n - 1) * step) > limit)
    return null;
  let v = bind1("iota", { shape: [n], axis: 0, dtype }, []);
  if (step !== 1) v = L.mul(v, lit(step, dtype)) as Tracer;
  if (start !== 0) v = L.add(v, lit(start, dtype)) as Tracer;
  return v;
}

/** Coordinates along `axis` of an array of `shape` (lax.broadcasted_iota), or null where float32
 *  would round them (past 2^24). */
export function stagedIota(shape: readonly number[], axis: number, dtype: DType): Tracer | null {
  if (dtype === "bool" || (dtype === "float32" && shape[axis]! > 2 ** 24)) return null;
  return bind1("iota", { shape: [...shape], axis, dtype }, []);
}

/** Row and column indices of a rows×cols matrix, the row's shifted by `k`. */
function rowCol(rows: number, cols: number, k: number): [Tracer, Tracer] {
  const shape = [rows, cols];
  const row = bind1("iota", { shape, axis: 0, dtype: "int32" }, []);
  const col = bind1("iota", { shape, axis: 1, dtype: "int32" }, []);
  return [(k === 0 ? row : L.add(row, lit(k, "int32"))) as Tracer, col];
}

/** Ones on diagonal `k` of a rows×cols matrix (np.eye). */
export function stagedEye(rows: number, cols: number, k: number, dtype: DType): Tracer {
  const [row, col] = rowCol(rows, cols, k);
  return L.cast(L.compare("eq", row, col), dtype) as Tracer;
}

/** Ones at and below diagonal `k` of a rows×cols matrix (np.tri). */
export function stagedTri(rows: number, cols: number, k: number, dtype: DType): Tracer {
  const [row, col] = rowCol(rows, cols, k);
  return L.cast(L.compare("le", col, row), dtype) as Tracer;
}
