// scipy.linalg.lu_factor and lu_solve, as jax.scipy.linalg's: factor a matrix once, then solve
// against it for as many right-hand sides as the program brings (a Newton method's Jacobian, an
// implicit step's system). lu_factor returns LAPACK's pair, [lu, piv] with piv the int32 pivot
// sequence; lu_solve turns the pivots back into the row order and runs two triangular solves.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { triSolve } from "../trace/rules/linalgLax.js";
import { lu, lu_pivots_to_permutation } from "../lax/linalgNamespace.js";
import { squareOperand } from "../np/linalgOperands.js";
import { asTracer, broadcastShapes, type ArrayLike } from "../np/promote.js";
import * as ew from "../np/elementwise.js";
import { arange } from "../np/creation.js";
import { sum } from "../np/reductions.js";
import { take_along_axis } from "../np/indexing.js";
import { broadcast_to, expand_dims, reshape } from "../np/shape.js";
import { avalText } from "../np/validate.js";

/** [lu, piv]: L (unit diagonal, below it) and U packed in one [..., n, n], and the int32 pivots
 *  [..., n] (row i was swapped with row piv[i] at step i). */
export function lu_factor(
  a: ArrayLike,
  options: { overwrite_a?: boolean; check_finite?: boolean } = {},
): [Tracer, Tracer] {
  checkOptions("scipy.linalg.lu_factor", options, ["overwrite_a", "check_finite"]);
  const [packed, pivots] = lu(squareOperand("scipy.linalg.lu_factor", a));
  return [packed, pivots];
}

/** Rows of x [..., n, k] in the order `perm` [..., n] gives (row i of the result is row perm[i]). */
function permuteRows(x: Tracer, perm: Tracer): Tracer {
  const idx = broadcast_to(expand_dims(perm, -1), x.shape);
  return take_along_axis(x, idx, -2);
}

/** x with a·x = b (trans 0) or aᵀ·x = b (trans 1, or 2: the conjugate transpose of a real a),
 *  from lu_factor(a). b is [..., n] when it has one axis fewer than lu, else [..., n, k]. */
export function lu_solve(
  lu_and_piv: readonly [ArrayLike, ArrayLike],
  b: ArrayLike,
  trans: 0 | 1 | 2 = 0,
  options: { overwrite_b?: boolean; check_finite?: boolean } = {},
): Tracer {
  const op = "scipy.linalg.lu_solve";
  checkOptions(op, options, ["overwrite_b", "check_finite"]);
  if (!Array.isArray(lu_and_piv) || lu_and_piv.length !== 2)
    throw new JitScopeError("value", `${op}: lu_and_piv must be the [lu, piv] pair lu_factor returns`);
  if (trans !== 0 && trans !== 1 && trans !== 2)
    throw new JitScopeError("value", `${op}: trans must be 0, 1 or 2, got ${String(trans)}`);
  const factors = squareOperand(op, lu_and_piv[0]);
  const piv = asTracer(op, lu_and_piv[1]);
  const n = factors.shape[factors.ndim - 1]!;
  if (piv.dtype !== "int32" || piv.ndim !== factors.ndim - 1 || piv.shape[piv.ndim - 1] !== n)
    throw new JitScopeError(
      "shape",
      `${op}: piv must be int32 [..., ${n}] to match lu ${avalText(factors.aval)}, got ${avalText(piv.aval)}`,
    );
  const rhs = asTracer(op, b);
  const vector = rhs.ndim === factors.ndim - 1;
  const bm = vector ? expand_dims(rhs, -1) : rhs;
  if (rhs.dtype !== "float32" || bm.ndim < 2 || bm.shape[bm.ndim - 2] !== n)
    throw new JitScopeError(
      rhs.dtype !== "float32" ? "dtype" : "shape",
      `${op}: b must be float32 [..., ${n}] or [..., ${n}, k] to match lu ${avalText(factors.aval)}, got ${avalText(rhs.aval)}`,
    );
  const batch = broadcastShapes(op, [factors.shape.slice(0, -2), piv.shape.slice(0, -1), bm.shape.slice(0, -2)], () => [
    avalText(factors.aval),
    avalText(piv.aval),
    avalText(rhs.aval),
  ]);
  const k = bm.shape[bm.ndim - 1]!;
  const f = broadcast_to(factors, [...batch, n, n]);
  const perm = broadcast_to(lu_pivots_to_permutation(piv, n), [...batch, n]);
  const y = broadcast_to(bm, [...batch, n, k]);
  let x: Tracer;
  if (trans === 0) {
    // P·a = L·U: a·x = b ⟺ L·U·x = P·b.
    const z = triSolve(f, permuteRows(y, perm), { lower: true, unitDiagonal: true });
    x = triSolve(f, z, { lower: false }) as Tracer;
  } else {
    // aᵀ = Uᵀ·Lᵀ·P: solve Uᵀ, then Lᵀ, then undo P (row perm[i] of x is row i).
    const z = triSolve(f, y, { lower: false, transA: true });
    const w = triSolve(f, z, { lower: true, unitDiagonal: true, transA: true }) as Tracer;
    const lanes = arange(n);
    const inverse = sum(ew.where(ew.equal(expand_dims(perm, -2), expand_dims(lanes, -1)), lanes, 0), -1);
    x = permuteRows(w, inverse);
  }
  return vector ? reshape(x, x.shape.slice(0, -1)) : x;
}
