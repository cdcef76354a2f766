// Differences, spacings, integrals and polynomials as jax.numpy has them: diff, logspace,
// trapezoid, polyval; and the comparisons and cleanups of float results: isclose, allclose,
// nan_to_num. Built from np, so they trace, fuse and differentiate like user code.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { array, linspace } from "./creation.js";
import * as ew from "./elementwise.js";
import { slice } from "./indexing.js";
import { isinf, isnan, logical_and, logical_or } from "./mathSurface.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { all } from "./reduceSurface.js";
import { sum } from "./reductions.js";
import { reshape } from "./shape.js";
import { sliceAxis } from "./shapeSurface.js";
import { normalizeAxis } from "./validate.js";

const FLOAT32_MAX = 3.4028234663852886e38;

/** a[1:] − a[:-1] along `axis`, `n` times. */
export function diff(a: ArrayLike, n = 1, axis = -1): Tracer {
  let x = asTracer("diff", a);
  if (!Number.isInteger(n) || n < 0)
    throw new JitScopeError("value", `diff: n must be an integer ≥ 0, got ${String(n)}`);
  const ax = normalizeAxis("diff", axis, x.ndim, x.shape);
  for (let k = 0; k < n; k++) {
    const len = x.shape[ax]!;
    if (len === 0) break;
    x = ew.subtract(sliceAxis(x, ax, 1, len), sliceAxis(x, ax, 0, len - 1));
  }
  return x;
}

/** base ** linspace(start, stop, num). */
export function logspace(
  start: number,
  stop: number,
  num = 50,
  options: { endpoint?: boolean; base?: number } = {},
): Tracer {
  checkOptions("logspace", options, ["endpoint", "base"]);
  return ew.power(options.base ?? 10, linspace(start, stop, num, { endpoint: options.endpoint ?? true }));
}

/** The trapezoidal rule along `axis`: Σ (y[i] + y[i+1]) / 2 · Δx, Δx from `x` or `dx`. */
export function trapezoid(y: ArrayLike, x: ArrayLike | null = null, dx = 1, axis = -1): Tracer {
  const t = cast(asTracer("trapezoid", y), "float32");
  const ax = normalizeAxis("trapezoid", axis, t.ndim, t.shape);
  const n = t.shape[ax]!;
  const mid = ew.multiply(ew.add(sliceAxis(t, ax, 1, n), sliceAxis(t, ax, 0, n - 1)), 0.5);
  if (x === null) return ew.multiply(sum(mid, ax), dx);
  const xs = cast(asTracer("trapezoid", x), "float32");
  const xAx = xs.ndim === 1 ? 0 : ax;
  const steps = diff(xs, 1, xAx);
  // 1-D x spaces the samples along `axis`; otherwise x has y's shape.
  const spacing =
    xs.ndim === 1
      ? reshape(
          steps,
          t.shape.map((d, i) => (i === ax ? d - 1 : 1)),
        )
      : steps;
  return sum(ew.multiply(mid, spacing), ax);
}

/** Σ p[i] · x^(deg − i), by Horner's rule (p's highest power first, as NumPy's). */
export function polyval(p: ArrayLike, x: ArrayLike): Tracer {
  const coeffs = asTracer("polyval", p);
  if (coeffs.ndim !== 1) throw new JitScopeError("shape", `polyval: p must be 1-D, got shape [${coeffs.shape}]`);
  const xs = asTracer("polyval", x);
  let y: Tracer = ew.multiply(xs, 0);
  for (let i = 0; i < coeffs.shape[0]!; i++) y = ew.add(ew.multiply(y, xs), reshape(slice(coeffs, [i], [i + 1]), []));
  return y;
}

export interface IscloseOptions {
  rtol?: number;
  atol?: number;
  equal_nan?: boolean;
}

/** |a − b| ≤ atol + rtol · |b|, elementwise; infinities are close only to themselves, NaN to
 *  nothing (or, with equal_nan, to NaN). */
export function isclose(a: ArrayLike, b: ArrayLike, options: IscloseOptions = {}): Tracer {
  checkOptions("isclose", options, ["rtol", "atol", "equal_nan"]);
  const { rtol = 1e-5, atol = 1e-8, equal_nan = false } = options;
  const x = cast(asTracer("isclose", a), "float32");
  const y = cast(asTracer("isclose", b), "float32");
  const near = ew.less_equal(ew.abs(ew.subtract(x, y)), ew.add(atol, ew.multiply(rtol, ew.abs(y))));
  const anyInf = logical_or(isinf(x), isinf(y));
  let out = ew.where(anyInf, ew.equal(x, y), near);
  if (equal_nan) out = logical_or(out, logical_and(isnan(x), isnan(y)));
  return out;
}

/** Whether every element of a is close to b's (isclose's rule). */
export const allclose = (a: ArrayLike, b: ArrayLike, options: IscloseOptions = {}): Tracer =>
  all(isclose(a, b, options));

/** Whether a and b have one shape and equal elements (NaN equal to NaN with equal_nan): a bool
 *  scalar, false at once for shapes that differ, as jnp.array_equal. */
export function array_equal(a: ArrayLike, b: ArrayLike, options: { equal_nan?: boolean } = {}): Tracer {
  checkOptions("array_equal", options, ["equal_nan"]);
  const [x, y] = [asTracer("array_equal", a), asTracer("array_equal", b)];
  if (x.ndim !== y.ndim || x.shape.some((d, i) => d !== y.shape[i])) return array(false);
  let same = ew.equal(x, y);
  if (options.equal_nan === true) same = logical_or(same, logical_and(isnan(x), isnan(y)));
  return all(same);
}

/** NaN → `nan` (0), +inf → `posinf` (float32's max), −inf → `neginf` (its negative). */
export function nan_to_num(x: ArrayLike, options: { nan?: number; posinf?: number; neginf?: number } = {}): Tracer {
  checkOptions("nan_to_num", options, ["nan", "posinf", "neginf"]);
  const t = asTracer("nan_to_num", x);
  if (t.dtype !== "float32") return t;
  const { nan = 0, posinf = FLOAT32_MAX, neginf = -FLOAT32_MAX } = options;
  // As float32 arrays: a JS number as large as float32's max would be taken for an int32.
  const [nanV, posV, negV] = [nan, posinf, neginf].map((v) => array(v, { dtype: "float32" }));
  return ew.where(isnan(t), nanV!, ew.where(isinf(t), ew.where(ew.greater(t, 0), posV!, negV!), t));
}
