// lax.reduce_precision: float32 values rounded to a float with fewer exponent and mantissa bits
// (bfloat16 is 8 and 7, float16 5 and 10), as XLA's ReducePrecision: the mantissa rounded to
// nearest, ties to even, on the bits; then, with fewer exponent bits, values past the reduced
// range become ±inf and those at or below its least normal exponent ±0. NaN stays NaN. The
// result is still float32, so code can emulate a low-precision format's rounding.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { custom_vjp } from "../trace/custom.js";
import * as ew from "../np/elementwise.js";
import { bitwise_and, bitwise_not, bitwise_or } from "../np/bitwise.js";
import { isnan } from "../np/mathSurface.js";
import { bitcast_convert_type, shift_right_logical } from "./bits.js";
import { floatOnly } from "./special.js";
import type { ArrayLike } from "../np/promote.js";

/** `lax.reduce_precision(operand, exponent_bits, mantissa_bits)`; its gradient rounds the
 *  cotangent the same way, as JAX's (forward mode is refused, as for any custom_vjp). */
export function reduce_precision(operand: ArrayLike, exponent_bits: number, mantissa_bits: number): Tracer {
  const x = floatOnly("reduce_precision", operand);
  if (!Number.isInteger(exponent_bits) || exponent_bits < 1)
    throw new JitScopeError(
      "value",
      `lax.reduce_precision: exponent_bits must be an integer ≥ 1, got ${String(exponent_bits)}`,
    );
  if (!Number.isInteger(mantissa_bits) || mantissa_bits < 0)
    throw new JitScopeError(
      "value",
      `lax.reduce_precision: mantissa_bits must be an integer ≥ 0, got ${String(mantissa_bits)}`,
    );
  const key = `${exponent_bits},${mantissa_bits}`;
  let rule = rules.get(key);
  if (!rule) {
    // Linear where differentiable, as JAX's: the cotangent is rounded as the value is.
    const r = custom_vjp((v: Tracer): Tracer => rounded(v, exponent_bits, mantissa_bits));
    r.defvjp(
      (v: Tracer) => [rounded(v, exponent_bits, mantissa_bits), null],
      (_: null, g: Tracer) => [rounded(g, exponent_bits, mantissa_bits)],
    );
    rule = (v: Tracer) => r(v);
    rules.set(key, rule);
  }
  return rule(x);
}

const rules = new Map<string, (v: Tracer) => Tracer>();

function rounded(x: Tracer, exponent_bits: number, mantissa_bits: number): Tracer {
  let bits = bitcast_convert_type(x, "int32");
  if (mantissa_bits < 23) {
    const shift = 23 - mantissa_bits;
    const lastKept = 1 << shift; // the lowest mantissa bit that stays
    // Round half to even: add just under half an ulp, plus one when the kept last bit is odd.
    const odd = bitwise_and(shift_right_logical(bits, shift), 1);
    const bias = ew.add(odd, (lastKept >>> 1) - 1);
    bits = bitwise_and(ew.add(bits, bias), bitwise_not(lastKept - 1));
  }
  if (exponent_bits < 8) {
    const reducedBias = (1 << (exponent_bits - 1)) - 1;
    const exponent = bitwise_and(bits, 0x7f800000);
    const overflows = ew.greater(exponent, (127 + reducedBias) << 23);
    const underflows = ew.less_equal(exponent, (127 - reducedBias) << 23);
    const signedZero = bitwise_and(bits, -0x80000000);
    bits = ew.where(overflows, bitwise_or(signedZero, 0x7f800000), ew.where(underflows, signedZero, bits));
  }
  return ew.where(isnan(x), x, bitcast_convert_type(bits, "float32"));
}
