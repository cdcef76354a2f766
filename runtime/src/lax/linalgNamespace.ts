// `lax.linalg`, as jax.lax.linalg: the factorisations under their lax spellings, which differ from
// np.linalg's in order and defaults (eigh returns [v, w]; triangular_solve solves x·op(a) = b
// unless left_side; lu returns [lu, pivots, permutation]; qr is complete unless full_matrices is
// false), plus lu_pivots_to_permutation and tridiagonal_solve. Each is a spelling over the same
// primitives as np.linalg's, so it compiles, differentiates and profiles as those do.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { cholesky as choleskyPrim, lu as luPrim, luParts, triSolve } from "../trace/rules/linalgLax.js";
import * as L from "../trace/rules/lax.js";
import { squareOperand } from "../np/linalgOperands.js";
import { cholesky as npCholesky } from "../np/cholesky.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { astype } from "../np/elementwise.js";
import { avalText } from "../np/validate.js";
import { eigh as npEigh } from "./eigh.js";
import { qr as npQr } from "./qr.js";
import { svd as npSvd } from "./svd.js";
import { pivotsOfPermutation } from "./luPivots.js";

export { lu_pivots_to_permutation } from "./luPivots.js";
export { tridiagonal_solve } from "./tridiagonal.js";

/** The lower Cholesky factor of x [..., n, n]; x is symmetrised first unless symmetrize_input is
 *  false (then only its lower triangle is read). */
export function cholesky(x: ArrayLike, options: { symmetrize_input?: boolean } = {}): Tracer {
  checkOptions("lax.linalg.cholesky", options, ["symmetrize_input"]);
  if (options.symmetrize_input ?? true) return npCholesky(x); // np.linalg's: (a + aᵀ)/2 first
  return choleskyPrim(squareOperand("lax.linalg.cholesky", x)) as Tracer;
}

/** [lu, pivots, permutation] of a square x [..., n, n] by LU with partial pivoting: lu packs L
 *  (unit diagonal, below it) and U; pivots (int32) say which row was swapped into row i at step
 *  i; permutation (int32) is the row order, x[permutation] = L·U. */
export function lu(x: ArrayLike): [Tracer, Tracer, Tracer] {
  const a = squareOperand("lax.linalg.lu", x);
  const { packed, perm } = luParts(luPrim(a));
  const permutation = astype(L.reshape(perm, perm.aval.shape.slice(0, -1)) as Tracer, "int32");
  return [packed as Tracer, pivotsOfPermutation(permutation), permutation];
}

export interface TriangularSolveOptions {
  /** Solve op(a)·x = b (true) or x·op(a) = b (false, the default). */
  left_side?: boolean;
  /** Read a's lower triangle (default false: its upper one). */
  lower?: boolean;
  /** op(a) = aᵀ. */
  transpose_a?: boolean;
  /** Conjugate a: nothing to do for real arrays. */
  conjugate_a?: boolean;
  /** Take a's diagonal as ones without reading it. */
  unit_diagonal?: boolean;
}

/** x with op(a)·x = b (left_side) or x·op(a) = b, a [..., m, m] triangular, b [..., m, n] or
 *  [..., n, m] with the same batch as a. */
export function triangular_solve(a: ArrayLike, b: ArrayLike, options: TriangularSolveOptions = {}): Tracer {
  const op = "lax.linalg.triangular_solve";
  checkOptions(op, options, ["left_side", "lower", "transpose_a", "conjugate_a", "unit_diagonal"]);
  const x = squareOperand(op, a);
  const y = asTracer(op, b);
  const m = x.shape[x.ndim - 1]!;
  const left = options.left_side ?? false;
  const axis = left ? y.ndim - 2 : y.ndim - 1;
  const batchOk = y.ndim === x.ndim && x.shape.slice(0, -2).every((s, i) => y.shape[i] === s);
  if (y.dtype !== "float32" || !batchOk || y.shape[axis] !== m)
    throw new JitScopeError(
      y.dtype !== "float32" ? "dtype" : "shape",
      `${op}: b must be float32 ${left ? `[..., ${m}, n]` : `[..., n, ${m}]`} with a's batch axes (left_side: ${left}) ` +
        `to match a ${avalText(x.aval)}, got ${avalText(y.aval)}`,
    );
  const p = { lower: options.lower ?? false, transA: options.transpose_a ?? false };
  const unitDiagonal = options.unit_diagonal ?? false;
  if (left) return triSolve(x, y, { ...p, unitDiagonal }) as Tracer;
  // x·op(a) = b ⟺ op(a)ᵀ·xᵀ = bᵀ.
  return L.swapLast2(triSolve(x, L.swapLast2(y), { ...p, transA: !p.transA, unitDiagonal })) as Tracer;
}

/** [q, r] of x [..., m, n]: complete (q m×m) unless full_matrices is false. */
export function qr(x: ArrayLike, options: { full_matrices?: boolean; pivoting?: boolean } = {}): [Tracer, Tracer] {
  checkOptions("lax.linalg.qr", options, ["full_matrices", "pivoting"]);
  if (options.pivoting) throw new JitScopeError("value", "lax.linalg.qr: pivoting is not supported");
  return npQr(x, (options.full_matrices ?? true) ? "complete" : "reduced");
}

/** [v, w] of a symmetric x: eigenvectors as columns, then eigenvalues ascending (lax's order,
 *  the reverse of np.linalg.eigh's). */
export function eigh(
  x: ArrayLike,
  options: { lower?: boolean; symmetrize_input?: boolean; sort_eigenvalues?: boolean; subset_by_index?: null } = {},
): [Tracer, Tracer] {
  checkOptions("lax.linalg.eigh", options, ["lower", "symmetrize_input", "sort_eigenvalues", "subset_by_index"]);
  if (options.subset_by_index !== undefined && options.subset_by_index !== null)
    throw new JitScopeError("value", "lax.linalg.eigh: subset_by_index is not supported");
  // Unsorted order is unspecified in JAX; ascending is one such order.
  const [w, v] = npEigh(x, {
    UPLO: (options.lower ?? true) ? "L" : "U",
    symmetrize_input: options.symmetrize_input ?? true,
  });
  return [v, w];
}

/** [u, s, vh] of x [..., m, n] (full matrices unless full_matrices is false), or s alone. */
export function svd(
  x: ArrayLike,
  options: { full_matrices?: boolean; compute_uv?: boolean; subset_by_index?: null } = {},
): Tracer | [Tracer, Tracer, Tracer] {
  checkOptions("lax.linalg.svd", options, ["full_matrices", "compute_uv", "subset_by_index"]);
  if (options.subset_by_index !== undefined && options.subset_by_index !== null)
    throw new JitScopeError("value", "lax.linalg.svd: subset_by_index is not supported");
  const full = options.full_matrices ?? true;
  return options.compute_uv === false
    ? npSvd(x, { compute_uv: false, full_matrices: full })
    : npSvd(x, { full_matrices: full });
}
