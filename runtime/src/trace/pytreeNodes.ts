// Custom pytree nodes: classes whose instances jit, grad, vmap, scan and tree.* look inside, as
// JAX's tree_util.register_pytree_node / register_pytree_with_keys / register_pytree_node_class /
// register_pytree_with_keys_class / register_dataclass / register_static. An instance flattens
// to its children (pytrees themselves) and an aux value; the aux is part of the structure, so a
// jitted function called with a different aux retraces, as in JAX. Lookup is by the instance's
// exact class (a subclass registers on its own), as JAX's.

import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "./core.js";

/** A dataclass field's key in a leaf's path; keystr writes it `.name`, as JAX's GetAttrKey. */
export class GetAttrKey {
  constructor(readonly name: string) {}
  toString(): string {
    return `.${this.name}`;
  }
}

/** A child's position in a node registered without keys; keystr writes `[<flat index i>]`. */
export class FlattenedIndexKey {
  constructor(readonly key: number) {}
  toString(): string {
    return `[<flat index ${this.key}>]`;
  }
}

/** A dict key as JAX's DictKey: `.key`, written `['w']`. Our own paths use the bare string; a
 *  node registered with keys may name its children with these (JAX code does). */
export class DictKey {
  constructor(readonly key: string | number) {}
  toString(): string {
    return `[${pyRepr(this.key)}]`;
  }
}

/** A list position as JAX's SequenceKey: `.idx`, written `[0]` (our own paths use the number). */
export class SequenceKey {
  constructor(readonly idx: number) {}
  toString(): string {
    return `[${this.idx}]`;
  }
}

/** One step of a leaf's path: an object key, a list index, an attribute, or a flat index. */
export type PathKey = string | number | GetAttrKey | FlattenedIndexKey | DictKey | SequenceKey;

/** A key as Python's repr writes it (keystr's `['w']`, `["it's"]`). */
export function pyRepr(k: string | number): string {
  if (typeof k === "number") return String(k);
  const quote = k.includes("'") && !k.includes('"') ? '"' : "'";
  const body = k.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

/** A path step's bare name: a key, an index, an attribute's name. */
export function keyName(k: PathKey): string {
  if (typeof k === "string" || typeof k === "number") return String(k);
  if (k instanceof GetAttrKey) return k.name;
  if (k instanceof SequenceKey) return String(k.idx);
  return String(k.key);
}

type Class = abstract new (...args: never[]) => unknown;

export interface NodeKind {
  readonly cls: Class;
  readonly name: string;
  flatten(x: object): { children: unknown[]; keys: PathKey[]; aux: unknown };
  unflatten(aux: unknown, children: unknown[]): unknown;
}

const registry = new Map<unknown, NodeKind>();

/** The registered kind of `x`'s exact class, if any. */
export function nodeKindOf(x: object): NodeKind | undefined {
  if (registry.size === 0) return undefined;
  const proto = Object.getPrototypeOf(x) as { constructor?: unknown } | null;
  return proto ? registry.get(proto.constructor) : undefined;
}

function register(api: string, cls: unknown, kind: Omit<NodeKind, "cls" | "name">): void {
  if (typeof cls !== "function")
    throw new JitScopeError("value", `tree_util.${api}: the first argument must be a class, got ${typeof cls}`);
  const c = cls as Class;
  if (cls === Object || cls === Array || cls === Function || cls.prototype instanceof Tracer || cls === Tracer)
    throw new JitScopeError(
      "value",
      `tree_util.${api}: ${cls.name} is a built-in pytree type and cannot be registered`,
    );
  if (registry.has(cls))
    throw new JitScopeError("value", `tree_util.${api}: ${cls.name} is already registered as a pytree node`);
  registry.set(cls, { cls: c, name: cls.name || "anonymous class", ...kind });
}

function childList(api: string, name: string, value: unknown, what: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === "object" && Symbol.iterator in value) return [...(value as Iterable<unknown>)];
  throw new JitScopeError("value", `tree_util.${api}: ${name}'s ${what} returned ${typeof value}, not a list`);
}

function pair(api: string, name: string, fnName: string, out: unknown): [unknown, unknown] {
  if (!Array.isArray(out) || out.length !== 2)
    throw new JitScopeError(
      "value",
      `tree_util.${api}: ${name}'s ${fnName} must return [children, aux], got ${Array.isArray(out) ? `a list of ${out.length}` : typeof out}`,
    );
  return [out[0], out[1]];
}

/** jax.tree_util.register_pytree_node: `flatten(x)` returns [children, aux] and
 *  `unflatten(aux, children)` rebuilds an instance. A child's path key is its flat index. */
export function register_pytree_node<T extends object>(
  cls: abstract new (...args: never[]) => T,
  flatten: (x: T) => readonly [Iterable<unknown>, unknown] | [Iterable<unknown>, unknown],
  unflatten: (aux: never, children: unknown[]) => T,
): void {
  const api = "register_pytree_node";
  if (typeof flatten !== "function" || typeof unflatten !== "function")
    throw new JitScopeError("value", `tree_util.${api}: flatten and unflatten must be functions`);
  const name = (cls as { name?: string }).name ?? "class";
  register(api, cls, {
    flatten: (x) => {
      const [children, aux] = pair(api, name, "flatten", flatten(x as T));
      const list = childList(api, name, children, "flatten");
      return { children: list, keys: list.map((_, i) => new FlattenedIndexKey(i)), aux };
    },
    unflatten: (aux, children) => (unflatten as (a: unknown, c: unknown[]) => T)(aux, children),
  });
}

/** jax.tree_util.register_pytree_with_keys: `flattenWithKeys(x)` returns [[[key, child]…], aux];
 *  the keys (strings, numbers, GetAttrKey, DictKey, SequenceKey or FlattenedIndexKey) name the
 *  children in paths, as given. */
export function register_pytree_with_keys<T extends object>(
  cls: abstract new (...args: never[]) => T,
  flattenWithKeys: (x: T) => readonly [Iterable<readonly [PathKey, unknown]>, unknown],
  unflatten: (aux: never, children: unknown[]) => T,
): void {
  registerWithKeys("register_pytree_with_keys", cls, flattenWithKeys, unflatten);
}

function registerWithKeys<T extends object>(
  api: string,
  cls: abstract new (...args: never[]) => T,
  flattenWithKeys: (x: T) => readonly [Iterable<readonly [PathKey, unknown]>, unknown],
  unflatten: (aux: never, children: unknown[]) => T,
): void {
  if (typeof flattenWithKeys !== "function" || typeof unflatten !== "function")
    throw new JitScopeError("value", `tree_util.${api}: flatten_with_keys and unflatten must be functions`);
  const name = (cls as { name?: string }).name ?? "class";
  register(api, cls, {
    flatten: (x) => {
      const [entries, aux] = pair(api, name, "flatten_with_keys", flattenWithKeys(x as T));
      const list = childList(api, name, entries, "flatten_with_keys");
      const keys: PathKey[] = [];
      const children = list.map((e, i) => {
        if (!Array.isArray(e) || e.length !== 2)
          throw new JitScopeError("value", `tree_util.${api}: ${name}'s child ${i} is not a [key, child] pair`);
        keys.push(e[0] as PathKey);
        return e[1] as unknown;
      });
      return { children, keys, aux };
    },
    unflatten: (aux, children) => (unflatten as (a: unknown, c: unknown[]) => T)(aux, children),
  });
}

/** jax.tree_util.register_pytree_node_class: the class's own `tree_flatten()` method and static
 *  `tree_unflatten(aux, children)`. Returns the class, as the decorator does. */
export function register_pytree_node_class<C extends abstract new (...args: never[]) => object>(cls: C): C {
  const api = "register_pytree_node_class";
  const c = cls as unknown as { name: string; tree_unflatten?: unknown; prototype?: { tree_flatten?: unknown } };
  if (
    typeof cls === "function" &&
    (typeof c.tree_unflatten !== "function" || typeof c.prototype?.tree_flatten !== "function")
  )
    throw new JitScopeError(
      "value",
      `tree_util.${api}: ${c.name} needs a tree_flatten() method and a static tree_unflatten(aux, children)`,
    );
  type WithFlatten = { tree_flatten(): [Iterable<unknown>, unknown] };
  register_pytree_node(
    cls as unknown as abstract new (...args: never[]) => WithFlatten,
    (x) => x.tree_flatten(),
    (aux, children) => (c.tree_unflatten as (a: unknown, ch: unknown[]) => WithFlatten)(aux, children),
  );
  return cls;
}

/** jax.tree_util.register_pytree_with_keys_class: the class's own `tree_flatten_with_keys()`
 *  method (returning [[[key, child]…], aux]) and static `tree_unflatten(aux, children)`. Returns
 *  the class, as the decorator does. */
export function register_pytree_with_keys_class<C extends abstract new (...args: never[]) => object>(cls: C): C {
  const api = "register_pytree_with_keys_class";
  const c = cls as unknown as {
    name: string;
    tree_unflatten?: unknown;
    prototype?: { tree_flatten_with_keys?: unknown };
  };
  if (
    typeof cls === "function" &&
    (typeof c.tree_unflatten !== "function" || typeof c.prototype?.tree_flatten_with_keys !== "function")
  )
    throw new JitScopeError(
      "value",
      `tree_util.${api}: ${c.name} needs a tree_flatten_with_keys() method and a static tree_unflatten(aux, children)`,
    );
  type WithKeys = { tree_flatten_with_keys(): [Iterable<readonly [PathKey, unknown]>, unknown] };
  registerWithKeys(
    api,
    cls as unknown as abstract new (...args: never[]) => WithKeys,
    (x) => x.tree_flatten_with_keys(),
    (aux, children) => (c.tree_unflatten as (a: unknown, ch: unknown[]) => WithKeys)(aux, children),
  );
  return cls;
}

/** Classes registered by register_static: their instances compare by content as aux data. */
const staticClasses = new Set<unknown>();

/** jax.tree_util.register_static: an instance is a node with no children whose aux is the
 *  instance itself, so jit treats it as static (a JS constant in the trace; another value
 *  retraces). Instances compare by class and own fields, as a frozen dataclass's do in JAX. */
export function register_static<C extends abstract new (...args: never[]) => object>(cls: C): C {
  register("register_static", cls, {
    flatten: (x) => ({ children: [], keys: [], aux: x }),
    unflatten: (aux) => aux,
  });
  staticClasses.add(cls);
  return cls;
}

/** Whether `cls` is a class registered as a pytree node (any register_* function). */
export function isRegisteredClass(cls: unknown): boolean {
  return registry.has(cls);
}

/** jax.tree_util.register_dataclass: the fields in `dataFields` are children (path keys
 *  `.name`), those in `metaFields` are the aux (compared, never traced). Without `dataFields`,
 *  every own field of an instance that is not in `metaFields` is a child. An instance is rebuilt
 *  on the class's prototype with its fields assigned; the constructor is not called. */
export function register_dataclass<C extends abstract new (...args: never[]) => object>(
  cls: C,
  dataFields?: readonly string[] | null,
  metaFields?: readonly string[] | null,
): C {
  const api = "register_dataclass";
  for (const [what, list] of [
    ["data_fields", dataFields],
    ["meta_fields", metaFields],
  ] as const) {
    if (list !== undefined && list !== null && (!Array.isArray(list) || list.some((f) => typeof f !== "string")))
      throw new JitScopeError("value", `tree_util.${api}: ${what} must be a list of field names`);
  }
  const meta = [...(metaFields ?? [])];
  const name = (cls as { name?: string }).name ?? "class";
  // The aux is the meta fields by name ({ act: "tanh" }), so a retrace reason reads as such; the
  // data fields' names join it only where they are inferred per instance.
  register(api, cls, {
    flatten: (x) => {
      const rec = x as Record<string, unknown>;
      const data = dataFields ? [...dataFields] : Object.keys(rec).filter((k) => !meta.includes(k));
      for (const f of [...data, ...meta])
        if (!(f in rec)) throw new JitScopeError("value", `tree_util.${api}: a ${name} has no field "${f}"`);
      const metaValues = Object.fromEntries(meta.map((f) => [f, rec[f]]));
      return {
        children: data.map((f) => rec[f]),
        keys: data.map((f) => new GetAttrKey(f)),
        aux: dataFields ? metaValues : [data, metaValues],
      };
    },
    unflatten: (aux, children) => {
      const [data, metaValues] = (dataFields ? [dataFields, aux] : aux) as [readonly string[], Record<string, unknown>];
      const out = Object.create((cls as { prototype: object }).prototype as object) as Record<string, unknown>;
      data.forEach((f, i) => (out[f] = children[i]));
      Object.assign(out, metaValues);
      return out;
    },
  });
  return cls;
}

const identities = new WeakMap<object, number>();
let nextIdentity = 0;

/** A text equal for equal aux values: JSON-like values by content, anything else by identity.
 *  An array in the aux is an error: it would be baked into a traced program. */
export function auxText(v: unknown, node: string): string {
  if (v === null || v === undefined || typeof v === "boolean") return String(v);
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (v instanceof Tracer)
    throw new JitScopeError(
      "value",
      `tree_util: ${node}'s aux data holds an array; return arrays among the children, where they are traced`,
    );
  if (Array.isArray(v)) return `[${v.map((c) => auxText(c, node)).join(",")}]`;
  if (typeof v === "object" || typeof v === "function") {
    const proto = Object.getPrototypeOf(v) as unknown;
    if (typeof v === "object" && (proto === Object.prototype || proto === null)) {
      const rec = v as Record<string, unknown>;
      return `{${Object.keys(rec)
        .map((k) => `${JSON.stringify(k)}:${auxText(rec[k], node)}`)
        .join(",")}}`;
    }
    if (typeof v === "object" && staticClasses.has((proto as { constructor?: unknown } | null)?.constructor)) {
      const rec = v as Record<string, unknown>;
      const fields = Object.keys(rec).map((k) => `${JSON.stringify(k)}:${auxText(rec[k], node)}`);
      return `${(proto as { constructor: { name: string } }).constructor.name}{${fields.join(",")}}`;
    }
    let id = identities.get(v);
    if (id === undefined) identities.set(v, (id = nextIdentity++));
    return `#${id}`;
  }
  return String(v);
}
