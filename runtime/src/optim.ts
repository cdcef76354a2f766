// `optim`: optimizers as pure functions in the shape of optax, so a whole training step (loss,
// grad, update, apply) is one jitted function:
//   const opt = optim.adam(1e-3);
//   let state = opt.init(params);
//   const step = jit((params, state, x, y) => {
//     const grads = grad(loss)(params, x, y);
//     const [updates, next] = opt.update(grads, state, params);
//     return [optim.apply_updates(params, updates), next];
//   });
// States are pytrees of arrays (jit takes and returns them); nothing is mutated.

import { checkOptions } from "./apiOptions.js";
import { JitScopeError } from "./ir/errors.js";
import * as np from "./np.js";
import type { Tracer } from "./trace/core.js";
import * as tree from "./tree.js";
import { named, type GradientTransformation } from "./optimTypes.js";
import { libraryScope } from "./trace/scopeCalls.js";
import type { Schedule } from "./optimSchedules.js";
import {
  add_decayed_weights,
  biasCorrection,
  fullLike,
  scale_by_learning_rate,
  scale_by_lion,
} from "./optimScaling.js";
import { chain } from "./optimTransforms.js";
import { mapMasked, type Mask } from "./optimMasking.js";

export type { GradientTransformation } from "./optimTypes.js";
export { clip_by_global_norm, global_norm, chain, flatten } from "./optimTransforms.js";
export {
  scale,
  scale_by_schedule,
  scale_by_learning_rate,
  add_decayed_weights,
  clip,
  trace,
  scale_by_adam,
  scale_by_lion,
  scale_by_rms,
  scale_by_stddev,
  scale_by_rss,
  rmsprop,
  adagrad,
  identity,
} from "./optimScaling.js";
export type {
  ScaleByAdamOptions,
  ScaleByAdamState,
  ScaleByLionOptions,
  ScaleByLionState,
  RmsOptions,
  RmspropOptions,
} from "./optimScaling.js";
export {
  squared_error,
  l2_loss,
  huber_loss,
  log_cosh,
  softmax_cross_entropy,
  softmax_cross_entropy_with_integer_labels,
  sigmoid_binary_cross_entropy,
} from "./optimLosses.js";
export {
  kl_divergence,
  cosine_similarity,
  cosine_distance,
  hinge_loss,
  smooth_labels,
  sigmoid_focal_loss,
} from "./optimLosses.js";
export * as losses from "./optimLosses.js";
// More adaptive optimizers (optimAdaptive.ts).
export {
  adamax,
  nadam,
  radam,
  adabelief,
  yogi,
  amsgrad,
  lamb,
  scale_by_adamax,
  scale_by_radam,
  scale_by_belief,
  scale_by_yogi,
  scale_by_amsgrad,
  scale_by_trust_ratio,
} from "./optimAdaptive.js";
export type { MomentsState, AmsgradState, RadamOptions, BeliefOptions } from "./optimAdaptive.js";
export {
  constant_schedule,
  polynomial_schedule,
  linear_schedule,
  exponential_decay,
  cosine_decay_schedule,
  join_schedules,
  warmup_cosine_decay_schedule,
  piecewise_constant_schedule,
} from "./optimSchedules.js";
// Masks, partitions and frozen leaves (optimMasking.ts); gradient accumulation (optimAccumulation.ts);
// non-finite gradients (optimNonFinite.ts).
export {
  masked,
  partition,
  partition as multi_transform,
  set_to_zero,
  freeze,
  selective_transform,
} from "./optimMasking.js";
export type { Mask, MaskSpec, PrefixTree } from "./optimMasking.js";
export { MultiSteps, skip_not_finite, skip_large_updates, ema } from "./optimAccumulation.js";
export type {
  MultiStepsState,
  MultiStepsOptions,
  MultiStepsTransformation,
  ShouldSkipUpdate,
  EmaState,
} from "./optimAccumulation.js";
export { apply_if_finite, zero_nans } from "./optimNonFinite.js";
export { inject_hyperparams } from "./optimInject.js";
export type { InjectHyperparamsState } from "./optimInject.js";
export type { ApplyIfFiniteState } from "./optimNonFinite.js";
export type { Schedule, ExponentialDecayOptions, CosineDecayOptions, WarmupCosineOptions } from "./optimSchedules.js";

/** A fixed learning rate, or a schedule of the step count (as optax: the state counts steps). */
export type LearningRate = number | Schedule;

const zerosLike = (params: unknown): unknown => fullLike(params, 0);

/** params + updates, leaf by leaf. */
export function apply_updates<T>(params: T, updates: unknown): T {
  return libraryScope("optim.apply_updates", () =>
    tree.map((p: Tracer | number, u: Tracer) => np.add(p, u), params, updates),
  );
}

function checkRate(name: string, lr: LearningRate): void {
  if (typeof lr === "function") return;
  if (typeof lr !== "number" || !(lr > 0))
    throw new JitScopeError(
      "value",
      `optim.${name}: learning_rate must be a positive number or a schedule (a function of the step count), got ${String(lr)}`,
    );
}

/** The learning rate for the update at step `count` (0 for the first), as a multiplier. */
const rateAt = (lr: LearningRate, count: Tracer): Tracer | number => (typeof lr === "number" ? lr : lr(count));
const scale = (updates: unknown, lr: Tracer | number): unknown =>
  tree.map((d: Tracer) => np.multiply(d, typeof lr === "number" ? -lr : np.negative(lr)), updates);

export interface SgdState {
  /** The velocity (null without momentum). */
  trace: unknown;
  /** Steps taken: only with a schedule as learning_rate (int32). */
  count?: Tracer;
}

/** optax.sgd's keywords, as an options object: `sgd(0.1, { momentum: 0.9, nesterov: true })`. */
export interface SgdOptions {
  momentum?: number | null;
  nesterov?: boolean;
}

/** Plain gradient descent, or with `momentum` (heavy ball; `nesterov` for Nesterov's), as optax.sgd.
 *  The keywords come positionally, `sgd(lr, 0.9, true)`, or as `SgdOptions`. */
export function sgd(
  learning_rate: LearningRate,
  momentumOrOptions: number | null | SgdOptions = null,
  nesterovArg = false,
): GradientTransformation<SgdState> {
  checkRate("sgd", learning_rate);
  const asOptions = typeof momentumOrOptions === "object" && momentumOrOptions !== null;
  if (asOptions) checkOptions("optim.sgd", momentumOrOptions, ["momentum", "nesterov"]);
  const momentum = asOptions ? (momentumOrOptions.momentum ?? null) : momentumOrOptions;
  const nesterov = asOptions ? (momentumOrOptions.nesterov ?? false) : nesterovArg;
  if (momentum !== null && (typeof momentum !== "number" || !Number.isFinite(momentum)))
    throw new JitScopeError("value", `optim.sgd: momentum must be a number, got ${String(momentum)}`);
  const scheduled = typeof learning_rate === "function";
  return named("sgd", {
    init: (params) => ({
      trace: momentum ? zerosLike(params) : null,
      ...(scheduled ? { count: np.zeros([], { dtype: "int32" }) } : {}),
    }),
    update(grads, state) {
      const count = scheduled ? { count: np.add(countOf(state, "sgd"), 1) } : {};
      const lr = scheduled ? rateAt(learning_rate, countOf(state, "sgd")) : learning_rate;
      if (!momentum) return [scale(grads, lr), { trace: state.trace, ...count }];
      const trace = tree.map((g: Tracer, t: Tracer) => np.add(g, np.multiply(t, momentum)), grads, state.trace);
      const dir = nesterov
        ? tree.map((g: Tracer, t: Tracer) => np.add(g, np.multiply(t, momentum)), grads, trace)
        : trace;
      return [scale(dir, lr), { trace, ...count }];
    },
  });
}

function countOf(state: SgdState, name: string): Tracer {
  if (!state.count)
    throw new JitScopeError("value", `optim.${name}: the state has no step count; pass the state that init returned`);
  return state.count;
}

/** SGD with momentum (default 0.9): optax.sgd(learning_rate, momentum). */
export function momentum(learning_rate: LearningRate, beta = 0.9, nesterov = false): GradientTransformation<SgdState> {
  return sgd(learning_rate, beta, nesterov);
}

export interface AdamState {
  count: Tracer;
  mu: unknown;
  nu: unknown;
}

export interface AdamOptions {
  b1?: number;
  b2?: number;
  eps?: number;
}

function adamLike(
  name: string,
  learning_rate: LearningRate,
  options: AdamOptions,
  weight_decay: number,
  mask?: Mask,
): GradientTransformation<AdamState> {
  checkRate(name, learning_rate);
  const b1 = options.b1 ?? 0.9,
    b2 = options.b2 ?? 0.999,
    eps = options.eps ?? 1e-8;
  return named(name, {
    init: (params) => ({ count: np.zeros([], { dtype: "int32" }), mu: zerosLike(params), nu: zerosLike(params) }),
    update(grads, state, params) {
      if (weight_decay !== 0 && params === undefined)
        throw new JitScopeError(
          "value",
          `optim.${name}: update needs params for weight decay: opt.update(grads, state, params)`,
        );
      const count = np.add(state.count, 1);
      const mu = tree.map(
        (g: Tracer, m: Tracer) => np.add(np.multiply(m, b1), np.multiply(g, 1 - b1)),
        grads,
        state.mu,
      );
      const nu = tree.map(
        (g: Tracer, v: Tracer) => np.add(np.multiply(v, b2), np.multiply(np.square(g), 1 - b2)),
        grads,
        state.nu,
      );
      // Bias corrections 1 / (1 - b^t), once per step.
      const [c1, c2] = [biasCorrection(b1, count), biasCorrection(b2, count)];
      const dir = tree.map(
        (m: Tracer, v: Tracer) => np.divide(np.multiply(m, c1), np.add(np.sqrt(np.multiply(v, c2)), eps)),
        mu,
        nu,
      );
      const withDecay =
        weight_decay === 0
          ? dir
          : mapMasked(mask, `optim.${name}`, (d, p) => np.add(d, np.multiply(p!, weight_decay)), dir, params);
      // optax's scale_by_schedule reads the count before this step's increment.
      return [scale(withDecay, rateAt(learning_rate, state.count)), { count, mu, nu }];
    },
  });
}

/** Adam (Kingma & Ba), bias-corrected, as optax.adam. */
export function adam(learning_rate: LearningRate, options: AdamOptions = {}): GradientTransformation<AdamState> {
  if (typeof options === "object" && options !== null && "weight_decay" in options)
    throw new JitScopeError(
      "value",
      `optim.adam: unknown option "weight_decay" (as optax's adam): decoupled weight decay is optim.adamw(learning_rate, { weight_decay })`,
    );
  checkOptions("optim.adam", options, ["b1", "b2", "eps"]);
  return adamLike("adam", learning_rate, options, 0);
}

/** AdamW: Adam with decoupled weight decay (default 1e-4, as optax.adamw), applied to the leaves
 *  where `mask` is true when given (biases and norms' scales are usually left out). */
export function adamw(
  learning_rate: LearningRate,
  options: AdamOptions & { weight_decay?: number; mask?: Mask } = {},
): GradientTransformation<AdamState> {
  checkOptions("optim.adamw", options, ["b1", "b2", "eps", "weight_decay", "mask"]);
  return adamLike("adamw", learning_rate, options, options.weight_decay ?? 1e-4, options.mask);
}

/** Lion (Chen et al. 2023), as optax.lion: the chain scale_by_lion, add_decayed_weights
 *  (default 1e-3), scale_by_learning_rate. Its steps are signs, so its learning rate is usually
 *  3–10× below Adam's. */
export function lion(
  learning_rate: LearningRate,
  options: { b1?: number; b2?: number; weight_decay?: number } = {},
): GradientTransformation<unknown[]> {
  checkOptions("optim.lion", options, ["b1", "b2", "weight_decay"]);
  checkRate("lion", learning_rate);
  const { weight_decay = 1e-3, ...moments } = options;
  return named(
    "lion",
    chain(
      scale_by_lion(moments) as GradientTransformation<unknown>,
      add_decayed_weights(weight_decay) as GradientTransformation<unknown>,
      scale_by_learning_rate(learning_rate),
    ),
  );
}
