// `grad(f, argnums)` and `valueAndGrad(f, argnums)`: reverse mode for a scalar-valued function,
// with respect to one argument (an array or a pytree of arrays) or a list of arguments.
// Composes with jit: `jit(grad(loss))` traces forward and backward into one program.

import { JitScopeError } from "../ir/errors.js";
import { Tracer, withName } from "./core.js";
import { flatten, unflatten } from "./pytree.js";
import { conjugateComplexLeaves } from "./complexValue.js";
import { fill } from "./rules/lax.js";
import { backward, materializeCotangent, recordTape } from "./vjp.js";
import { asArrays, derivedName, fnName } from "./transformUtil.js";
import { checkOptions } from "../apiOptions.js";
import { argnumsAndOptions } from "./transformOptions.js";

export type Argnums = number | readonly number[];

type Fn = (...args: never[]) => unknown;

/** The gradient's type: that of the differentiated argument (JS numbers become arrays), or a
 *  tuple of them when `argnums` is a list. */
export type GradOf<P extends readonly unknown[], A> = A extends number
  ? Differentiated<P[A]>
  : { -readonly [K in keyof A]: A[K] extends number ? Differentiated<P[A[K]]> : never };
type Differentiated<T> = T extends number ? Tracer : T;

export interface GradOptions {
  /** `f` returns `[value, aux]`: differentiate `value`, pass `aux` (any pytree) through. */
  has_aux?: boolean;
  /** The name before JAX's spelling became the rule (README: "Names"): the same option. */
  hasAux?: boolean;
}

type AuxOf<F extends Fn> = ReturnType<F> extends readonly [unknown, infer X] ? X : unknown;

/** `valueAndGrad(f)(...args)` → `[f(...args), gradient]`; the gradient has the structure of
 *  `args[argnums]` (or a list of those when `argnums` is a list). With `{ has_aux: true }`,
 *  `f` returns `[value, aux]` and the result is `[[value, aux], gradient]`. */
export function valueAndGrad<F extends Fn, const A extends Argnums = 0>(
  f: F,
  options: GradOptions & { argnums?: A } & ({ has_aux: true } | { hasAux: true }),
): (...args: Parameters<F>) => [[Tracer, AuxOf<F>], GradOf<Parameters<F>, A>];
export function valueAndGrad<F extends Fn, const A extends Argnums = 0>(
  f: F,
  options: GradOptions & { argnums?: A; has_aux?: false; hasAux?: false },
): (...args: Parameters<F>) => [Tracer, GradOf<Parameters<F>, A>];
export function valueAndGrad<F extends Fn, const A extends Argnums = 0>(
  f: F,
  argnums: A | undefined,
  options: GradOptions & ({ has_aux: true } | { hasAux: true }),
): (...args: Parameters<F>) => [[Tracer, AuxOf<F>], GradOf<Parameters<F>, A>];
export function valueAndGrad<F extends Fn, const A extends Argnums = 0>(
  f: F,
  argnums?: A,
  options?: GradOptions & { has_aux?: false; hasAux?: false },
): (...args: Parameters<F>) => [Tracer, GradOf<Parameters<F>, A>];
export function valueAndGrad(
  f: Fn,
  argnumsOrOptions?: Argnums | (GradOptions & { argnums?: Argnums }),
  maybeOptions?: GradOptions,
): (...args: unknown[]) => [unknown, unknown] {
  const split = argnumsAndOptions("value_and_grad", argnumsOrOptions, maybeOptions);
  const argnums = (split.argnums ?? 0) as Argnums;
  const options = split.options as GradOptions;
  checkArgnumsShape(argnums);
  const label = `grad(${fnName(f)})`;
  checkOptions("grad", options as Record<string, unknown>, ["argnums", "has_aux"], { hasAux: "has_aux" });
  const hasAux = (options.has_aux ?? options.hasAux) === true;
  return (...rawArgs: unknown[]): [unknown, unknown] => {
    const nums = typeof argnums === "number" ? [argnums] : [...argnums];
    for (const n of nums) {
      if (n >= rawArgs.length || n < -rawArgs.length) {
        throw new JitScopeError(
          "value",
          `${label}: argnums ${n} is out of range: the function was called with ${rawArgs.length} argument${rawArgs.length === 1 ? "" : "s"}`,
        );
      }
    }
    const wanted = nums.map((n) => normalise(n, rawArgs.length));
    // Only the differentiated arguments are traced; the others reach f as they are (a flag, a
    // string, a config object), as JAX's grad binds them into a partial.
    const args = wanted.map((i) => asArrays(rawArgs[i]));
    const leafOwner: number[] = [];
    args.forEach((a, k) => flatten(a, `argument ${wanted[k]}`).leaves.forEach(() => leafOwner.push(wanted[k]!)));
    const differentiate = (leaf: Tracer, index: number): boolean => {
      const owner = leafOwner[index]!;
      if (leaf.dtype !== "float32") {
        throw new JitScopeError(
          "dtype",
          `${label}: argument ${owner} is ${leaf.dtype}[${leaf.shape}]; grad needs float32 inputs ` +
            `(convert with np.astype(x, "float32"), or leave it out of argnums)`,
        );
      }
      return true;
    };
    const call = f as unknown as (...a: unknown[]) => unknown;
    const withWanted = (...ws: unknown[]) => {
      const all = [...rawArgs];
      wanted.forEach((i, k) => (all[i] = ws[k]));
      return call(...all);
    };
    const body = hasAux ? (...a: unknown[]) => splitAux(withWanted(...a), label) : withWanted;
    const lin = recordTape(body, args, differentiate, label);
    const out = lin.outputs[0];
    if ((!hasAux && lin.outputs.length !== 1) || !(out instanceof Tracer)) {
      throw new JitScopeError(
        "value",
        `${label}: the function must return one array (a scalar), got ${describe(lin.outputs)}` +
          (!hasAux && lin.outputs.length >= 2 ? "; if it returns [value, aux], pass { has_aux: true }" : ""),
      );
    }
    if (out.ndim !== 0 || out.dtype !== "float32") {
      throw new JitScopeError(
        "shape",
        `${label}: grad needs a function with a scalar float32 output, but it returned ${out.dtype}[${out.shape}]` +
          (out.ndim !== 0 ? "; reduce it first (e.g. np.sum or np.mean), or use vjp for non-scalar outputs" : ""),
      );
    }
    const seed = withName(label, () => fill(1, [], "float32"));
    const cts = backward(lin, [seed], label);
    const grads = withName(label, () => {
      let leaf = 0;
      return args.map((a) => {
        const { leaves, treedef } = flatten(a, "argument");
        const g = leaves.map((l) => {
          const ct = cts[leaf++] ?? null;
          return l instanceof Tracer ? materializeCotangent(ct, l) : 0;
        });
        return unflatten(treedef, g);
      });
    });
    const result = conjugateComplexLeaves(typeof argnums === "number" ? grads[0] : grads);
    const value = hasAux ? unflatten<[Tracer, unknown]>(lin.outTree, lin.outputs) : out;
    return [value, result];
  };
}

/** `grad(f)(...args)` → the gradient of scalar `f` with respect to `args[argnums]`; with
 *  `{ has_aux: true }`, `f` returns `[value, aux]` and the result is `[gradient, aux]`. */
export function grad<F extends Fn, const A extends Argnums = 0>(
  f: F,
  options: GradOptions & { argnums?: A } & ({ has_aux: true } | { hasAux: true }),
): (...args: Parameters<F>) => [GradOf<Parameters<F>, A>, AuxOf<F>];
export function grad<F extends Fn, const A extends Argnums = 0>(
  f: F,
  options: GradOptions & { argnums?: A; has_aux?: false; hasAux?: false },
): (...args: Parameters<F>) => GradOf<Parameters<F>, A>;
export function grad<F extends Fn, const A extends Argnums = 0>(
  f: F,
  argnums: A | undefined,
  options: GradOptions & ({ has_aux: true } | { hasAux: true }),
): (...args: Parameters<F>) => [GradOf<Parameters<F>, A>, AuxOf<F>];
export function grad<F extends Fn, const A extends Argnums = 0>(
  f: F,
  argnums?: A,
  options?: GradOptions & { has_aux?: false; hasAux?: false },
): (...args: Parameters<F>) => GradOf<Parameters<F>, A>;
export function grad(
  f: Fn,
  argnumsOrOptions?: Argnums | (GradOptions & { argnums?: Argnums }),
  maybeOptions?: GradOptions,
): (...args: unknown[]) => unknown {
  const split = argnumsAndOptions("grad", argnumsOrOptions, maybeOptions);
  const argnums = split.argnums as Argnums | undefined;
  const options = split.options as GradOptions;
  checkOptions("grad", options as Record<string, unknown>, ["argnums", "has_aux"], { hasAux: "has_aux" });
  const vg = valueAndGrad(f, argnums, { has_aux: false }) as unknown as (...a: unknown[]) => [unknown, unknown];
  const vga =
    (options.has_aux ?? options.hasAux) === true
      ? (valueAndGrad(f, argnums, { has_aux: true }) as unknown as (...a: unknown[]) => [[unknown, unknown], unknown])
      : null;
  const g = vga
    ? (...args: unknown[]): unknown => {
        const [[, aux], gr] = vga(...args);
        return [gr, aux];
      }
    : (...args: unknown[]): unknown => vg(...args)[1];
  Object.defineProperty(g, "name", { value: derivedName("grad", f) });
  return g;
}

/** With has_aux, the function's `[value, aux]`, checked. */
function splitAux(r: unknown, label: string): unknown {
  if (!Array.isArray(r) || r.length !== 2) {
    throw new JitScopeError(
      "value",
      `${label}: with has_aux the function must return [value, aux], got ${Array.isArray(r) ? `a list of ${r.length}` : typeof r}`,
    );
  }
  return r;
}

function normalise(n: number, count: number): number {
  return n < 0 ? n + count : n;
}

function checkArgnumsShape(argnums: Argnums): void {
  const list = typeof argnums === "number" ? [argnums] : argnums;
  if (!Array.isArray(list) && typeof argnums !== "number") {
    throw new JitScopeError("value", `grad: argnums must be a number or a list of numbers, got ${String(argnums)}`);
  }
  for (const n of list) {
    if (!Number.isInteger(n)) throw new JitScopeError("value", `grad: argnums must be integers, got ${String(n)}`);
  }
  if (new Set(list).size !== list.length)
    throw new JitScopeError("value", `grad: argnums [${list.join(", ")}] has repeats`);
}

function describe(outs: readonly unknown[]): string {
  if (outs.length !== 1) return `${outs.length} values`;
  const o = outs[0];
  return typeof o === "number" ? "a JS number (it does not depend on the inputs through array ops)" : String(o);
}
