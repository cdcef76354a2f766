// np.linalg.cholesky: the lower factor L with L·Lᵀ = a, as jnp.linalg.cholesky: a is symmetrised
// first ((a + aᵀ) / 2, so the gradient is symmetric), and a matrix that is not positive definite
// gives NaN on and below the diagonal rather than an error. One `cholesky` kernel per call.

import { checkOptions } from "../apiOptions.js";
import type { Tracer } from "../trace/core.js";
import { cholesky as choleskyPrim } from "../trace/rules/linalgLax.js";
import * as L from "../trace/rules/lax.js";
import { squareOperand } from "./linalgOperands.js";
import type { ArrayLike } from "./promote.js";

export interface CholeskyOptions {
  /** Return the upper factor U = Lᵀ (U ᵀ·U = a) instead, as jnp.linalg.cholesky(upper=True). */
  upper?: boolean;
}

export function cholesky(a: ArrayLike, options: CholeskyOptions = {}): Tracer {
  checkOptions("cholesky", options, ["upper"]);
  const x = squareOperand("cholesky", a);
  const half = { kind: "lit", value: 0.5, aval: { shape: [], dtype: "float32" } } as const;
  const l = choleskyPrim(L.mul(L.add(x, L.swapLast2(x)), half));
  return (options.upper ? L.swapLast2(l) : l) as Tracer;
}
