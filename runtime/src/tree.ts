// `tree`: jax.tree's map / leaves / flatten / unflatten / structure / reduce and the `_with_path`
// forms over the pytrees jit understands (arrays and numbers as leaves, inside lists and plain
// objects; null/undefined as empty nodes). tree.map over several trees requires one structure and
// says where they differ. A path is the keys and indices from the root to a leaf (`["w", 0]`),
// written by keystr as JAX writes it (`['w'][0]`).

import { JitScopeError } from "./ir/errors.js";
import {
  flatten as flattenTree,
  leafKeyPaths,
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

/** The structure alone (what unflatten takes), as jax.tree.structure. */
export function structure(tree: unknown): TreeDef {
  return flat(tree, "tree").treedef;
}

/** f folded over the leaves in order, from `initializer` when given (else from the first leaf),
 *  as jax.tree.reduce: `tree.reduce((n, x) => n + x.size, params, 0)` counts parameters. */
export function reduce<R>(f: (acc: R, leaf: Leaf) => R, tree: unknown, ...initializer: [] | [R]): R {
  if (typeof f !== "function")
    throw new JitScopeError("value", `tree.reduce: the first argument must be a function, got ${typeof f}`);
  const list = flat(tree, "tree").leaves;
  if (initializer.length > 0) return list.reduce<R>(f, initializer[0] as R);
  if (list.length === 0) throw new JitScopeError("value", "tree.reduce: a tree with no leaves needs an initializer");
  return (list as unknown as R[]).reduce((acc, leaf) => f(acc, leaf as unknown as Leaf));
}

/** A leaf's path: the object keys and list indices from the root. */
export type KeyPath = (string | number)[];

/** [path, leaf] for each leaf in order, as jax.tree.leaves_with_path. */
export function leaves_with_path(tree: unknown): [KeyPath, Leaf][] {
  const f = flat(tree, "tree");
  const paths = leafKeyPaths(f.treedef);
  return f.leaves.map((leaf, i) => [paths[i]!, leaf]);
}

/** [[path, leaf]…, treedef], as jax.tree.flatten_with_path. */
export function flatten_with_path(tree: unknown): [[KeyPath, Leaf][], TreeDef] {
  return [leaves_with_path(tree), structure(tree)];
}

/** f(path, leaf, …the other trees' leaves) leaf by leaf, as jax.tree.map_with_path: weight decay
 *  on the weights only is `tree.map_with_path((p, x) => (p.at(-1) === "w" ? decay(x) : x), params)`. */
export function map_with_path<T = unknown>(
  f: (path: KeyPath, ...leaves: never[]) => unknown,
  tree: T,
  ...rest: unknown[]
): T {
  if (typeof f !== "function")
    throw new JitScopeError("value", `tree.map_with_path: the first argument must be a function, got ${typeof f}`);
  const paths = leafKeyPaths(flat(tree, "tree").treedef);
  let i = 0;
  const call = f as (path: KeyPath, ...xs: unknown[]) => unknown;
  return map((...xs: never[]) => call(paths[i++]!, ...xs), tree, ...rest);
}

/** A path as JAX's keystr writes it: `['layers'][0]['w']`. */
export function keystr(path: KeyPath): string {
  return path.map((k) => (typeof k === "number" ? `[${k}]` : `['${k}']`)).join("");
}

// jax.tree_util's spellings of the same functions (`tree_util.tree_map(f, params, grads)`).
export {
  map as tree_map,
  leaves as tree_leaves,
  flatten as tree_flatten,
  unflatten as tree_unflatten,
  structure as tree_structure,
  reduce as tree_reduce,
  leaves_with_path as tree_leaves_with_path,
  flatten_with_path as tree_flatten_with_path,
  map_with_path as tree_map_with_path,
};
