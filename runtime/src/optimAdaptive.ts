// More of optax's adaptive optimizers, each a scale_by_* direction chained with
// scale_by_learning_rate as optax's alias.py builds them: adamax (the infinity-norm moment),
// nadam (Adam with Nesterov's look-ahead on the first moment), radam (Adam rectified while the
// second moment's variance is unreliable), adabelief (the moment of the gradient's deviation from
// its mean), yogi (an additive second moment), amsgrad (the running maximum of the second
// moment), and lamb (Adam's direction with decoupled weight decay, scaled per leaf by the trust
// ratio ‖param‖ / ‖update‖). Formulas and state layout as optax 0.2.8 (transform.py); checked
// against optax (scripts/jax/run_optax_adaptive.py).

import { checkOptions } from "./apiOptions.js";
import { JitScopeError } from "./ir/errors.js";
import * as np from "./np.js";
import type { Tracer } from "./trace/core.js";
import * as tree from "./tree.js";
import { named, type GradientTransformation } from "./optimTypes.js";
import type { Schedule } from "./optimSchedules.js";
import { chain } from "./optimTransforms.js";
import {
  add_decayed_weights,
  biasCorrection,
  fullLike,
  scale_by_adam,
  scale_by_learning_rate,
} from "./optimScaling.js";

type Rate = number | Schedule;
type Any = GradientTransformation<unknown>;

export interface MomentsState {
  count: Tracer;
  mu: unknown;
  nu: unknown;
}

const each = (f: (...leaves: Tracer[]) => Tracer, ...trees: unknown[]): unknown =>
  tree.map(f as (...xs: unknown[]) => unknown, ...(trees as [unknown, ...unknown[]]));
const ema = (g: Tracer, m: Tracer, decay: number) => np.add(np.multiply(g, 1 - decay), np.multiply(m, decay));
const start = (params: unknown, value = 0): MomentsState => ({
  count: np.zeros([], { dtype: "int32" }),
  mu: fullLike(params, value),
  nu: fullLike(params, value),
});
/** x / (1 − b^t). */
const corrected = (x: Tracer, b: number, t: Tracer) => np.multiply(x, biasCorrection(b, t));
/** The first moment for the update: bias-corrected, or with Nesterov's look-ahead b1·m̂(t+1) +
 *  (1 − b1)·ĝ(t). */
const firstMoment = (mu: unknown, g: unknown, b1: number, t: Tracer, nesterov: boolean): unknown =>
  nesterov
    ? each(
        (m, gg) => np.add(np.multiply(corrected(m, b1, np.add(t, 1)), b1), np.multiply(corrected(gg!, b1, t), 1 - b1)),
        mu,
        g,
      )
    : each((m) => corrected(m, b1, t), mu);

interface Betas {
  b1?: number;
  b2?: number;
  eps?: number;
}

/** Adamax's direction: m̂ / max(b2·u, |g| + eps). */
export function scale_by_adamax(options: Betas = {}): GradientTransformation<MomentsState> {
  checkOptions("optim.scale_by_adamax", options, ["b1", "b2", "eps"]);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8 } = options;
  return named("scale_by_adamax", {
    init: (params) => start(params),
    update(u, s) {
      const count = np.add(s.count, 1);
      const mu = each((g, m) => ema(g, m!, b1), u, s.mu);
      const nu = each((g, v) => np.maximum(np.add(np.abs(g), eps), np.multiply(v!, b2)), u, s.nu);
      return [each((m, v) => np.divide(corrected(m, b1, count), v!), mu, nu), { count, mu, nu }];
    },
  });
}

export interface RadamOptions extends Betas {
  eps_root?: number;
  /** The rectification's length below which the step is plain momentum (default 5). */
  threshold?: number;
  nesterov?: boolean;
}

/** RAdam's direction: Adam's, times the rectification r(ρ), once ρ (the second moment's
 *  approximate length) reaches `threshold`; before, the bias-corrected first moment alone. */
export function scale_by_radam(options: RadamOptions = {}): GradientTransformation<MomentsState> {
  checkOptions("optim.scale_by_radam", options, ["b1", "b2", "eps", "eps_root", "threshold", "nesterov"]);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, eps_root = 0, threshold = 5, nesterov = false } = options;
  const roInf = 2 / (1 - b2) - 1;
  return named("scale_by_radam", {
    init: (params) => start(params),
    update(u, s) {
      const mu = each((g, m) => ema(g, m!, b1), u, s.mu);
      const nu = each((g, v) => ema(np.square(g), v!, b2), u, s.nu);
      const count = np.add(s.count, 1);
      // ρ = ρ∞ − 2t·b2ᵗ / (1 − b2ᵗ), with 1 − b2ᵗ as −expm1(t·ln b2): for b2 near 1 the subtraction
      // would cancel most of float32's digits, and ρ near the threshold is sensitive to them.
      const tLog = np.multiply(np.astype(count, "float32"), Math.log(b2));
      const ro = np.subtract(
        roInf,
        np.divide(np.multiply(np.multiply(np.astype(count, "float32"), 2), np.exp(tLog)), np.negative(np.expm1(tLog))),
      );
      const r = np.sqrt(
        np.divide(
          np.multiply(np.multiply(np.subtract(ro, 4), np.subtract(ro, 2)), roInf),
          np.multiply(ro, (roInf - 4) * (roInf - 2)),
        ),
      );
      const muHat = firstMoment(mu, u, b1, count, nesterov);
      const rectified = np.greater_equal(ro, threshold);
      const dir = each(
        (m, v) =>
          np.where(
            rectified,
            np.divide(np.multiply(r, m), np.add(np.sqrt(np.add(corrected(v!, b2, count), eps_root)), eps)),
            m,
          ),
        muHat,
        nu,
      );
      return [dir, { count, mu, nu }];
    },
  });
}

export interface BeliefOptions extends Betas {
  eps_root?: number;
  nesterov?: boolean;
}

/** AdaBelief's direction: m̂ / (√ŝ + eps), s the moment of (g − m)² (plus eps_root). */
export function scale_by_belief(options: BeliefOptions = {}): GradientTransformation<MomentsState> {
  checkOptions("optim.scale_by_belief", options, ["b1", "b2", "eps", "eps_root", "nesterov"]);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-16, eps_root = 1e-16, nesterov = false } = options;
  return named("scale_by_belief", {
    init: (params) => start(params),
    update(u, s) {
      const mu = each((g, m) => ema(g, m!, b1), u, s.mu);
      const nu = each((g, m, v) => np.add(ema(np.square(np.subtract(g, m!)), v!, b2), eps_root), u, mu, s.nu);
      const count = np.add(s.count, 1);
      const muHat = firstMoment(mu, u, b1, count, nesterov);
      return [
        each((m, v) => np.divide(m, np.add(np.sqrt(corrected(v!, b2, count)), eps)), muHat, nu),
        { count, mu, nu },
      ];
    },
  });
}

/** Yogi's direction: Adam's with the additive update v ← v − (1 − b2)·sign(v − g²)·g². */
export function scale_by_yogi(
  options: Betas & { eps_root?: number; initial_accumulator_value?: number } = {},
): GradientTransformation<MomentsState> {
  checkOptions("optim.scale_by_yogi", options, ["b1", "b2", "eps", "eps_root", "initial_accumulator_value"]);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-3, eps_root = 0, initial_accumulator_value = 1e-6 } = options;
  return named("scale_by_yogi", {
    init: (params) => start(params, initial_accumulator_value),
    update(u, s) {
      const mu = each((g, m) => ema(g, m!, b1), u, s.mu);
      const nu = each(
        (g, v) => {
          const g2 = np.square(g);
          return np.subtract(v!, np.multiply(np.multiply(np.sign(np.subtract(v!, g2)), g2), 1 - b2));
        },
        u,
        s.nu,
      );
      const count = np.add(s.count, 1);
      const dir = each(
        (m, v) => np.divide(corrected(m, b1, count), np.add(np.sqrt(np.add(corrected(v!, b2, count), eps_root)), eps)),
        mu,
        nu,
      );
      return [dir, { count, mu, nu }];
    },
  });
}

export interface AmsgradState extends MomentsState {
  nu_max: unknown;
}

/** AMSGrad's direction: m̂ / (√max(v̂) + eps), the maximum over the steps so far. */
export function scale_by_amsgrad(options: Betas & { eps_root?: number } = {}): GradientTransformation<AmsgradState> {
  checkOptions("optim.scale_by_amsgrad", options, ["b1", "b2", "eps", "eps_root"]);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, eps_root = 0 } = options;
  return named("scale_by_amsgrad", {
    init: (params) => ({ ...start(params), nu_max: fullLike(params, 0) }),
    update(u, s) {
      const mu = each((g, m) => ema(g, m!, b1), u, s.mu);
      const nu = each((g, v) => ema(np.square(g), v!, b2), u, s.nu);
      const count = np.add(s.count, 1);
      const nuMax = each((mx, v) => np.maximum(mx, corrected(v!, b2, count)), s.nu_max, nu);
      const dir = each(
        (m, mx) => np.divide(corrected(m, b1, count), np.add(np.sqrt(np.add(mx!, eps_root)), eps)),
        mu,
        nuMax,
      );
      return [dir, { count, mu, nu, nu_max: nuMax }];
    },
  });
}

/** Each leaf's update scaled by trust_coefficient · ‖param‖ / (‖update‖ + eps) (norms at least
 *  min_norm; 1 where either norm is 0), as LARS and LAMB do. Stateless. */
export function scale_by_trust_ratio(
  options: { min_norm?: number; trust_coefficient?: number; eps?: number } = {},
): GradientTransformation<Record<string, never>> {
  checkOptions("optim.scale_by_trust_ratio", options, ["min_norm", "trust_coefficient", "eps"]);
  const { min_norm = 0, trust_coefficient = 1, eps = 0 } = options;
  const norm = (x: Tracer) => np.maximum(np.sqrt(np.sum(np.square(x))), min_norm);
  return named("scale_by_trust_ratio", {
    init: () => ({}),
    update(u, s, params) {
      if (params === undefined)
        throw new JitScopeError(
          "value",
          "optim.scale_by_trust_ratio: update needs params: opt.update(grads, state, params)",
        );
      const scaled = each(
        (g, p) => {
          const [pn, un] = [norm(p!), norm(g)];
          const ratio = np.divide(np.multiply(pn, trust_coefficient), np.add(un, eps));
          const zero = np.logical_or(np.equal(pn, 0), np.equal(un, 0));
          return np.multiply(g, np.where(zero, 1, ratio));
        },
        u,
        params,
      );
      return [scaled, s];
    },
  });
}

const withRate = (name: string, direction: Any, learning_rate: Rate) =>
  named(name, chain(direction, scale_by_learning_rate(learning_rate)));

/** optax.adamax. */
export const adamax = (learning_rate: Rate, options: Betas = {}) =>
  withRate("adamax", scale_by_adamax(options) as Any, learning_rate);

/** optax.nadam: Adam with Nesterov's look-ahead on the first moment. */
export function nadam(
  learning_rate: Rate,
  options: Betas & { eps_root?: number } = {},
): GradientTransformation<unknown[]> {
  checkOptions("optim.nadam", options, ["b1", "b2", "eps", "eps_root"]);
  return withRate("nadam", scale_by_adam({ ...options, nesterov: true }) as Any, learning_rate);
}

/** optax.radam. */
export const radam = (learning_rate: Rate, options: RadamOptions = {}) =>
  withRate("radam", scale_by_radam(options) as Any, learning_rate);

/** optax.adabelief. */
export const adabelief = (learning_rate: Rate, options: BeliefOptions = {}) =>
  withRate("adabelief", scale_by_belief(options) as Any, learning_rate);

/** optax.yogi. */
export const yogi = (learning_rate: Rate, options: Betas = {}) =>
  withRate("yogi", scale_by_yogi(options) as Any, learning_rate);

/** optax.amsgrad. */
export const amsgrad = (learning_rate: Rate, options: Betas & { eps_root?: number } = {}) =>
  withRate("amsgrad", scale_by_amsgrad(options) as Any, learning_rate);

/** optax.lamb: Adam's direction (eps 1e-6), decoupled weight decay, the trust ratio, the rate. */
export function lamb(
  learning_rate: Rate,
  options: Betas & { eps_root?: number; weight_decay?: number } = {},
): GradientTransformation<unknown[]> {
  checkOptions("optim.lamb", options, ["b1", "b2", "eps", "eps_root", "weight_decay"]);
  const { weight_decay = 0, eps = 1e-6, ...rest } = options;
  return named(
    "lamb",
    chain(
      scale_by_adam({ ...rest, eps }) as Any,
      add_decayed_weights(weight_decay) as Any,
      scale_by_trust_ratio() as Any,
      scale_by_learning_rate(learning_rate),
    ),
  );
}
