// Names jax.numpy also answers to (the Python array API standard's, and NumPy's older ones), each
// the np function it names: absolute, amax, amin, true_divide, pow, concat, permute_dims; and
// copy. A port of code that spells them so runs unchanged.

import type { Tracer } from "../trace/core.js";
import { abs, divide, multiply, power } from "./elementwise.js";
import { logical_and } from "./mathSurface.js";
import { array } from "./creation.js";
import { asTracer, type ArrayLike } from "./promote.js";
import { max, min } from "./reductions.js";
import { concatenate, transpose } from "./shape.js";

export const absolute = abs;
export const amax = max;
export const amin = min;
export const true_divide = divide;
export const pow = power;
export const concat = concatenate;
export const permute_dims = transpose;

/** A new array with a's values (its own storage when eager, so donating or disposing `a` leaves
 *  the copy intact), as jnp.copy and x.copy(). */
export function copy(a: ArrayLike): Tracer {
  const x = asTracer("copy", a);
  return x.dtype === "bool" ? logical_and(x, array(true)) : multiply(x, 1);
}
