// The pieces jacfwd and jacrev share (trace/jacobian.ts): checking argnums and options, taking
// the differentiated arguments out of the call, the standard basis a Jacobian is pushed through,
// and regrouping one batched result per leaf into JAX's nesting (output outside, input inside).

import { arrayFromHost } from "../array.js";
import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "./core.js";
import type { Argnums } from "./grad.js";
import { flatten, unflatten, type TreeDef } from "./pytree.js";
import * as L from "./rules/lax.js";
import { asArrays } from "./transformUtil.js";

export type Fn = (...args: never[]) => unknown;
export type Transform = "jacfwd" | "jacrev" | "hessian";

/** argnums: an integer or a non-empty list of distinct integers (checked before any call). */
export function checkArgnums(fn: Transform, argnums: unknown): asserts argnums is Argnums {
  const list: readonly unknown[] | null =
    typeof argnums === "number" ? [argnums] : Array.isArray(argnums) ? argnums : null;
  if (list === null)
    throw new JitScopeError("value", `${fn}: argnums must be an integer or a list of integers, got ${String(argnums)}`);
  if (list.length === 0) throw new JitScopeError("value", `${fn}: argnums is an empty list; give at least one`);
  for (const n of list) {
    if (typeof n !== "number" || !Number.isInteger(n))
      throw new JitScopeError("value", `${fn}: argnums must be integers, got ${String(n)}`);
  }
  if (new Set(list).size !== list.length)
    throw new JitScopeError("value", `${fn}: argnums [${list.join(", ")}] has repeats`);
}

/** The differentiated arguments of one call, and `f` as a function of them alone. */
export interface Split {
  /** The arguments at argnums (JS numbers made float32 scalars), in argnums' order. */
  readonly dyn: unknown[];
  /** The float32 leaves of `dyn`, in flatten order. */
  readonly leaves: Tracer[];
  /** The structure the inner (input) level of the Jacobian takes: one argument's, or the list. */
  readonly inner: TreeDef;
  /** `f` called with `dyn` in place of the arguments at argnums, the others as given. */
  readonly call: (...dyn: unknown[]) => unknown;
}

export function splitArgs(fn: Transform, label: string, f: Fn, argnums: Argnums, raw: readonly unknown[]): Split {
  const nums = typeof argnums === "number" ? [argnums] : [...argnums];
  const wanted = nums.map((n) => {
    if (n >= raw.length || n < -raw.length)
      throw new JitScopeError(
        "value",
        `${label}: argnums ${n} is out of range: the function was called with ${raw.length} argument${raw.length === 1 ? "" : "s"}`,
      );
    return n < 0 ? n + raw.length : n;
  });
  const dyn = wanted.map((i) => asArrays(raw[i]));
  const { leaves, treedef } = flatten(dyn, "argument");
  let k = 0;
  dyn.forEach((arg, j) => {
    for (const leaf of flatten(arg, "argument").leaves) {
      const l = leaves[k++] as Tracer;
      if (l.dtype !== "float32")
        throw new JitScopeError(
          "dtype",
          `${label}: argument ${wanted[j]} ${leaf === arg ? "" : "has a leaf that "}is ${l.dtype}[${l.shape}]; ${fn} needs float32 inputs ` +
            `(convert with np.astype(x, "float32"), or leave it out of argnums; for integer inputs use ${fn === "jacrev" ? "vjp" : "jvp"} directly)`,
        );
    }
  });
  const inner = typeof argnums === "number" && treedef.kind === "list" ? treedef.children[0]! : treedef;
  const call = (...d: unknown[]): unknown => {
    const args = [...raw];
    wanted.forEach((i, j) => (args[i] = d[j]));
    return (f as unknown as (...a: unknown[]) => unknown)(...args);
  };
  return { dyn, leaves: leaves as Tracer[], inner, call };
}

/** With has_aux, the function's `[value, aux]`, checked. */
export function splitAux(r: unknown, label: string): [unknown, unknown] {
  if (!Array.isArray(r) || r.length !== 2)
    throw new JitScopeError(
      "value",
      `${label}: with has_aux the function must return [value, aux], got ${Array.isArray(r) ? `a list of ${r.length}` : typeof r}`,
    );
  return [r[0], r[1]];
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The standard basis over leaves of these shapes, one array per leaf: leaf k is
 *  [total, ...shape_k] with a one where the row is that element's position among all leaves'. */
export function standardBasis(shapes: readonly (readonly number[])[]): Tracer[] {
  const total = shapes.reduce((n, s) => n + sizeOf(s), 0);
  let offset = 0;
  return shapes.map((shape) => {
    const n = sizeOf(shape);
    const buf = new Float32Array(total * n);
    for (let i = 0; i < n; i++) buf[(offset + i) * n + i] = 1;
    offset += n;
    return arrayFromHost(buf, [total, ...shape], "float32");
  });
}

/** Rows [start, start + n) of a basis-batched result (all of it when that is every row). */
function rows(x: Tracer, start: number, n: number): Tracer {
  if (start === 0 && n === x.shape[0]) return x;
  const limits = x.shape.map((d, i) => (i === 0 ? start + n : d));
  return L.slice(x, [start, ...x.shape.slice(1).map(() => 0)], limits) as Tracer;
}

/** Forward mode's regrouping: `batched[o]` is output leaf o pushed through the input basis,
 *  [total in, ...out shape]; each (output, input) block becomes [...out shape, ...in shape]. */
export function regroupForward(batched: readonly Tracer[], inShapes: readonly (readonly number[])[]): Tracer[][] {
  return batched.map((b) => {
    const outShape = b.shape.slice(1);
    const m = sizeOf(outShape);
    let start = 0;
    return inShapes.map((inShape) => {
      const n = sizeOf(inShape);
      const block = L.reshape(rows(b, start, n), [n, m]);
      start += n;
      return L.reshape(L.transpose(block, [1, 0]), [...outShape, ...inShape]) as Tracer;
    });
  });
}

/** Reverse mode's regrouping: `batched[i]` is input leaf i pulled back through the output basis,
 *  [total out, ...in shape]; each (output, input) block becomes [...out shape, ...in shape]. */
export function regroupReverse(batched: readonly Tracer[], outShapes: readonly (readonly number[])[]): Tracer[][] {
  let start = 0;
  return outShapes.map((outShape) => {
    const m = sizeOf(outShape);
    const blocks = batched.map((b) => L.reshape(rows(b, start, m), [...outShape, ...b.shape.slice(1)]) as Tracer);
    start += m;
    return blocks;
  });
}

/** JAX's nesting: the output's structure, each output leaf replaced by the input's structure. */
export function nest(outer: TreeDef, inner: TreeDef, blocks: readonly Tracer[][]): unknown {
  return unflatten(
    outer,
    blocks.map((perInput) => unflatten(inner, perInput)),
  );
}
