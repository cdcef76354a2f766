// jax.nn functions added for issue 14: one_hot, softplus, silu (swish), leaky_relu, elu,
// log_sigmoid, standardize, and log1mexp. Built from np, so they trace, fuse and differentiate
// like user code.

import { checkOptions } from "./apiOptions.js";
import { JitScopeError } from "./ir/errors.js";
import type { DType } from "./ir/types.js";
import * as np from "./np.js";
import type { ArrayLike } from "./np.js";
import { softplusOf } from "./np/mathSurface.js";
import { asTracer, cast } from "./np/promote.js";
import { bind1, type Tracer } from "./trace/core.js";
import { custom_jvp } from "./trace/custom.js";
import { normalizeAxis } from "./np/validate.js";

export interface OneHotOptions {
  dtype?: DType;
  /** Where the new class axis goes (default -1, the last). */
  axis?: number;
}

/** one_hot(x, num_classes): 1 where the class index equals x, else 0 (float32 by default). An
 *  index outside [0, num_classes) gives a row of zeros, as in JAX. Float labels are compared as
 *  JAX compares them (2.0 is class 2, 0.5 no class): `np.array([0, 2])` is float32 in JS, where
 *  every number is a double. */
export function one_hot(x: ArrayLike, num_classes: number, options: OneHotOptions = {}): Tracer {
  checkOptions("one_hot", options, ["dtype", "axis"]);
  const labels = asTracer("one_hot", x);
  if (!Number.isInteger(num_classes) || num_classes < 0) {
    throw new JitScopeError("value", `one_hot: num_classes must be a non-negative integer, got ${num_classes}`);
  }
  const outRank = labels.ndim + 1;
  const axis = normalizeAxis("one_hot", options.axis ?? -1, outRank, [...labels.shape, num_classes]);
  const shape = [...labels.shape];
  shape.splice(axis, 0, num_classes);
  const dtype = labels.dtype === "float32" ? "float32" : "int32";
  const classes = bind1("iota", { shape, axis, dtype }, []);
  const expanded = np.expand_dims(cast(labels, dtype), axis);
  return np.astype(np.equal(expanded, classes), options.dtype ?? "float32");
}

/** log(1 + exp(x)), stable everywhere. */
export const softplus = (x: ArrayLike): Tracer => softplusOf(cast(asTracer("softplus", x), "float32"));

/** x · sigmoid(x). */
export function silu(x: ArrayLike): Tracer {
  const t = cast(asTracer("silu", x), "float32");
  return np.divide(t, np.add(np.exp(np.negative(t)), 1));
}
export const swish = silu;

/** x where x >= 0, negative_slope · x elsewhere. */
export function leaky_relu(x: ArrayLike, negative_slope = 0.01): Tracer {
  const t = asTracer("leaky_relu", x);
  return np.where(np.greater_equal(t, 0), t, np.multiply(t, negative_slope));
}

/** x where x > 0, alpha · (exp(x) - 1) elsewhere (expm1 of the clamped input, so no overflow). */
export function elu(x: ArrayLike, alpha = 1): Tracer {
  const t = cast(asTracer("elu", x), "float32");
  const pos = np.greater(t, 0);
  return np.where(pos, t, np.multiply(np.expm1(np.where(pos, 0, t)), alpha));
}

/** log(sigmoid(x)) = -softplus(-x). */
export const log_sigmoid = (x: ArrayLike): Tracer => np.negative(softplus(np.negative(asTracer("log_sigmoid", x))));

export interface StandardizeOptions {
  mean?: ArrayLike;
  variance?: ArrayLike;
  epsilon?: number;
}

/** (x - mean) / sqrt(variance + epsilon) along `axis` (default the last), as jax.nn.standardize. */
export function standardize(
  x: ArrayLike,
  axis: number | readonly number[] = -1,
  options: StandardizeOptions = {},
): Tracer {
  checkOptions("standardize", options, ["mean", "variance", "epsilon"]);
  const t = cast(asTracer("standardize", x), "float32");
  const mean = options.mean ?? np.mean(t, axis, { keepdims: true });
  const variance = options.variance ?? np.var(t, axis, { keepdims: true });
  return np.multiply(np.subtract(t, mean), np.divide(1, np.sqrt(np.add(variance, options.epsilon ?? 1e-5))));
}

/** log(1 − e^−x) for x > 0, by log(−expm1(−x)) below log 2 and log1p(−e^−x) above (Mächler's
 *  split, as jax.nn.log1mexp); derivative 1/expm1(x). */
export function log1mexp(x: ArrayLike): Tracer {
  return log1mexpRule(asTracer("log1mexp", x, "float32"));
}

const log1mexpRule = custom_jvp((x: Tracer): Tracer => log1mexpValue(x));
log1mexpRule.defjvp(([x]: Tracer[], [t]: Tracer[]) => [log1mexpValue(x!), np.divide(t!, np.expm1(x!))]);

function log1mexpValue(v: Tracer): Tracer {
  return np.where(
    np.less(v, Math.LN2),
    np.log(np.negative(np.expm1(np.negative(v)))),
    np.log1p(np.negative(np.exp(np.negative(v)))),
  );
}
