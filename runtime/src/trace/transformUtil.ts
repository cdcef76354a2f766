// Small helpers shared by the transformations (jvp, vjp, grad, vmap).

import { arrayFromHost } from "../array.js";
import { Tracer } from "./core.js";
import { flatten, unflatten } from "./pytree.js";

/** A readable name for a user function (for the name stack: "grad(loss)"). */
export function fnName(f: { readonly name: string }): string {
  return f.name && f.name.length > 0 ? f.name : "fn";
}

/**
 * The name of a transformed function ("grad_loss"), or "" when the function is anonymous: then a
 * `jit` around it names it by the binding on its own line (`const step = jit(grad((p) => …))` is
 * "step", not "grad_fn").
 */
export function derivedName(transform: string, f: { readonly name: string }): string {
  return f.name ? `${transform}_${f.name}` : "";
}

/** Replaces JS-number leaves of a pytree by float32 scalars, so they can carry tangents. */
export function asArrays<T>(tree: T): T {
  const { leaves, treedef } = flatten(tree, "argument");
  if (leaves.every((l) => l instanceof Tracer)) return tree;
  return unflatten<T>(
    treedef,
    leaves.map((l) => (typeof l === "number" ? arrayFromHost([l], [], "float32") : l)),
  );
}
