// `tree`: jax.tree's map / leaves / flatten / unflatten over the pytrees jit understands
// (arrays and numbers as leaves, inside lists and plain objects; null/undefined as empty
// nodes). tree.map over several trees requires one structure and says where they differ.

import { JitScopeError } from "./ir/errors.js";
import {
  flatten as flattenTree,
  treedefDiff,
  unflatten as unflattenTree,
  type Leaf,
  type TreeDef,
} from "./trace/pytree.js";

export type { Leaf, TreeDef };

function flat(value: unknown, what: string): { leaves: Leaf[]; treedef: TreeDef } {
  try {
    return flattenTree(value, what);
  } catch (e) {
    if (e instanceof TypeError) throw new JitScopeError("value", e.message.replace(/^jit: /, "tree: "));
    throw e;
  }
}

/** The leaves in order (depth first, object keys in insertion order). */
export function leaves(tree: unknown): Leaf[] {
  return flat(tree, "tree").leaves;
}

/** [leaves, treedef]: the inverse of unflatten. */
export function flatten(tree: unknown): [Leaf[], TreeDef] {
  const f = flat(tree, "tree");
  return [f.leaves, f.treedef];
}

/** Rebuilds a tree of `treedef`'s structure from `leaves`. */
export function unflatten<T = unknown>(treedef: TreeDef, leafList: readonly unknown[]): T {
  return unflattenTree<T>(treedef, leafList);
}

/** f applied leaf by leaf: `tree.map((p, g) => p - lr * g, params, grads)`. */
export function map<T = unknown>(f: (...leaves: never[]) => unknown, tree: T, ...rest: unknown[]): T {
  if (typeof f !== "function")
    throw new JitScopeError("value", `tree.map: the first argument must be a function, got ${typeof f}`);
  const first = flat(tree, "tree");
  const others = rest.map((r, i) => {
    const o = flat(r, `tree ${i + 1}`);
    const diff = treedefDiff(first.treedef, o.treedef, `tree ${i + 1}`);
    if (diff)
      throw new JitScopeError("value", `tree.map: tree ${i + 1} has a different structure from the first: ${diff}`);
    return o.leaves;
  });
  const call = f as (...xs: unknown[]) => unknown;
  const mapped = first.leaves.map((leaf, j) => call(leaf, ...others.map((o) => o[j])));
  return unflattenTree<T>(first.treedef, mapped);
}

// jax.tree_util's spellings of the same functions (`tree_util.tree_map(f, params, grads)`).
export { map as tree_map, leaves as tree_leaves, flatten as tree_flatten, unflatten as tree_unflatten };
