// optax's losses: per-example values (the caller takes the mean), built from np and nn so they
// trace, fuse and differentiate like user code. Formulas as optax 0.2 writes them, so values and
// gradients match at the edges too: cross-entropy through log_softmax (no exp of a large logit),
// the binary one through log_sigmoid on both sides, log_cosh through logaddexp. Checked against
// optax (scripts/jax/run_optax_losses.py).

import { checkOptions } from "./apiOptions.js";
import { JitScopeError } from "./ir/errors.js";
import * as nn from "./nn.js";
import * as np from "./np.js";
import type { ArrayLike } from "./np.js";
import { asTracer } from "./np/promote.js";
import type { Tracer } from "./trace/core.js";
import { libraryScope } from "./trace/scopeCalls.js";

const float = (op: string, x: ArrayLike): Tracer => asTracer(`optim.${op}`, x, "float32");

/** Predictions minus targets (targets default to zeros), their shapes broadcast as optax's. */
function errors(op: string, predictions: ArrayLike, targets?: ArrayLike | null): Tracer {
  const p = float(op, predictions);
  return targets === undefined || targets === null ? p : np.subtract(p, float(op, targets));
}

/** (predictions − targets)², elementwise. */
export function squared_error(predictions: ArrayLike, targets?: ArrayLike | null): Tracer {
  return np.square(errors("squared_error", predictions, targets));
}

/** ½ (predictions − targets)², elementwise. */
export function l2_loss(predictions: ArrayLike, targets?: ArrayLike | null): Tracer {
  return np.multiply(0.5, np.square(errors("l2_loss", predictions, targets)));
}

/** Huber: ½e² where |e| ≤ delta, delta·(|e| − ½delta) beyond. */
export function huber_loss(predictions: ArrayLike, targets?: ArrayLike | null, delta = 1): Tracer {
  return libraryScope("optim.huber_loss", () => {
    if (!(typeof delta === "number" && delta > 0))
      throw new JitScopeError("value", `optim.huber_loss: delta must be a positive number, got ${String(delta)}`);
    const abs = np.abs(errors("huber_loss", predictions, targets));
    const quadratic = np.minimum(abs, delta);
    return np.add(np.multiply(0.5, np.square(quadratic)), np.multiply(delta, np.subtract(abs, quadratic)));
  });
}

/** log(cosh(predictions − targets)), as logaddexp(e, −e) − log 2 (no overflow for large e). */
export function log_cosh(predictions: ArrayLike, targets?: ArrayLike | null): Tracer {
  const e = errors("log_cosh", predictions, targets);
  return np.subtract(np.logaddexp(e, np.negative(e)), Math.LN2);
}

/** −Σ labels · log_softmax(logits) over `axis`: labels are probabilities (one-hot or soft). */
export function softmax_cross_entropy(logits: ArrayLike, labels: ArrayLike, axis = -1): Tracer {
  return libraryScope("optim.softmax_cross_entropy", () => {
    const l = float("softmax_cross_entropy", logits);
    const y = float("softmax_cross_entropy", labels);
    return np.negative(np.sum(np.multiply(y, nn.log_softmax(l, axis)), axis));
  });
}

/** logsumexp(logits) − logits[label] along `axis`: labels are int32 class indices, one per
 *  row (`labels.shape` is `logits.shape` without `axis`). */
export function softmax_cross_entropy_with_integer_labels(logits: ArrayLike, labels: ArrayLike, axis = -1): Tracer {
  return libraryScope("optim.softmax_cross_entropy_with_integer_labels", () => {
    const op = "optim.softmax_cross_entropy_with_integer_labels";
    const l = asTracer(op, logits, "float32");
    const y = asTracer(op, labels);
    if (y.dtype !== "int32")
      throw new JitScopeError("dtype", `${op}: labels must be int32 class indices, got ${y.dtype}[${y.shape}]`);
    const ax = axis < 0 ? axis + l.ndim : axis;
    if (!Number.isInteger(ax) || ax < 0 || ax >= l.ndim)
      throw new JitScopeError("axis", `${op}: axis ${axis} is out of range for logits of shape [${l.shape}]`);
    const rows = l.shape.filter((_, i) => i !== ax);
    if (y.ndim !== rows.length || y.shape.some((d, i) => d !== rows[i]))
      throw new JitScopeError(
        "shape",
        `${op}: labels of shape [${y.shape}] must have the logits' shape [${l.shape}] without axis ${axis}, [${rows}]`,
      );
    const picked = np.squeeze(np.take_along_axis(l, np.expand_dims(y, ax), ax), ax);
    return np.subtract(nn.logsumexp(l, ax), picked);
  });
}

/** −labels·log σ(logits) − (1 − labels)·log σ(−logits), elementwise. */
export function sigmoid_binary_cross_entropy(logits: ArrayLike, labels: ArrayLike): Tracer {
  return libraryScope("optim.sigmoid_binary_cross_entropy", () => {
    const l = float("sigmoid_binary_cross_entropy", logits);
    const y = float("sigmoid_binary_cross_entropy", labels);
    const logP = nn.log_sigmoid(l);
    const logNotP = nn.log_sigmoid(np.negative(l));
    return np.subtract(np.negative(np.multiply(y, logP)), np.multiply(np.subtract(1, y), logNotP));
  });
}

/** Σ targets·(log targets − log_predictions) over `axis` (0·log 0 = 0), per example. */
export function kl_divergence(
  log_predictions: ArrayLike,
  targets: ArrayLike,
  options: { axis?: number | readonly number[] | null } = {},
): Tracer {
  checkOptions("optim.kl_divergence", options, ["axis"]);
  const [lp, t] = [float("kl_divergence", log_predictions), float("kl_divergence", targets)];
  const logT = np.where(np.equal(t, 0), 0, np.log(t));
  const axis = options.axis === undefined ? -1 : options.axis;
  return np.sum(np.multiply(t, np.subtract(logT, lp)), axis ?? undefined);
}

export interface CosineOptions {
  /** The squared norms are clipped below at epsilon (default 0). */
  epsilon?: number;
  axis?: number | readonly number[] | null;
}

/** The cosine of the angle between predictions and targets along `axis`, per example. */
export function cosine_similarity(predictions: ArrayLike, targets: ArrayLike, options: CosineOptions = {}): Tracer {
  checkOptions("optim.cosine_similarity", options, ["epsilon", "axis"]);
  const [a, b] = [float("cosine_similarity", predictions), float("cosine_similarity", targets)];
  const axis = options.axis === undefined ? -1 : (options.axis ?? undefined);
  const eps = options.epsilon ?? 0;
  const unit = (x: Tracer) => np.divide(x, np.sqrt(np.maximum(np.sum(np.square(x), axis, { keepdims: true }), eps)));
  return np.sum(np.multiply(unit(a), unit(b)), axis);
}

/** 1 − cosine_similarity. */
export function cosine_distance(predictions: ArrayLike, targets: ArrayLike, options: CosineOptions = {}): Tracer {
  return np.subtract(1, cosine_similarity(predictions, targets, options));
}

/** max(0, 1 − outputs·targets), targets ±1. */
export function hinge_loss(predictor_outputs: ArrayLike, targets: ArrayLike): Tracer {
  return np.maximum(
    0,
    np.subtract(1, np.multiply(float("hinge_loss", predictor_outputs), float("hinge_loss", targets))),
  );
}

/** One-hot labels smoothed toward the uniform distribution: (1 − alpha)·labels + alpha / K, K the
 *  size of the last axis. */
export function smooth_labels(labels: ArrayLike, alpha: number): Tracer {
  const l = float("smooth_labels", labels);
  if (l.ndim === 0) throw new JitScopeError("shape", "optim.smooth_labels: labels need a last axis of categories");
  return np.add(np.multiply(l, 1 - alpha), alpha / l.shape[l.ndim - 1]!);
}

/** The focal loss (Lin et al. 2017): the binary cross-entropy weighted by (1 − p_t)^gamma, with
 *  log(1 − p_t) taken as a log-sum-exp, and alpha·labels + (1 − alpha)·(1 − labels) when alpha is
 *  given. Elementwise. */
export function sigmoid_focal_loss(
  logits: ArrayLike,
  labels: ArrayLike,
  options: { alpha?: number | null; gamma?: number } = {},
): Tracer {
  return libraryScope("optim.sigmoid_focal_loss", () => {
    checkOptions("optim.sigmoid_focal_loss", options, ["alpha", "gamma"]);
    const [x, y] = [float("sigmoid_focal_loss", logits), float("sigmoid_focal_loss", labels)];
    const ce = sigmoid_binary_cross_entropy(x, y);
    const [logP, logQ] = [nn.log_sigmoid(x), nn.log_sigmoid(np.negative(x))];
    // log(1 − p_t) = log((1 − y)·p + y·(1 − p)).
    const m = np.maximum(logP, logQ);
    const logOneMinusPt = np.add(
      m,
      np.log(
        np.add(
          np.multiply(np.subtract(1, y), np.exp(np.subtract(logP, m))),
          np.multiply(y, np.exp(np.subtract(logQ, m))),
        ),
      ),
    );
    const loss = np.multiply(ce, np.exp(np.multiply(options.gamma ?? 2, logOneMinusPt)));
    const alpha = options.alpha;
    if (alpha === undefined || alpha === null) return loss;
    return np.multiply(np.add(np.multiply(y, alpha), np.multiply(np.subtract(1, y), 1 - alpha)), loss);
  });
}
