// `closure_convert(fun, ...exampleArgs)`, as jax.closure_convert: `fun` traced on the example
// arguments' shapes into a program, with the values it closes over that a transformation may be
// differentiating (tracers of grad, jvp, jit, …) made explicit. Returns `[converted, consts]`;
// `converted(...args, ...consts)` computes `fun(...args)`. Its use: a custom_vjp that takes a
// function (a solver's objective) must get those values as arguments to give them cotangents.
// Concrete arrays it closes over stay constants of the program, as JAX keeps them in the closure.
// The tracing is a loop body's (loopTrace.ts traceBody), which already lifts every closed-over
// value into an input; `convertClosure` is that step alone, for the runtime's own users.

import { formatAval } from "@jitscope/contract";
import { ConcreteArray } from "../array.js";
import { JitScopeError } from "../ir/errors.js";
import type { Aval } from "../ir/types.js";
import { Tracer } from "./core.js";
import { JitTracer } from "./jitTrace.js";
import { JVPTracer } from "./jvp.js";
import { VJPTracer } from "./vjp.js";
import { VmapTracer } from "./vmap.js";
import { traceBody } from "./loopTrace.js";
import { evalProgram, materialize } from "./evalProgram.js";
import { flatten, treedefDiff, treedefToString, unflatten, type TreeDef } from "./pytree.js";
import { asArrays, fnName } from "./transformUtil.js";

/** A function of array leaves as a program, and the outer values it closes over. */
export interface ConvertedClosure {
  /** The closed-over values, in the order `call` takes them. */
  readonly consts: readonly Tracer[];
  /** The function again, on `consts` (or values standing for them) and its own leaves. */
  readonly call: (consts: readonly Tracer[], xs: readonly Tracer[]) => Tracer[];
}

/** `fn` on leaves of `avals`, closure converted: traced once, then callable in any trace. */
export function convertClosure(
  name: string,
  avals: readonly Aval[],
  fn: (xs: Tracer[]) => readonly (Tracer | number)[],
): ConvertedClosure {
  const { program, captured } = traceBody(name, avals, fn);
  const outAvals = program.outputs.map((o) => o.aval);
  return {
    consts: captured,
    call: (consts, xs) => evalProgram(program, [...consts, ...xs]).map((o, i) => materialize(o, outAvals[i]!)),
  };
}

/** Whether `x` may carry a derivative (JAX's _maybe_perturbed): a concrete array cannot, nor an
 *  unperturbed grad/jvp value over one; a jit tracer of float32 may be differentiated later. */
function maybePerturbed(x: Tracer): boolean {
  if (x instanceof ConcreteArray) return false;
  if (x instanceof JVPTracer) return x.tangent !== null || maybePerturbed(x.primal);
  if (x instanceof VJPTracer) return x.node !== null || maybePerturbed(x.primal);
  if (x instanceof VmapTracer) return maybePerturbed(x.value);
  if (x instanceof JitTracer) return x.dtype === "float32";
  return true;
}

/** The example arguments' leaves as arrays (numbers as float32 scalars) and their structure. */
function leavesOf(label: string, args: readonly unknown[], what: string): { leaves: Tracer[]; tree: TreeDef } {
  let f;
  try {
    f = flatten(asArrays([...args]), what);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    throw new JitScopeError("value", `${label}: ${e.message.replace(/^jit: /, "")}`);
  }
  return { leaves: f.leaves as Tracer[], tree: f.treedef };
}

export function closure_convert<A extends unknown[], R>(
  fun: (...args: A) => R,
  ...exampleArgs: A
): [(...argsAndConsts: unknown[]) => R, Tracer[]] {
  if (typeof fun !== "function")
    throw new JitScopeError("value", `closure_convert: the first argument must be a function, got ${typeof fun}`);
  const name = fnName(fun);
  const label = `closure_convert(${name})`;
  const example = leavesOf(label, exampleArgs, "example argument");
  let outTree: TreeDef | null = null;
  const closure = convertClosure(
    label,
    example.leaves.map((l) => l.aval),
    (xs) => {
      const f = flatten((fun as (...a: unknown[]) => unknown)(...unflatten<unknown[]>(example.tree, xs)), "output");
      outTree = f.treedef;
      return f.leaves;
    },
  );
  const hoisted = closure.consts.map(maybePerturbed);
  const consts = closure.consts.filter((_, i) => hoisted[i]);
  const tree = outTree as unknown as TreeDef;
  const converted = (...argsAndConsts: unknown[]): R => {
    const n = argsAndConsts.length - consts.length;
    if (n < 0)
      throw new JitScopeError(
        "value",
        `${label}: the converted function takes the arguments and then the ${consts.length} hoisted constants, ` +
          `but was called with ${argsAndConsts.length} values`,
      );
    const given = leavesOf(label, argsAndConsts.slice(0, n), "argument");
    const diff = treedefDiff(example.tree, given.tree, "arguments");
    if (diff !== null)
      throw new JitScopeError(
        "value",
        `${label}: the converted function's arguments must have the structure of the example arguments ` +
          `(${treedefToString(example.tree)}): ${diff}`,
      );
    given.leaves.forEach((l, i) => {
      const want = example.leaves[i]!;
      if (l.dtype !== want.dtype || l.shape.join() !== want.shape.join())
        throw new JitScopeError(
          "shape",
          `${label}: argument leaf ${i} is ${formatAval(l.dtype, l.shape)} but the example was ` +
            `${formatAval(want.dtype, want.shape)}; convert again for other shapes`,
        );
    });
    const extra = asArrays(argsAndConsts.slice(n)) as Tracer[];
    let k = 0;
    const all = closure.consts.map((c, i) => (hoisted[i] ? extra[k++]! : c));
    return unflatten<R>(tree, closure.call(all, given.leaves));
  };
  Object.defineProperty(converted, "name", { value: name });
  return [converted, consts];
}
