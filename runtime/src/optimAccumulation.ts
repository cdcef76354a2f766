// optax's gradient accumulation: `MultiSteps` (an optimizer stepped once every k mini-batches, on
// their mean or sum: a batch k times larger than memory allows), the skip functions it takes, and
// `ema`. As optax 0.2.8 (transforms/_accumulation.py): the inner update is computed on every
// mini-step and kept only on the k-th, so a jitted step is one program whatever the step's phase
// (optax does the same with `where`; its `lax.cond` on a skip picks between two such programs).

import { checkOptions } from "./apiOptions.js";
import { JitScopeError } from "./ir/errors.js";
import * as np from "./np.js";
import { Tracer } from "./trace/core.js";
import * as tree from "./tree.js";
import { named, transformationName, type GradientTransformation } from "./optimTypes.js";
import { biasCorrection, fullLike } from "./optimScaling.js";

export interface MultiStepsState {
  /** Mini-steps accumulated since the last update of the inner optimizer. */
  mini_step: Tracer;
  /** Updates of the inner optimizer so far. */
  gradient_step: Tracer;
  inner_opt_state: unknown;
  acc_grads: unknown;
  skip_state: unknown;
}

/** Decides from a mini-step's gradients whether to drop it: [a boolean scalar, a state to keep]. */
export type ShouldSkipUpdate = (updates: unknown, gradient_step: Tracer, params: unknown) => [Tracer, unknown];

export interface MultiStepsOptions {
  /** Average the accumulated gradients (default) rather than sum them. */
  use_grad_mean?: boolean;
  /** Mini-steps for which it returns true leave the state as it was (but for skip_state). */
  should_skip_update_fn?: ShouldSkipUpdate;
}

export interface MultiStepsTransformation extends GradientTransformation<MultiStepsState> {
  readonly inner_opt: GradientTransformation<unknown>;
  /** True on the mini-steps that updated the inner optimizer (a boolean scalar). */
  has_updated(state: MultiStepsState): Tracer;
  gradient_transformation(): GradientTransformation<MultiStepsState>;
}

/** optax.skip_not_finite: skip a mini-step whose gradients hold an inf or a NaN. */
export function skip_not_finite(updates: unknown): [Tracer, { should_skip: Tracer; num_not_finite: Tracer }] {
  const counts = (tree.leaves(updates) as Tracer[]).map((u) => np.sum(np.logical_not(np.isfinite(u))));
  const num_not_finite = counts.reduce((a, b) => np.add(a, b), np.zeros([], { dtype: "int32" }));
  const should_skip = np.greater(num_not_finite, 0);
  return [should_skip, { should_skip, num_not_finite }];
}

/** optax.skip_large_updates: skip a mini-step whose gradients' squared global norm is not below
 *  max_squared_norm. Pass it as `(u, step, p) => optim.skip_large_updates(u, step, p, 42)`. */
export function skip_large_updates(
  updates: unknown,
  _gradient_step: unknown,
  _params: unknown,
  max_squared_norm: number,
): [Tracer, { should_skip: Tracer; norm_squared: Tracer }] {
  if (typeof max_squared_norm !== "number")
    throw new JitScopeError(
      "value",
      "optim.skip_large_updates: max_squared_norm (its fourth argument) must be a number: pass `(u, step, p) => optim.skip_large_updates(u, step, p, 42)` to MultiSteps",
    );
  const sums = (tree.leaves(updates) as Tracer[]).map((u) => np.sum(np.square(u)));
  const norm_squared = sums.reduce((a, b) => np.add(a, b), np.zeros([]));
  const should_skip = np.logical_not(np.less(norm_squared, max_squared_norm));
  return [should_skip, { should_skip, norm_squared }];
}

const asF32 = (b: Tracer): Tracer => np.astype(b, "float32");
const keepDtype = (x: Tracer | number, like: Tracer | number): Tracer | number =>
  like instanceof Tracer && x instanceof Tracer ? np.astype(x, like.dtype) : x;

/**
 * optax.MultiSteps: `opt` updated once every `every_k_schedule` mini-steps (a number, or a
 * function of the gradient step count), on the mean (or, with `use_grad_mean: false`, the sum)
 * of the mini-steps' gradients; the other mini-steps return zero updates. `new` is optional.
 */
export function MultiSteps(
  opt: GradientTransformation<unknown>,
  every_k_schedule: number | ((gradient_step: Tracer) => Tracer | number),
  options: MultiStepsOptions = {},
): MultiStepsTransformation {
  if (!opt || typeof opt.init !== "function" || typeof opt.update !== "function")
    throw new JitScopeError(
      "value",
      "optim.MultiSteps: opt is not a gradient transformation (an object with init and update)",
    );
  if (typeof every_k_schedule === "number" && !(Number.isInteger(every_k_schedule) && every_k_schedule >= 1))
    throw new JitScopeError(
      "value",
      `optim.MultiSteps: every_k_schedule must be a whole number ≥ 1, got ${every_k_schedule}`,
    );
  if (typeof every_k_schedule !== "number" && typeof every_k_schedule !== "function")
    throw new JitScopeError(
      "value",
      "optim.MultiSteps: every_k_schedule must be a number or a function of the gradient step",
    );
  checkOptions("optim.MultiSteps", options, ["use_grad_mean", "should_skip_update_fn"]);
  const useMean = options.use_grad_mean ?? true;
  const shouldSkip = options.should_skip_update_fn;
  const kAt = (step: Tracer) => (typeof every_k_schedule === "number" ? every_k_schedule : every_k_schedule(step));
  const skipOf = (updates: unknown, step: Tracer, params: unknown): [Tracer | null, unknown] => {
    if (!shouldSkip) return [null, []];
    const [skip, state] = shouldSkip(updates, step, params);
    if (!(skip instanceof Tracer) || skip.dtype !== "bool" || skip.shape.length !== 0)
      throw new JitScopeError(
        "value",
        `optim.MultiSteps: should_skip_update_fn must return [a boolean scalar, a state], its first element is ${skip instanceof Tracer ? `${skip.dtype}[${skip.shape.join(", ")}]` : typeof skip}`,
      );
    return [skip, state];
  };

  const t = named(`MultiSteps(${transformationName(opt)})`, {
    init(params): MultiStepsState {
      const gradient_step = np.zeros([], { dtype: "int32" });
      return {
        mini_step: np.zeros([], { dtype: "int32" }),
        gradient_step,
        inner_opt_state: opt.init(params),
        acc_grads: fullLike(params, 0),
        skip_state: skipOf(fullLike(params, 0), gradient_step, params)[1],
      };
    },
    update(updates, state: MultiStepsState, params): [unknown, MultiStepsState] {
      const k = kAt(state.gradient_step);
      const [skip, skip_state] = skipOf(updates, state.gradient_step, params);
      // Welford's running mean: acc + (g − acc) / (n + 1), as optax.
      const n1 = np.astype(np.add(state.mini_step, 1), "float32");
      const acc = tree.map(
        (g: Tracer, a: Tracer) => (useMean ? np.add(a, np.divide(np.subtract(g, a), n1)) : np.add(g, a)),
        updates,
        state.acc_grads,
      );
      const [inner, innerState] = opt.update(acc, state.inner_opt_state, params);
      const emit = np.equal(state.mini_step, np.subtract(k, 1));
      const stepped: MultiStepsState = {
        mini_step: np.remainder(np.add(state.mini_step, 1), k),
        gradient_step: np.where(emit, np.add(state.gradient_step, 1), state.gradient_step),
        inner_opt_state: tree.map(
          (old: Tracer, next: Tracer) => keepDtype(np.where(emit, next, old), old),
          state.inner_opt_state,
          innerState,
        ),
        acc_grads: tree.map((a: Tracer) => np.multiply(np.subtract(1, asF32(emit)), a), acc),
        skip_state,
      };
      const out = tree.map((u: Tracer) => np.multiply(np.astype(emit, u.dtype), u), inner);
      if (skip === null) return [out, stepped];
      // A skipped mini-step: zero updates, the state as it was (but for skip_state).
      const pick = (was: unknown, now: unknown): unknown =>
        tree.map((a: Tracer, b: Tracer) => keepDtype(np.where(skip, a, b), a), was, now);
      const kept = { ...state, skip_state } as MultiStepsState;
      const { skip_state: _, ...rest } = stepped;
      const { skip_state: __, ...restWas } = kept;
      return [
        tree.map((u: Tracer) => np.where(skip, np.zeros_like(u), u), out),
        { ...(pick(restWas, rest) as Omit<MultiStepsState, "skip_state">), skip_state },
      ];
    },
  });
  return {
    init: t.init,
    update: t.update,
    inner_opt: opt,
    has_updated: (state) => np.logical_and(np.equal(state.mini_step, 0), np.greater(state.gradient_step, 0)),
    gradient_transformation: () => t,
  };
}

export interface EmaState {
  count: Tracer;
  ema: unknown;
}

/** optax.ema: the updates' exponential moving average decay · ema + (1 − decay) · g, divided by
 *  1 − decay^t when `debias` (the default). */
export function ema(decay: number, debias = true): GradientTransformation<EmaState> {
  if (typeof decay !== "number" || !(decay >= 0 && decay < 1))
    throw new JitScopeError("value", `optim.ema: decay must be in [0, 1), got ${String(decay)}`);
  return named("ema", {
    init: (params) => ({ count: np.zeros([], { dtype: "int32" }), ema: fullLike(params, 0) }),
    update(updates, state) {
      const next = tree.map(
        (g: Tracer, m: Tracer) => np.add(np.multiply(g, 1 - decay), np.multiply(m, decay)),
        updates,
        state.ema,
      );
      const count = np.add(state.count, 1);
      const c = debias ? biasCorrection(decay, count) : null;
      const out = c === null ? next : tree.map((m: Tracer) => np.multiply(m, c), next);
      return [out, { count, ema: next }];
    },
  });
}
