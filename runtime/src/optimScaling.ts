// optax's building blocks, for optimizers written as chains (`optim.chain(optim.scale_by_adam(),
// optim.add_decayed_weights(1e-4), optim.scale_by_learning_rate(lr))`), and the optimizers optax
// builds from them: rmsprop (plain or centered, with momentum) and adagrad. Formulas and state
// layout as optax 0.2.8 (transform.py, alias.py): moments `(1 − decay)·g^k + decay·m`, bias
// corrections `1 / (1 − decay^t)` where asked, a schedule read at the count before its increment.
// Checked against optax (scripts/jax/run_optax.py).

import { checkOptions } from "./apiOptions.js";
import { JitScopeError } from "./ir/errors.js";
import * as np from "./np.js";
import type { Tracer } from "./trace/core.js";
import * as tree from "./tree.js";
import { named, type GradientTransformation } from "./optimTypes.js";
import type { Schedule } from "./optimSchedules.js";
import { chain } from "./optimTransforms.js";
import { mapMasked, type Mask } from "./optimMasking.js";

type Rate = number | Schedule;
type Empty = Record<string, never>;

/** optax.tree.full_like: every leaf of `params` as a float32 array of its shape filled with `value`. */
export const fullLike = (params: unknown, value: number): unknown =>
  tree.map((p: unknown) => {
    if (typeof p === "number") return np.full([], value);
    if (p === null || typeof p !== "object" || !("shape" in p))
      throw new JitScopeError("value", `optim: params leaves must be arrays, got ${typeof p}`);
    return np.full((p as Tracer).shape, value);
  }, params);

const each = (f: (...leaves: Tracer[]) => Tracer, ...trees: unknown[]): unknown =>
  tree.map(f as (...xs: unknown[]) => unknown, ...(trees as [unknown, ...unknown[]]));

function positive(name: string, what: string, v: number): void {
  if (typeof v !== "number" || !(v > 0))
    throw new JitScopeError("value", `optim.${name}: ${what} must be a positive number, got ${String(v)}`);
}

function decayIn(name: string, decay: number): void {
  if (typeof decay !== "number" || !(decay >= 0 && decay < 1))
    throw new JitScopeError("value", `optim.${name}: decay must be in [0, 1), got ${String(decay)}`);
}

/** updates · step_size. */
export function scale(step_size: number): GradientTransformation<Empty> {
  if (typeof step_size !== "number" || !Number.isFinite(step_size))
    throw new JitScopeError("value", `optim.scale: step_size must be a finite number, got ${String(step_size)}`);
  return named("scale", { init: () => ({}), update: (u, s) => [each((g) => np.multiply(g, step_size), u), s] });
}

/** updates · schedule(count), the count before this step's increment. */
export function scale_by_schedule(step_size_fn: Schedule): GradientTransformation<{ count: Tracer }> {
  if (typeof step_size_fn !== "function")
    throw new JitScopeError("value", `optim.scale_by_schedule: step_size_fn must be a function of the step count`);
  return named("scale_by_schedule", {
    init: () => ({ count: np.zeros([], { dtype: "int32" }) }),
    update(u, s) {
      const k = step_size_fn(s.count);
      return [each((g) => np.multiply(g, k), u), { count: np.add(s.count, 1) }];
    },
  });
}

/** updates · −learning_rate (· +learning_rate with flip_sign false); a schedule is read per step. */
export function scale_by_learning_rate(learning_rate: Rate, flip_sign = true): GradientTransformation<unknown> {
  const sign = flip_sign ? -1 : 1;
  if (typeof learning_rate === "function")
    return named(
      "scale_by_learning_rate",
      scale_by_schedule((c) => {
        const r = learning_rate(c);
        return typeof r === "number" ? sign * r : np.multiply(r, sign);
      }) as GradientTransformation<unknown>,
    );
  positive("scale_by_learning_rate", "learning_rate", learning_rate);
  return named("scale_by_learning_rate", scale(sign * learning_rate) as GradientTransformation<unknown>);
}

/** updates + weight_decay · params (decoupled weight decay, as in AdamW), on the leaves where
 *  `mask` is true when given. */
export function add_decayed_weights(weight_decay = 0, mask?: Mask): GradientTransformation<Empty> {
  return named("add_decayed_weights", {
    init: () => ({}),
    update(u, s, params) {
      if (params === undefined)
        throw new JitScopeError(
          "value",
          "optim.add_decayed_weights: update needs params: opt.update(grads, state, params)",
        );
      return [
        mapMasked(mask, "optim.add_decayed_weights", (g, p) => np.add(g, np.multiply(p!, weight_decay)), u, params),
        s,
      ];
    },
  });
}

/** Each update clipped to [−max_delta, max_delta]. */
export function clip(max_delta: number): GradientTransformation<Empty> {
  positive("clip", "max_delta", max_delta);
  return named("clip", { init: () => ({}), update: (u, s) => [each((g) => np.clip(g, -max_delta, max_delta), u), s] });
}

/** Momentum: trace = g + decay · trace; the update is the trace (Nesterov: g + decay · trace). */
export function trace(decay: number, nesterov = false): GradientTransformation<{ trace: unknown }> {
  decayIn("trace", decay);
  const f = (g: Tracer, t: Tracer) => np.add(g, np.multiply(t, decay));
  return named("trace", {
    init: (params) => ({ trace: fullLike(params, 0) }),
    update(u, s) {
      const next = each(f, u, s.trace);
      return [nesterov ? each(f, u, next) : next, { trace: next }];
    },
  });
}

/** 1 / (1 − b^t), as −1 / expm1(t · ln b): for b near 1 the subtraction would cancel most of
 *  float32's digits in the first steps. */
export const biasCorrection = (b: number, t: Tracer): Tracer =>
  np.divide(-1, np.expm1(np.multiply(np.astype(t, "float32"), Math.log(b))));

const moment = (g: Tracer, m: Tracer, decay: number, order: 1 | 2) =>
  np.add(np.multiply(order === 1 ? g : np.square(g), 1 - decay), np.multiply(m, decay));

export interface ScaleByAdamOptions {
  b1?: number;
  b2?: number;
  eps?: number;
  /** Added to the second moment inside the square root (default 0). */
  eps_root?: number;
  /** Nesterov's look-ahead on the first moment (NAdam): b1·m̂(t+1) + (1 − b1)·ĝ(t). */
  nesterov?: boolean;
}
export interface ScaleByAdamState {
  count: Tracer;
  mu: unknown;
  nu: unknown;
}

/** Adam's direction: m̂ / (√(v̂ + eps_root) + eps), bias-corrected moments. */
export function scale_by_adam(options: ScaleByAdamOptions = {}): GradientTransformation<ScaleByAdamState> {
  checkOptions("optim.scale_by_adam", options, ["b1", "b2", "eps", "eps_root", "nesterov"]);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, eps_root = 0, nesterov = false } = options;
  return named("scale_by_adam", {
    init: (params) => ({ count: np.zeros([], { dtype: "int32" }), mu: fullLike(params, 0), nu: fullLike(params, 0) }),
    update(u, s) {
      const count = np.add(s.count, 1);
      const mu = each((g, m) => moment(g, m!, b1, 1), u, s.mu);
      const nu = each((g, v) => moment(g, v!, b2, 2), u, s.nu);
      const [c1, c2] = [biasCorrection(b1, count), biasCorrection(b2, count)];
      const root = (v: Tracer) => np.sqrt(eps_root === 0 ? np.multiply(v, c2) : np.add(np.multiply(v, c2), eps_root));
      const muHat = nesterov
        ? each(
            (m, g) =>
              np.add(
                np.multiply(np.multiply(m, biasCorrection(b1, np.add(count, 1))), b1),
                np.multiply(np.multiply(g!, c1), 1 - b1),
              ),
            mu,
            u,
          )
        : each((m) => np.multiply(m, c1), mu);
      return [each((m, v) => np.divide(m, np.add(root(v!), eps)), muHat, nu), { count, mu, nu }];
    },
  });
}

export interface ScaleByLionOptions {
  b1?: number;
  b2?: number;
}
export interface ScaleByLionState {
  count: Tracer;
  mu: unknown;
}

/** Lion's direction (Chen et al. 2023, as optax.scale_by_lion): sign((1 − b1)·g + b1·m), then
 *  the momentum m ← (1 − b2)·g + b2·m. */
export function scale_by_lion(options: ScaleByLionOptions = {}): GradientTransformation<ScaleByLionState> {
  checkOptions("optim.scale_by_lion", options, ["b1", "b2"]);
  const { b1 = 0.9, b2 = 0.99 } = options;
  return named("scale_by_lion", {
    init: (params) => ({ count: np.zeros([], { dtype: "int32" }), mu: fullLike(params, 0) }),
    update(u, s) {
      const dir = each((g, m) => np.sign(np.add(np.multiply(g, 1 - b1), np.multiply(m!, b1))), u, s.mu);
      const mu = each((g, m) => moment(g, m!, b2, 1), u, s.mu);
      return [dir, { count: np.add(s.count, 1), mu }];
    },
  });
}

export interface RmsOptions {
  decay?: number;
  eps?: number;
  /** The second moment's starting value (default 0). */
  initial_scale?: number;
  /** g / √(v + eps) (default, optax's) or, false, g / (√v + eps) (PyTorch's). */
  eps_in_sqrt?: boolean;
  bias_correction?: boolean;
}

/** g scaled by the root of its running mean square (centered: minus the running mean's square). */
function scaleByRms(
  name: string,
  centered: boolean,
  options: RmsOptions,
): GradientTransformation<Record<string, unknown>> {
  checkOptions(`optim.${name}`, options, ["decay", "eps", "initial_scale", "eps_in_sqrt", "bias_correction"]);
  const { decay = 0.9, eps = 1e-8, initial_scale = 0, eps_in_sqrt = true, bias_correction = false } = options;
  decayIn(name, decay);
  return named(name, {
    init: (params) => ({
      ...(bias_correction ? { count: np.zeros([], { dtype: "int32" }) } : {}),
      ...(centered ? { mu: fullLike(params, 0) } : {}),
      nu: fullLike(params, initial_scale),
    }),
    update(u, s) {
      const nu = each((g, v) => moment(g, v!, decay, 2), u, s.nu);
      const mu = centered ? each((g, m) => moment(g, m!, decay, 1), u, s.mu) : null;
      const count = bias_correction ? np.add(s.count as Tracer, 1) : null;
      const hat = (x: unknown) => (count ? each((v) => np.multiply(v, biasCorrection(decay, count)), x) : x);
      const [nuHat, muHat] = [hat(nu), mu && hat(mu)];
      const spread = muHat ? each((v, m) => np.subtract(v, np.square(m!)), nuHat, muHat) : nuHat;
      const scaling = each(
        (v) => (eps_in_sqrt ? np.divide(1, np.sqrt(np.add(v, eps))) : np.divide(1, np.add(np.sqrt(v), eps))),
        spread,
      );
      const next = { ...(count ? { count } : {}), ...(mu ? { mu } : {}), nu };
      return [each((k, g) => np.multiply(k, g!), scaling, u), next];
    },
  });
}

export const scale_by_rms = (options: RmsOptions = {}) => scaleByRms("scale_by_rms", false, options);
export const scale_by_stddev = (options: RmsOptions = {}) => scaleByRms("scale_by_stddev", true, options);

/** Adagrad's direction: g / √(Σg² + eps), 0 where the sum is 0. */
export function scale_by_rss(
  initial_accumulator_value = 0.1,
  eps = 1e-7,
): GradientTransformation<{ sum_of_squares: unknown }> {
  return named("scale_by_rss", {
    init: (params) => ({ sum_of_squares: fullLike(params, initial_accumulator_value) }),
    update(u, s) {
      const sum = each((g, t) => np.add(np.square(g), t!), u, s.sum_of_squares);
      const inv = each((t) => np.where(np.greater(t, 0), np.divide(1, np.sqrt(np.add(t, eps))), 0), sum);
      return [each((k, g) => np.multiply(k, g!), inv, u), { sum_of_squares: sum }];
    },
  });
}

export interface RmspropOptions extends RmsOptions {
  centered?: boolean;
  momentum?: number | null;
  nesterov?: boolean;
}

/** optax.rmsprop: chain(scale_by_rms or, centered, scale_by_stddev; scale_by_learning_rate;
 *  trace(momentum) when given). */
export function rmsprop(learning_rate: Rate, options: RmspropOptions = {}): GradientTransformation<unknown[]> {
  checkOptions("optim.rmsprop", options, [
    "decay",
    "eps",
    "initial_scale",
    "eps_in_sqrt",
    "bias_correction",
    "centered",
    "momentum",
    "nesterov",
  ]);
  const { centered = false, momentum = null, nesterov = false, ...rms } = options;
  return named(
    "rmsprop",
    chain(
      scaleByRms(centered ? "scale_by_stddev" : "scale_by_rms", centered, rms) as GradientTransformation<unknown>,
      scale_by_learning_rate(learning_rate),
      (momentum === null ? identity() : trace(momentum, nesterov)) as GradientTransformation<unknown>,
    ),
  );
}

/** optax.adagrad: chain(scale_by_rss, scale_by_learning_rate). */
export function adagrad(
  learning_rate: Rate,
  initial_accumulator_value = 0.1,
  eps = 1e-7,
): GradientTransformation<unknown[]> {
  return named(
    "adagrad",
    chain(
      scale_by_rss(initial_accumulator_value, eps) as GradientTransformation<unknown>,
      scale_by_learning_rate(learning_rate),
    ),
  );
}

/** optax.identity: updates unchanged. */
export function identity(): GradientTransformation<Empty> {
  return named("identity", { init: () => ({}), update: (u, s) => [u, s] });
}
