// Functions that read or build a float32's bits (jnp.signbit, copysign, frexp, ldexp, nextafter,
// isposinf, isneginf), through the bitcast_convert primitive so -0, NaN's sign and the smallest
// subnormals come out exact on every backend (a GPU may flush subnormal arithmetic to zero).

import { JitScopeError } from "../ir/errors.js";
import type { Lit } from "../ir/types.js";
import { bind1, lit, Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { stopGradient } from "../trace/stopGradient.js";
import { isfinite, isnan, logical_and, logical_or } from "./mathSurface.js";
import { asTracer, cast, elementwiseOperands, type ArrayLike, type Operand } from "./promote.js";

const SIGN_BIT = -0x80000000;
const EXPONENT_BITS = 0x7f800000;
const MANTISSA_BITS = 0x007fffff;
/** The exponent field of 0.5 (126), where frexp puts every mantissa. */
const HALF_EXPONENT = 126 << 23;

const toBits = (x: Tracer): Tracer => bind1("bitcast_convert", { dtype: "int32" }, [x]);
const fromBits = (x: Tracer): Tracer => bind1("bitcast_convert", { dtype: "float32" }, [x]);
const and = (x: Tracer, mask: number): Tracer => bind1("bitwise_and", {}, [x, lit(mask, "int32")]);
const or = (x: Tracer, y: Tracer | Lit): Tracer => bind1("bitwise_or", {}, [x, y]);

function asFloat(op: string, x: ArrayLike): Tracer {
  return cast(asTracer(op, x), "float32");
}

/** Whether the sign bit is set: true for -0 and a negative NaN too; ints: x < 0; bools: false. */
export function signbit(x: ArrayLike): Tracer {
  const t = asTracer("signbit", x);
  if (t.dtype === "float32") return ew.less(toBits(t), 0);
  return t.dtype === "int32" ? ew.less(t, 0) : ew.not_equal(t, t);
}

/**
 * |x| with the sign bit of y (so -0 and -NaN count as negative), float32. The value is built
 * from the bits, exact for ±0, ±inf and NaN. The gradient is JAX's, of where(signbit(y), -|x|,
 * |x|) with lax.abs's slope 1 at ±0: it rides on a term h - stop_gradient(h), whose value is +0
 * (subtracting +0 changes no value, -0 included); 0 where x is ±inf or NaN. None in y.
 */
export function copysign(x: ArrayLike, y: ArrayLike): Tracer {
  const { ops } = elementwiseOperands("copysign", [x, y], () => "float32");
  const [a, b] = ops.map(asArray) as [Tracer, Tracer];
  const value = fromBits(or(and(toBits(a), 0x7fffffff), and(toBits(b), SIGN_BIT)));
  const slope = ew.multiply(ew.where(signbit(b), -1, 1), ew.where(ew.greater_equal(a, 0), 1, -1));
  const carrier = ew.negative(ew.multiply(a, slope));
  const zero = ew.where(isfinite(a), ew.subtract(carrier, stopGradient(carrier)), 0);
  return ew.subtract(value, zero);
}

/** x == +inf (false for ints and bools). */
export function isposinf(x: ArrayLike): Tracer {
  const t = asTracer("isposinf", x);
  return t.dtype === "float32" ? ew.equal(t, Infinity) : ew.not_equal(t, t);
}

/** x == -inf (false for ints and bools). */
export function isneginf(x: ArrayLike): Tracer {
  const t = asTracer("isneginf", x);
  return t.dtype === "float32" ? ew.equal(t, -Infinity) : ew.not_equal(t, t);
}

/**
 * [mantissa, exponent] with x = mantissa · 2^exponent and 0.5 ≤ |mantissa| < 1; 0, ±inf and NaN
 * give [x, 0]. A subnormal x gives [±0.5, -149], as JAX on CPU (which flushes subnormals to zero
 * before normalising them), not the mathematically normalised value.
 */
export function frexp(x: ArrayLike): [Tracer, Tracer] {
  const t = asFloat("frexp", x);
  const bits = toBits(t);
  const field = and(bits, EXPONENT_BITS);
  const magnitude = and(bits, 0x7fffffff);
  const special = logical_or(ew.equal(magnitude, 0), ew.equal(field, EXPONENT_BITS));
  const subnormal = logical_and(ew.equal(field, 0), ew.not_equal(magnitude, 0));
  const exponent = ew.subtract(bind1("shift_right_arithmetic", {}, [field, lit(23, "int32")]), 126);
  const normalMantissa = fromBits(or(and(bits, SIGN_BIT | MANTISSA_BITS), lit(HALF_EXPONENT, "int32")));
  const subnormalMantissa = fromBits(or(and(bits, SIGN_BIT), lit(HALF_EXPONENT, "int32")));
  const mantissa = ew.where(special, t, ew.where(subnormal, subnormalMantissa, normalMantissa));
  const e = ew.where(special, 0, ew.where(subnormal, -149, exponent));
  return [mantissa, e];
}

/** x · 2^n, float32, for int32 n (a float n is refused, as JAX). The power of two is built from
 *  bits (exact on every backend) and applied in three factors, each a normal float, so neither
 *  a huge n with a tiny x nor the reverse overflows on the way; the gradient in x is 2^n. */
export function ldexp(x: ArrayLike, n: ArrayLike): Tracer {
  const t = asFloat("ldexp", x);
  const e = asTracer("ldexp", n);
  if (e.dtype === "float32") throw new JitScopeError("dtype", "ldexp: the exponent must be int32 or bool, got float32");
  const clamped = ew.maximum(ew.minimum(cast(e, "int32"), 300), -300);
  // Three parts of at most 100 in size: each 2^part is a normal float32.
  const third = bind1("div", {}, [clamped, lit(3, "int32")]);
  const last = ew.subtract(clamped, ew.multiply(third, 2));
  const pow2 = (k: Tracer): Tracer => fromBits(bind1("shift_left", {}, [ew.add(k, 127), lit(23, "int32")]));
  const factor = pow2(third);
  return ew.multiply(ew.multiply(ew.multiply(t, factor), factor), pow2(last));
}

/** The next float32 after x toward y (y itself when equal, NaN when either is NaN), stepping
 *  the bits: from ±0 to the smallest subnormal of y's sign, as JAX. */
export function nextafter(x: ArrayLike, y: ArrayLike): Tracer {
  const { ops } = elementwiseOperands("nextafter", [x, y], () => "float32");
  const [a, b] = ops.map(asArray) as [Tracer, Tracer];
  const bits = toBits(a);
  const away = ew.equal(ew.less(a, b), ew.greater(a, 0)); // moving away from zero: one more ulp
  const stepped = fromBits(ew.where(away, ew.add(bits, 1), ew.subtract(bits, 1)));
  const fromZero = fromBits(or(and(toBits(b), SIGN_BIT), lit(1, "int32")));
  const moved = ew.where(ew.equal(a, 0), fromZero, stepped);
  const nan = logical_or(isnan(a), isnan(b));
  return ew.where(nan, NaN, ew.where(ew.equal(a, b), b, moved));
}

function asArray(o: Operand): Tracer {
  return o instanceof Tracer ? o : bind1("broadcast", { shape: [], dims: [] }, [o]);
}
