// np.linalg.solve_triangular: jax.scipy.linalg.solve_triangular(a, b, trans, lower,
// unit_diagonal). JAX keeps it under jax.scipy.linalg (scipy.linalg exports this one too); it also
// sits beside cholesky, which it follows in most programs (whitening, GP predictions).

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { triSolve } from "../trace/rules/linalgLax.js";
import { dropColumn, rhsOperands } from "./linalgOperands.js";
import type { ArrayLike } from "./promote.js";

export interface SolveTriangularOptions {
  /** Use a's lower triangle (default false: the upper, as SciPy and JAX). */
  lower?: boolean;
  /** Solve a·x = b (0, "N"), aᵀ·x = b (1, "T"), or aᴴ·x = b (2, "C": aᵀ for real a). */
  trans?: 0 | 1 | 2 | "N" | "T" | "C";
  /** Take the diagonal of a as ones (it is not read). */
  unit_diagonal?: boolean;
}

function transposed(trans: SolveTriangularOptions["trans"]): boolean {
  switch (trans) {
    case undefined:
    case 0:
    case "N":
      return false;
    case 1:
    case 2:
    case "T":
    case "C":
      return true;
    default:
      throw new JitScopeError(
        "value",
        `solve_triangular: trans must be 0, 1, 2, "N", "T" or "C", got ${String(trans)}`,
      );
  }
}

/** x with op(a)·x = b, reading only a's lower (or upper) triangle. b: [n] or [..., n, k]. */
export function solve_triangular(a: ArrayLike, b: ArrayLike, options: SolveTriangularOptions = {}): Tracer {
  checkOptions("solve_triangular", options, ["lower", "trans", "unit_diagonal"]);
  const transA = transposed(options.trans);
  const r = rhsOperands("solve_triangular", a, b);
  const x = triSolve(r.a, r.b, {
    lower: options.lower ?? false,
    transA,
    unitDiagonal: options.unit_diagonal ?? false,
  }) as Tracer;
  return dropColumn(x, r.vector);
}
