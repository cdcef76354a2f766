// lax.top_k: the k largest entries along the last axis, through the sort primitive (a stable
// ascending sort of -x is a descending sort of x that keeps ties in index order): one argsort
// of the row, its first k positions, and the values gathered at them. approx_max_k and
// approx_min_k along any axis, exact.

import { JitScopeError } from "../ir/errors.js";
import { argsortOf } from "../trace/rules/surfaceRules.js";
import { take_along_axis } from "../np/indexing.js";
import { asTracer } from "../np/promote.js";
import * as ew from "../np/elementwise.js";
import { bind1, type Tracer } from "../trace/core.js";
import { checkOptions } from "../apiOptions.js";
import { moveaxis } from "../np/stacking.js";
import { normalizeAxis } from "../np/validate.js";

/** The k largest entries along the last axis and their indices, largest first (ties: the lower
 *  index first), as jax.lax.top_k: `const [values, indices] = lax.top_k(x, k)`. */
export function top_k(operand: Tracer | number, k: number): [Tracer, Tracer] {
  const x = asTracer("top_k", operand);
  if (x.ndim === 0) throw new JitScopeError("shape", `top_k: operand must have at least 1 dim, got a 0-d array`);
  const last = x.ndim - 1;
  const n = x.shape[last]!;
  if (!Number.isInteger(k) || k < 0 || k > n)
    throw new JitScopeError("value", `top_k: k must be an integer in [0, ${n}] for shape [${x.shape}], got ${k}`);
  // Ascending order of -x is descending order of x, and the sort is stable.
  const keys = ew.negative(x.dtype === "bool" ? ew.astype(x, "int32") : x);
  const starts = x.shape.map(() => 0);
  const limits = x.shape.map((d, i) => (i === last ? k : d));
  const strides = x.shape.map(() => 1);
  const indices = bind1("slice", { starts, limits, strides }, [argsortOf(keys, last)]);
  return [take_along_axis(x, indices, last), indices];
}

export interface ApproxTopKOptions {
  /** The axis to search along (default −1). */
  reduction_dimension?: number;
  /** What the TPU algorithm aims for; here every result is exact (recall 1), as JAX's on CPU. */
  recall_target?: number;
  reduction_input_size_override?: number;
  aggregate_to_topk?: boolean;
}

function approxTopK(
  name: string,
  operand: Tracer | number,
  k: number,
  options: ApproxTopKOptions,
  largest: boolean,
): [Tracer, Tracer] {
  checkOptions(name, options, [
    "reduction_dimension",
    "recall_target",
    "reduction_input_size_override",
    "aggregate_to_topk",
  ]);
  const x = asTracer(name, operand);
  if (x.ndim === 0) throw new JitScopeError("shape", `${name}: operand must have at least 1 dim, got a 0-d array`);
  const axis = normalizeAxis(name, options.reduction_dimension ?? -1, x.ndim, x.aval.shape);
  const last = x.ndim - 1;
  const moved = axis === last ? x : moveaxis(x, axis, last);
  const keys = largest ? moved : ew.negative(moved.dtype === "bool" ? ew.astype(moved, "int32") : moved);
  const [, indices] = top_k(keys, k);
  const values = take_along_axis(moved, indices, last);
  return axis === last ? [values, indices] : [moveaxis(values, last, axis), moveaxis(indices, last, axis)];
}

/** The k largest entries along `reduction_dimension` and their indices, as jax.lax.approx_max_k
 *  returns them on CPU and GPU: exactly (JAX's approximation is a TPU algorithm). */
export function approx_max_k(operand: Tracer | number, k: number, options: ApproxTopKOptions = {}): [Tracer, Tracer] {
  return approxTopK("approx_max_k", operand, k, options, true);
}

/** The k smallest entries along `reduction_dimension` and their indices, exactly (ties: the lower
 *  index first). */
export function approx_min_k(operand: Tracer | number, k: number, options: ApproxTopKOptions = {}): [Tracer, Tracer] {
  return approxTopK("approx_min_k", operand, k, options, false);
}
