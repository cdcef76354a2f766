// jax.scipy.special.bessel_jn: J₀(z) … J_v(z) stacked on a new leading axis, by JAX's algorithm
// (Zhang & Jin's BJNDD): Miller's backward recurrence f_k = 2(k+1)/z · f_{k+1} − f_{k+2} from
// k = n_iter down to 0, started at f = 0, 1e-16, then normalised by J₀ + 2(J₂ + J₄ + …) = 1.
// JAX runs it as a reversed scan of n_iter + 1 steps; n_iter is static, so here the steps are
// unrolled into elementwise ops and the whole recurrence fuses into one kernel.
// JAX's float32 behaviour is kept, as the same arithmetic gives it: the start 1e-16 times
// Π 2(k+1)/z overflows for z ≲ 3.4 (n_iter = 50), so J is NaN there, and for z above about n_iter
// the recurrence has not settled (inaccurate values); negative z gives NaN. Differentiable
// through the unrolled recurrence (as JAX's scan).

import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { f32 } from "./specialExtras.js";

export interface BesselJnOptions {
  /** The highest order: the result holds J₀ … J_v (JAX's keyword-only `v`). Required. */
  v: number;
  /** Steps of the backward recurrence (default 50, as JAX's). */
  n_iter?: number;
}

const staticInt = (name: string, value: unknown): number => {
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new JitScopeError(
      "value",
      `scipy.special.bessel_jn: ${name} must be a whole JS number (it fixes the output's shape), got ${String(value)}`,
    );
  return value;
};

/** The Bessel functions of the first kind J₀(z) … J_v(z) for real z, shape [v + 1, ...z.shape]
 *  (as JAX's, at most n_iter + 1 rows). */
export function bessel_jn(z: ArrayLike, options: BesselJnOptions): Tracer {
  checkOptions("scipy.special.bessel_jn", options, ["v", "n_iter"]);
  const given: Partial<BesselJnOptions> = options ?? {};
  if (given.v === undefined)
    throw new JitScopeError("value", "scipy.special.bessel_jn: the highest order v is required, as { v: 3 }");
  const v = staticInt("v", given.v);
  const nIter = staticInt("n_iter", given.n_iter ?? 50);
  // JAX slices the rows with j[:v + 1], which counts from the end for v < 0: refused here.
  if (v < 0) throw new JitScopeError("value", `scipy.special.bessel_jn: v must be 0 or more, got ${v}`);
  if (nIter < 0) throw new JitScopeError("value", `scipy.special.bessel_jn: n_iter must be 0 or more, got ${nIter}`);
  const x = f32(z);
  let f0: Tracer = np.zeros_like(x);
  let f1: Tracer = np.full_like(x, 1e-16);
  let bs: Tracer = np.zeros_like(x);
  const rows: Tracer[] = new Array<Tracer>(nIter + 1);
  for (let k = nIter; k >= 0; k--) {
    const f = np.subtract(np.divide(np.multiply(f1, 2 * (k + 1)), x), f0);
    if (k % 2 === 0) bs = np.add(bs, np.multiply(f, 2));
    rows[k] = f;
    [f0, f1] = [f1, f];
  }
  const norm = np.subtract(bs, rows[0]!);
  return np.stack(
    rows.slice(0, v + 1).map((r) => np.divide(r, norm)),
    0,
  );
}
