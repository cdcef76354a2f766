// Running sums and products that skip NaN (jnp.nancumsum, nancumprod), and the array API's
// cumulative_sum and cumulative_prod with include_initial.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { bind1, Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { isnan } from "./mathSurface.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { cumprod, cumsum } from "./reduceSurface.js";
import { normalizeAxis } from "./validate.js";

/** cumsum with NaN counted as 0 (of the flattened array when axis is omitted); the gradient is
 *  cumsum's, 0 at the NaN entries, as JAX's. */
export function nancumsum(a: ArrayLike, axis?: number | null): Tracer {
  const x = asTracer("nancumsum", a);
  return cumsum(x.dtype === "float32" ? ew.where(isnan(x), 0, x) : x, axis);
}

/** cumprod with NaN counted as 1. */
export function nancumprod(a: ArrayLike, axis?: number | null): Tracer {
  const x = asTracer("nancumprod", a);
  return cumprod(x.dtype === "float32" ? ew.where(isnan(x), 1, x) : x, axis);
}

export interface CumulativeSumOptions {
  /** The axis to sum along; may be omitted only for a 1-D array. */
  axis?: number;
  /** Start with the empty sum, 0: the result is one longer along `axis`. */
  include_initial?: boolean;
}

/** The array API's cumulative_sum: cumsum along `axis`, bools summed as int32, with a leading
 *  0 when include_initial. */
export function cumulative_sum(x: ArrayLike, options: CumulativeSumOptions = {}): Tracer {
  return cumulative("cumulative_sum", x, options, cumsum, 0);
}

/** The array API's cumulative_prod: cumprod along `axis`, bools as int32, with a leading 1 when
 *  include_initial. */
export function cumulative_prod(x: ArrayLike, options: CumulativeSumOptions = {}): Tracer {
  return cumulative("cumulative_prod", x, options, cumprod, 1);
}

function cumulative(
  op: string,
  x: ArrayLike,
  options: CumulativeSumOptions,
  scan: (t: Tracer, axis: number) => Tracer,
  initial: number,
): Tracer {
  checkOptions(op, options, ["axis", "include_initial"]);
  const t0 = asTracer(op, x);
  const t = t0.dtype === "bool" ? cast(t0, "int32") : t0;
  if (t.ndim === 0) throw new JitScopeError("shape", `${op}: needs an array of at least 1 axis, got a 0-d array`);
  if (options.axis === undefined && t.ndim > 1)
    throw new JitScopeError(
      "axis",
      `${op}: give an axis for an array of ${t.ndim} axes (${t.dtype}[${t.shape.join(",")}])`,
    );
  const axis = normalizeAxis(op, options.axis ?? 0, t.ndim, t.aval.shape);
  const out = scan(t, axis);
  if (!options.include_initial) return out;
  const low = t.shape.map((_, i) => (i === axis ? 1 : 0));
  return bind1("pad", { low, high: t.shape.map(() => 0), value: initial }, [out]);
}
