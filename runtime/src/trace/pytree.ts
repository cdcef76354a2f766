// Pytrees: nested arrays/objects whose leaves are arrays (and JS numbers), as in JAX.
// jit flattens its arguments to a list of leaves plus a structure (TreeDef), traces on the
// leaves, and unflattens the results. Structures compare with a readable diff so a call with
// the wrong shape of arguments says where it differs ("argument 0.w: expected an array, got …").

import { Tracer } from "./core.js";
import { auxText, nodeKindOf, type NodeKind, type PathKey } from "./pytreeNodes.js";

export type TreeDef =
  | { readonly kind: "leaf" } // an array (Tracer)
  | { readonly kind: "number" } // a JS number leaf
  | { readonly kind: "none"; readonly value: null | undefined }
  | { readonly kind: "list"; readonly children: readonly TreeDef[] }
  | { readonly kind: "dict"; readonly keys: readonly string[]; readonly children: readonly TreeDef[] }
  | {
      // an instance of a class registered with tree_util (pytreeNodes.ts)
      readonly kind: "custom";
      readonly node: NodeKind;
      readonly aux: unknown;
      readonly auxKey: string; // equal for equal aux values
      readonly keys: readonly PathKey[];
      readonly children: readonly TreeDef[];
    };

export type Leaf = Tracer | number;

export interface Flattened {
  readonly leaves: Leaf[];
  readonly treedef: TreeDef;
}

const LEAF: TreeDef = { kind: "leaf" };
const NUMBER: TreeDef = { kind: "number" };

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object") return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Flattens `value`; throws on values that are neither arrays, numbers, lists, plain objects nor
 *  instances of registered classes. `isLeaf` (tree.map's is_leaf) stops the walk where it says. */
export function flatten(value: unknown, what = "value"): Flattened {
  return flattenWith(value, what) as Flattened;
}

/** flatten with tree.*'s is_leaf: a value it accepts is a leaf, whatever it is. */
export function flattenWith(
  value: unknown,
  what: string,
  isLeaf?: (x: unknown) => boolean,
): { leaves: unknown[]; treedef: TreeDef } {
  const leaves: unknown[] = [];
  const walk = (x: unknown, path: string): TreeDef => {
    if (isLeaf && isLeaf(x)) {
      leaves.push(x);
      return LEAF;
    }
    if (x instanceof Tracer) {
      leaves.push(x);
      return LEAF;
    }
    if (typeof x === "number") {
      leaves.push(x);
      return NUMBER;
    }
    if (x === null || x === undefined) return { kind: "none", value: x };
    if (Array.isArray(x)) return { kind: "list", children: x.map((c, i) => walk(c, `${path}[${i}]`)) };
    if (isPlainObject(x)) {
      const keys = Object.keys(x);
      return { kind: "dict", keys, children: keys.map((k) => walk(x[k], `${path}.${k}`)) };
    }
    // A registered class's instance (tree_util.Partial's is a function object).
    const node = typeof x === "object" || typeof x === "function" ? nodeKindOf(x as object) : undefined;
    if (node) {
      const { children, keys, aux } = node.flatten(x as object);
      return {
        kind: "custom",
        node,
        aux,
        auxKey: auxText(aux, node.name),
        keys,
        children: children.map((c, i) => walk(c, `${path}${keyText(keys[i]!)}`)),
      };
    }
    const hint =
      typeof x === "object"
        ? ` (to pass instances of a class, register it: tree_util.register_dataclass(${x.constructor?.name || "TheClass"}), or register_pytree_node)`
        : "";
    throw new TypeError(
      `jit: ${path} is ${describeValue(x)}; arguments and results must be arrays, numbers, or nested lists/objects of them${hint}`,
    );
  };
  const treedef = walk(value, what);
  return { leaves, treedef };
}

/** Rebuilds a structure from leaves (consumed in flatten's order). */
export function unflatten<T = unknown>(treedef: TreeDef, leaves: readonly unknown[]): T {
  let i = 0;
  const build = (t: TreeDef): unknown => {
    switch (t.kind) {
      case "leaf":
      case "number":
        if (i >= leaves.length) throw new Error("unflatten: too few leaves");
        return leaves[i++];
      case "none":
        return t.value;
      case "list":
        return t.children.map(build);
      case "dict": {
        const out: Record<string, unknown> = {};
        t.keys.forEach((k, j) => (out[k] = build(t.children[j]!)));
        return out;
      }
      case "custom":
        return t.node.unflatten(t.aux, t.children.map(build));
      default:
        return t satisfies never;
    }
  };
  const result = build(treedef);
  if (i !== leaves.length) throw new Error(`unflatten: ${leaves.length - i} leaves left over`);
  return result as T;
}

export function countLeaves(t: TreeDef): number {
  switch (t.kind) {
    case "leaf":
    case "number":
      return 1;
    case "none":
      return 0;
    case "list":
    case "dict":
    case "custom":
      return t.children.reduce((n, c) => n + countLeaves(c), 0);
    default:
      return t satisfies never;
  }
}

/** A compact, stable text of the structure: `[*, {w: *, b: *}, #]` (`*` array, `#` number). */
export function treedefToString(t: TreeDef): string {
  switch (t.kind) {
    case "leaf":
      return "*";
    case "number":
      return "#";
    case "none":
      return String(t.value);
    case "list":
      return `[${t.children.map(treedefToString).join(", ")}]`;
    case "dict":
      return `{${t.keys.map((k, i) => `${k}: ${treedefToString(t.children[i]!)}`).join(", ")}}`;
    case "custom":
      return `${t.node.name}[${t.auxKey}](${t.keys.map((k, i) => `${keyText(k)}: ${treedefToString(t.children[i]!)}`).join(", ")})`;
    default:
      return t satisfies never;
  }
}

/** What a treedef node is, in words (error messages). */
export function describeDef(t: TreeDef): string {
  switch (t.kind) {
    case "leaf":
      return "an array";
    case "number":
      return "a number";
    case "none":
      return String(t.value);
    case "list":
      return `a list of ${t.children.length}`;
    case "dict":
      return `an object with keys [${t.keys.join(", ")}]`;
    case "custom":
      return `a ${t.node.name}`;
    default:
      return t satisfies never;
  }
}

/** The first difference between two structures, in words, or null when they are equal. */
export function treedefDiff(expected: TreeDef, actual: TreeDef, path = "value"): string | null {
  if (expected.kind !== actual.kind) return `${path}: expected ${describeDef(expected)}, got ${describeDef(actual)}`;
  switch (expected.kind) {
    case "leaf":
    case "number":
      return null;
    case "none":
      return expected.value === (actual as typeof expected).value
        ? null
        : `${path}: expected ${describeDef(expected)}, got ${describeDef(actual)}`;
    case "list": {
      const a = actual as typeof expected;
      if (a.children.length !== expected.children.length)
        return `${path}: expected ${describeDef(expected)}, got ${describeDef(a)}`;
      for (let i = 0; i < expected.children.length; i++) {
        const d = treedefDiff(expected.children[i]!, a.children[i]!, `${path}[${i}]`);
        if (d) return d;
      }
      return null;
    }
    case "dict": {
      const a = actual as typeof expected;
      if (a.keys.join("\u0000") !== expected.keys.join("\u0000")) {
        return `${path}: expected ${describeDef(expected)}, got ${describeDef(a)}`;
      }
      for (let i = 0; i < expected.keys.length; i++) {
        const d = treedefDiff(expected.children[i]!, a.children[i]!, `${path}.${expected.keys[i]}`);
        if (d) return d;
      }
      return null;
    }
    case "custom": {
      const a = actual as typeof expected;
      if (a.node !== expected.node) return `${path}: expected ${describeDef(expected)}, got ${describeDef(a)}`;
      if (a.auxKey !== expected.auxKey)
        return `${path}: a ${expected.node.name} whose aux data differs (${expected.auxKey} → ${a.auxKey})`;
      if (a.children.length !== expected.children.length)
        return `${path}: a ${expected.node.name} with ${expected.children.length} children, got ${a.children.length}`;
      for (let i = 0; i < expected.children.length; i++) {
        const d = treedefDiff(expected.children[i]!, a.children[i]!, `${path}${keyText(expected.keys[i]!)}`);
        if (d) return d;
      }
      return null;
    }
    default:
      return expected satisfies never;
  }
}

/** The parts of `value` at `treedef`'s leaves, where `treedef` is a prefix of `value`'s
 *  structure (tree.map's other trees, as JAX's flatten_up_to: a leaf there takes a whole subtree
 *  here; object keys may come in any order). Throws a TypeError naming the first difference. */
export function flattenUpTo(treedef: TreeDef, value: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  const fail = (t: TreeDef, x: unknown, where: string): never => {
    throw new TypeError(`${where}: expected ${describeDef(t)}, got ${describeValue(x)}`);
  };
  const walk = (t: TreeDef, x: unknown, where: string): void => {
    switch (t.kind) {
      case "leaf":
      case "number":
        out.push(x);
        return;
      case "none":
        if (x !== null && x !== undefined) fail(t, x, where);
        return;
      case "list":
        if (!Array.isArray(x) || x.length !== t.children.length) fail(t, x, where);
        t.children.forEach((c, i) => walk(c, (x as unknown[])[i], `${where}[${i}]`));
        return;
      case "dict": {
        const keys = isPlainObject(x) ? Object.keys(x) : null;
        if (!keys || keys.length !== t.keys.length || t.keys.some((k) => !keys.includes(k))) fail(t, x, where);
        t.children.forEach((c, i) => walk(c, (x as Record<string, unknown>)[t.keys[i]!], `${where}.${t.keys[i]}`));
        return;
      }
      case "custom": {
        if ((typeof x !== "object" && typeof x !== "function") || x === null || nodeKindOf(x) !== t.node)
          return fail(t, x, where);
        const { children, aux } = t.node.flatten(x);
        const key = auxText(aux, t.node.name);
        if (key !== t.auxKey)
          throw new TypeError(`${where}: a ${t.node.name} whose aux data differs (${t.auxKey} → ${key})`);
        if (children.length !== t.children.length) fail(t, x, where);
        t.children.forEach((c, i) => walk(c, children[i], `${where}${keyText(t.keys[i]!)}`));
        return;
      }
      default:
        t satisfies never;
    }
  };
  walk(treedef, value, path);
  return out;
}

/** A path step as paths in messages write it: `.w`, `[0]`, `[<flat index 0>]`. */
export function keyText(k: PathKey): string {
  if (typeof k === "number") return `[${k}]`;
  if (typeof k === "string") return /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
  return String(k);
}

function describeValue(x: unknown): string {
  if (typeof x === "function") return "a function";
  if (typeof x === "string") return `a string (${JSON.stringify(x.slice(0, 20))})`;
  if (typeof x === "boolean") return `a boolean (${x})`;
  if (typeof x === "bigint") return "a bigint";
  if (typeof x === "object" && x !== null) return `an object of class ${x.constructor?.name ?? "unknown"}`;
  return typeof x;
}

/** The keys and indices from the root to each leaf (arrays and numbers), in flatten's order. */
export function leafKeyPaths(treedef: TreeDef): PathKey[][] {
  const out: PathKey[][] = [];
  const walk = (t: TreeDef, path: PathKey[]): void => {
    switch (t.kind) {
      case "leaf":
      case "number":
        out.push(path);
        return;
      case "none":
        return;
      case "list":
        t.children.forEach((c, i) => walk(c, [...path, i]));
        return;
      case "dict":
      case "custom":
        t.children.forEach((c, i) => walk(c, [...path, t.keys[i]!]));
        return;
      default:
        t satisfies never;
    }
  };
  walk(treedef, []);
  return out;
}
