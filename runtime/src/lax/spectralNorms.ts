// The matrix norms that need singular values: ord 2 (the largest), -2 (the smallest) and "nuc"
// (their sum), for np.linalg.norm and np.linalg.matrix_norm. np's norms (np/norm.ts) cover the
// rest and cannot reach svdvals, which runs in a loop (lax/svd.ts); np.linalg exports these
// wrappers in their place. cond, the condition number, is built on them.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { norm as npNorm, type NormOptions, type NormOrd } from "../np/norm.js";
import { matrix_norm as npMatrixNorm, type MatrixNormOrd } from "../np/linalgArrayApi.js";
import { asTracer, cast, type ArrayLike } from "../np/promote.js";
import { max, min, sum } from "../np/reductions.js";
import * as ew from "../np/elementwise.js";
import { isnan, logical_and } from "../np/mathSurface.js";
import { any } from "../np/reduceSurface.js";
import { inv } from "../np/solve.js";
import { expand_dims } from "../np/shape.js";
import { moveaxis } from "../np/stacking.js";
import { avalText, normalizeAxis } from "../np/validate.js";
import { svdvals } from "./svd.js";

const SPECTRAL = new Set<unknown>([2, -2, "nuc"]);

/** jnp.linalg.norm(x, ord, axis, { keepdims }), with the spectral matrix norms. */
export function norm(
  x: ArrayLike,
  ord?: NormOrd | "nuc",
  axis?: number | readonly number[] | null,
  options: NormOptions = {},
): Tracer {
  const a = asTracer("norm", x);
  const pair =
    axis === undefined || axis === null ? (a.ndim === 2 ? [0, 1] : null) : typeof axis === "number" ? null : axis;
  if (!SPECTRAL.has(ord) || pair === null || pair.length !== 2) {
    if (ord === "nuc")
      throw new JitScopeError("value", `norm: ord "nuc" is a matrix norm; it needs a 2-d array or two axes`);
    return npNorm(a, ord, axis, options);
  }
  const axes = pair.map((p) => normalizeAxis("norm", p, a.ndim, a.shape));
  return spectral(a, ord as 2 | -2 | "nuc", axes[0]!, axes[1]!, options.keepdims ?? false);
}

/** jnp.linalg.matrix_norm(x, { keepdims, ord }) over the last two axes, "fro" by default. */
export function matrix_norm(x: ArrayLike, options: { keepdims?: boolean; ord?: MatrixNormOrd | "nuc" } = {}): Tracer {
  const a = asTracer("linalg.matrix_norm", x);
  if (!SPECTRAL.has(options.ord)) return npMatrixNorm(a, options as { keepdims?: boolean; ord?: MatrixNormOrd });
  if (a.ndim < 2)
    throw new JitScopeError("shape", `linalg.matrix_norm: needs at least 2 axes (matrices), got ${a.ndim}`);
  return spectral(a, options.ord as 2 | -2 | "nuc", a.ndim - 2, a.ndim - 1, options.keepdims ?? false);
}

function spectral(a: Tracer, ord: 2 | -2 | "nuc", row: number, col: number, keepdims: boolean): Tracer {
  const s = svdvals(moveaxis(cast(a, "float32"), [row, col], [-2, -1]));
  const out = ord === 2 ? max(s, -1) : ord === -2 ? min(s, -1) : sum(s, -1);
  return keepdims ? expand_dims(out, [Math.min(row, col), Math.max(row, col)]) : out;
}

/** jnp.linalg.cond(x, p): the condition number of each matrix in the last two axes. p omitted, 2
 *  or −2: the ratio of the extreme singular values (largest over smallest, or its inverse); any
 *  other norm order: norm(x, p) · norm(inv(x), p) for square matrices. A NaN from a singular
 *  matrix reads inf, as JAX's (one from a NaN in x stays NaN). */
export function cond(x: ArrayLike, p?: NormOrd | "nuc" | null): Tracer {
  const a = cast(asTracer("linalg.cond", x), "float32");
  if (a.ndim < 2) throw new JitScopeError("shape", `linalg.cond: needs at least 2 axes, got ${avalText(a.aval)}`);
  if (a.shape[a.ndim - 1] === 0 || a.shape[a.ndim - 2] === 0)
    throw new JitScopeError("shape", `linalg.cond: the matrices must not be empty, got ${avalText(a.aval)}`);
  const last = [a.ndim - 2, a.ndim - 1];
  if (p === undefined || p === null || p === 2) {
    const s = svdvals(a);
    return ew.divide(max(s, -1), min(s, -1));
  }
  let r: Tracer;
  if (p === -2) {
    const s = svdvals(a);
    r = ew.divide(min(s, -1), max(s, -1));
  } else {
    if (a.shape[a.ndim - 1] !== a.shape[a.ndim - 2])
      throw new JitScopeError(
        "shape",
        `linalg.cond: for p = ${String(p)} the matrices must be square, got ${avalText(a.aval)}`,
      );
    r = ew.multiply(norm(a, p, last), norm(inv(a), p, last));
  }
  return ew.where(logical_and(isnan(r), ew.logical_not(any(isnan(a), last))), Infinity, r);
}
