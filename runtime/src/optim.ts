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

import { JitScopeError } from "./ir/errors.js";
import * as np from "./np.js";
import type { Tracer } from "./trace/core.js";
import * as tree from "./tree.js";

export interface GradientTransformation<S> {
  init(params: unknown): S;
  /** [updates, new state]: add the updates to the params with `apply_updates`. */
  update(grads: unknown, state: S, params?: unknown): [unknown, S];
}

const asArray = (leaf: unknown, what: string): Tracer => {
  if (typeof leaf === "number") return np.array(leaf);
  if (leaf === null || typeof leaf !== "object")
    throw new JitScopeError("value", `optim: ${what} leaves must be arrays, got ${typeof leaf}`);
  return leaf as Tracer;
};
const zerosLike = (params: unknown): unknown =>
  tree.map((p: Tracer | number) => np.zeros_like(asArray(p, "params")), params);

/** params + updates, leaf by leaf. */
export function apply_updates<T>(params: T, updates: unknown): T {
  return tree.map((p: Tracer | number, u: Tracer) => np.add(p, u), params, updates);
}

function checkRate(name: string, lr: number): void {
  if (typeof lr !== "number" || !(lr > 0))
    throw new JitScopeError("value", `optim.${name}: learning_rate must be a positive number, got ${String(lr)}`);
}

export interface SgdState {
  /** The velocity (null without momentum). */
  trace: unknown;
}

/** Plain gradient descent, or with `momentum` (heavy ball; `nesterov` for Nesterov's), as optax.sgd. */
export function sgd(
  learning_rate: number,
  momentum: number | null = null,
  nesterov = false,
): GradientTransformation<SgdState> {
  checkRate("sgd", learning_rate);
  return {
    init: (params) => ({ trace: momentum ? zerosLike(params) : null }),
    update(grads, state) {
      if (!momentum) return [tree.map((g: Tracer) => np.multiply(g, -learning_rate), grads), state];
      const trace = tree.map((g: Tracer, t: Tracer) => np.add(g, np.multiply(t, momentum)), grads, state.trace);
      const dir = nesterov
        ? tree.map((g: Tracer, t: Tracer) => np.add(g, np.multiply(t, momentum)), grads, trace)
        : trace;
      return [tree.map((d: Tracer) => np.multiply(d, -learning_rate), dir), { trace }];
    },
  };
}

/** SGD with momentum (default 0.9): optax.sgd(learning_rate, momentum). */
export function momentum(learning_rate: number, beta = 0.9, nesterov = false): GradientTransformation<SgdState> {
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
  learning_rate: number,
  options: AdamOptions,
  weight_decay: number,
): GradientTransformation<AdamState> {
  checkRate(name, learning_rate);
  const b1 = options.b1 ?? 0.9,
    b2 = options.b2 ?? 0.999,
    eps = options.eps ?? 1e-8;
  return {
    init: (params) => ({ count: np.zeros([], { dtype: "int32" }), mu: zerosLike(params), nu: zerosLike(params) }),
    update(grads, state, params) {
      if (weight_decay !== 0 && params === undefined)
        throw new JitScopeError(
          "value",
          `optim.${name}: update needs params for weight decay: opt.update(grads, state, params)`,
        );
      const count = np.add(state.count, 1);
      const t = np.astype(count, "float32");
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
      // Bias corrections 1 / (1 - b^t), once per step. 1 - b^t = -expm1(t·ln b): for b2 = 0.999
      // the subtraction would cancel most of float32's digits in the first steps.
      const c1 = np.divide(-1, np.expm1(np.multiply(t, Math.log(b1))));
      const c2 = np.divide(-1, np.expm1(np.multiply(t, Math.log(b2))));
      const dir = tree.map(
        (m: Tracer, v: Tracer) => np.divide(np.multiply(m, c1), np.add(np.sqrt(np.multiply(v, c2)), eps)),
        mu,
        nu,
      );
      const withDecay =
        weight_decay === 0
          ? dir
          : tree.map((d: Tracer, p: Tracer) => np.add(d, np.multiply(p, weight_decay)), dir, params);
      return [tree.map((d: Tracer) => np.multiply(d, -learning_rate), withDecay), { count, mu, nu }];
    },
  };
}

/** Adam (Kingma & Ba), bias-corrected, as optax.adam. */
export function adam(learning_rate: number, options: AdamOptions = {}): GradientTransformation<AdamState> {
  return adamLike("adam", learning_rate, options, 0);
}

/** AdamW: Adam with decoupled weight decay (default 1e-4, as optax.adamw). */
export function adamw(
  learning_rate: number,
  options: AdamOptions & { weight_decay?: number } = {},
): GradientTransformation<AdamState> {
  return adamLike("adamw", learning_rate, options, options.weight_decay ?? 1e-4);
}
