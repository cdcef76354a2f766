// JAX's Jacobian transforms. `jacfwd` pushes a standard basis of tangents through `jvp` under
// `vmap` (one forward pass per input element, batched into one); `jacrev` records the tape once
// and pulls a standard basis of cotangents back under `vmap` (one backward pass per output
// element, batched); `hessian` is jacfwd(jacrev(f)). All three are ordinary binds on whichever
// trace the arguments belong to, so they compose with jit, vmap (per-example Jacobians) and each
// other, and go through loops wherever jvp and vjp do.

import { JitScopeError } from "../ir/errors.js";
import { Tracer, withName } from "./core.js";
import type { Argnums } from "./grad.js";
import {
  checkArgnums,
  nest,
  regroupForward,
  regroupReverse,
  splitArgs,
  splitAux,
  standardBasis,
  type Fn,
  type Transform,
} from "./jacobianParts.js";
import { jvp } from "./jvp.js";
import { countLeaves, flatten, unflatten } from "./pytree.js";
import { derivedName, fnName } from "./transformUtil.js";
import { checkOptions } from "../apiOptions.js";
import { argnumsAndOptions } from "./transformOptions.js";
import { backward, materializeCotangent, recordTape } from "./vjp.js";
import { vmap } from "./vmap.js";

export interface JacobianOptions {
  /** `f` returns `[value, aux]`: differentiate `value`, pass `aux` (any pytree) through. */
  has_aux?: boolean;
  /** The camelCase alias of has_aux (README: "Names"). */
  hasAux?: boolean;
}

type Leafy = Tracer | number;
/** One array per leaf of `In` (JS numbers are differentiated as float32 scalars). */
type ArraysLike<In> = In extends Leafy ? Tracer : { -readonly [K in keyof In]: ArraysLike<In[K]> };
/** JAX's nesting: the output's structure outside, the differentiated input's inside. */
export type JacobianTree<Out, In> = Out extends Leafy
  ? ArraysLike<In>
  : { -readonly [K in keyof Out]: JacobianTree<Out[K], In> };
/** The differentiated input: `args[argnums]`, or the list of them when argnums is a list. */
type DiffInput<P extends readonly unknown[], A> = A extends number
  ? P[A]
  : { -readonly [K in keyof A]: A[K] extends number ? P[A[K]] : never };
type ValueOf<F extends Fn> = ReturnType<F> extends readonly [infer V, unknown] ? V : unknown;
type AuxOf<F extends Fn> = ReturnType<F> extends readonly [unknown, infer X] ? X : unknown;
type WithAux = JacobianOptions & ({ has_aux: true } | { hasAux: true });
type NoAux = JacobianOptions & { has_aux?: false; hasAux?: false };
type Jac<F extends Fn, A> = JacobianTree<ReturnType<F>, DiffInput<Parameters<F>, A>>;
type JacAux<F extends Fn, A> = [JacobianTree<ValueOf<F>, DiffInput<Parameters<F>, A>>, AuxOf<F>];
type Hess<F extends Fn, A> = JacobianTree<Jac<F, A>, DiffInput<Parameters<F>, A>>;
type HessAux<F extends Fn, A> = [JacobianTree<JacAux<F, A>[0], DiffInput<Parameters<F>, A>>, AuxOf<F>];

/** jacfwd's and jacrev's signatures: argnums positionally or among the options, has_aux. */
export interface JacobianTransform {
  <F extends Fn, const A extends Argnums = 0>(
    f: F,
    options: WithAux & { argnums?: A },
  ): (...args: Parameters<F>) => JacAux<F, A>;
  <F extends Fn, const A extends Argnums = 0>(
    f: F,
    options: NoAux & { argnums?: A },
  ): (...args: Parameters<F>) => Jac<F, A>;
  <F extends Fn, const A extends Argnums = 0>(
    f: F,
    argnums: A | undefined,
    options: WithAux,
  ): (...args: Parameters<F>) => JacAux<F, A>;
  <F extends Fn, const A extends Argnums = 0>(
    f: F,
    argnums?: A,
    options?: NoAux,
  ): (...args: Parameters<F>) => Jac<F, A>;
}

/** Checks jacfwd/jacrev/hessian's arguments once, when the transform is made: argnums given
 *  positionally or as an option (transformOptions.ts), and has_aux. */
function setup(fn: Transform, f: unknown, second: unknown, third: unknown): { argnums: Argnums; hasAux: boolean } {
  if (typeof f !== "function") throw new JitScopeError("value", `${fn}: the first argument must be a function`);
  const split = argnumsAndOptions(fn, second, third);
  const argnums = (split.argnums ?? 0) as Argnums;
  checkArgnums(fn, argnums);
  checkOptions(fn, split.options, ["argnums", "has_aux"], { hasAux: "has_aux" });
  const o = split.options as JacobianOptions;
  return { argnums, hasAux: (o.has_aux ?? o.hasAux) === true };
}

/**
 * `jacfwd(f, argnums = 0, { has_aux })(...args)`: the Jacobian of `f` with respect to
 * `args[argnums]` by forward mode, as JAX's: for array in and out, shape out.shape + in.shape;
 * for pytrees, the output's structure with the input's inside each leaf. Cheaper than jacrev
 * when inputs are fewer than outputs. With has_aux, `f` returns `[value, aux]` → `[jacobian, aux]`.
 */
function jacfwdImpl(
  f: Fn,
  argnumsOrOptions?: Argnums | (JacobianOptions & { argnums?: Argnums }),
  maybeOptions?: JacobianOptions,
): (...args: unknown[]) => unknown {
  const { argnums, hasAux } = setup("jacfwd", f, argnumsOrOptions, maybeOptions);
  const label = `jacfwd(${fnName(f)})`;
  const jf = (...raw: unknown[]): unknown =>
    withName(label, () => {
      const split = splitArgs("jacfwd", label, f, argnums, raw);
      const body = hasAux ? (...d: unknown[]) => splitAux(split.call(...d), label) : split.call;
      const inDef = flatten(split.dyn, "argument").treedef;
      // One jvp per basis row, batched: tangents in, tangents (and the unbatched aux) out.
      const push = (...basisRow: unknown[]): unknown => {
        const [out, tangent] = jvp(body, split.dyn, unflatten<unknown[]>(inDef, basisRow));
        return hasAux ? [(tangent as unknown[])[0], (out as unknown[])[1]] : tangent;
      };
      Object.defineProperty(push, "name", { value: "tangent_basis" });
      const basis = standardBasis(split.leaves.map((l) => l.shape));
      const pushed = vmap(push, 0, hasAux ? [0, null] : 0)(...basis);
      const tangents = hasAux ? (pushed as unknown[])[0] : pushed;
      const tf = flatten(tangents, "output");
      const blocks = regroupForward(
        tf.leaves as Tracer[],
        split.leaves.map((l) => l.shape),
      );
      const jac = nest(tf.treedef, split.inner, blocks);
      return hasAux ? [jac, (pushed as unknown[])[1]] : jac;
    });
  Object.defineProperty(jf, "name", { value: derivedName("jacfwd", f) });
  return jf;
}
export const jacfwd = jacfwdImpl as JacobianTransform;

/**
 * `jacrev(f, argnums = 0, { has_aux })(...args)`: the same Jacobian as jacfwd by reverse mode,
 * cheaper when outputs are fewer than inputs. The outputs must be float32 (as JAX's: an integer
 * output has no cotangent to pull back).
 */
function jacrevImpl(
  f: Fn,
  argnumsOrOptions?: Argnums | (JacobianOptions & { argnums?: Argnums }),
  maybeOptions?: JacobianOptions,
): (...args: unknown[]) => unknown {
  const { argnums, hasAux } = setup("jacrev", f, argnumsOrOptions, maybeOptions);
  const label = `jacrev(${fnName(f)})`;
  const jr = (...raw: unknown[]): unknown =>
    withName(label, () => {
      const split = splitArgs("jacrev", label, f, argnums, raw);
      const body = hasAux ? (...d: unknown[]) => splitAux(split.call(...d), label) : split.call;
      const lin = recordTape(body, split.dyn, () => true, `vjp(${fnName(f)})`);
      const tree = lin.outTree;
      const outDef = hasAux && tree.kind === "list" ? tree.children[0]! : tree;
      const nOut = countLeaves(outDef);
      const outs = lin.outputs.slice(0, nOut);
      const outShapes = outs.map((o, i) => {
        if (!(o instanceof Tracer)) return []; // a JS number: a constant scalar
        if (o.dtype !== "float32")
          throw new JitScopeError(
            "dtype",
            `${label}: output ${i} is ${o.dtype}[${o.shape}]; jacrev needs float32 outputs (use jacfwd, or vjp directly)`,
          );
        return o.shape;
      });
      // One backward pass per basis row, batched: cotangents of the outputs in, of the inputs out.
      const pull = (...basisRow: Tracer[]): Tracer[] => {
        const seeds = lin.outputs.map((_, i) => basisRow[i] ?? null);
        const cts = backward(lin, seeds, `vjp(${fnName(f)})`);
        return split.leaves.map((l, i) => materializeCotangent(cts[i] ?? null, l));
      };
      Object.defineProperty(pull, "name", { value: "cotangent_basis" });
      const pulled = vmap(pull)(...standardBasis(outShapes));
      const jac = nest(outDef, split.inner, regroupReverse(pulled, outShapes));
      if (!hasAux) return jac;
      const auxDef = tree.kind === "list" ? tree.children[1]! : tree;
      return [jac, unflatten(auxDef, lin.outputs.slice(nOut))];
    });
  Object.defineProperty(jr, "name", { value: derivedName("jacrev", f) });
  return jr;
}
export const jacrev = jacrevImpl as JacobianTransform;

/**
 * `hessian(f, argnums = 0, { has_aux })(...args)` = jacfwd(jacrev(f)), as in JAX: for a scalar
 * `f` of an array `x`, shape x.shape + x.shape; with a list of argnums, the blocks
 * `h[i][j]` = ∂²f/∂args[i]∂args[j].
 */
export function hessian<F extends Fn, const A extends Argnums = 0>(
  f: F,
  options: WithAux & { argnums?: A },
): (...args: Parameters<F>) => HessAux<F, A>;
export function hessian<F extends Fn, const A extends Argnums = 0>(
  f: F,
  options: NoAux & { argnums?: A },
): (...args: Parameters<F>) => Hess<F, A>;
export function hessian<F extends Fn, const A extends Argnums = 0>(
  f: F,
  argnums: A | undefined,
  options: WithAux,
): (...args: Parameters<F>) => HessAux<F, A>;
export function hessian<F extends Fn, const A extends Argnums = 0>(
  f: F,
  argnums?: A,
  options?: NoAux,
): (...args: Parameters<F>) => Hess<F, A>;
export function hessian(
  f: Fn,
  argnumsOrOptions?: Argnums | (JacobianOptions & { argnums?: Argnums }),
  maybeOptions?: JacobianOptions,
): (...args: unknown[]) => unknown {
  const { argnums, hasAux } = setup("hessian", f, argnumsOrOptions, maybeOptions);
  const inner = jacrev(f, argnums, { has_aux: hasAux } as NoAux) as Fn;
  const outer = jacfwd(inner, argnums, { has_aux: hasAux } as NoAux) as (...args: unknown[]) => unknown;
  const label = `hessian(${fnName(f)})`;
  const h = (...raw: unknown[]): unknown => {
    splitArgs("hessian", label, f, argnums, raw); // argnums' range and dtypes, named as hessian's
    return outer(...raw);
  };
  Object.defineProperty(h, "name", { value: derivedName("hessian", f) });
  return h;
}
