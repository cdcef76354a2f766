// `scipy.linalg`, as jax.scipy.linalg: SciPy's spellings and defaults over the factorisations np
// and lax already have (cholesky's upper factor by default, cho_factor's [c, lower], lu's
// [p, l, u], qr's "full" / "economic" / "r" modes, solve's assume_a), and
// what SciPy adds: expm (Padé approximants of degree 3, 5 or 7 chosen by A's 1-norm, after scaling
// A by 2^−s, then s squarings in a fixed-length loop: JAX's float32 algorithm, differentiable),
// block_diag and toeplitz. lu_factor and lu_solve: scipy/luSolve.ts.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { asTracer, cast, promoteTypes } from "../np/promote.js";
import { cholesky as choleskyPrim, lu as luPrim, luParts, permutationMatrix } from "../trace/rules/linalgLax.js";
import * as L from "../trace/rules/lax.js";
import { squareOperand } from "../np/linalgOperands.js";
import { fori_loop } from "../lax/control.js";
import { eigh as npEigh } from "../lax/eigh.js";
import { svd as npSvd } from "../lax/svd.js";
import { qr as npQr } from "../lax/qr.js";
import { vectorize } from "../np/vectorize.js";
import { avalText } from "../np/validate.js";

export { solve_triangular, cho_solve, inv, det } from "../linalg.js";
export { lu_factor, lu_solve } from "./luSolve.js";

/** SciPy's performance flags and LAPACK choices: accepted and ignored, as JAX does. */
export interface SciPyFlags {
  overwrite_a?: boolean;
  overwrite_b?: boolean;
  check_finite?: boolean;
}
const IGNORED = ["overwrite_a", "overwrite_b", "check_finite"] as const;

/** The Cholesky factor of a [..., n, n], upper (Uᵀ·U = a) unless `lower`. Unlike np.linalg's,
 *  a is not symmetrised: the factor is of a's lower triangle (its upper one, for `lower: false`,
 *  read as the transpose), as JAX's. */
export function cholesky(a: ArrayLike, options: { lower?: boolean } & SciPyFlags = {}): Tracer {
  checkOptions("scipy.linalg.cholesky", options, ["lower", ...IGNORED]);
  const x = squareOperand("scipy.linalg.cholesky", a);
  if (options.lower) return choleskyPrim(x) as Tracer;
  return L.swapLast2(choleskyPrim(L.swapLast2(x))) as Tracer;
}

/** [c, lower]: the Cholesky factor and which triangle it is in, for cho_solve. */
export function cho_factor(a: ArrayLike, options: { lower?: boolean } & SciPyFlags = {}): [Tracer, boolean] {
  checkOptions("scipy.linalg.cho_factor", options, ["lower", ...IGNORED]);
  const lower = options.lower ?? false;
  return [cholesky(a, { lower }), lower];
}

/** x with a·x = b, as JAX's: assume_a "pos" solves through the Cholesky factor of a's lower
 *  (or, by default, upper) triangle; "gen", "sym" and "her" solve the whole a by LU. */
export function solve(
  a: ArrayLike,
  b: ArrayLike,
  options: { lower?: boolean; assume_a?: "gen" | "sym" | "her" | "pos"; debug?: boolean } & SciPyFlags = {},
): Tracer {
  checkOptions("scipy.linalg.solve", options, ["lower", "assume_a", "debug", ...IGNORED]);
  const kind = options.assume_a ?? "gen";
  if (!["gen", "sym", "her", "pos"].includes(kind))
    throw new JitScopeError(
      "value",
      `scipy.linalg.solve: assume_a must be "gen", "sym", "her" or "pos", got ${JSON.stringify(kind)}`,
    );
  if (kind !== "pos") return np.linalg.solve(a, b);
  return np.linalg.cho_solve(cho_factor(a, { lower: options.lower ?? false }), b);
}

/** [p, l, u] with a = p·l·u (l unit lower triangular), or [p·l, u] with permute_l, of a square
 *  a [..., n, n], by LU with partial pivoting. */
export function lu(a: ArrayLike, options: { permute_l?: boolean } & SciPyFlags = {}): Tracer[] {
  checkOptions("scipy.linalg.lu", options, ["permute_l", ...IGNORED]);
  const x = squareOperand("scipy.linalg.lu", a);
  const { packed, perm } = luParts(luPrim(x));
  const p = L.swapLast2(permutationMatrix(perm)) as Tracer; // P·a = L·U, so a = Pᵀ·L·U
  const n = x.shape[x.ndim - 1]!;
  const l = np.add(np.tril(packed as Tracer, -1), np.eye(n));
  const u = np.triu(packed as Tracer);
  return options.permute_l ? [np.matmul(p, l), u] : [p, l, u];
}

/** [w, v] (or w with eigvals_only) of a symmetric a, as JAX's: a is symmetrised first, (a + aᵀ)/2,
 *  so `lower` names a triangle that is not read alone. The generalised problem (b) is not
 *  supported. */
export function eigh(
  a: ArrayLike,
  options: { lower?: boolean; eigvals_only?: boolean; b?: null; turbo?: boolean; type?: number } & SciPyFlags = {},
): Tracer | [Tracer, Tracer] {
  checkOptions("scipy.linalg.eigh", options, ["lower", "eigvals_only", "b", "turbo", "type", ...IGNORED]);
  if (options.b !== undefined && options.b !== null)
    throw new JitScopeError("value", "scipy.linalg.eigh: the generalised problem (b) is not supported (nor in JAX)");
  const [w, v] = npEigh(a, { UPLO: (options.lower ?? true) ? "L" : "U", symmetrize_input: true });
  return options.eigvals_only ? w : [w, v];
}

/** [U, s, Vh], or s with compute_uv: false (np.linalg.svd's, SciPy's defaults). */
export function svd(
  a: ArrayLike,
  options: { full_matrices?: boolean; compute_uv?: boolean; lapack_driver?: string } & SciPyFlags = {},
): Tracer | [Tracer, Tracer, Tracer] {
  checkOptions("scipy.linalg.svd", options, ["full_matrices", "compute_uv", "lapack_driver", ...IGNORED]);
  const full = options.full_matrices ?? true;
  return options.compute_uv === false
    ? npSvd(a, { compute_uv: false, full_matrices: full })
    : npSvd(a, { full_matrices: full });
}

/** SciPy's QR modes: "full" [Q (m×m), R], "economic" [Q (m×k), R (k×n)], "r" [R (m×n)]. */
export function qr(
  a: ArrayLike,
  options: { mode?: "full" | "economic" | "r"; pivoting?: boolean; lwork?: unknown } & SciPyFlags = {},
): Tracer[] {
  checkOptions("scipy.linalg.qr", options, ["mode", "pivoting", "lwork", ...IGNORED]);
  if (options.pivoting) throw new JitScopeError("value", "scipy.linalg.qr: pivoting is not supported (nor in JAX)");
  const mode = options.mode ?? "full";
  if (mode === "full") return npQr(a, "complete");
  if (mode === "economic") return npQr(a, "reduced");
  if (mode === "r") return [npQr(a, "complete")[1]];
  throw new JitScopeError(
    "value",
    `scipy.linalg.qr: mode must be "full", "economic" or "r", got ${JSON.stringify(mode)}`,
  );
}

// Padé coefficients b₀ … b_m of degrees 3, 5, 7 (Higham 2005), and the float32 bounds on ‖A‖₁
// below which each is accurate (degree 7 after scaling).
const PADE: Record<3 | 5 | 7, readonly number[]> = {
  3: [120, 60, 12, 1],
  5: [30240, 15120, 3360, 420, 30, 1],
  7: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
};
const THETA3 = 0.4258730016922831;
const THETA5 = 1.880152677804762;
const THETA7 = 3.92572478313866;

/** [U, V] of the degree-m Padé approximant: U odd in A, V even; exp(A) ≈ (V − U)⁻¹(V + U). */
function pade(A: Tracer, m: 3 | 5 | 7, I: Tracer): [Tracer, Tracer] {
  const b = PADE[m];
  const A2 = np.matmul(A, A);
  const powers = [I, A2];
  for (let k = 2; 2 * k <= m; k++) powers.push(np.matmul(powers[k - 1]!, A2));
  let odd: Tracer = np.multiply(powers[0]!, b[1]!);
  let even: Tracer = np.multiply(powers[0]!, b[0]!);
  for (let k = 1; 2 * k <= m; k++) {
    odd = np.add(odd, np.multiply(powers[k]!, b[2 * k + 1]!));
    even = np.add(even, np.multiply(powers[k]!, b[2 * k]!));
  }
  return [np.matmul(A, odd), even];
}

function expm2d(a: Tracer, upperTriangular: boolean, maxSquarings: number): Tracer {
  const n = a.shape[0]!;
  const I = np.eye(n);
  const norm1 = np.max(np.sum(np.abs(a), 0));
  const squarings = np.maximum(0, np.floor(np.log2(np.divide(norm1, THETA7))));
  const A = np.divide(a, np.power(2, squarings));
  // The degree is chosen by the unscaled norm, as JAX's.
  const [U3, V3] = pade(A, 3, I);
  const [U5, V5] = pade(A, 5, I);
  const [U7, V7] = pade(A, 7, I);
  const pick = (x3: Tracer, x5: Tracer, x7: Tracer) =>
    np.where(np.less(norm1, THETA3), x3, np.where(np.less(norm1, THETA5), x5, x7));
  const [U, V] = [pick(U3, U5, U7), pick(V3, V5, V7)];
  const P = np.add(V, U);
  const Q = np.subtract(V, U);
  const R0 = upperTriangular ? np.linalg.solve_triangular(Q, P) : np.linalg.solve(Q, P);
  const R = fori_loop(
    0,
    maxSquarings,
    (i: Tracer, r: Tracer) => np.where(np.less(i, squarings), np.matmul(r, r), r),
    R0,
  );
  return np.where(np.greater(squarings, maxSquarings), NaN, R);
}

/** The matrix exponential of each matrix of A [..., n, n]. */
export function expm(A: ArrayLike, options: { upper_triangular?: boolean; max_squarings?: number } = {}): Tracer {
  checkOptions("scipy.linalg.expm", options, ["upper_triangular", "max_squarings"]);
  const a = cast(asTracer("scipy.linalg.expm", A), "float32");
  if (a.ndim < 2 || a.shape[a.ndim - 1] !== a.shape[a.ndim - 2])
    throw new JitScopeError(
      "shape",
      `scipy.linalg.expm: expected a (batch of) square matrices, got ${avalText(a.aval)}`,
    );
  const maxSquarings = options.max_squarings ?? 16;
  if (!Number.isInteger(maxSquarings) || maxSquarings < 0)
    throw new JitScopeError("value", `scipy.linalg.expm: max_squarings must be an integer ≥ 0, got ${maxSquarings}`);
  const one = (m: Tracer) => expm2d(m, options.upper_triangular ?? false, maxSquarings);
  return a.ndim === 2 ? one(a) : vectorize(one, { signature: "(n,n)->(n,n)" })(a);
}

/** The matrices (each at most 2-D) on the diagonal of one matrix, zeros elsewhere. */
export function block_diag(...arrs: ArrayLike[]): Tracer {
  const mats = (arrs.length ? arrs : [np.zeros([1, 0])]).map((a, i) => {
    const t = asTracer("scipy.linalg.block_diag", a);
    if (t.ndim > 2)
      throw new JitScopeError(
        "shape",
        `scipy.linalg.block_diag: argument ${i} has ${t.ndim} axes; each may have at most 2`,
      );
    return np.atleast_2d(t) as Tracer;
  });
  const dtype = mats.map((m) => m.dtype).reduce(promoteTypes);
  const total = mats.reduce((s, m) => s + m.shape[1]!, 0);
  let col = 0;
  const rows = mats.map((m) => {
    const w = m.shape[1]!;
    const padded = np.pad(np.astype(m, dtype), [
      [0, 0],
      [col, total - col - w],
    ]);
    col += w;
    return padded;
  });
  return np.concatenate(rows, 0);
}

/** The Toeplitz matrix with first column c and first row r (default c; r's first entry is
 *  ignored, as SciPy's). */
export function toeplitz(c: ArrayLike, r?: ArrayLike): Tracer {
  const col = np.ravel(asTracer("scipy.linalg.toeplitz", c));
  const row = r === undefined ? col : np.ravel(asTracer("scipy.linalg.toeplitz", r));
  const [m, n] = [col.shape[0]!, row.shape[0]!];
  // Entry (i, j) is c[i − j] on and below the diagonal, r[j − i] above: one gather from [r reversed
  // without its first entry, c].
  const dtype = promoteTypes(col.dtype, row.dtype);
  const values = np.concatenate([np.flip(np.astype(row, dtype).at("1:").get(), 0), np.astype(col, dtype)]);
  const i = np.arange(m).reshape(m, 1);
  const j = np.arange(n).reshape(1, n);
  return np.take(values, np.add(np.subtract(i, j), n - 1), 0);
}
