// np.linalg.solve and np.linalg.inv by LU with partial pivoting: one `lu` kernel, the pivoting
// applied as a gather of b's rows (a permutation-matrix product would be an n×n×k matmul, and
// the dense-lookup hint would rightly flag it at the user's line), then two triangular-solve
// kernels (unit L, then U).
// Gradients come from the rules of lu and triangular_solve (trace/rules/linalgRules.ts). A
// singular a gives inf / NaN, as JAX.

import type { Tracer } from "../trace/core.js";
import * as L from "../trace/rules/lax.js";
import { eye, lu, luParts, triSolve } from "../trace/rules/linalgLax.js";
import { take_along_axis } from "./indexing.js";
import type { Val } from "../trace/rules/lax.js";
import { dropColumn, rhsOperands, squareOperand } from "./linalgOperands.js";
import type { ArrayLike } from "./promote.js";

/** x with a·x = b, for a [..., n, n] factorised here and b [..., n, k]. */
export function luSolve(a: Val, b: Val): Tracer {
  const { packed, perm } = luParts(lu(a));
  // perm [..., n, 1] holds each row's source row (as a float, packed beside the factors).
  const pb = take_along_axis(b as Tracer, L.cast(perm, "int32") as Tracer, -2, { mode: "clip" });
  const y = triSolve(packed, pb, { lower: true, unitDiagonal: true });
  return triSolve(packed, y, { lower: false }) as Tracer;
}

/** x with a·x = b. a: [..., n, n]; b: [n] (a vector) or [..., n, k], batch axes broadcast. */
export function solve(a: ArrayLike, b: ArrayLike): Tracer {
  const r = rhsOperands("solve", a, b);
  return dropColumn(luSolve(r.a, r.b), r.vector);
}

/** The inverse of each matrix of a [..., n, n]: solve(a, I). */
export function inv(a: ArrayLike): Tracer {
  const x = squareOperand("inv", a);
  return luSolve(x, eye(x.shape));
}
