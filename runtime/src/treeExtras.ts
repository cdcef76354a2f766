// The rest of jax.tree_util beside tree.ts's map/leaves/flatten: tree.all, transpose, broadcast,
// reduce_associative, flatten_one_level, all_leaves, is_tree_node, and the treedef questions
// (treedef_children / treedef_is_leaf / treedef_tuple, and PyTreeDef for num_leaves, num_nodes,
// children(), unflatten, flatten_up_to). A treedef stays the plain TreeDef data that jit and
// optim pass around; PyTreeDef wraps one to ask it JAX's questions, and every function here takes
// either. The flattening helpers tree.ts uses live here so that neither file imports the other.

import { JitScopeError } from "./ir/errors.js";
import { Tracer } from "./trace/core.js";
import { Complex, isComplex } from "./trace/complexValue.js";
import {
  countLeaves,
  describeDef,
  flattenUpTo,
  flattenWith,
  isPlainObject,
  keyText,
  leafKeyPaths,
  treedefDiff,
  unflatten as unflattenTree,
  type Leaf,
  type TreeDef,
} from "./trace/pytree.js";
import { isRegisteredClass, nodeKindOf, pyRepr, type PathKey } from "./trace/pytreeNodes.js";

export type IsLeaf = (x: unknown) => boolean;

/** `{ is_leaf }`, jax.tree's keyword: a value it accepts is a leaf, whatever it is. */
export interface TreeOptions {
  readonly is_leaf?: IsLeaf;
}

/** A complex array is one leaf, as in JAX (`tree.map(np.conj, grads)` conjugates it), though jit
 *  and the transformations carry it as its two parts (trace/complexValue.ts). */
const leafTest = (isLeaf?: IsLeaf): IsLeaf => (isLeaf ? (x) => isComplex(x) || isLeaf(x) : isComplex);

/** tree.*'s flatten: a value that is not a pytree is a JitScopeError naming `what`'s path. */
export function flatTree(value: unknown, what: string, isLeaf?: IsLeaf): { leaves: Leaf[]; treedef: TreeDef } {
  try {
    // With is_leaf, a leaf may be any value it accepts; Leaf stays the common case's type.
    return flattenWith(value, what, leafTest(isLeaf)) as { leaves: Leaf[]; treedef: TreeDef };
  } catch (e) {
    if (e instanceof TypeError) throw new JitScopeError("value", e.message.replace(/^jit: /, "tree: "));
    throw e;
  }
}

/** What our trees hold as leaves without is_leaf: arrays, JS numbers, complex arrays. */
const isPlainLeaf = (x: unknown): boolean => x instanceof Tracer || typeof x === "number" || isComplex(x);

function describe(x: unknown): string {
  // toString, not String(): an array refuses to become a string by coercion (trace/core.ts).
  if (x instanceof Tracer || isComplex(x)) return `an array, ${x.toString()}`;
  if (typeof x === "number") return `a number (${x})`;
  if (typeof x === "string") return `a string (${JSON.stringify(x.slice(0, 20))})`;
  if (typeof x === "function") return "a function";
  if (typeof x === "object" && x !== null) return `an object of class ${x.constructor?.name ?? "unknown"}`;
  return String(x);
}

// ---------------------------------------------------------------------------------------------
// Treedefs: JAX's PyTreeDef questions over our plain TreeDef.

/** JAX's PyTreeDef over a TreeDef (`new PyTreeDef(tree.structure(x)).num_leaves`). */
export class PyTreeDef {
  constructor(readonly treedef: TreeDef) {
    asTreeDef(treedef, "PyTreeDef", "treedef");
  }
  /** Leaves (arrays and numbers). */
  get num_leaves(): number {
    return countLeaves(this.treedef);
  }
  /** Nodes, leaves and empty (null) nodes included, as JAX counts them. */
  get num_nodes(): number {
    return numNodes(this.treedef);
  }
  children(): PyTreeDef[] {
    return treedef_children(this.treedef).map((c) => new PyTreeDef(c));
  }
  unflatten<T = unknown>(leaves: readonly unknown[]): T {
    return unflattenTree<T>(this.treedef, leaves);
  }
  /** The parts of `tree` at this structure's leaves (a leaf here takes a whole subtree there). */
  flatten_up_to(tree: unknown): unknown[] {
    try {
      return flattenUpTo(this.treedef, tree, "tree");
    } catch (e) {
      if (e instanceof TypeError) throw new JitScopeError("value", `PyTreeDef.flatten_up_to: ${e.message}`);
      throw e;
    }
  }
  /** This structure with `inner` in place of each leaf. */
  compose(inner: TreeDefLike): PyTreeDef {
    return new PyTreeDef(compose(this.treedef, asTreeDef(inner, "PyTreeDef.compose", "inner")));
  }
  equals(other: TreeDefLike): boolean {
    return treedefDiff(this.treedef, asTreeDef(other, "PyTreeDef.equals", "other")) === null;
  }
  /** As JAX prints it: `PyTreeDef([*, {'a': *}])` (our lists print as JAX's lists). */
  toString(): string {
    return `PyTreeDef(${jaxText(this.treedef)})`;
  }
}

/** A treedef as tree.structure gives it, or wrapped in PyTreeDef. */
export type TreeDefLike = TreeDef | PyTreeDef;

const KINDS = new Set(["leaf", "number", "none", "list", "dict", "custom"]);

function asTreeDef(t: unknown, api: string, arg: string): TreeDef {
  if (t instanceof PyTreeDef) return t.treedef;
  if (t !== null && typeof t === "object" && KINDS.has((t as { kind?: string }).kind ?? "")) return t as TreeDef;
  throw new JitScopeError("value", `${api}: ${arg} must be a treedef (from tree.structure), got ${describe(t)}`);
}

function numNodes(t: TreeDef): number {
  return t.kind === "list" || t.kind === "dict" || t.kind === "custom"
    ? t.children.reduce((n, c) => n + numNodes(c), 1)
    : 1;
}

function compose(outer: TreeDef, inner: TreeDef): TreeDef {
  switch (outer.kind) {
    case "leaf":
    case "number":
      return inner;
    case "none":
      return outer;
    case "list":
    case "dict":
    case "custom":
      return { ...outer, children: outer.children.map((c) => compose(c, inner)) };
    default:
      return outer satisfies never;
  }
}

function jaxText(t: TreeDef): string {
  switch (t.kind) {
    case "leaf":
    case "number":
      return "*";
    case "none":
      return "None";
    case "list":
      return `[${t.children.map(jaxText).join(", ")}]`;
    case "dict":
      return `{${t.keys.map((k, i) => `${pyRepr(k)}: ${jaxText(t.children[i]!)}`).join(", ")}}`;
    case "custom":
      return `CustomNode(${t.node.name}[${t.auxKey}], [${t.children.map(jaxText).join(", ")}])`;
    default:
      return t satisfies never;
  }
}

/** The structures of a treedef's immediate children (none for a leaf). */
export function treedef_children(treedef: TreeDefLike): TreeDef[] {
  const t = asTreeDef(treedef, "tree_util.treedef_children", "treedef");
  return t.kind === "list" || t.kind === "dict" || t.kind === "custom" ? [...t.children] : [];
}

/** True for a treedef of one node: a leaf, and also null and an empty list or object, as JAX's. */
export function treedef_is_leaf(treedef: TreeDefLike): boolean {
  return numNodes(asTreeDef(treedef, "tree_util.treedef_is_leaf", "treedef")) === 1;
}

/** The structure of a list of the given structures (JAX's tuple: JS has lists only). */
export function treedef_tuple(treedefs: Iterable<TreeDefLike>): TreeDef {
  const children = [...treedefs].map((t, i) => asTreeDef(t, "tree_util.treedef_tuple", `treedefs[${i}]`));
  return { kind: "list", children };
}

// ---------------------------------------------------------------------------------------------
// Questions about values.

/** Python's truth value of a non-array leaf (tree.all's): 0 is false, NaN true, empty false. */
function pyTruth(x: unknown): boolean {
  if (typeof x === "number") return x !== 0;
  if (typeof x === "string" || Array.isArray(x)) return x.length > 0;
  if (isPlainObject(x)) return Object.keys(x).length > 0;
  return Boolean(x);
}

/** True when every leaf is true, as jax.tree.all. Booleans are leaves here (a tree.map of a
 *  predicate gives them). An array leaf is refused: its value needs an await to read (reduce it
 *  with np.all and `await x.item()`), and one of several elements has no truth value in JAX. */
export function all(tree: unknown, options?: TreeOptions): boolean {
  const isLeaf = options?.is_leaf;
  const f = flatTree(tree, "tree", (x) => typeof x === "boolean" || (isLeaf ? isLeaf(x) : false));
  const paths = leafKeyPaths(f.treedef);
  return f.leaves.every((leaf: unknown, i) => {
    if (!(leaf instanceof Tracer || isComplex(leaf))) return pyTruth(leaf);
    const where = paths[i]!.map(keyText).join("") || "(the root)";
    const size = (leaf as { size: number }).size;
    throw new JitScopeError(
      "value",
      size > 1
        ? `tree.all: the leaf at ${where} is ${describe(leaf)}; the truth value of an array with more than one ` +
            `element is ambiguous: reduce it with np.all or np.any first`
        : `tree.all: the leaf at ${where} is ${describe(leaf)}, whose truth value JS cannot read without an ` +
            `await: read it with \`await x.item()\` (under jit, use np.all and lax.cond / np.where)`,
    );
  });
}

/** Whether every item of `iterable` is a leaf (an array or number, or what is_leaf accepts), as
 *  jax.tree_util.all_leaves. is_leaf may be given bare or as `{ is_leaf }`. */
export function all_leaves(iterable: Iterable<unknown>, isLeaf?: IsLeaf | TreeOptions): boolean {
  const items = [...iterable];
  const test = typeof isLeaf === "function" ? isLeaf : isLeaf?.is_leaf;
  if (!test) return items.every(isPlainLeaf);
  // JAX flattens the list with is_leaf, so is_leaf sees the list itself first.
  if (test(items)) return false;
  return items.every((x) => test(x) || isPlainLeaf(x));
}

/** Whether instances of `cls` are pytree nodes: Array, Object (plain objects), a registered
 *  class, and null (JAX's NoneType, an empty node). A complex array is a leaf to tree.*. */
export function is_tree_node(cls: unknown): boolean {
  if (cls === null) return true;
  if (typeof cls !== "function" || cls === Complex) return false;
  return cls === Array || cls === Object || isRegisteredClass(cls);
}

function oneLevel(x: unknown, api: string): { children: unknown[]; keys: PathKey[]; aux: unknown } {
  if (x === null || x === undefined) return { children: [], keys: [], aux: null };
  if (Array.isArray(x)) return { children: [...x], keys: x.map((_, i) => i), aux: null };
  if (isPlainObject(x)) {
    const keys = Object.keys(x);
    return { children: keys.map((k) => x[k]), keys, aux: keys };
  }
  const node = typeof x === "object" || typeof x === "function" ? nodeKindOf(x as object) : undefined;
  if (node && !isComplex(x)) return node.flatten(x as object);
  const leaf = isPlainLeaf(x) ? ": it is a leaf" : ": it is not a pytree node";
  throw new JitScopeError("value", `tree_util.${api}: can't tree-flatten ${describe(x)}${leaf}`);
}

/** [children, node data] of a node (a list's data is null, an object's its keys, a registered
 *  class's its aux), as jax.tree_util.flatten_one_level; a leaf is refused. */
export function flatten_one_level(tree: unknown): [unknown[], unknown] {
  const one = oneLevel(tree, "flatten_one_level");
  return [one.children, one.aux];
}

/** [[[key, child]…], node data], the keys as our paths write them (strings, indices, GetAttrKey). */
export function flatten_one_level_with_keys(tree: unknown): [[PathKey, unknown][], unknown] {
  const one = oneLevel(tree, "flatten_one_level_with_keys");
  return [one.children.map((c, i): [PathKey, unknown] => [one.keys[i]!, c]), one.aux];
}

// ---------------------------------------------------------------------------------------------
// Restructuring and reduction.

/** A tree of outer_treedef's structure of trees of inner_treedef's, turned inside out, as
 *  jax.tree.transpose; inner_treedef null takes the first outer leaf's structure. */
export function transpose<T = unknown>(
  outer_treedef: TreeDefLike,
  inner_treedef: TreeDefLike | null | undefined,
  pytree_to_transpose: unknown,
): T {
  const api = "tree.transpose";
  const outer = asTreeDef(outer_treedef, api, "outer_treedef");
  const mismatch = (detail: string, inner?: TreeDef): never => {
    let shapes = "";
    try {
      const actual = jaxText(flatTree(pytree_to_transpose, "pytree_to_transpose").treedef);
      shapes = ` PyTreeDef(${actual}) != PyTreeDef(${jaxText(inner ? compose(outer, inner) : outer)})`;
    } catch {
      // A value that is no pytree at all: the detail says where.
    }
    throw new JitScopeError("value", `${api}: Mismatch:${shapes} (${detail})`);
  };
  let subtrees: unknown[] = [];
  try {
    subtrees = flattenUpTo(outer, pytree_to_transpose, "pytree_to_transpose");
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    mismatch(`outer_treedef: ${e.message}`);
  }
  let inner: TreeDef;
  if (inner_treedef !== null && inner_treedef !== undefined) inner = asTreeDef(inner_treedef, api, "inner_treedef");
  else if (subtrees.length > 0) inner = flatTree(subtrees[0], "pytree_to_transpose").treedef;
  else throw new JitScopeError("value", `${api}: outer_treedef has no leaves, so pass inner_treedef`);
  const outerPaths = leafKeyPaths(outer);
  const rows = subtrees.map((sub, k) => {
    const where = `pytree_to_transpose${outerPaths[k]!.map(keyText).join("")}`;
    let row: unknown[] = [];
    try {
      row = flattenUpTo(inner, sub, where);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      mismatch(e.message, inner);
    }
    const deeper = row.findIndex((x) => !isPlainLeaf(x));
    if (deeper >= 0) {
      const path = leafKeyPaths(inner)[deeper]!.map(keyText).join("");
      mismatch(`${where}${path}: expected a leaf, got ${describe(row[deeper])}`, inner);
    }
    return row;
  });
  const columns = Array.from({ length: countLeaves(inner) }, (_, j) =>
    unflattenTree(
      outer,
      rows.map((r) => r[j]),
    ),
  );
  return unflattenTree<T>(inner, columns);
}

/** The prefix's leaves, each repeated over the leaves of the full tree's subtree where it
 *  stands, in the full tree's order (an object's keys may come in another order there). */
function broadcastInto(p: TreeDef, leaves: readonly unknown[], start: number, f: TreeDef, where: string): unknown[] {
  if (p.kind === "leaf" || p.kind === "number") return Array<unknown>(countLeaves(f)).fill(leaves[start]);
  const fail = (): never => {
    throw new JitScopeError(
      "value",
      `tree.broadcast: prefix_tree is not a prefix of full_tree: at ${where}, prefix_tree has ${describeDef(p)} ` +
        `but full_tree has ${describeDef(f)}`,
    );
  };
  if (p.kind === "none") return f.kind === "none" ? [] : fail();
  if (f.kind !== p.kind || f.children.length !== p.children.length) return fail();
  const starts: number[] = [];
  p.children.reduce((n, c) => (starts.push(n), n + countLeaves(c)), start);
  if (p.kind === "dict" && f.kind === "dict") {
    if (f.keys.some((k) => !p.keys.includes(k))) return fail();
    return f.keys.flatMap((k, i) => {
      const j = p.keys.indexOf(k);
      return broadcastInto(p.children[j]!, leaves, starts[j]!, f.children[i]!, `${where}${keyText(k)}`);
    });
  }
  if (p.kind === "custom" && f.kind === "custom" && (p.node !== f.node || p.auxKey !== f.auxKey)) return fail();
  const keys: readonly PathKey[] = p.kind === "custom" ? p.keys : p.children.map((_, i) => i);
  return p.children.flatMap((c, i) =>
    broadcastInto(c, leaves, starts[i]!, f.children[i]!, `${where}${keyText(keys[i]!)}`),
  );
}

/** full_tree with each of prefix_tree's leaves repeated over the subtree where it stands, as
 *  jax.tree.broadcast: `tree.broadcast(0.01, params)` gives a learning rate per parameter. */
export function broadcast<T = unknown>(prefix_tree: unknown, full_tree: T, options?: TreeOptions): T {
  const p = flatTree(prefix_tree, "prefix_tree", options?.is_leaf);
  const f = flatTree(full_tree, "full_tree");
  return unflattenTree<T>(f.treedef, broadcastInto(p.treedef, p.leaves, 0, f.treedef, "prefix_tree"));
}

/** `{ identity, is_leaf }`: identity is the result for a tree with no leaves. */
export interface ReduceAssociativeOptions<R> extends TreeOptions {
  readonly identity?: R;
}

/** The leaves combined pairwise by an associative `operation`, halves first (JAX's order: 5
 *  leaves give op(op(a, b), op(c, op(d, e)))), as jax.tree.reduce_associative. */
export function reduce_associative<R>(
  operation: (a: R, b: R) => R,
  tree: unknown,
  options?: ReduceAssociativeOptions<R>,
): R {
  if (typeof operation !== "function")
    throw new JitScopeError(
      "value",
      `tree.reduce_associative: the first argument must be a function, got ${typeof operation}`,
    );
  const leaves = flatTree(tree, "tree", options?.is_leaf).leaves as unknown as R[];
  if (leaves.length === 0) {
    if (options && "identity" in options) return options.identity as R;
    throw new JitScopeError("value", "tree.reduce_associative: a tree with no leaves needs { identity }");
  }
  const halves = (lo: number, hi: number): R => {
    if (hi - lo === 1) return leaves[lo]!;
    const mid = lo + Math.floor((hi - lo) / 2);
    return operation(halves(lo, mid), halves(mid, hi));
  };
  return halves(0, leaves.length);
}
