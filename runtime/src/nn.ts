// Neural-network functions in the style of jax.nn, built from np (so they trace, fuse and
// differentiate like any user code); the softmax family is in nnSoftmax.ts, attention in
// nnAttention.ts, initializers in nnInitializers.ts. Each checks its own arguments first, so an
// error names the function the user called (softmax), never an op it calls inside (max). Names
// are JAX's (README, "Names"); `logSoftmax` is kept as a documented alias of `log_softmax`.

import { checkOptions } from "./apiOptions.js";
import { JitScopeError } from "./ir/errors.js";
import { erfc } from "./lax/special.js";
import { logistic } from "./lax/elementwise.js";
import * as np from "./np.js";
import type { ArrayLike } from "./np.js";
import { asTracer, checkArrayLike } from "./np/promote.js";
import type { Tracer } from "./trace/core.js";
import { custom_jvp } from "./trace/custom.js";

/** max(x, 0), with JAX's derivative: 1 where x > 0, else 0 (0 at 0, where np.maximum's tie
 *  rule would give 0.5). The rule is the mask np.maximum(x, 0) used before ties split, so a
 *  ReLU network's backward kernels are unchanged. */
const reluRule = custom_jvp((x: Tracer): Tracer => np.maximum(x, 0));
reluRule.defjvp(([x]: Tracer[], [t]: Tracer[]) => [
  np.maximum(x!, 0),
  np.multiply(t!, np.astype(np.greater(x!, 0), "float32")),
]);

export function relu(x: ArrayLike): Tracer {
  const t = checkArrayLike("relu", x);
  return typeof t === "number" ? np.maximum(t, 0) : t.dtype === "float32" ? reluRule(t) : np.maximum(t, 0);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export interface GeluOptions {
  /** true (the default, as JAX): the tanh approximation; false: the exact x·Φ(x). */
  approximate?: boolean;
}

/** GELU as jax.nn.gelu. approximate (default): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)));
 *  `{ approximate: false }`: x·Φ(x) = 0.5·x·erfc(-x/√2), JAX's form of 0.5·x·(1 + erf(x/√2)):
 *  erfc keeps the left tail (gelu(-6) = -5.9e-9) where 1 + erf(x/√2) rounds to 0. */
export function gelu(x: ArrayLike, options: GeluOptions = {}): Tracer {
  const t = asTracer("gelu", x, "float32");
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new JitScopeError(
      "value",
      `gelu: the second argument is an options object ({ approximate }), got ${String(options)}`,
    );
  checkOptions("gelu", options, ["approximate"]);
  const approximate = options.approximate ?? true;
  if (typeof approximate !== "boolean")
    throw new JitScopeError(
      "value",
      `gelu: approximate must be true or false, got ${JSON.stringify(approximate) ?? String(approximate)}`,
    );
  if (!approximate) return np.multiply(np.multiply(t, 0.5), erfc(np.multiply(t, -Math.SQRT1_2)));
  const cube = np.multiply(np.square(t), t);
  const inner = np.multiply(np.add(t, np.multiply(cube, 0.044715)), SQRT_2_OVER_PI);
  return np.multiply(np.multiply(t, 0.5), np.add(np.tanh(inner), 1));
}

/** 1 / (1 + exp(-x)). */
export function sigmoid(x: ArrayLike): Tracer {
  return logistic(asTracer("sigmoid", x, "float32"));
}

export { softmax, log_softmax, logSoftmax, logmeanexp } from "./nnSoftmax.js";
// jax.nn.logsumexp is jax.scipy.special.logsumexp: weights b, return_sign and where too.
export { logsumexp } from "./scipy/special.js";
/** jax.nn.tanh: np.tanh by jax.nn's name. */
export { tanh } from "./np/elementwise.js";

export { max_pool, avg_pool } from "./lax/window.js";

export { one_hot, softplus, silu, swish, leaky_relu, elu, log_sigmoid, standardize, log1mexp } from "./nnSurface.js";
export type { OneHotOptions, StandardizeOptions } from "./nnSurface.js";
export {
  relu6,
  hard_sigmoid,
  hard_silu,
  hard_swish,
  hard_tanh,
  selu,
  celu,
  glu,
  soft_sign,
  sparse_plus,
  sparse_sigmoid,
  squareplus,
  mish,
  identity,
} from "./nnActivations.js";
export * as initializers from "./nnInitializers.js";
export { dot_product_attention } from "./nnAttention.js";
export type { DotProductAttentionOptions } from "./nnAttention.js";
