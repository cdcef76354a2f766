// lax's bit operations by their lax names: and_ / or_ / xor / not_ (int32 and bool),
// shift_left, shift_right_arithmetic, shift_right_logical, population_count and clz (int32), and
// bitcast_convert_type (the same 32 bits read as float32 or int32). The logical right shift and
// the population count compose the arithmetic shift with masks: int32 is the only integer type.

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import { bind1, type Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { bitwise_and, bitwise_not, bitwise_or, bitwise_xor, left_shift, right_shift } from "../np/bitwise.js";
import { logical_and } from "../np/mathSurface.js";
import { asTracer, cast, type ArrayLike } from "../np/promote.js";
import { avalText } from "../np/validate.js";

export const and_ = bitwise_and;
export const or_ = bitwise_or;
export const xor = bitwise_xor;
export const not_ = bitwise_not;
export const shift_left = left_shift;
export const shift_right_arithmetic = right_shift;

/** x >> y filling with zeros (x's bits read as unsigned); a count outside [0, 32) gives 0. */
export function shift_right_logical(x: ArrayLike, y: ArrayLike): Tracer {
  const op = "shift_right_logical";
  const a = intOperand(op, x);
  const n = intOperand(op, y);
  // The arithmetic shift's sign fill is cleared by a mask of the low 32 - n bits.
  const mask = bitwise_not(left_shift(-1, ew.subtract(32, n)));
  const shifted = bitwise_and(right_shift(a, n), ew.where(ew.equal(n, 0), -1, mask));
  return ew.where(logical_and(ew.greater_equal(n, 0), ew.less(n, 32)), shifted, 0);
}

/** The number of set bits of each int32 (of its two's-complement bits). */
export function population_count(x: ArrayLike): Tracer {
  const v0 = intOperand("population_count", x);
  const srl = (v: Tracer, k: number) => shift_right_logical(v, k);
  const v1 = ew.subtract(v0, bitwise_and(srl(v0, 1), 0x55555555));
  const v2 = ew.add(bitwise_and(v1, 0x33333333), bitwise_and(srl(v1, 2), 0x33333333));
  const v3 = bitwise_and(ew.add(v2, srl(v2, 4)), 0x0f0f0f0f);
  // Each byte now holds its own count (at most 8): add the four bytes.
  const sum = ew.add(ew.add(v3, srl(v3, 8)), ew.add(srl(v3, 16), srl(v3, 24)));
  return bitwise_and(sum, 0x3f);
}

/** The bits of x read as `new_dtype` (float32 ↔ int32; the same dtype gives x). */
/** The number of leading zero bits of each int32 (32 for 0, 0 for a negative number): the bits
 *  below the highest set one are all set by shifting, then 32 − their count. */
export function clz(x: ArrayLike): Tracer {
  let v = intOperand("clz", x);
  for (const k of [1, 2, 4, 8, 16]) v = bitwise_or(v, shift_right_logical(v, k));
  return ew.subtract(32, population_count(v));
}

/** np.bitwise_count: the set bits of |x| (int32 here; NumPy and JAX return uint8, which this
 *  runtime has not got). */
export function bitwise_count(x: ArrayLike): Tracer {
  const t = asTracer("bitwise_count", x);
  if (t.dtype === "float32")
    throw new JitScopeError("dtype", `bitwise_count: needs an int32 or bool array, got ${avalText(t.aval)}`);
  return population_count(ew.abs(cast(t, "int32")));
}

export function bitcast_convert_type(x: ArrayLike, new_dtype: DType): Tracer {
  const t = asTracer("bitcast_convert_type", x);
  if (new_dtype !== "float32" && new_dtype !== "int32")
    throw new JitScopeError(
      "dtype",
      `lax.bitcast_convert_type: new_dtype must be float32 or int32, got ${String(new_dtype)}`,
    );
  if (t.dtype === "bool")
    throw new JitScopeError("dtype", `lax.bitcast_convert_type: bool has no 32-bit form, got ${avalText(t.aval)}`);
  return t.dtype === new_dtype ? t : bind1("bitcast_convert", { dtype: new_dtype }, [t]);
}

function intOperand(op: string, x: ArrayLike): Tracer {
  const t = asTracer(op, x);
  if (t.dtype === "float32")
    throw new JitScopeError("dtype", `lax.${op}: needs int32 operands, got ${avalText(t.aval)}`);
  return t.dtype === "bool" ? cast(t, "int32") : t;
}
