// The softmax family of jax.nn (softmax, log_softmax, logsumexp, logmeanexp), apart from nn.ts so that
// functions built on it (nnAttention.ts) can import it without a cycle through nn.ts. Each
// subtracts the max first, so large inputs do not overflow exp, and lets no gradient through it.

import { checkOptions } from "./apiOptions.js";
import * as np from "./np.js";
import type { ArrayLike } from "./np.js";
import { asTracer } from "./np/promote.js";
import { normalizeAxes } from "./np/validate.js";
import type { Tracer } from "./trace/core.js";
import { stopGradient } from "./trace/stopGradient.js";

const FLOAT32_MAX = 3.4028234663852886e38;

export interface SoftmaxOptions {
  /** Only these elements (a bool mask, broadcast) take part; the others come out 0 (softmax) or
   *  -inf (log_softmax), as JAX's `where`. */
  where?: ArrayLike;
}

/** x less the max of the elements taking part (kept as an axis), the others -inf so that exp
 *  makes them 0 and no gradient reaches them. The shift cancels out of every softmax's value,
 *  so (as in JAX) no gradient flows through it. */
function shifted(t: Tracer, axis: number[], where: ArrayLike | undefined): Tracer {
  if (where === undefined) return np.subtract(t, stopGradient(np.max(t, axis, { keepdims: true })));
  const max = stopGradient(np.max(t, axis, { keepdims: true, where, initial: -Infinity }));
  return np.where(where, np.subtract(t, max), -Infinity);
}

/** exp(x - max) / sum(exp(x - max)) along `axis` (default the last). */
export function softmax(x: ArrayLike, axis: number | readonly number[] = -1, options: SoftmaxOptions = {}): Tracer {
  checkOptions("softmax", options, ["where"]);
  const t = asTracer("softmax", x, "float32");
  const axes = normalizeAxes("softmax", axis, t.shape.length, t.shape);
  const e = np.exp(shifted(t, axes, options.where));
  const out = np.divide(e, np.sum(e, axes, { keepdims: true }));
  // A row with no element taking part is 0/0: 0, as every element left out.
  return options.where === undefined ? out : np.where(options.where, out, 0);
}

/** x - logsumexp(x) along `axis` (default the last), computed from the max-shifted values. */
export function log_softmax(x: ArrayLike, axis: number | readonly number[] = -1, options: SoftmaxOptions = {}): Tracer {
  return logSoftmaxNamed("log_softmax", x, axis, options);
}

/** Alias of `log_softmax` (the name before JAX's own names were adopted); its errors name it. */
export function logSoftmax(x: ArrayLike, axis: number | readonly number[] = -1, options: SoftmaxOptions = {}): Tracer {
  return logSoftmaxNamed("logSoftmax", x, axis, options);
}

function logSoftmaxNamed(op: string, x: ArrayLike, axis: number | readonly number[], options: SoftmaxOptions): Tracer {
  checkOptions(op, options, ["where"]);
  const t = asTracer(op, x, "float32");
  const axes = normalizeAxes(op, axis, t.shape.length, t.shape);
  const s = shifted(t, axes, options.where);
  return np.subtract(s, np.log(np.sum(np.exp(s), axes, { keepdims: true })));
}

/** log(sum(exp(x))) along `axis` (all axes when omitted): max + log(sum(exp(x - max))). */
export function logsumexp(
  x: ArrayLike,
  axis?: number | readonly number[] | null,
  options: { keepdims?: boolean; where?: ArrayLike } = {},
): Tracer {
  checkOptions("logsumexp", options, ["keepdims", "where"]);
  const given = asTracer("logsumexp", x, "float32");
  // The elements left out are -inf: exp makes them 0, and no gradient reaches them.
  const t = options.where === undefined ? given : np.where(options.where, given, -Infinity);
  axis = normalizeAxes("logsumexp", axis, t.shape.length, t.shape);
  // A row of -inf (or +inf) has a non-finite max: shift by 0 instead, so the result is ±inf, not NaN.
  const rawMax = stopGradient(np.max(t, axis, { keepdims: true }));
  const m = np.where(np.less_equal(np.abs(rawMax), FLOAT32_MAX), rawMax, 0);
  const s = np.log(np.sum(np.exp(np.subtract(t, m)), axis, { keepdims: true }));
  const out = np.add(s, m);
  return options.keepdims ? out : np.squeeze(out, axis === undefined || axis === null ? undefined : axis);
}

/** log(mean(exp(x))) along `axis` (default all): logsumexp minus log of the count, where
 *  `where` (broadcast against x) picks the entries counted, as jax.nn.logmeanexp. */
export function logmeanexp(
  x: ArrayLike,
  axis?: number | readonly number[] | null,
  options: { keepdims?: boolean; where?: ArrayLike } = {},
): Tracer {
  checkOptions("logmeanexp", options, ["keepdims", "where"]);
  const t = asTracer("logmeanexp", x, "float32");
  const keep = options.where === undefined ? null : np.broadcast_to(np.asarray(options.where), t.shape);
  const masked = keep === null ? t : np.where(keep, t, -Infinity);
  const lse = logsumexp(masked, axis, { keepdims: options.keepdims ?? false });
  const count =
    keep === null
      ? np.sum(np.ones_like(t), axis, { keepdims: options.keepdims ?? false })
      : np.sum(np.astype(keep, "float32"), axis, { keepdims: options.keepdims ?? false });
  return np.subtract(lse, np.log(count));
}
