// optax's masking combinators: `masked` (a transformation applied to some leaves, the others
// passed through), `partition` / `multi_transform` (one transformation per label), `set_to_zero`,
// `freeze` and `selective_transform` (frozen leaves get zero updates). As optax 0.2.8
// (transforms/_masking.py, _combining.py, _freezing.py): a mask is a tree of booleans with the
// params' structure or a prefix of it (`{ encoder: false, head: true }` for nested params), or a
// function of the params (of the updates, in update) returning one. The inner transformation sees
// the masked-out leaves as empty nodes (null), so its state holds only the leaves it transforms.

import { JitScopeError } from "./ir/errors.js";
import * as np from "./np.js";
import { Tracer } from "./trace/core.js";
import * as tree from "./tree.js";
import { named, transformationName, type GradientTransformation } from "./optimTypes.js";

type Empty = Record<string, never>;
/** A tree of `V` with the params' structure or a prefix of it. */
export type PrefixTree<V> = V | null | PrefixTree<V>[] | { [key: string]: PrefixTree<V> };
/** A prefix tree of `V`, or a function of the params (of the updates, in update) returning one.
 *  The function's result is typed loosely: `tree.map(f, params)` is typed as the params' tree;
 *  its leaves are checked when it is called. */
export type MaskSpec<V> = PrefixTree<V> | ((tree: never) => unknown);
export type Mask = MaskSpec<boolean>;

const isNode = (x: unknown): x is Record<string, unknown> | unknown[] =>
  Array.isArray(x) || (typeof x === "object" && x !== null && !(x instanceof Tracer) && isPlain(x));
function isPlain(x: object): boolean {
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}
const isLeaf = (x: unknown): boolean => x instanceof Tracer || typeof x === "number";

/** `value` at every leaf of `full`, its structure kept (empty nodes stay empty). */
function fill<V>(full: unknown, value: V): unknown {
  if (isLeaf(full)) return value;
  if (Array.isArray(full)) return full.map((c) => fill(c, value));
  if (isNode(full)) return Object.fromEntries(Object.entries(full).map(([k, c]) => [k, fill(c, value)]));
  return full;
}

/**
 * The mask (or labels) `prefix` expanded to `full`'s structure: a value where `prefix` has one
 * stands for every leaf below it. Errors name the path where the two trees part.
 */
export function expandPrefix<V>(
  prefix: unknown,
  full: unknown,
  isValue: (x: unknown) => x is V,
  what: string,
  path = "params",
): unknown {
  if (isValue(prefix)) return fill(full, prefix);
  if (full === null || full === undefined) return full;
  const fail = (why: string) => new JitScopeError("value", `${what} at ${path}: ${why}`);
  if (Array.isArray(full)) {
    if (!Array.isArray(prefix) || prefix.length !== full.length)
      throw fail(`the params hold a list of ${full.length} here, the mask ${describe(prefix)}`);
    return full.map((c, i) => expandPrefix(prefix[i], c, isValue, what, `${path}[${i}]`));
  }
  if (isNode(full)) {
    if (!isNode(prefix) || Array.isArray(prefix))
      throw fail(`the params hold an object here, the mask ${describe(prefix)}`);
    const keys = Object.keys(full);
    const extra = Object.keys(prefix).filter((k) => !(k in full));
    if (extra.length) throw fail(`the mask has keys the params lack: ${extra.join(", ")}`);
    const missing = keys.filter((k) => !(k in prefix));
    if (missing.length) throw fail(`the mask lacks keys the params have: ${missing.join(", ")}`);
    const p = prefix as Record<string, unknown>;
    const f = full as Record<string, unknown>;
    return Object.fromEntries(keys.map((k) => [k, expandPrefix(p[k], f[k], isValue, what, `${path}.${k}`)]));
  }
  throw fail(
    prefix instanceof Tracer
      ? `the mask ${describe(prefix)}`
      : `the params hold an array here, the mask ${describe(prefix)}`,
  );
}

function describe(x: unknown): string {
  if (x instanceof Tracer) return "is an array; a mask must be static: JavaScript booleans (or labels), not arrays";
  if (Array.isArray(x)) return `holds a list of ${x.length}`;
  if (x === null || x === undefined) return `is ${String(x)}`;
  if (typeof x === "object") return isPlain(x) ? "holds an object" : `holds an object of class ${x.constructor?.name}`;
  return `holds ${typeof x === "string" ? JSON.stringify(x) : String(x)}`;
}

const isBool = (x: unknown): x is boolean => typeof x === "boolean";

/** The mask for `t` (calling it first if it is a function), as a tree of booleans shaped like `t`. */
function maskFor(mask: Mask, t: unknown, what: string): unknown {
  const m = typeof mask === "function" ? (mask as (x: unknown) => unknown)(t) : mask;
  return expandPrefix(m, t, isBool, `${what}: the mask`);
}

/** `t` with its masked-out leaves as empty nodes. */
function keep(t: unknown, m: unknown): unknown {
  if (typeof m === "boolean") return m ? t : null;
  if (Array.isArray(t)) return t.map((c, i) => keep(c, (m as unknown[])[i]));
  if (isNode(t))
    return Object.fromEntries(Object.entries(t).map(([k, c]) => [k, keep(c, (m as Record<string, unknown>)[k])]));
  return t;
}

/** Leaf by leaf: `inner`'s leaf where the mask is true, `outer`'s elsewhere. */
function merge(m: unknown, inner: unknown, outer: unknown): unknown {
  if (typeof m === "boolean") return m ? inner : outer;
  if (Array.isArray(outer)) return outer.map((c, i) => merge((m as unknown[])[i], (inner as unknown[])[i], c));
  if (isNode(outer))
    return Object.fromEntries(
      Object.entries(outer).map(([k, c]) => [
        k,
        merge((m as Record<string, unknown>)[k], (inner as Record<string, unknown>)[k], c),
      ]),
    );
  return outer;
}

function checkTransformation(what: string, t: unknown, name: string): void {
  const g = t as GradientTransformation<unknown> | undefined;
  if (!g || typeof g.init !== "function" || typeof g.update !== "function")
    throw new JitScopeError(
      "value",
      `${what}: ${name} is not a gradient transformation (an object with init and update)`,
    );
}

function checkMask(what: string, mask: unknown): void {
  if (mask === undefined)
    throw new JitScopeError(
      "value",
      `${what}: needs a mask (a tree of booleans, or a function of the params returning one)`,
    );
}

/** optax.masked: `inner` applied to the leaves where the mask is true; the others' updates pass
 *  through unchanged. `inner`'s state holds only the masked-in leaves. */
export function masked<S>(inner: GradientTransformation<S>, mask: Mask): GradientTransformation<{ inner_state: S }> {
  checkTransformation("optim.masked", inner, "inner");
  checkMask("optim.masked", mask);
  return named(`masked(${transformationName(inner as GradientTransformation<unknown>)})`, {
    init(params) {
      return { inner_state: inner.init(keep(params, maskFor(mask, params, "optim.masked"))) };
    },
    update(updates, state, params) {
      const m = maskFor(mask, updates, "optim.masked");
      const [u, s] = inner.update(
        keep(updates, m),
        state.inner_state,
        params === undefined ? undefined : keep(params, m),
      );
      return [merge(m, u, updates), { inner_state: s }];
    },
  });
}

/** optax.set_to_zero: every update zero; stateless. With `masked`, the way to freeze leaves. */
export function set_to_zero(): GradientTransformation<Empty> {
  return named("set_to_zero", {
    init: () => ({}),
    update: (updates, state) => [
      tree.map((u: Tracer | number) => (typeof u === "number" ? np.zeros([]) : np.zeros_like(u)), updates),
      state,
    ],
  });
}

const isLabel = (x: unknown): x is string => typeof x === "string";

/**
 * optax.partition (alias multi_transform): each leaf transformed by `transforms[label]`, its label
 * read from `param_labels` (a tree of strings shaped like the params or a prefix of it, or a
 * function of the params returning one). The state holds one masked state per label.
 */
export function partition(
  transforms: Record<string, GradientTransformation<unknown>>,
  param_labels: MaskSpec<string>,
): GradientTransformation<{ inner_states: Record<string, unknown> }> {
  if (typeof transforms !== "object" || transforms === null || Array.isArray(transforms))
    throw new JitScopeError(
      "value",
      "optim.partition: transforms must be an object of label → gradient transformation",
    );
  for (const [k, t] of Object.entries(transforms)) checkTransformation("optim.partition", t, `transforms.${k}`);
  if (param_labels === undefined)
    throw new JitScopeError(
      "value",
      "optim.partition: needs param_labels (a tree of labels, or a function of the params returning one)",
    );
  const labelsFor = (t: unknown): unknown => {
    const l = typeof param_labels === "function" ? (param_labels as (x: unknown) => unknown)(t) : param_labels;
    const full = expandPrefix(l, t, isLabel, "optim.partition: param_labels");
    const unknown = [...new Set(labelLeaves(full))].filter((x) => !(x in transforms));
    if (unknown.length)
      throw new JitScopeError(
        "value",
        `optim.partition: some parameters have no transformation: label${unknown.length > 1 ? "s" : ""} ${unknown.map((x) => JSON.stringify(x)).join(", ")}, transforms for ${Object.keys(
          transforms,
        )
          .map((x) => JSON.stringify(x))
          .join(", ")}`,
      );
    return full;
  };
  const groups = Object.keys(transforms);
  const maskOf = (labels: unknown, group: string): Mask => relabel(labels, (l) => l === group) as Mask;
  return named(`partition(${groups.join(", ")})`, {
    init(params) {
      const labels = labelsFor(params);
      const inner_states: Record<string, unknown> = {};
      for (const g of groups) inner_states[g] = masked(transforms[g]!, maskOf(labels, g)).init(params);
      return { inner_states };
    },
    update(updates, state, params) {
      const labels = labelsFor(updates);
      const next: Record<string, unknown> = {};
      let u = updates;
      for (const g of groups) {
        const [nu, ns] = masked(transforms[g]!, maskOf(labels, g)).update(u, state.inner_states[g] as never, params);
        [u, next[g]] = [nu, ns];
      }
      return [u, { inner_states: next }];
    },
  });
}

function labelLeaves(t: unknown): string[] {
  if (typeof t === "string") return [t];
  if (Array.isArray(t)) return t.flatMap(labelLeaves);
  if (isNode(t)) return Object.values(t).flatMap(labelLeaves);
  return [];
}

function relabel(t: unknown, f: (label: string) => boolean): unknown {
  if (typeof t === "string") return f(t);
  if (Array.isArray(t)) return t.map((c) => relabel(c, f));
  if (isNode(t)) return Object.fromEntries(Object.entries(t).map(([k, c]) => [k, relabel(c, f)]));
  return t;
}

/** optax.freeze: zero updates where the mask is true (frozen), the others unchanged. */
export function freeze(mask: Mask): GradientTransformation<{ inner_state: Empty }> {
  checkMask("optim.freeze", mask);
  return masked(set_to_zero(), mask);
}

/** optax.selective_transform: `optimizer` on the leaves the freeze mask leaves false, zero
 *  updates (and no optimizer state) for the frozen ones. */
export function selective_transform(
  optimizer: GradientTransformation<unknown>,
  options: { freeze_mask: Mask },
): GradientTransformation<{ inner_states: Record<string, unknown> }> {
  const freeze_mask = (options as { freeze_mask?: Mask } | undefined)?.freeze_mask;
  checkMask("optim.selective_transform: options.freeze_mask", freeze_mask);
  return partition({ train: optimizer, freeze: set_to_zero() }, (t: never) =>
    relabelBools(expandPrefix(freeze_mask, t, isBool, "optim.selective_transform: the freeze mask")),
  );
}

const relabelBools = (t: unknown): PrefixTree<string> =>
  typeof t === "boolean"
    ? t
      ? "freeze"
      : "train"
    : Array.isArray(t)
      ? t.map(relabelBools)
      : isNode(t)
        ? Object.fromEntries(Object.entries(t).map(([k, c]) => [k, relabelBools(c)]))
        : null;

/** Applies `f` to the leaves where the mask is true (for options such as adamw's `mask`). */
export function mapMasked(
  mask: Mask | undefined,
  what: string,
  f: (...leaves: Tracer[]) => Tracer,
  t: unknown,
  ...rest: unknown[]
): unknown {
  const call = f as (...xs: unknown[]) => unknown;
  if (mask === undefined) return tree.map(call, t, ...rest);
  const m = maskFor(mask, t, what);
  return merge(m, tree.map(call, keep(t, m), ...rest.map((r) => keep(r, m))), t);
}
