// Small helpers shared by the transformations (jvp, vjp, grad, vmap).

import type { Aval } from "../ir/types.js";
import { arrayFromHost } from "../array.js";
import { Tracer } from "./core.js";
import { flatten, unflatten } from "./pytree.js";

/** A readable name for a user function (for the name stack: "grad(loss)"). */
export function fnName(f: { readonly name: string }): string {
  return f.name && f.name.length > 0 ? f.name : "fn";
}

export function sameAval(a: Aval, b: Aval): boolean {
  return a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

/** Replaces JS-number leaves of a pytree by float32 scalars, so they can carry tangents. */
export function asArrays<T>(tree: T): T {
  const { leaves, treedef } = flatten(tree, "argument");
  if (leaves.every((l) => l instanceof Tracer)) return tree;
  return unflatten<T>(treedef, leaves.map((l) => (typeof l === "number" ? arrayFromHost([l], [], "float32") : l)));
}
