// np.linalg.pinv, lstsq and matrix_rank: what JAX builds on the SVD (lax/svd.ts), with its
// thresholds. pinv drops singular values at or below rtol·s_max (default rtol 10·max(m, n)·eps);
// lstsq keeps those ≥ rcond·s_max (default eps·max(m, n)); matrix_rank counts those above
// s_max·max(m, n)·eps, or above a given rtol taken as an absolute bound, as JAX does.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { slice } from "../np/indexing.js";
import { matmul } from "../np/linalg.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { max, sum } from "../np/reductions.js";
import { any } from "../np/reduceSurface.js";
import { expand_dims, reshape, swapaxes } from "../np/shape.js";
import { avalText } from "../np/validate.js";
import { svd, svdvals } from "./svd.js";

const EPS = 2 ** -23;
const mT = (x: Tracer): Tracer => swapaxes(x, -1, -2);
const maxDim = (x: Tracer): number => Math.max(x.shape[x.ndim - 1]!, x.shape[x.ndim - 2]!);

/** The largest singular value of each matrix, keeping its axis: s [..., k] → [..., 1]. */
const largest = (s: Tracer): Tracer => {
  const all = s.shape.slice(0, -1).map(() => null);
  return slice(s, [...all, 0], [...all, 1]);
};

export interface PinvOptions {
  /** Singular values ≤ rtol·s_max count as zero; default 10·max(m, n)·eps. A scalar or one per
   *  matrix ([...batch]). */
  rtol?: ArrayLike;
}

/** `pinv(a)`: the Moore–Penrose pseudo-inverse [..., n, m] of a [..., m, n], as jnp.linalg.pinv. */
export function pinv(a: ArrayLike, options: PinvOptions = {}): Tracer {
  checkOptions("pinv", options, ["rtol"]);
  const x = asTracer("pinv", a);
  const rtol = options.rtol === undefined ? 10 * maxDim(x) * EPS : asTracer("pinv", options.rtol);
  const [u, s, vh] = svd(x, { full_matrices: false });
  const cutoff = ew.multiply(expand_dims(rtol, -1), largest(s));
  const kept = ew.where(ew.greater(s, cutoff), s, Infinity);
  return matmul(mT(vh), ew.divide(mT(u), expand_dims(kept, -1)));
}

export interface MatrixRankOptions {
  /** The bound singular values must exceed (absolute, as JAX uses it); default
   *  s_max·max(m, n)·eps. */
  rtol?: ArrayLike;
}

/** `matrix_rank(a)`: the count of singular values above the bound, int32 [...batch]; a vector or
 *  scalar has rank 1 when any entry is nonzero. */
export function matrix_rank(a: ArrayLike, options: MatrixRankOptions = {}): Tracer {
  checkOptions("matrix_rank", options, ["rtol"]);
  const x = asTracer("matrix_rank", a);
  if (x.ndim < 2) return ew.astype(any(ew.not_equal(x, 0)), "int32");
  const s = svdvals(x);
  const bound =
    options.rtol === undefined ? ew.multiply(max(s, -1), maxDim(x) * EPS) : asTracer("matrix_rank", options.rtol);
  return ew.astype(sum(ew.astype(ew.greater(s, expand_dims(bound, -1)), "int32"), -1), "int32");
}

export interface LstsqOptions {
  /** Singular values < rcond·s_max count as zero; default eps·max(m, n); negative means eps. */
  rcond?: number;
}

/** `lstsq(a, b)`: [x, residuals, rank, s] for a [m, n] and b [m] or [m, k], as jnp.linalg.lstsq:
 *  x minimises ‖a·x − b‖, residuals are ‖b − a·x‖² per column (always given, as JAX's default),
 *  rank is int32 and s a's singular values. */
export function lstsq(a: ArrayLike, b: ArrayLike, options: LstsqOptions = {}): [Tracer, Tracer, Tracer, Tracer] {
  checkOptions("lstsq", options, ["rcond"]);
  const x = asTracer("lstsq", a);
  let rhs = asTracer("lstsq", b);
  if (x.ndim !== 2) throw new JitScopeError("shape", `lstsq: a must be a matrix [m, n], got ${avalText(x.aval)}`);
  if (x.dtype !== "float32")
    throw new JitScopeError("dtype", `lstsq: a has dtype ${x.dtype}; linear algebra here is float32`);
  if (rhs.dtype !== "float32")
    throw new JitScopeError("dtype", `lstsq: b has dtype ${rhs.dtype}; linear algebra here is float32`);
  const vector = rhs.ndim === 1;
  if ((rhs.ndim !== 1 && rhs.ndim !== 2) || rhs.shape[0] !== x.shape[0])
    throw new JitScopeError(
      "shape",
      `lstsq: b must be [m] or [m, k] with a's m = ${x.shape[0]} rows, got ${avalText(rhs.aval)} for a ${avalText(x.aval)}`,
    );
  if (vector) rhs = expand_dims(rhs, -1);
  const given = options.rcond;
  const rcond = given === undefined ? EPS * maxDim(x) : given < 0 ? EPS : given;
  const [u, s, vh] = svd(x, { full_matrices: false });
  const mask = ew.greater_equal(s, ew.multiply(rcond, largest(s)));
  const rank = ew.astype(sum(ew.astype(mask, "int32")), "int32");
  const sInv = ew.where(mask, ew.divide(1, ew.where(mask, s, 1)), 0);
  const solution = matmul(mT(vh), ew.multiply(expand_dims(sInv, -1), matmul(mT(u), rhs)));
  const residuals = sum(ew.square(ew.subtract(rhs, matmul(x, solution))), 0);
  return [vector ? reshape(solution, [-1]) : solution, residuals, rank, s];
}
