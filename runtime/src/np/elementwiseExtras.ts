// NumPy's remaining elementwise names (jnp.fmod, float_power, logaddexp2, rint, fabs, positive,
// radians, degrees, divmod), composed from existing functions.

import { bind1, Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { floor_divide, isinf, isfinite, logaddexp, logical_and, mod, round } from "./mathSurface.js";
import { deg2rad, rad2deg } from "./trig.js";
import { asTracer, cast, elementwiseOperands, type ArrayLike, type Operand } from "./promote.js";

function asArray(o: Operand): Tracer {
  return o instanceof Tracer ? o : bind1("broadcast", { shape: [], dims: [] }, [o]);
}

/**
 * The remainder of x / y with the sign of x (C's fmod, lax.rem), where mod takes y's sign.
 * float32: x - y·trunc(x / y), a zero result keeping x's sign, x itself when y is ±inf, NaN when
 * y is 0; its gradient is JAX's (1 in x, -trunc(x / y) in y). int32: truncated, and 0 where y is 0
 * (as jnp.fmod); bools compute in int32.
 */
export function fmod(x: ArrayLike, y: ArrayLike): Tracer {
  const { ops, dtype } = elementwiseOperands("fmod", [x, y], (d) => (d === "bool" ? "int32" : d));
  const [a, b] = ops.map(asArray) as [Tracer, Tracer];
  if (dtype === "int32") {
    const divisor = ew.where(ew.equal(b, 0), 1, b);
    return ew.subtract(a, ew.multiply(bind1("div", {}, [a, divisor]), divisor));
  }
  const q = ew.divide(a, b);
  const truncated = ew.where(ew.less(q, 0), bind1("ceil", {}, [q]), bind1("floor", {}, [q]));
  const r = ew.subtract(a, ew.multiply(b, truncated));
  const signed = ew.where(ew.equal(r, 0), ew.multiply(a, 0), r); // -0 for a negative x, as C
  return ew.where(logical_and(isinf(b), isfinite(a)), a, signed);
}

/** x ** y computed in float32 (JAX computes in float64 only with x64 enabled; this runtime has
 *  no float64), ints and bools included. */
export function float_power(x: ArrayLike, y: ArrayLike): Tracer {
  const { ops } = elementwiseOperands("float_power", [x, y], () => "float32");
  return ew.power(asArray(ops[0]!), asArray(ops[1]!));
}

/** log2(2^x + 2^y) without overflow: logaddexp of x·ln2 and y·ln2, over ln2 (so its gradient is
 *  JAX's, 2^x / (2^x + 2^y) in x). */
export function logaddexp2(x: ArrayLike, y: ArrayLike): Tracer {
  const { ops } = elementwiseOperands("logaddexp2", [x, y], () => "float32");
  const [a, b] = ops.map(asArray) as [Tracer, Tracer];
  return ew.divide(logaddexp(ew.multiply(a, Math.LN2), ew.multiply(b, Math.LN2)), Math.LN2);
}

/** Rounds half to even; ints and bools become float32, as jnp.rint. */
export const rint = (x: ArrayLike): Tracer => round(cast(asTracer("rint", x), "float32"));

/** |x| as float32 (ints and bools too, as jnp.fabs). */
export const fabs = (x: ArrayLike): Tracer => ew.abs(cast(asTracer("fabs", x), "float32"));

/** +x: the values unchanged, in a new array of the same dtype. */
export function positive(x: ArrayLike): Tracer {
  const t = asTracer("positive", x);
  return bind1("reshape", { shape: [...t.shape] }, [t]);
}

export const radians = (x: ArrayLike): Tracer => deg2rad(x);
export const degrees = (x: ArrayLike): Tracer => rad2deg(x);

/** [floor_divide(x, y), mod(x, y)], as Python's divmod and jnp.divmod. */
export function divmod(x: ArrayLike, y: ArrayLike): [Tracer, Tracer] {
  return [floor_divide(x, y), mod(x, y)];
}
