// The optimizer interface shared by optim.ts and its combinators (optimTransforms.ts), and the
// scope an update is traced in.

import { JitScopeError } from "./ir/errors.js";
import { libraryScope } from "./trace/scopeCalls.js";
import { isComplex } from "./trace/complexValue.js";
import { flattenWith, keyText, leafKeyPaths } from "./trace/pytree.js";

/** Complex parameters are refused by name: optax's moments of a complex gradient use |g|², which
 *  these transformations, written over real leaves, do not. */
function refuseComplex(name: string, tree: unknown, what: string): void {
  const { leaves, treedef } = flattenWith(tree, what, isComplex);
  const at = leaves.findIndex(isComplex);
  if (at < 0) return;
  const path = leafKeyPaths(treedef)[at]!.map(keyText).join("");
  throw new JitScopeError(
    "dtype",
    `optim.${name}: ${what}${path} is complex64; keep a complex parameter as two float32 arrays (its real and ` +
      `imaginary parts) and make it in the model with lax.complex(re, im), as optax.contrib.split_real_and_imaginary does; ` +
      `their gradients are then the descent direction, no conjugate needed`,
  );
}

export interface GradientTransformation<S> {
  init(params: unknown): S;
  /** [updates, new state]: add the updates to the params with `apply_updates`. */
  update(grads: unknown, state: S, params?: unknown): [unknown, S];
}

const names = new WeakMap<object, string>();

/** What a transformation is called in scope names: "adam", "chain(clip_by_global_norm, adamw)". */
export function transformationName(t: GradientTransformation<unknown>): string {
  return names.get(t) ?? "transformation";
}

/** `t`, its update traced as one scope, `optim.<name>.update`: a step's graph then shows the
 *  optimizer as one group rather than its per-parameter ops at the top level. */
export function named<S>(name: string, t: GradientTransformation<S>): GradientTransformation<S> {
  const scope = `optim.${name}.update`;
  const out: GradientTransformation<S> = {
    init: (params) => (refuseComplex(name, params, "params"), t.init(params)),
    update: (grads, state, params) => {
      refuseComplex(name, grads, "grads");
      // A state left out reads as a TypeError deep in the update ("reading 'count'").
      if (state === undefined || state === null)
        throw new JitScopeError(
          "value",
          `optim.${name}: update needs the optimizer's state: opt.update(grads, state, params), with state from opt.init(params) and then from the update before`,
        );
      return libraryScope(scope, () => t.update(grads, state, params));
    },
  };
  names.set(out, name);
  return out;
}
