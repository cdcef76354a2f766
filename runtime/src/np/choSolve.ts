// np.linalg.cho_solve: jax.scipy.linalg.cho_solve((c, lower), b), A·x = b from A's Cholesky
// factor c (A = L·Lᵀ with c = L when lower, A = Uᵀ·U with c = U otherwise): two triangular-solve
// kernels reading only c's lower (or upper) triangle, so the unread one may hold anything, as
// JAX. Gradients come from triangular_solve's rules.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { triSolve } from "../trace/rules/linalgLax.js";
import { dropColumn, rhsOperands } from "./linalgOperands.js";
import type { ArrayLike } from "./promote.js";

/** x with A·x = b, for c_and_lower = [c, lower] as cho_factor returns it. b: [n] or [..., n, k]. */
export function cho_solve(c_and_lower: readonly [ArrayLike, boolean], b: ArrayLike): Tracer {
  if (!Array.isArray(c_and_lower) || c_and_lower.length !== 2)
    throw new JitScopeError(
      "value",
      `cho_solve: the first argument is [c, lower] (the factor and whether it is lower triangular), got ${describe(c_and_lower)}`,
    );
  const [c, lower] = c_and_lower as readonly [ArrayLike, unknown];
  if (typeof lower !== "boolean")
    throw new JitScopeError(
      "value",
      `cho_solve: lower (the second entry of [c, lower]) must be true or false, got ${String(lower)}`,
    );
  const r = rhsOperands("cho_solve", c, b);
  // lower: L·y = b, then Lᵀ·x = y; upper: Uᵀ·y = b, then U·x = y.
  const y = triSolve(r.a, r.b, { lower, transA: !lower });
  return dropColumn(triSolve(r.a, y, { lower, transA: lower }) as Tracer, r.vector);
}

function describe(v: unknown): string {
  return Array.isArray(v) ? `an array of length ${v.length}` : typeof v;
}
