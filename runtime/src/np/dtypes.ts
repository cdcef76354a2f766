// dtype names and their limits as jnp spells them, so `x.astype(np.float32)`,
// `np.zeros(s, { dtype: np.int32 })` and `np.finfo(np.float32).eps` read as JAX code does. A
// name is the dtype's string; the runtime has float32, int32 and bool.

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";

export const float32 = "float32" satisfies DType;
export const int32 = "int32" satisfies DType;
export const bool_ = "bool" satisfies DType;
export { bool_ as bool };

export interface FloatInfo {
  readonly dtype: "float32";
  readonly bits: 32;
  /** The gap between 1 and the next float32, 2⁻²³. */
  readonly eps: number;
  /** The largest finite float32. */
  readonly max: number;
  readonly min: number;
  /** The smallest positive normal float32, 2⁻¹²⁶ (also `smallest_normal`). */
  readonly tiny: number;
  readonly smallest_normal: number;
  /** The smallest positive subnormal, 2⁻¹⁴⁹. */
  readonly smallest_subnormal: number;
  /** 10⁻⁶: the decimal precision. */
  readonly resolution: number;
}

export interface IntInfo {
  readonly dtype: "int32";
  readonly bits: 32;
  readonly min: number;
  readonly max: number;
}

/** The largest finite float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Machine limits of a float dtype (only float32 here). */
export function finfo(dtype: unknown): FloatInfo {
  if (dtype !== "float32")
    throw new JitScopeError("value", `finfo: only float32 is a float dtype here, got ${String(dtype)}`);
  return {
    dtype: "float32",
    bits: 32,
    eps: 2 ** -23,
    max: FLOAT32_MAX,
    min: -FLOAT32_MAX,
    tiny: 2 ** -126,
    smallest_normal: 2 ** -126,
    smallest_subnormal: 2 ** -149,
    resolution: 1e-6,
  };
}

/** Limits of an integer dtype (only int32 here). */
export function iinfo(dtype: unknown): IntInfo {
  if (dtype !== "int32")
    throw new JitScopeError("value", `iinfo: only int32 is an integer dtype here, got ${String(dtype)}`);
  return { dtype: "int32", bits: 32, min: -2147483648, max: 2147483647 };
}
