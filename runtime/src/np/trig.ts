// Trigonometric and hyperbolic functions beyond sin / cos / tanh. One new primitive, atan2: the
// inverse functions need an arctangent, and lavapipe's WGSL atan / asin / acos builtins are off by
// up to ~3500 ulp (measured against float64), so atan2 is our own polynomial (codegen/wgslHelpers.ts,
// within 1 ulp) and everything else is composed from it and from exp / expm1 / log1p / sqrt, in
// forms that stay accurate in float32 (no 1 - x² cancellation, no overflow below the result's own).
// Composition also gives every function its jvp, vjp and batching rule for free; where a branch
// is only valid for part of the domain, the other part is fed a harmless input (the double-where
// pattern), so neither branch leaks NaN into the gradient.

import { bind1, Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { expm1, log1p, logical_or } from "./mathSurface.js";
import { asTracer, cast, elementwiseOperands, type ArrayLike } from "./promote.js";

const LN2 = Math.LN2;

/** x as float32 (ints and bools promote, as np.sin's input does). */
const toFloat = (op: string, x: ArrayLike): Tracer => cast(asTracer(op, x), "float32");

/** |x| and sign(x) written with `where`, so d|x|/dx is 1 at 0: odd functions f(x) = s·g(|x|)
 *  then keep f'(0) = g'(0) (with sign(0) = 0 it would be 0). */
function oddParts(x: Tracer): { a: Tracer; s: Tracer } {
  const neg = ew.less(x, 0);
  return { a: ew.where(neg, ew.negative(x), x), s: ew.where(neg, -1, 1) };
}

/** Elementwise angle of the point (x, y) in [-π, π], as jnp.arctan2 (signed zeros as IEEE). */
export function arctan2(y: ArrayLike, x: ArrayLike): Tracer {
  const { ops } = elementwiseOperands("arctan2", [y, x], () => "float32");
  return bind1("atan2", {}, ops);
}

/** tan = sin / cos: lavapipe's sin and cos are within an ulp even at large arguments, and so is
 *  their quotient (WGSL's own tan is specified as this quotient). */
export function tan(x: ArrayLike): Tracer {
  const t = toFloat("tan", x);
  return ew.divide(ew.sin(t), ew.cos(t));
}

export const arctan = (x: ArrayLike): Tracer => arctan2(toFloat("arctan", x), 1);

/** atan2(x, √((1-x)(1+x))): the factored radicand keeps precision near |x| = 1, and |x| > 1 gives
 *  √(negative) = NaN, as JAX. */
export function arcsin(x: ArrayLike): Tracer {
  const t = toFloat("arcsin", x);
  return arctan2(t, cosOfArcsin(t));
}

/** atan2(√((1-x)(1+x)), x): relative precision near x = 1, exactly π at -1, NaN outside [-1, 1]. */
export function arccos(x: ArrayLike): Tracer {
  const t = toFloat("arccos", x);
  return arctan2(cosOfArcsin(t), t);
}

/** √(1 - t²) as √((1-t)(1+t)). At |t| = 1 the radicand is 1 - t² instead (also exactly 0): the
 *  product's gradient there would be ∞·0 = NaN, 1 - t²'s is the ±∞ JAX gives. */
function cosOfArcsin(t: Tracer): Tracer {
  const edge = ew.equal(ew.abs(t), 1);
  return ew.sqrt(ew.where(edge, ew.subtract(1, ew.multiply(t, t)), ew.multiply(ew.subtract(1, t), ew.add(1, t))));
}

/** Past this, exp(|x|) overflows float32 while sinh / cosh do not yet (they reach FLT_MAX at 89.4). */
const EXP_SAFE = 88;

// Their gradients overflow to inf for |x| in (88.7, 89.4), where the true derivative is still
// just below FLT_MAX: an intermediate of the chain rule passes it first.

/** sinh: s·sinh(a) with a = |x|, s its sign. */
export function sinh(x: ArrayLike): Tracer {
  const { a, s } = oddParts(toFloat("sinh", x));
  return ew.multiply(s, sinhOfAbs(a));
}

/** cosh = 1 + 2·sinh²(|x|/2): no cancellation in the value, and its derivative comes out as
 *  2·sinh(x/2)·cosh(x/2) = sinh(x), accurate near 0 (the derivative of (E + 1/E)/2 would be
 *  (E - 1/E)/2, which cancels there). */
export function cosh(x: ArrayLike): Tracer {
  const { a } = oddParts(toFloat("cosh", x));
  const h = sinhOfAbs(ew.multiply(a, 0.5));
  return ew.add(1, ew.multiply(ew.multiply(h, 2), h));
}

/** sinh(a), a ≥ 0: (e + e/(e+1))/2 with e = expm1(a), accurate down to 0; past 88, (h/2)·h with
 *  h = exp(a/2), which overflows where sinh does (89.4) rather than where exp does (88.7). */
function sinhOfAbs(a: Tracer): Tracer {
  const big = ew.greater(a, EXP_SAFE);
  const e = expm1(ew.where(big, 0, a));
  const small = ew.multiply(ew.add(e, ew.divide(e, ew.add(e, 1))), 0.5);
  return ew.where(big, halfSquare(ew.where(big, a, 0)), small);
}

/** exp(a)/2 computed as (h/2)·h, h = exp(a/2), so it overflows only where the result does. */
function halfSquare(a: Tracer): Tracer {
  const h = ew.exp(ew.multiply(a, 0.5));
  return ew.multiply(ew.multiply(h, 0.5), h);
}

/** Past this, √(1 + x²) is |x| to float32 precision and x² heads for overflow: log(2|x|). */
const LARGE = 1e4;

/** arcsinh: log1p(a + a²/(1 + √(1 + a²))) (no cancellation near 0), log(a) + ln 2 past 1e4. */
export function arcsinh(x: ArrayLike): Tracer {
  const { a, s } = oddParts(toFloat("arcsinh", x));
  const big = ew.greater(a, LARGE);
  const as = ew.where(big, 0, a);
  const sq = ew.multiply(as, as);
  const small = log1p(ew.add(as, ew.divide(sq, ew.add(1, ew.sqrt(ew.add(1, sq))))));
  const large = ew.add(ew.log(ew.where(big, a, 1)), LN2);
  return ew.multiply(s, ew.where(big, large, small));
}

/** arccosh: log1p(t + √(t(t+2))) with t = x - 1 (exact near 1), log(x) + ln 2 past 1e4; NaN
 *  below 1 (√ of a negative, or log1p below -1). */
export function arccosh(x: ArrayLike): Tracer {
  const t0 = toFloat("arccosh", x);
  const big = ew.greater(t0, LARGE);
  const t = ew.subtract(ew.where(big, 2, t0), 1);
  // t(t+2), but 2t at t = 0 (both 0): the product's gradient there is ∞·0 = NaN, 2t's the ∞ of JAX.
  const radicand = ew.where(ew.equal(t, 0), ew.multiply(t, 2), ew.multiply(t, ew.add(t, 2)));
  const small = log1p(ew.add(t, ew.sqrt(radicand)));
  const large = ew.add(ew.log(ew.where(big, t0, 2)), LN2);
  const r = ew.where(big, large, small);
  // x < -1 makes t(t+2) positive again: say NaN explicitly there.
  return ew.where(ew.less(t0, 1), NaN, r);
}

/** arctanh: ½·(log1p(a) - log1p(-a)) on a = |x|: a sum of two non-negative terms, so no
 *  cancellation; ±1 gives ±inf (and an infinite gradient, not ∞·0), |x| > 1 NaN. */
export function arctanh(x: ArrayLike): Tracer {
  const { a, s } = oddParts(toFloat("arctanh", x));
  return ew.multiply(s, ew.multiply(ew.subtract(log1p(a), log1p(ew.negative(a))), 0.5));
}

/** √(x² + y²) without overflow or underflow, as jnp.hypot: max·√(1 + (min/max)²), inf if
 *  either is infinite (even when the other is NaN). */
export function hypot(x: ArrayLike, y: ArrayLike): Tracer {
  const ax = ew.abs(toFloat("hypot", x));
  const ay = ew.abs(toFloat("hypot", y));
  const inf = logical_or(ew.equal(ax, Infinity), ew.equal(ay, Infinity));
  const hi = ew.maximum(ax, ay);
  const lo = ew.minimum(ax, ay);
  const zero = ew.equal(hi, 0);
  const q = ew.divide(lo, ew.where(zero, 1, hi));
  const r = ew.where(zero, hi, ew.multiply(hi, ew.sqrt(ew.add(1, ew.multiply(q, q)))));
  return ew.where(inf, Infinity, r);
}

export const deg2rad = (x: ArrayLike): Tracer => ew.multiply(toFloat("deg2rad", x), Math.PI / 180);
export const rad2deg = (x: ArrayLike): Tracer => ew.multiply(toFloat("rad2deg", x), 180 / Math.PI);

// JAX's array-API aliases (jnp.asin etc.).
export const asin = arcsin;
export const acos = arccos;
export const atan = arctan;
export const atan2 = arctan2;
export const asinh = arcsinh;
export const acosh = arccosh;
export const atanh = arctanh;
