// lax.top_k: the k largest entries along the last axis, through the sort primitive (a stable
// ascending sort of -x is a descending sort of x that keeps ties in index order): one argsort
// of the row, its first k positions, and the values gathered at them.

import { JitScopeError } from "../ir/errors.js";
import { argsortOf } from "../trace/rules/surfaceRules.js";
import { take_along_axis } from "../np/indexing.js";
import { asTracer } from "../np/promote.js";
import * as ew from "../np/elementwise.js";
import { bind1, type Tracer } from "../trace/core.js";

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
