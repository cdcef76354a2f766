// lax's elementwise operations by their lax names (lax.add, lax.logistic, lax.integer_pow, …),
// so code written against jax.lax runs as written. They are np's operations underneath: unlike
// JAX's lax, which requires operands of one shape and dtype, these broadcast and promote as
// np does. Where lax's meaning differs from NumPy's, it is lax's: div and rem of integers
// round toward zero (C's / and %), round rounds half away from zero unless told to round half
// to even, select takes (pred, on_true, on_false), clamp takes (min, x, max).

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { ceil, floor, floor_divide, logical_and, mod, round as roundHalfEven } from "../np/mathSurface.js";
import { asTracer, cast, commonDType, type ArrayLike } from "../np/promote.js";
import { checkDType } from "../np/validate.js";

export {
  add,
  subtract as sub,
  multiply as mul,
  negative as neg,
  maximum as max,
  minimum as min,
  abs,
  sign,
  exp,
  log,
  sqrt,
  square,
  tanh,
  sin,
  cos,
  power as pow,
  equal as eq,
  not_equal as ne,
  less as lt,
  less_equal as le,
  greater as gt,
  greater_equal as ge,
} from "../np/elementwise.js";
export { floor, ceil, log1p, expm1, exp2, reciprocal, cbrt, isfinite as is_finite } from "../np/mathSurface.js";
export { tan, arcsin as asin, arccos as acos, arctan as atan, arctan2 as atan2, sinh, cosh } from "../np/trig.js";
export { arcsinh as asinh, arccosh as acosh, arctanh as atanh } from "../np/trig.js";

/** 1 / (1 + exp(-x)), the logistic sigmoid. */
export function logistic(x: ArrayLike): Tracer {
  const t = cast(asTracer("logistic", x), "float32");
  return ew.divide(1, ew.add(ew.exp(ew.negative(t)), 1));
}

/** x to a static integer power (negative powers divide), by repeated squaring. */
export function integer_pow(x: ArrayLike, y: number): Tracer {
  if (!Number.isInteger(y))
    throw new JitScopeError("value", `lax.integer_pow: the exponent must be an integer, got ${String(y)}`);
  const t = asTracer("integer_pow", x);
  let result: Tracer | null = null;
  let base = t;
  for (let e = Math.abs(y); e > 0; e >>= 1) {
    if (e & 1) result = result === null ? base : ew.multiply(result, base);
    if (e > 1) base = ew.multiply(base, base);
  }
  const pos = result ?? ew.add(ew.multiply(t, 0), 1);
  return y < 0 ? ew.divide(1, pos) : pos;
}

/** Division; integers round the quotient toward zero, as C and lax.div do. */
export function div(x: ArrayLike, y: ArrayLike): Tracer {
  const dtype = commonDType([asTracer("div", x), asTracer("div", y)]);
  if (dtype === "float32") return ew.divide(x, y);
  const q = floor_divide(x, y);
  const r = ew.subtract(x, ew.multiply(q, y));
  const signsDiffer = ew.not_equal(ew.less(x, 0), ew.less(y, 0));
  return ew.where(logical_and(ew.not_equal(r, 0), signsDiffer), ew.add(q, 1), q);
}

/** The remainder of div: x - y·div(x, y), with x's sign (C's fmod), for floats and ints. */
export function rem(x: ArrayLike, y: ArrayLike): Tracer {
  const m = mod(x, y);
  const signsDiffer = ew.not_equal(ew.less(x, 0), ew.less(y, 0));
  return ew.where(logical_and(ew.not_equal(m, 0), signsDiffer), ew.subtract(m, y), m);
}

/** lax.RoundingMethod: 0 rounds half away from zero (the default), 1 half to even. */
export const RoundingMethod = { AWAY_FROM_ZERO: 0, TO_NEAREST_EVEN: 1 } as const;

/** Rounds to the nearest integer; halves away from zero unless rounding_method is 1. */
export function round(x: ArrayLike, rounding_method: 0 | 1 = 0): Tracer {
  if (rounding_method === 1) return roundHalfEven(x);
  if (rounding_method !== 0)
    throw new JitScopeError("value", `lax.round: rounding_method must be 0 (away from zero) or 1 (to even)`);
  const t = asTracer("round", x);
  if (t.dtype !== "float32") return t;
  const truncated = ew.where(ew.less(t, 0), ceil(t), floor(t));
  return ew.where(ew.greater_equal(ew.abs(ew.subtract(t, truncated)), 0.5), ew.add(truncated, ew.sign(t)), truncated);
}

/** on_true where pred holds, else on_false (pred must be bool). */
export function select(pred: ArrayLike, on_true: ArrayLike, on_false: ArrayLike): Tracer {
  const p = asTracer("select", pred);
  if (p.dtype !== "bool") throw new JitScopeError("dtype", `lax.select: pred must be bool, got ${p.dtype}`);
  return ew.where(p, on_true, on_false);
}

/** cases[which] element by element: `which` bool (two cases) or int32 in [0, cases.length). */
export function select_n(which: ArrayLike, ...cases: ArrayLike[]): Tracer {
  const w = asTracer("select_n", which);
  if (cases.length === 0) throw new JitScopeError("value", "lax.select_n: needs at least one case");
  if (w.dtype === "bool") {
    if (cases.length > 2) throw new JitScopeError("value", "lax.select_n: a bool `which` selects between two cases");
    return cases.length === 1 ? asTracer("select_n", cases[0]) : ew.where(w, cases[1]!, cases[0]!);
  }
  let out = asTracer("select_n", cases[cases.length - 1]);
  for (let k = cases.length - 2; k >= 0; k--) out = ew.where(ew.equal(w, k), cases[k]!, out);
  return out;
}

/** x limited to [min, max] (lax's argument order: min first). */
export function clamp(min: ArrayLike, x: ArrayLike, max: ArrayLike): Tracer {
  return ew.minimum(ew.maximum(x, min), max);
}

/** x as new_dtype (float to int rounds toward zero). */
export function convert_element_type(x: ArrayLike, new_dtype: DType): Tracer {
  return cast(asTracer("convert_element_type", x), checkDType("lax.convert_element_type", new_dtype));
}
