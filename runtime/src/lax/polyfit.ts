// np.polyfit: the least-squares polynomial of degree `deg` through (x, y), as jnp.polyfit: a
// Vandermonde matrix (highest power first) with each column scaled to unit norm, so its
// condition stays that of the data rather than of x's powers, solved by lstsq (an SVD, which runs
// in a loop and so lives here: np's files cannot import lax). y may hold several columns.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { array } from "../np/creation.js";
import * as ew from "../np/elementwise.js";
import { matmul } from "../np/linalg.js";
import { vander } from "../np/matrixBuilders.js";
import { asTracer, cast, type ArrayLike } from "../np/promote.js";
import { sum } from "../np/reductions.js";
import { expand_dims, reshape, transpose } from "../np/shape.js";
import { outer } from "../np/shapeSurface.js";
import { inv } from "../np/solve.js";
import { avalText } from "../np/validate.js";
import { lstsq } from "./svdSolvers.js";

const EPS = 2 ** -23;

export interface PolyfitOptions {
  /** Relative cutoff for small singular values (default len(x) · float32 eps). */
  rcond?: number | null;
  /** Also return [residuals, rank, singular values, rcond] after the coefficients. */
  full?: boolean;
  /** A weight per point, multiplying its residual (1/σ for Gaussian errors). */
  w?: ArrayLike | null;
  /** Also return the coefficients' covariance (scaled by the residuals unless "unscaled"). */
  cov?: boolean | "unscaled";
}

/** Coefficients [deg + 1] (or [deg + 1, k] for y [n, k]), highest power first; with `full`,
 *  [c, residuals, rank, s, rcond]; with `cov`, [c, covariance]. */
export function polyfit(x: ArrayLike, y: ArrayLike, deg: number, options: PolyfitOptions = {}): Tracer | Tracer[] {
  const op = "polyfit";
  checkOptions(op, options, ["rcond", "full", "w", "cov"]);
  const xs = cast(asTracer(op, x), "float32");
  const ys = cast(asTracer(op, y), "float32");
  if (!Number.isInteger(deg) || deg < 0)
    throw new JitScopeError("value", `${op}: deg must be a non-negative integer, got ${deg}`);
  if (xs.ndim !== 1 || xs.shape[0] === 0)
    throw new JitScopeError("shape", `${op}: x must be a non-empty 1-D array, got ${avalText(xs.aval)}`);
  if ((ys.ndim !== 1 && ys.ndim !== 2) || ys.shape[0] !== xs.shape[0])
    throw new JitScopeError(
      "shape",
      `${op}: y must be [n] or [n, k] with x's n = ${xs.shape[0]}, got ${avalText(ys.aval)}`,
    );
  const n = xs.shape[0]!;
  const order = deg + 1;
  const rcond = options.rcond ?? n * EPS;
  let lhs = vander(xs, order);
  let rhs = ys;
  if (options.w !== undefined && options.w !== null) {
    const w = cast(asTracer(op, options.w), "float32");
    if (w.ndim !== 1 || w.shape[0] !== n)
      throw new JitScopeError("shape", `${op}: w must be one weight per point [${n}], got ${avalText(w.aval)}`);
    lhs = ew.multiply(lhs, expand_dims(w, 1));
    rhs = ew.multiply(rhs, rhs.ndim === 2 ? expand_dims(w, 1) : w);
  }
  const scale = ew.sqrt(sum(ew.square(lhs), 0));
  lhs = ew.divide(lhs, scale);
  const [c0, resids, rank, s] = lstsq(lhs, rhs, { rcond });
  const c = c0.ndim === 2 ? ew.divide(c0, expand_dims(scale, 1)) : ew.divide(c0, scale);
  if (options.full) return [c, resids, rank, s, array(rcond, { dtype: "float32" })];
  if (!options.cov) return c;
  const base = ew.divide(inv(matmul(transpose(lhs), lhs)), outer(scale, scale));
  if (options.cov === "unscaled") return [c, base];
  if (n <= order)
    throw new JitScopeError("value", `${op}: the covariance needs more points (${n}) than coefficients (${order})`);
  const fac = ew.divide(resids, n - order);
  return [c, rhs.ndim === 1 ? ew.multiply(base, reshape(fac, [])) : ew.multiply(expand_dims(base, -1), fac)];
}
