// The matrix norms that need singular values: ord 2 (the largest), -2 (the smallest) and "nuc"
// (their sum), for np.linalg.norm and np.linalg.matrix_norm. np's norms (np/norm.ts) cover the
// rest and cannot reach svdvals, which runs in a loop (lax/svd.ts); np.linalg exports these
// wrappers in their place.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { norm as npNorm, type NormOptions, type NormOrd } from "../np/norm.js";
import { matrix_norm as npMatrixNorm, type MatrixNormOrd } from "../np/linalgArrayApi.js";
import { asTracer, cast, type ArrayLike } from "../np/promote.js";
import { max, min, sum } from "../np/reductions.js";
import { expand_dims } from "../np/shape.js";
import { moveaxis } from "../np/stacking.js";
import { normalizeAxis } from "../np/validate.js";
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
