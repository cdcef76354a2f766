// `scipy.integrate`, as jax.scipy.integrate: trapezoid, which JAX defines as jnp.trapezoid itself,
// so this is np.trapezoid (np/series.ts) under the scipy name, taking its arguments in JAX's order
// (y, x, dx, axis) or, from the second on, one options object: `trapezoid(y, { dx: 0.1 })`.

import { checkOptions } from "../apiOptions.js";
import { isPlainObject } from "../trace/pytree.js";
import type { Tracer } from "../trace/core.js";
import { libraryScope } from "../trace/scopeCalls.js";
import type { ArrayLike } from "../np/promote.js";
import { trapezoid as npTrapezoid } from "../np/series.js";

export interface TrapezoidOptions {
  /** The sample points (1-D along `axis`, or y's shape); when absent, spacing `dx`. */
  x?: ArrayLike | null;
  dx?: number;
  axis?: number;
}

/** The integral of y along `axis` by the composite trapezoidal rule, over `x` or a spacing `dx`. */
export function trapezoid(y: ArrayLike, x?: ArrayLike | TrapezoidOptions | null, dx?: number, axis?: number): Tracer {
  let o: TrapezoidOptions = { x: x as ArrayLike | null | undefined, dx, axis };
  if (isPlainObject(x)) {
    checkOptions("scipy.integrate.trapezoid", x as TrapezoidOptions, ["x", "dx", "axis"]);
    o = x as TrapezoidOptions;
  }
  return libraryScope("scipy.integrate.trapezoid", () => npTrapezoid(y, o.x ?? null, o.dx ?? 1, o.axis ?? -1));
}
