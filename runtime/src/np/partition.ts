// partition and argpartition as jax.numpy 0.10.2 computes them, with its exact output order (JAX
// builds them from two lax.top_k calls): partition gives the kth + 1 smallest values in ascending
// order, then the rest in descending order; argpartition gives the indices of the kth + 1
// smallest in ascending order of value (ties by index), then the remaining indices in ascending
// index order. Here both come from a stable sort along the axis, so they run under jit and vmap
// and partition differentiates in its values.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { argsort, sort } from "./reduceSurface.js";
import { concatenate } from "./shape.js";
import { flip, sliceAxis } from "./shapeSurface.js";
import { avalText, normalizeAxis } from "./validate.js";

function operands(op: string, a: ArrayLike, kth: number, axis: number): [Tracer, number, number, number] {
  const x = asTracer(op, a);
  if (x.ndim === 0)
    throw new JitScopeError("shape", `${op}: needs an array of at least 1 axis, got ${avalText(x.aval)}`);
  const ax = normalizeAxis(op, axis, x.ndim, x.shape);
  const n = x.shape[ax]!;
  if (!Number.isInteger(kth) || kth < -n || kth >= n)
    throw new JitScopeError(
      "value",
      `${op}: kth must be an integer in [-${n}, ${n}) (static, as JAX asks), got ${String(kth)}`,
    );
  return [x, ax, n, kth < 0 ? kth + n : kth];
}

/** A partly sorted copy along `axis`: entries [0, kth] are the kth + 1 smallest, ascending; the
 *  entries after kth are the others, descending (JAX's order). */
export function partition(a: ArrayLike, kth: number, axis = -1): Tracer {
  const [x, ax, n, k] = operands("partition", a, kth, axis);
  const sorted = sort(x, ax);
  if (k + 1 === n) return sorted;
  return concatenate([sliceAxis(sorted, ax, 0, k + 1), flip(sliceAxis(sorted, ax, k + 1, n), ax)], ax);
}

/** int32 indices that partition `a` along `axis`: the kth + 1 smallest entries' indices by value,
 *  then the other indices in increasing order (JAX's order). */
export function argpartition(a: ArrayLike, kth: number, axis = -1): Tracer {
  const [x, ax, n, k] = operands("argpartition", a, kth, axis);
  const order = argsort(x, ax);
  if (k + 1 === n) return order;
  const rank = argsort(order, ax);
  // A stable sort of "is among the smallest" puts the other indices first, in index order.
  const rest = argsort(cast(ew.less_equal(rank, k), "int32"), ax);
  return concatenate([sliceAxis(order, ax, 0, k + 1), sliceAxis(rest, ax, 0, n - k - 1)], ax);
}
