// `scipy.cluster.vq.vq`, as jax.scipy.cluster.vq's: each observation's nearest code (Euclidean
// distance) and that distance. All M×K distances are one broadcast difference, square, sum and
// sqrt; the code is their argmin (the first of equal distances, as JAX's), and the distance is
// read at the code (take_along_axis), so its gradient goes to that code alone, as JAX's getitem.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { libraryScope } from "../trace/scopeCalls.js";
import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { asTracer, cast } from "../np/promote.js";
import { avalText } from "../np/validate.js";

/**
 * `[code, dist]` for observations `obs` [M, N] (or [M], length-1 observations) against the code
 * book [K, N] (or [K]): code int32 [M] in 0 … K − 1, dist float32 [M]. `check_finite` is accepted
 * and unused, as in JAX.
 */
export function vq(obs: ArrayLike, code_book: ArrayLike, check_finite = true): [Tracer, Tracer] {
  void check_finite;
  let o = cast(asTracer("scipy.cluster.vq.vq", obs), "float32");
  let c = cast(asTracer("scipy.cluster.vq.vq", code_book), "float32");
  if (o.ndim !== c.ndim)
    throw new JitScopeError(
      "shape",
      `scipy.cluster.vq.vq: obs and code_book must have the same rank, got ${avalText(o.aval)} and ${avalText(c.aval)}`,
    );
  if (o.ndim === 1) [o, c] = [np.expand_dims(o, -1), np.expand_dims(c, -1)];
  if (o.ndim !== 2)
    throw new JitScopeError(
      "shape",
      `scipy.cluster.vq.vq: obs and code_book must be 1-D or 2-D, got ${avalText(o.aval)} and ${avalText(c.aval)}`,
    );
  if (o.shape[1] !== c.shape[1])
    throw new JitScopeError(
      "shape",
      `scipy.cluster.vq.vq: observations have ${o.shape[1]} features but codes have ${c.shape[1]}, got ${avalText(o.aval)} and ${avalText(c.aval)}`,
    );
  if (c.shape[0] === 0) throw new JitScopeError("shape", "scipy.cluster.vq.vq: the code book is empty");
  const [ob, cb] = [o, c];
  return libraryScope("scipy.cluster.vq.vq", () => {
    const diff = np.subtract(np.expand_dims(ob, 1), np.expand_dims(cb, 0)); // [M, K, N]
    const dist = np.sqrt(np.sum(np.square(diff), -1)); // [M, K]
    const code = np.argmin(dist, -1);
    const nearest = np.take_along_axis(dist, np.expand_dims(code, -1), -1);
    return [code, np.squeeze(nearest, -1)] as [Tracer, Tracer];
  });
}
