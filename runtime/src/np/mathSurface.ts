// Elementwise NumPy functions beyond the basics (issue 14): rounding, modular arithmetic, the
// accurate-near-zero logs and exps, logaddexp, NaN/inf tests, logical ops and clip. Composed from
// primitives where that gives one fused kernel; floor/ceil/round/is_nan/log1p/expm1 are
// primitives of their own (trace/rules/surfaceRules.ts).

import type { Lit } from "../ir/types.js";
import { bind1, lit, Tracer } from "../trace/core.js";
import { FLOAT32_MAX } from "./dtypes.js";
import * as ew from "./elementwise.js";
import { asTracer, cast, elementwiseOperands, type ArrayLike } from "./promote.js";

/** A float32 unary primitive; ints and bools become float32 first. */
function floatUnary(op: string, prim: "log1p" | "expm1" | "is_nan", x: ArrayLike): Tracer {
  return bind1(prim, {}, [cast(asTracer(op, x), "float32")]);
}

/** floor / ceil / round of an int or bool is the value itself (as jnp: ints stay ints). */
function rounding(op: "floor" | "ceil" | "round", x: ArrayLike): Tracer {
  const t = asTracer(op, x);
  if (t.dtype !== "float32") return t;
  return bind1(op, {}, [t]);
}

export const floor = (x: ArrayLike): Tracer => rounding("floor", x);
export const ceil = (x: ArrayLike): Tracer => rounding("ceil", x);

/** Round half to even; `decimals` places (negative: tens, hundreds), as jnp.round. */
export function round(x: ArrayLike, decimals = 0): Tracer {
  if (decimals === 0) return rounding("round", x);
  const t = asTracer("round", x);
  if (t.dtype !== "float32") return t;
  const f = 10 ** decimals;
  return ew.divide(rounding("round", ew.multiply(t, f)), f);
}
export const around = round;

/** Truncated quotient of int32 operands (lax.div), x and y of one dtype and shape. */
function truncDivInt(x: Tracer | Lit, y: Tracer | Lit): Tracer {
  return bind1("div", {}, [x, y]);
}

/** Elementwise floor(x / y): ints stay ints (rounding toward -inf), bools compute in int32. */
export function floor_divide(x: ArrayLike, y: ArrayLike): Tracer {
  const { ops, dtype } = elementwiseOperands("floor_divide", [x, y], (d) => (d === "bool" ? "int32" : d));
  const [a, b] = [ops[0]!, ops[1]!];
  if (dtype === "float32") return rounding("floor", bind1("div", {}, [a, b]));
  const q = truncDivInt(a, b);
  const r = bind1("sub", {}, [a, bind1("mul", {}, [q, b])]);
  // Truncation rounded toward zero: step down where the remainder and divisor differ in sign.
  const signsDiffer = bind1("ne", {}, [bind1("lt", {}, [r, lit(0, "int32")]), bind1("lt", {}, [b, lit(0, "int32")])]);
  return bind1("where", {}, [
    andBool(signsDiffer, bind1("ne", {}, [r, lit(0, "int32")])),
    bind1("sub", {}, [q, lit(1, "int32")]),
    q,
  ]);
}

/** x mod y with the sign of y (NumPy's remainder / %, jnp.mod). */
export function mod(x: ArrayLike, y: ArrayLike): Tracer {
  const { ops, dtype } = elementwiseOperands("mod", [x, y], (d) => (d === "bool" ? "int32" : d));
  const [a, b] = [ops[0]!, ops[1]!];
  const zero = lit(0, dtype);
  let r: Tracer;
  if (dtype === "float32") {
    // fmod: a - b·trunc(a / b), then moved into y's sign as jnp.remainder does.
    const q = bind1("div", {}, [a, b]);
    const t = bind1("where", {}, [bind1("lt", {}, [q, zero]), bind1("ceil", {}, [q]), bind1("floor", {}, [q])]);
    r = bind1("sub", {}, [a, bind1("mul", {}, [b, t])]);
  } else {
    r = bind1("sub", {}, [a, bind1("mul", {}, [truncDivInt(a, b), b])]);
  }
  const move = andBool(
    bind1("ne", {}, [bind1("lt", {}, [r, zero]), bind1("lt", {}, [b, zero])]),
    bind1("ne", {}, [r, zero]),
  );
  return bind1("where", {}, [move, bind1("add", {}, [r, b]), r]);
}
export const remainder = mod;

function andBool(a: Tracer, b: Tracer): Tracer {
  return bind1("min", {}, [a, b]); // min of bools is and (ops/opExpr.ts)
}
function orBool(a: Tracer, b: Tracer): Tracer {
  return bind1("max", {}, [a, b]);
}

export const log1p = (x: ArrayLike): Tracer => floatUnary("log1p", "log1p", x);
export const expm1 = (x: ArrayLike): Tracer => floatUnary("expm1", "expm1", x);
export const log2 = (x: ArrayLike): Tracer => ew.multiply(ew.log(x), 1 / Math.LN2);
export const log10 = (x: ArrayLike): Tracer => ew.multiply(ew.log(x), 1 / Math.LN10);
export const exp2 = (x: ArrayLike): Tracer => ew.exp(ew.multiply(cast(asTracer("exp2", x), "float32"), Math.LN2));
export const reciprocal = (x: ArrayLike): Tracer => ew.divide(1, x);

/** log(exp(x) + exp(y)) without overflow; equal arguments share the gradient. */
export function logaddexp(x: ArrayLike, y: ArrayLike): Tracer {
  const a = cast(asTracer("logaddexp", x), "float32");
  const b = cast(asTracer("logaddexp", y), "float32");
  const big = ew.where(ew.greater(a, b), a, b);
  const small = ew.where(ew.greater(a, b), b, a);
  const delta = ew.subtract(a, b);
  // Both infinite of one sign: delta is NaN, and the answer is that infinity (a + b).
  return ew.where(isnan(delta), ew.add(a, b), ew.add(big, softplusOf(ew.subtract(small, big))));
}

/** log(1 + exp(x)), stable for every x, with the exact derivative sigmoid(x) everywhere
 *  (each branch sees only the inputs it is valid for, so neither leaks NaN into the gradient). */
export function softplusOf(x: Tracer): Tracer {
  const pos = ew.greater(x, 0);
  const xp = ew.where(pos, x, 0);
  const xn = ew.where(pos, 0, x);
  return ew.where(pos, ew.add(xp, log1p(ew.exp(ew.negative(xp)))), log1p(ew.exp(xn)));
}

export function isnan(x: ArrayLike): Tracer {
  const t = asTracer("isnan", x);
  return t.dtype === "float32" ? bind1("is_nan", {}, [t]) : ew.not_equal(t, t);
}

export function isinf(x: ArrayLike): Tracer {
  const t = asTracer("isinf", x);
  if (t.dtype !== "float32") return ew.not_equal(t, t);
  return ew.equal(ew.abs(t), Infinity);
}

export function isfinite(x: ArrayLike): Tracer {
  const t = asTracer("isfinite", x);
  if (t.dtype !== "float32") return ew.equal(t, t);
  return ew.less_equal(ew.abs(t), FLOAT32_MAX);
}

function logical(op: string, x: ArrayLike, y: ArrayLike, f: (a: Tracer, b: Tracer) => Tracer): Tracer {
  const { ops } = elementwiseOperands(op, [x, y]);
  const [a, b] = ops.map((o) => toBool(o)) as [Tracer, Tracer];
  return f(a, b);
}
function toBool(o: Tracer | Lit): Tracer {
  const t = o instanceof Tracer ? o : bind1("broadcast", { shape: [], dims: [] }, [o]);
  return t.dtype === "bool" ? t : bind1("ne", {}, [t, lit(0, t.dtype)]);
}
export const logical_and = (x: ArrayLike, y: ArrayLike): Tracer => logical("logical_and", x, y, andBool);
export const logical_or = (x: ArrayLike, y: ArrayLike): Tracer => logical("logical_or", x, y, orBool);
export const logical_xor = (x: ArrayLike, y: ArrayLike): Tracer =>
  logical("logical_xor", x, y, (a, b) => bind1("ne", {}, [a, b]));

/** min(max(x, lo), hi); either bound may be omitted (null / undefined), as jnp.clip. */
export function clip(x: ArrayLike, min?: ArrayLike | null, max?: ArrayLike | null): Tracer {
  let t = asTracer("clip", x);
  if (min !== undefined && min !== null) t = ew.maximum(t, min);
  if (max !== undefined && max !== null) t = ew.minimum(t, max);
  return t;
}

/** 1 / sqrt(x) (lax.rsqrt). */
export const rsqrt = (x: ArrayLike): Tracer => ew.divide(1, ew.sqrt(x));

/** sin(πx) / (πx), 1 at 0 (where its derivative is 0, as JAX's). */
export function sinc(x: ArrayLike): Tracer {
  const t = cast(asTracer("sinc", x), "float32");
  const zero = ew.equal(t, 0);
  const safe = ew.multiply(ew.where(zero, 1, t), Math.PI);
  return ew.where(zero, 1, ew.divide(ew.sin(safe), safe));
}

/** 0 where x1 < 0, 1 where x1 > 0, x2 where x1 is 0 (NaN stays NaN). */
export function heaviside(x1: ArrayLike, x2: ArrayLike): Tracer {
  const t = cast(asTracer("heaviside", x1), "float32");
  const h0 = cast(asTracer("heaviside", x2), "float32");
  return ew.where(ew.less(t, 0), 0, ew.where(ew.greater(t, 0), 1, ew.where(isnan(t), NaN, h0)));
}

/** The real cube root, sign kept (cbrt(-8) = -2). */
export function cbrt(x: ArrayLike): Tracer {
  const t = cast(asTracer("cbrt", x), "float32");
  return ew.multiply(ew.sign(t), ew.power(ew.abs(t), 1 / 3));
}

/** Rounds toward zero; ints stay as they are. */
export function trunc(x: ArrayLike): Tracer {
  const t = asTracer("trunc", x);
  if (t.dtype !== "float32") return t;
  return ew.where(ew.less(t, 0), ceil(t), floor(t));
}
export { trunc as fix };

/** The larger of x and y, element by element, ignoring a NaN unless both are (np.fmax). */
export function fmax(x: ArrayLike, y: ArrayLike): Tracer {
  const m = ew.maximum(x, y);
  if (m.dtype !== "float32") return m;
  return ew.where(isnan(asTracer("fmax", x)), y, ew.where(isnan(asTracer("fmax", y)), x, m));
}

/** The smaller of x and y, ignoring a NaN unless both are (np.fmin). */
export function fmin(x: ArrayLike, y: ArrayLike): Tracer {
  const m = ew.minimum(x, y);
  if (m.dtype !== "float32") return m;
  return ew.where(isnan(asTracer("fmin", x)), y, ew.where(isnan(asTracer("fmin", y)), x, m));
}
