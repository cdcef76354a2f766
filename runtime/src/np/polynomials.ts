// Polynomial arithmetic on coefficient vectors, highest degree first, as jax.numpy has it:
// polyadd, polysub, polymul, polyder, polyint (polyval and polyfit live with the series and
// fits). Built from np, so they trace, fuse and differentiate like user code.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { array } from "./creation.js";
import { convolve } from "./convolve.js";
import * as ew from "./elementwise.js";
import { asTracer, cast, commonDType, type ArrayLike } from "./promote.js";
import { concatenate, reshape } from "./shape.js";
import { pad } from "./pad.js";

/** A 1-D coefficient vector, or an error naming `op`. */
function coefficients(op: string, p: ArrayLike): Tracer {
  const c = asTracer(op, p);
  if (c.ndim !== 1) throw new JitScopeError("shape", `${op}: takes 1-D coefficients, got shape [${c.shape}]`);
  return c;
}

/** `a1` and `a2` at one dtype, the shorter padded with leading zeros to the longer's length. */
function aligned(op: string, a1: ArrayLike, a2: ArrayLike): [Tracer, Tracer] {
  const dtype = commonDType([a1, a2]);
  const [x, y] = [cast(coefficients(op, a1), dtype), cast(coefficients(op, a2), dtype)];
  const n = Math.max(x.shape[0]!, y.shape[0]!);
  const lead = (v: Tracer) => (v.shape[0] === n ? v : pad(v, [[n - v.shape[0]!, 0]]));
  return [lead(x), lead(y)];
}

/** The sum of two polynomials. */
export function polyadd(a1: ArrayLike, a2: ArrayLike): Tracer {
  const [x, y] = aligned("polyadd", a1, a2);
  return ew.add(x, y);
}

/** The difference of two polynomials. */
export function polysub(a1: ArrayLike, a2: ArrayLike): Tracer {
  const [x, y] = aligned("polysub", a1, a2);
  return ew.subtract(x, y);
}

export interface PolymulOptions {
  /** Only false (JAX's default) here: trimmed, the result's length would depend on the values,
   *  which are on the device or traced. */
  trim_leading_zeros?: boolean;
}

/** The product of two polynomials: their coefficients' full convolution. */
export function polymul(a1: ArrayLike, a2: ArrayLike, options: PolymulOptions = {}): Tracer {
  checkOptions("polymul", options, ["trim_leading_zeros"]);
  if (options.trim_leading_zeros)
    throw new JitScopeError(
      "value",
      "polymul: trim_leading_zeros is not supported (the result's length would depend on values on the device); slice the leading zeros off the coefficients instead",
    );
  const dtype = commonDType([a1, a2]);
  const x = cast(coefficients("polymul", a1), dtype);
  const y = cast(coefficients("polymul", a2), dtype);
  if (x.shape[0] === 0 || y.shape[0] === 0) return array([], { dtype });
  return convolve(x, y);
}

/** The `m`-th derivative: each coefficient times its power's falling factorial, the last `m` gone. */
export function polyder(p: ArrayLike, m = 1): Tracer {
  const c = coefficients("polyder", p);
  if (!Number.isInteger(m) || m < 0)
    throw new JitScopeError("value", `polyder: m must be a whole number ≥ 0, got ${String(m)}`);
  const n = c.shape[0]!;
  if (m === 0) return c;
  if (m >= n) return array([], { dtype: c.dtype });
  // Coefficient i (power n-1-i) gains (n-1-i)(n-2-i)…(n-m-i).
  const factors = Array.from({ length: n - m }, (_, i) => {
    let f = 1;
    for (let j = 0; j < m; j++) f *= n - 1 - i - j;
    return f;
  });
  return ew.multiply(c.at(`:${n - m}`).get(), array(factors, { dtype: c.dtype }));
}

/** The `m`-th antiderivative, the constant of the j-th integration `k[j]` (k a number or m of
 *  them; 0 by default). Integer coefficients give float32, as a division. */
export function polyint(p: ArrayLike, m = 1, k: ArrayLike | null = null): Tracer {
  let c = cast(coefficients("polyint", p), "float32");
  if (!Number.isInteger(m) || m < 0)
    throw new JitScopeError("value", `polyint: m must be a whole number ≥ 0, got ${String(m)}`);
  if (m === 0) return c;
  const ks = reshape(cast(asTracer("polyint", k ?? 0), "float32"), [-1]);
  const nk = ks.shape[0]!;
  if (nk !== 1 && nk !== m)
    throw new JitScopeError("shape", `polyint: k must be a number or ${m} of them (one per integration), got ${nk}`);
  for (let j = 0; j < m; j++) {
    const n = c.shape[0]!;
    const divisors = Array.from({ length: n }, (_, i) => n - i);
    const constant = nk === 1 ? ks : ks.at(`${j}:${j + 1}`).get();
    c = concatenate([ew.divide(c, array(divisors, { dtype: "float32" })), constant]);
  }
  return c;
}
