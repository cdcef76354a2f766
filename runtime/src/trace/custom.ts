// `custom_vjp(fn)` and `custom_jvp(fn)`: a function with a hand-written derivative, as JAX's
// decorators. `fn` gives the value; `f.defvjp(fwd, bwd)` / `g.defjvp(rule)` give the derivative
// (JAX's method names and signatures). This file turns the user's functions into the flat form
// that customCall.ts dispatches, and checks what the rules return.

import { checkOptions } from "../apiOptions.js";
import { formatAval } from "@jitscope/contract";
import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "./core.js";
import { countLeaves, flatten, unflatten, type Leaf } from "./pytree.js";
import { callCustomJvp, callCustomVjp } from "./customCall.js";
import { fnName } from "./transformUtil.js";
import type { Flat } from "./customTypes.js";
import { fill, full } from "./rules/lax.js";

type Fn = (...args: never[]) => unknown;
type AnyFn = (...args: unknown[]) => unknown;

export interface CustomOptions {
  /** Arguments passed through untouched (numbers, functions, options): not differentiated, and
   *  given to `bwd` / the jvp rule first, as JAX's nondiff_argnums. They may not hold arrays. */
  nondiff_argnums?: readonly number[];
}

export interface CustomVjpFunction<F extends Fn> {
  (...args: Parameters<F>): ReturnType<F>;
  /** `fwd(...args)` → `[out, residuals]`; `bwd(...nondiff, residuals, ct)` → one cotangent per
   *  (differentiable) argument, `null` for zero. Returns the function itself. */
  defvjp(fwd: (...args: Parameters<F>) => [unknown, unknown], bwd: (...args: never[]) => readonly unknown[]): this;
}

export interface CustomJvpFunction<F extends Fn> {
  (...args: Parameters<F>): ReturnType<F>;
  /** `rule(primals, tangents)` (lists, one entry per differentiable argument; nondiff arguments
   *  come first) → `[primalOut, tangentOut]`. Returns the function itself. */
  defjvp(rule: (...args: never[]) => readonly [unknown, unknown]): this;
}

/** How a call splits into nondiff arguments (kept) and the rest (flattened). */
interface Split {
  readonly nondiff: readonly unknown[];
  readonly diff: Flat;
  readonly diffCount: number;
  /** The full argument list with the differentiable ones rebuilt from `leaves`. */
  readonly merge: (leaves: readonly Leaf[]) => unknown[];
}

function splitArgs(args: readonly unknown[], nondiffArgnums: readonly number[], label: string): Split {
  const nd = nondiffArgnums.map((n) => (n < 0 ? n + args.length : n));
  for (const [k, n] of nd.entries()) {
    if (n < 0 || n >= args.length)
      throw new JitScopeError(
        "value",
        `${label}: nondiff_argnums ${nondiffArgnums[k]} is out of range for ${args.length} arguments`,
      );
    if (flattenLoose(args[n]).some((l) => l instanceof Tracer)) {
      throw new JitScopeError(
        "value",
        `${label}: argument ${n} is in nondiff_argnums but holds an array; nondiff arguments must be static ` +
          `(numbers, functions, options): pass arrays as ordinary arguments and return null cotangents for them`,
      );
    }
  }
  const diffIdx = args.map((_, i) => i).filter((i) => !nd.includes(i));
  const diff = flatten(
    diffIdx.map((i) => args[i]),
    "argument",
  );
  return {
    nondiff: nd.map((n) => args[n]),
    diff: { leaves: diff.leaves, tree: diff.treedef },
    diffCount: diffIdx.length,
    merge: (leaves) => {
      const rebuilt = unflatten<unknown[]>(diff.treedef, leaves);
      const full = [...args];
      diffIdx.forEach((i, k) => (full[i] = rebuilt[k]));
      return full;
    },
  };
}

/** Leaves of a value that may hold non-pytree things (functions, strings): those are skipped. */
function flattenLoose(x: unknown): unknown[] {
  if (x instanceof Tracer) return [x];
  if (Array.isArray(x)) return x.flatMap(flattenLoose);
  if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype)
    return Object.values(x as object).flatMap(flattenLoose);
  return [];
}

const flat = (x: unknown, what: string): Flat => {
  const f = flatten(x, what);
  return { leaves: f.leaves, tree: f.treedef };
};

const describeLeaf = (x: unknown): string =>
  x instanceof Tracer ? formatAval(x.dtype, x.shape) : typeof x === "number" ? "a JS number" : String(x);

/** `bwd`'s result as one cotangent per input leaf, checked against the inputs. */
function checkCotangents(r: unknown, split: Split, label: string): (Tracer | null)[] {
  if (!Array.isArray(r) || r.length !== split.diffCount) {
    throw new JitScopeError(
      "value",
      `${label}: bwd must return a list with one cotangent per ${split.nondiff.length ? "differentiable " : ""}argument ` +
        `(${split.diffCount}; null for a zero cotangent), but it returned ${Array.isArray(r) ? `a list of ${r.length}` : describeLeaf(r)}`,
    );
  }
  const argTrees = split.diff.tree.kind === "list" ? split.diff.tree.children : [];
  const out: (Tracer | null)[] = [];
  let leaf = 0;
  r.forEach((c, i) => {
    const tree = argTrees[i]!;
    const ins = split.diff.leaves.slice(leaf, leaf + countLeaves(tree));
    if (c === null || c === undefined) {
      ins.forEach(() => out.push(null));
      leaf += ins.length;
      return;
    }
    const cs = flatten(c, `cotangent ${i}`).leaves;
    if (cs.length !== ins.length) {
      throw new JitScopeError(
        "shape",
        `${label}: bwd's cotangent ${i} has ${cs.length} arrays but argument ${i} has ${ins.length}; give it the argument's structure (or null)`,
      );
    }
    cs.forEach((ct, j) => {
      const x = ins[j]!;
      if (!(x instanceof Tracer) || x.dtype !== "float32") {
        out.push(null); // numbers and integer arrays carry no gradient
        return;
      }
      if (typeof ct === "number") {
        out.push(ct === 0 ? null : fullOf(ct, x));
        return;
      }
      if (ct.dtype !== x.dtype || ct.shape.join() !== x.shape.join()) {
        throw new JitScopeError(
          "shape",
          `${label}: bwd's cotangent ${i}${ins.length > 1 ? ` (leaf ${j})` : ""} is ${describeLeaf(ct)} but argument ${i}` +
            `${ins.length > 1 ? ` (leaf ${j})` : ""} is ${describeLeaf(x)}; they must match`,
        );
      }
      out.push(ct);
    });
    leaf += ins.length;
  });
  return out;
}

/** A JS-number cotangent or tangent as an array like `x`. */
const fullOf = (v: number, x: Tracer): Tracer => full(fill(v, x.shape, x.dtype), x.shape);

/** `custom_vjp(fn)`: `fn` with the reverse-mode derivative given by `f.defvjp(fwd, bwd)`. */
export function custom_vjp<F extends Fn>(fn: F, options: CustomOptions = {}): CustomVjpFunction<F> {
  checkOptions("custom_vjp", options, ["nondiff_argnums"]);
  const name = fnName(fn);
  const label = `custom_vjp(${name})`;
  const nondiffArgnums = options.nondiff_argnums ?? [];
  let rules: { fwd: AnyFn; bwd: AnyFn } | null = null;
  const f = ((...args: unknown[]): unknown => {
    if (!rules)
      throw new JitScopeError(
        "value",
        `No VJP defined for custom_vjp function ${name} using defvjp: call ${name}.defvjp(fwd, bwd) first`,
      );
    const { fwd, bwd } = rules;
    const split = splitArgs(args, nondiffArgnums, label);
    const out = callCustomVjp(
      {
        name,
        scope: fn.name ? name : "",
        fn: (xs) => flat((fn as unknown as AnyFn)(...split.merge(xs)), "output"),
        fwd: (xs) => {
          const r = fwd(...split.merge(xs));
          if (!Array.isArray(r) || r.length !== 2)
            throw new JitScopeError(
              "value",
              `${label}: fwd must return [output, residuals], got ${Array.isArray(r) ? `a list of ${r.length}` : describeLeaf(r)}`,
            );
          return { out: flat(r[0], "fwd output"), res: flat(r[1], "residuals") };
        },
        bwd: (res, ct) =>
          checkCotangents(
            bwd(...split.nondiff, unflatten(res.tree, res.leaves), unflatten(ct.tree, ct.leaves)),
            split,
            label,
          ),
      },
      split.diff.leaves,
    );
    return unflatten(out.tree, out.leaves);
  }) as unknown as CustomVjpFunction<F>;
  Object.defineProperty(f, "name", { value: name });
  f.defvjp = function (fwd, bwd) {
    if (typeof fwd !== "function" || typeof bwd !== "function")
      throw new JitScopeError("value", `${label}.defvjp(fwd, bwd): both must be functions`);
    rules = { fwd: fwd as unknown as AnyFn, bwd: bwd as unknown as AnyFn };
    return this;
  };
  return f;
}

/** `custom_jvp(fn)`: `fn` with the forward-mode derivative given by `g.defjvp(rule)`; grad
 *  transposes the rule, so it serves reverse mode too. */
export function custom_jvp<F extends Fn>(fn: F, options: CustomOptions = {}): CustomJvpFunction<F> {
  checkOptions("custom_jvp", options, ["nondiff_argnums"]);
  const name = fnName(fn);
  const label = `custom_jvp(${name})`;
  const nondiffArgnums = options.nondiff_argnums ?? [];
  let rule: AnyFn | null = null;
  const g = ((...args: unknown[]): unknown => {
    if (!rule)
      throw new JitScopeError(
        "value",
        `No JVP defined for custom_jvp function ${name} using defjvp: call ${name}.defjvp(rule) first`,
      );
    const jvpRule = rule;
    const split = splitArgs(args, nondiffArgnums, label);
    const out = callCustomJvp(
      {
        name,
        scope: fn.name ? name : "",
        fn: (xs) => flat((fn as unknown as AnyFn)(...split.merge(xs)), "output"),
        rule: (primals, tangents) => {
          const ps = unflatten<unknown[]>(split.diff.tree, primals);
          const ts = unflatten<unknown[]>(split.diff.tree, tangents);
          const r = jvpRule(...split.nondiff, ps, ts);
          if (!Array.isArray(r) || r.length !== 2)
            throw new JitScopeError(
              "value",
              `${label}: the jvp rule must return [primalOut, tangentOut], got ${Array.isArray(r) ? `a list of ${r.length}` : describeLeaf(r)}`,
            );
          const po = flat(r[0], "primal output");
          const to = flatten(r[1], "tangent output").leaves.map((t, i) => {
            const p = po.leaves[i];
            return typeof t === "number" && p instanceof Tracer ? fullOf(t, p) : t;
          });
          checkTangents(po, to, label);
          return { out: po, tangents: to };
        },
      },
      split.diff.leaves,
    );
    return unflatten(out.tree, out.leaves);
  }) as unknown as CustomJvpFunction<F>;
  Object.defineProperty(g, "name", { value: name });
  g.defjvp = function (r) {
    if (typeof r !== "function") throw new JitScopeError("value", `${label}.defjvp(rule): the rule must be a function`);
    rule = r as unknown as AnyFn;
    return this;
  };
  return g;
}

function checkTangents(po: Flat, to: readonly Leaf[], label: string): void {
  if (to.length !== po.leaves.length) {
    throw new JitScopeError(
      "shape",
      `${label}: the jvp rule returned ${po.leaves.length} primal output arrays but ${to.length} tangent arrays; they must correspond`,
    );
  }
  po.leaves.forEach((p, i) => {
    const t = to[i]!;
    if (
      p instanceof Tracer &&
      t instanceof Tracer &&
      p.dtype === "float32" &&
      (t.dtype !== p.dtype || t.shape.join() !== p.shape.join())
    ) {
      throw new JitScopeError(
        "shape",
        `${label}: the jvp rule's tangent output ${i} is ${describeLeaf(t)} but its primal output is ${describeLeaf(p)}; they must match`,
      );
    }
  });
}
