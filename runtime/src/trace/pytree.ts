// Pytrees: nested arrays/objects whose leaves are arrays (and JS numbers), as in JAX.
// jit flattens its arguments to a list of leaves plus a structure (TreeDef), traces on the
// leaves, and unflattens the results. Structures compare with a readable diff so a call with
// the wrong shape of arguments says where it differs ("argument 0.w: expected an array, got …").

import { Tracer } from "./core.js";

export type TreeDef =
  | { readonly kind: "leaf" } // an array (Tracer)
  | { readonly kind: "number" } // a JS number leaf
  | { readonly kind: "none"; readonly value: null | undefined }
  | { readonly kind: "list"; readonly children: readonly TreeDef[] }
  | { readonly kind: "dict"; readonly keys: readonly string[]; readonly children: readonly TreeDef[] };

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

/** Flattens `value`; throws on values that are neither arrays, numbers, lists nor plain objects. */
export function flatten(value: unknown, what = "value"): Flattened {
  const leaves: Leaf[] = [];
  const walk = (x: unknown, path: string): TreeDef => {
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
    throw new TypeError(
      `jit: ${path} is ${describeValue(x)}; arguments and results must be arrays, numbers, or nested lists/objects of them`,
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
    default:
      return t satisfies never;
  }
}

function describeDef(t: TreeDef): string {
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
    default:
      return expected satisfies never;
  }
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
export function leafKeyPaths(treedef: TreeDef): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (t: TreeDef, path: (string | number)[]): void => {
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
        t.children.forEach((c, i) => walk(c, [...path, t.keys[i]!]));
        return;
      default:
        t satisfies never;
    }
  };
  walk(treedef, []);
  return out;
}
