// The `where` and `initial` options of NumPy's reductions, as jnp's: `where` (a bool mask that
// broadcasts against the array) leaves elements out of sum, prod, mean, var, std, max, min, any
// and all; `initial` starts sum, prod, max and min from a value (max and min need it with
// `where`, as in JAX, since a row can be all masked). The masked elements are replaced by the
// reduction's identity, so each stays one fused elementwise-and-reduce kernel.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { asTracer, type ArrayLike } from "./promote.js";
import { broadcast_to } from "./shape.js";

export interface WhereOptions {
  /** Only elements where this is true are reduced (broadcast against the array). */
  where?: ArrayLike;
}

export interface InitialOptions {
  /** The value the reduction starts from (sum, prod, max, min). */
  initial?: number;
}

/** The mask as a bool array of x's shape, or null when there is none. */
export function maskOf(op: string, x: Tracer, where: ArrayLike | undefined): Tracer | null {
  if (where === undefined) return null;
  const m = asTracer(op, where);
  if (m.dtype !== "bool")
    throw new JitScopeError("dtype", `${op}: where must be a bool array, got ${m.dtype}[${m.shape.join(",")}]`);
  return broadcast_to(m, x.shape);
}

/** x with its masked-out elements replaced by `fill` (the reduction's identity). */
export function masked(x: Tracer, mask: Tracer | null, fill: number): Tracer {
  return mask ? ew.where(mask, x, fill) : x;
}

/** max and min with a mask need an initial value: an all-masked row has no maximum. */
export function checkExtremumWhere(op: string, mask: Tracer | null, initial: number | undefined): void {
  if (mask && initial === undefined)
    throw new JitScopeError(
      "value",
      `${op}: with where, give initial too (a row whose elements are all left out has no ${op === "max" ? "maximum" : "minimum"}), as in JAX`,
    );
}
