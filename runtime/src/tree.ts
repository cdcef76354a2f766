// `tree`: jax.tree's map / leaves / flatten / unflatten / structure / reduce and the `_with_path`
// forms over the pytrees jit understands (arrays and numbers as leaves, inside lists, plain
// objects and instances of registered classes; null/undefined as empty nodes). tree.map over
// several trees requires one structure and says where they differ; `{ is_leaf }` as the last
// argument stops the walk where it says. A path is the keys and indices from the root to a leaf
// (`["w", 0]`), written by keystr as JAX writes it (`['w'][0]`, `.w` for a dataclass field).
// The rest of jax.tree_util (all, transpose, broadcast, treedef questions …) is treeExtras.ts.

import { JitScopeError } from "./ir/errors.js";
import {
  flattenUpTo,
  leafKeyPaths,
  treedefDiff,
  unflatten as unflattenTree,
  type Leaf,
  type TreeDef,
} from "./trace/pytree.js";
import { keyName, pyRepr, type PathKey } from "./trace/pytreeNodes.js";
import { flatTree as flat, PyTreeDef, type IsLeaf, type TreeDefLike, type TreeOptions } from "./treeExtras.js";

export type { Leaf, TreeDef };
export {
  DictKey,
  FlattenedIndexKey,
  GetAttrKey,
  SequenceKey,
  register_dataclass,
  register_pytree_node,
  register_pytree_node_class,
  register_pytree_with_keys,
  register_pytree_with_keys_class,
  register_static,
} from "./trace/pytreeNodes.js";
export { Partial } from "./trace/partial.js";
export {
  all,
  all_leaves,
  broadcast,
  flatten_one_level,
  flatten_one_level_with_keys,
  is_tree_node,
  PyTreeDef,
  reduce_associative,
  transpose,
  treedef_children,
  treedef_is_leaf,
  treedef_tuple,
  all as tree_all,
  broadcast as tree_broadcast,
  reduce_associative as tree_reduce_associative,
  transpose as tree_transpose,
  type ReduceAssociativeOptions,
  type TreeDefLike,
  type TreeOptions,
} from "./treeExtras.js";

function isOptions(x: unknown): x is TreeOptions {
  if (x === null || typeof x !== "object" || Array.isArray(x)) return false;
  const keys = Object.keys(x);
  return keys.length === 1 && keys[0] === "is_leaf" && typeof (x as TreeOptions).is_leaf === "function";
}

/** Splits a trailing `{ is_leaf }` off a rest list (no pytree holds a function, so it cannot be one). */
function splitOptions(rest: unknown[]): [unknown[], IsLeaf | undefined] {
  const last = rest.at(-1);
  return isOptions(last) ? [rest.slice(0, -1), last.is_leaf] : [rest, undefined];
}

/** The leaves in order (depth first, object keys in insertion order). */
export function leaves(tree: unknown, options?: TreeOptions): Leaf[] {
  return flat(tree, "tree", options?.is_leaf).leaves;
}

/** [leaves, treedef]: the inverse of unflatten. */
export function flatten(tree: unknown, options?: TreeOptions): [Leaf[], TreeDef] {
  const f = flat(tree, "tree", options?.is_leaf);
  return [f.leaves, f.treedef];
}

/** Rebuilds a tree of `treedef`'s structure (a TreeDef or PyTreeDef) from `leaves`. */
export function unflatten<T = unknown>(treedef: TreeDefLike, leafList: readonly unknown[]): T {
  return unflattenTree<T>(treedef instanceof PyTreeDef ? treedef.treedef : treedef, leafList);
}

/** f applied leaf by leaf: `tree.map((p, g) => p - lr * g, params, grads)`. The other trees have
 *  the first's structure or deeper (f then gets their whole subtree at the first's leaf), as JAX's. */
export function map<T = unknown>(f: (...leaves: never[]) => unknown, tree: T, ...restAndOptions: unknown[]): T {
  if (typeof f !== "function")
    throw new JitScopeError("value", `tree.map: the first argument must be a function, got ${typeof f}`);
  const [rest, isLeaf] = splitOptions(restAndOptions);
  const first = flat(tree, "tree", isLeaf);
  const others = rest.map((r, i) => {
    try {
      return flattenUpTo(first.treedef, r, `tree ${i + 1}`);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      const diff = treedefDiff(first.treedef, flat(r, `tree ${i + 1}`, isLeaf).treedef, `tree ${i + 1}`);
      throw new JitScopeError(
        "value",
        `tree.map: tree ${i + 1} has a different structure from the first: ${diff ?? e.message}`,
      );
    }
  });
  const call = f as (...xs: unknown[]) => unknown;
  const mapped = first.leaves.map((leaf, j) => call(leaf, ...others.map((o) => o[j])));
  return unflattenTree<T>(first.treedef, mapped);
}

/** The structure alone (what unflatten takes), as jax.tree.structure. */
export function structure(tree: unknown, options?: TreeOptions): TreeDef {
  return flat(tree, "tree", options?.is_leaf).treedef;
}

/** f folded over the leaves in order, from `initializer` when given (else from the first leaf),
 *  as jax.tree.reduce: `tree.reduce((n, x) => n + x.size, params, 0)` counts parameters. */
export function reduce<R>(f: (acc: R, leaf: Leaf) => R, tree: unknown, ...initializerAndOptions: unknown[]): R {
  if (typeof f !== "function")
    throw new JitScopeError("value", `tree.reduce: the first argument must be a function, got ${typeof f}`);
  const [initializer, isLeaf] = splitOptions(initializerAndOptions);
  const list = flat(tree, "tree", isLeaf).leaves;
  if (initializer.length > 0) return list.reduce<R>(f, initializer[0] as R);
  if (list.length === 0) throw new JitScopeError("value", "tree.reduce: a tree with no leaves needs an initializer");
  return (list as unknown as R[]).reduce((acc, leaf) => f(acc, leaf as unknown as Leaf));
}

/** A leaf's path from the root: object keys (strings), list indices (numbers), and for
 *  registered classes GetAttrKey (a dataclass field) or FlattenedIndexKey, or the DictKey /
 *  SequenceKey a class's flatten_with_keys gave. */
export type KeyPath = PathKey[];
/** One step of a KeyPath, as jax.tree_util.KeyEntry. */
export type KeyEntry = PathKey;

/** [path, leaf] for each leaf in order, as jax.tree.leaves_with_path. */
export function leaves_with_path(tree: unknown, options?: TreeOptions): [KeyPath, Leaf][] {
  const f = flat(tree, "tree", options?.is_leaf);
  const paths = leafKeyPaths(f.treedef);
  return f.leaves.map((leaf, i) => [paths[i]!, leaf]);
}

/** [[path, leaf]…, treedef], as jax.tree.flatten_with_path. */
export function flatten_with_path(tree: unknown, options?: TreeOptions): [[KeyPath, Leaf][], TreeDef] {
  return [leaves_with_path(tree, options), structure(tree, options)];
}

/** f(path, leaf, …the other trees' leaves) leaf by leaf, as jax.tree.map_with_path: weight decay
 *  on the weights only is `tree.map_with_path((p, x) => (p.at(-1) === "w" ? decay(x) : x), params)`. */
export function map_with_path<T = unknown>(
  f: (path: KeyPath, ...leaves: never[]) => unknown,
  tree: T,
  ...restAndOptions: unknown[]
): T {
  if (typeof f !== "function")
    throw new JitScopeError("value", `tree.map_with_path: the first argument must be a function, got ${typeof f}`);
  const [, isLeaf] = splitOptions(restAndOptions);
  const paths = leafKeyPaths(flat(tree, "tree", isLeaf).treedef);
  let i = 0;
  const call = f as (path: KeyPath, ...xs: unknown[]) => unknown;
  return map((...xs: never[]) => call(paths[i++]!, ...xs), tree, ...restAndOptions);
}

/** A path as JAX's keystr writes it: `['layers'][0]['w']`; `{ simple: true, separator: "/" }`
 *  writes the bare names, `layers/0/w`. */
export function keystr(path: KeyPath, options?: { simple?: boolean; separator?: string }): string {
  const text = (k: PathKey): string =>
    options?.simple
      ? keyName(k)
      : typeof k === "number"
        ? `[${k}]`
        : typeof k === "string"
          ? `[${pyRepr(k)}]`
          : String(k);
  return path.map(text).join(options?.separator ?? "");
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
