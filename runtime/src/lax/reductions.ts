// lax's reductions, scans and sort by their lax names and argument orders: reduce_sum / max /
// min / prod / and / or over `axes`, argmax / argmin with an index dtype, cumsum / cumprod /
// cummax / cummin / cumlogsumexp along an axis (optionally reversed), sort (one array or a list
// sorted by its first num_keys arrays) and sort_key_val. Built on np's reductions, its cumulative
// kernels and associative_scan.

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { take_along_axis } from "../np/indexing.js";
import { logaddexp } from "../np/mathSurface.js";
import { asTracer, cast, type ArrayLike } from "../np/promote.js";
import { all, any, argsort, cumprod as npCumprod, cumsum as npCumsum, prod } from "../np/reduceSurface.js";
import * as red from "../np/reductions.js";
import { flip } from "../np/shapeSurface.js";
import { normalizeAxis } from "../np/validate.js";
import { associative_scan } from "./associativeScan.js";

export const reduce_sum = (operand: ArrayLike, axes: readonly number[]): Tracer => red.sum(operand, axes);
export const reduce_max = (operand: ArrayLike, axes: readonly number[]): Tracer => red.max(operand, axes);
export const reduce_min = (operand: ArrayLike, axes: readonly number[]): Tracer => red.min(operand, axes);
export const reduce_prod = (operand: ArrayLike, axes: readonly number[]): Tracer => prod(operand, axes);

function boolReduce(op: "reduce_and" | "reduce_or", operand: ArrayLike, axes: readonly number[]): Tracer {
  const x = asTracer(op, operand);
  if (x.dtype !== "bool") throw new JitScopeError("dtype", `lax.${op}: takes a bool array here, got ${x.dtype}`);
  return op === "reduce_and" ? all(x, axes) : any(x, axes);
}
export const reduce_and = (operand: ArrayLike, axes: readonly number[]): Tracer =>
  boolReduce("reduce_and", operand, axes);
export const reduce_or = (operand: ArrayLike, axes: readonly number[]): Tracer =>
  boolReduce("reduce_or", operand, axes);

function indexDType(op: string, dtype: DType): void {
  if (dtype !== "int32")
    throw new JitScopeError("dtype", `lax.${op}: index_dtype must be int32 here, got ${String(dtype)}`);
}

/** The index of the first largest value along `axis`. */
export function argmax(operand: ArrayLike, axis: number, index_dtype: DType = "int32"): Tracer {
  indexDType("argmax", index_dtype);
  return red.argmax(operand, axis);
}
/** The index of the first smallest value along `axis`. */
export function argmin(operand: ArrayLike, axis: number, index_dtype: DType = "int32"): Tracer {
  indexDType("argmin", index_dtype);
  return red.argmin(operand, axis);
}

type Scan = (x: Tracer, axis: number) => Tracer;

function cumulative(op: string, scan: Scan, operand: ArrayLike, axis: number, reverse: boolean): Tracer {
  const x = asTracer(op, operand);
  if (x.ndim === 0) throw new JitScopeError("shape", `lax.${op}: needs an array with at least one axis`);
  const ax = normalizeAxis(op, axis, x.ndim, x.shape);
  return reverse ? flip(scan(flip(x, ax), ax), ax) : scan(x, ax);
}

const byAssociativeScan =
  (fn: (a: Tracer, b: Tracer) => Tracer): Scan =>
  (x, axis) =>
    associative_scan(fn, x, { axis });

/** Running sum along `axis` (from the end with reverse). */
export const cumsum = (operand: ArrayLike, axis = 0, reverse = false): Tracer =>
  cumulative("cumsum", (x, a) => npCumsum(x, a), operand, axis, reverse);
/** Running product along `axis`. */
export const cumprod = (operand: ArrayLike, axis = 0, reverse = false): Tracer =>
  cumulative("cumprod", (x, a) => npCumprod(x, a), operand, axis, reverse);
/** Running maximum along `axis`. */
export const cummax = (operand: ArrayLike, axis = 0, reverse = false): Tracer =>
  cumulative("cummax", byAssociativeScan(ew.maximum), operand, axis, reverse);
/** Running minimum along `axis`. */
export const cummin = (operand: ArrayLike, axis = 0, reverse = false): Tracer =>
  cumulative("cummin", byAssociativeScan(ew.minimum), operand, axis, reverse);
/** Running log(sum(exp)) along `axis`, computed stably (each step a logaddexp). */
export const cumlogsumexp = (operand: ArrayLike, axis = 0, reverse = false): Tracer =>
  cumulative(
    "cumlogsumexp",
    byAssociativeScan(logaddexp),
    cast(asTracer("cumlogsumexp", operand), "float32"),
    axis,
    reverse,
  );

/** One array sorted along `dimension` (NaN last), or a list of arrays of one shape all put in
 *  the order that sorts the first (num_keys must be 1 here); stable. */
export function sort(
  operand: ArrayLike | readonly ArrayLike[],
  dimension = -1,
  is_stable = true,
  num_keys = 1,
): Tracer | Tracer[] {
  void is_stable; // the sort is always stable
  if (num_keys !== 1) throw new JitScopeError("value", `lax.sort: num_keys must be 1 here, got ${num_keys}`);
  const list = Array.isArray(operand)
    ? operand.map((o) => asTracer("sort", o))
    : [asTracer("sort", operand as ArrayLike)];
  const keys = list[0]!;
  if (keys.ndim === 0) throw new JitScopeError("shape", "lax.sort: needs an array with at least one axis");
  const ax = normalizeAxis("sort", dimension, keys.ndim, keys.shape);
  if (list.some((x) => x.shape.length !== keys.ndim || x.shape.some((d, i) => d !== keys.shape[i])))
    throw new JitScopeError(
      "shape",
      `lax.sort: every operand must have the keys' shape [${keys.shape}], got ${list.map((x) => `[${x.shape}]`).join(", ")}`,
    );
  const order = argsort(keys, ax);
  const sorted = list.map((x) => take_along_axis(x, order, ax));
  return Array.isArray(operand) ? sorted : sorted[0]!;
}

/** [keys sorted, values in the same order] along `dimension`. */
export function sort_key_val(keys: ArrayLike, values: ArrayLike, dimension = -1): [Tracer, Tracer] {
  const [k, v] = sort([keys, values], dimension) as Tracer[];
  return [k!, v!];
}
