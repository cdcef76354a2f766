// jax.numpy's complex-number functions, on the real dtypes this runtime has: code written for
// complex or real inputs alike (a conjugate in a generic dot product, `np.real` of a result)
// runs unchanged. Each gives exactly JAX's value for a real input: real and conj are the input,
// imag is zeros, angle is 0 or π (atan2(0, x), so π for −0 too).

import { checkOptions } from "../apiOptions.js";
import type { Tracer } from "../trace/core.js";
import { zeros_like } from "./creation.js";
import { degrees } from "./elementwiseExtras.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { arctan2 } from "./trig.js";
import * as ew from "./elementwise.js";

/** The real part: x itself. */
export const real = (x: ArrayLike): Tracer => asTracer("real", x);

/** The imaginary part: zeros of x's shape and dtype. */
export const imag = (x: ArrayLike): Tracer => zeros_like(asTracer("imag", x));

/** The complex conjugate: x itself. */
export const conj = (x: ArrayLike): Tracer => asTracer("conj", x);
export const conjugate = (x: ArrayLike): Tracer => asTracer("conjugate", x);

/** Whether each element has a nonzero imaginary part: false everywhere. */
export const iscomplex = (x: ArrayLike): Tracer => ew.not_equal(imag(x), 0);

/** Whether each element's imaginary part is zero: true everywhere. */
export const isreal = (x: ArrayLike): Tracer => ew.equal(imag(x), 0);

/** Whether x has a complex dtype: never here. */
export const iscomplexobj = (x: ArrayLike): boolean => (asTracer("iscomplexobj", x), false);

/** Whether x has no complex dtype: always here. */
export const isrealobj = (x: ArrayLike): boolean => (asTracer("isrealobj", x), true);

/** The argument of each element in radians (or degrees with `{ deg: true }`): atan2(imag, real),
 *  0 for x > 0 and +0, π for x < 0 and −0; integers give float32. */
export function angle(z: ArrayLike, options: { deg?: boolean } = {}): Tracer {
  checkOptions("angle", options, ["deg"]);
  const x = cast(asTracer("angle", z), "float32");
  const a = arctan2(imag(x), x);
  return options.deg ? degrees(a) : a;
}
