// The rest of jax.nn's activations: relu6, hard_sigmoid, hard_silu (hard_swish), hard_tanh,
// selu, celu, glu, soft_sign, sparse_plus, sparse_sigmoid, squareplus, mish, identity. Each is JAX's
// formula, and where JAX fixes a derivative at a kink it is fixed the same way here (relu6's is 0
// at 0 and at 6); checked with gradients against JAX (scripts/jax/run_jax_activations.py).

import { JitScopeError } from "./ir/errors.js";
import * as np from "./np.js";
import type { ArrayLike } from "./np.js";
import { asTracer } from "./np/promote.js";
import { normalizeAxis } from "./np/validate.js";
import type { Tracer } from "./trace/core.js";
import { stopGradient } from "./trace/stopGradient.js";
import { elu, softplus } from "./nnSurface.js";

const float = (op: string, x: ArrayLike): Tracer => asTracer(`nn.${op}`, x, "float32");

/** min(max(x, 0), 6); its derivative is 1 strictly inside (0, 6), else 0 (JAX's rule). */
export function relu6(x: ArrayLike): Tracer {
  const t = float("relu6", x);
  const inside = np.logical_and(np.greater(t, 0), np.less(t, 6));
  return np.where(inside, t, np.minimum(np.maximum(stopGradient(t), 0), 6));
}

/** relu6(x + 3) / 6. */
export const hard_sigmoid = (x: ArrayLike): Tracer => np.divide(relu6(np.add(float("hard_sigmoid", x), 3)), 6);

/** x · hard_sigmoid(x). */
export function hard_silu(x: ArrayLike): Tracer {
  const t = float("hard_silu", x);
  return np.multiply(t, hard_sigmoid(t));
}
export { hard_silu as hard_swish };

/** x clipped to [−1, 1]. */
export function hard_tanh(x: ArrayLike): Tracer {
  const t = float("hard_tanh", x);
  return np.where(np.greater(t, 1), 1, np.where(np.less(t, -1), -1, t));
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** scale · elu(x, alpha), the self-normalizing constants. */
export const selu = (x: ArrayLike): Tracer => np.multiply(elu(float("selu", x), SELU_ALPHA), SELU_SCALE);

/** max(x, 0) + alpha · expm1(min(x, 0) / alpha), written as a where: its derivative at 0 is then
 *  1, as JAX's is (there max and min split the tie's derivative half and half). */
export function celu(x: ArrayLike, alpha = 1): Tracer {
  const t = float("celu", x);
  if (typeof alpha !== "number" || alpha === 0)
    throw new JitScopeError("value", `nn.celu: alpha must be a non-zero number, got ${String(alpha)}`);
  const pos = np.greater(t, 0);
  return np.where(pos, t, np.multiply(np.expm1(np.divide(np.where(pos, 0, t), alpha)), alpha));
}

/** The first half of `axis` times the sigmoid of the second half. */
export function glu(x: ArrayLike, axis = -1): Tracer {
  const t = float("glu", x);
  const ax = normalizeAxis("nn.glu", axis, t.ndim, t.shape);
  const size = t.shape[ax]!;
  if (size % 2 !== 0)
    throw new JitScopeError("shape", `nn.glu: axis ${axis} has size ${size}, which must be even (shape [${t.shape}])`);
  const [a, b] = np.split(t, 2, ax) as [Tracer, Tracer];
  return np.multiply(a, np.divide(1, np.add(np.exp(np.negative(b)), 1)));
}

/** x / (|x| + 1). */
export function soft_sign(x: ArrayLike): Tracer {
  const t = float("soft_sign", x);
  return np.divide(t, np.add(np.abs(t), 1));
}

/** 0 below −1, x above 1, (x + 1)² / 4 between. */
export function sparse_plus(x: ArrayLike): Tracer {
  const t = float("sparse_plus", x);
  return np.where(np.less_equal(t, -1), 0, np.where(np.greater_equal(t, 1), t, np.divide(np.square(np.add(t, 1)), 4)));
}

/** ½ · clip(x + 1, 0, 2). */
export const sparse_sigmoid = (x: ArrayLike): Tracer =>
  np.multiply(np.clip(np.add(float("sparse_sigmoid", x), 1), 0, 2), 0.5);

/** (x + √(x² + b)) / 2. */
export function squareplus(x: ArrayLike, b = 4): Tracer {
  const t = float("squareplus", x);
  return np.divide(np.add(t, np.sqrt(np.add(np.square(t), b))), 2);
}

/** x · tanh(softplus(x)). */
export function mish(x: ArrayLike): Tracer {
  const t = float("mish", x);
  return np.multiply(t, np.tanh(softplus(t)));
}

/** jax.nn.identity: x itself (an activation slot's "none"). */
export function identity(x: ArrayLike): Tracer {
  return asTracer("identity", x);
}
