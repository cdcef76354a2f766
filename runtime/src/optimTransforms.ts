// optax's combinators: global_norm, clip_by_global_norm and chain. A chain's state is the list of its
// transforms' states (a pytree, so a jitted step takes and returns it).

import { ravel_pytree } from "./flattenUtil.js";
import { JitScopeError } from "./ir/errors.js";
import * as np from "./np.js";
import type { Tracer } from "./trace/core.js";
import * as tree from "./tree.js";
import { named, transformationName, type GradientTransformation } from "./optimTypes.js";

/** optax.global_norm: the 2-norm of every leaf of `updates` taken together, a scalar. */
export function global_norm(updates: unknown): Tracer {
  const leaves = tree.leaves(updates) as Tracer[];
  return np.sqrt(leaves.map((u) => np.sum(np.square(u))).reduce((a, b) => np.add(a, b), np.array(0)));
}

/** optax.clip_by_global_norm: when the norm over every leaf together reaches max_norm, scale
 *  every update by max_norm / norm. Stateless (its state is `{}`). */
export function clip_by_global_norm(max_norm: number): GradientTransformation<Record<string, never>> {
  if (typeof max_norm !== "number" || !(max_norm > 0))
    throw new JitScopeError(
      "value",
      `optim.clip_by_global_norm: max_norm must be a positive number, got ${String(max_norm)}`,
    );
  return named("clip_by_global_norm", {
    init: () => ({}),
    update(updates, state) {
      const norm = global_norm(updates);
      const keep = np.less(norm, max_norm);
      const clipped = tree.map((u: Tracer) => np.where(keep, u, np.multiply(np.divide(u, norm), max_norm)), updates);
      return [clipped, state];
    },
  });
}

/** optax.chain: the transforms applied in order, each to the previous one's updates. */
export function chain(...transforms: GradientTransformation<unknown>[]): GradientTransformation<unknown[]> {
  transforms.forEach((t, i) => {
    if (!t || typeof t.init !== "function" || typeof t.update !== "function")
      throw new JitScopeError(
        "value",
        `optim.chain: argument ${i} is not a gradient transformation (an object with init and update)`,
      );
  });
  return named(`chain(${transforms.map(transformationName).join(", ")})`, {
    init: (params) => transforms.map((t) => t.init(params)),
    update(grads, state, params) {
      if (!Array.isArray(state) || state.length !== transforms.length)
        throw new JitScopeError(
          "value",
          `optim.chain: the state must be the list of ${transforms.length} states that init returned`,
        );
      let updates = grads;
      const next = transforms.map((t, i) => {
        const [u, s] = t.update(updates, state[i], params);
        updates = u;
        return s;
      });
      return [updates, next];
    },
  });
}

/**
 * optax.flatten: `inner` applied to one vector holding every leaf (raveled, concatenated), its
 * updates cut back into the params' shapes. The same trajectory, in a few kernels over one long
 * vector instead of a few per leaf: a ViT step went from 235 kernels to 160 and compiled in half
 * the time, at the cost of copying the leaves into the vector each step (README, "optim.flatten").
 */
export function flatten<S>(inner: GradientTransformation<S>): GradientTransformation<S> {
  const ravel = (t: unknown) => {
    if (tree.leaves(t).length === 0)
      throw new JitScopeError("value", "optim.flatten: the tree has no arrays to flatten");
    return ravel_pytree(t);
  };
  return named(`flatten(${transformationName(inner as GradientTransformation<unknown>)})`, {
    init: (params) => inner.init(ravel(params)[0]),
    update(grads, state, params) {
      const [g, unravel] = ravel(grads);
      const [u, s] = inner.update(g, state, params === undefined ? undefined : ravel(params)[0]);
      return [unravel(u as Tracer), s];
    },
  });
}
