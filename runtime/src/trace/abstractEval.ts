// jax.eval_shape and jax.make_jaxpr: `f` traced on its arguments' shapes and dtypes, never run.
// eval_shape gives the shapes and dtypes of what `f` returns (an argument may be a
// ShapeDtypeStruct, so a model's output shapes are known without allocating its inputs);
// make_jaxpr gives the traced program as the IR view prints it before any pass: the jaxpr a JAX
// user prints to see what their function does. Numbers among the arguments are constants, as
// jit takes them.

import { JitScopeError } from "../ir/errors.js";
import { printProgram } from "../ir/printer.js";
import type { Aval, DType, Program } from "../ir/types.js";
import { Tracer } from "./core.js";
import { traceToProgram } from "./jitTrace.js";
import { withoutPrints } from "./debugPrint.js";
import { flatten, unflatten, type TreeDef } from "./pytree.js";

/** An array's shape and dtype without its values (jax.ShapeDtypeStruct). */
export class ShapeDtypeStruct {
  readonly shape: number[];
  constructor(
    shape: readonly number[],
    readonly dtype: DType = "float32",
  ) {
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0))
      throw new JitScopeError(
        "value",
        `ShapeDtypeStruct: shape must be non-negative integers, got ${JSON.stringify(shape)}`,
      );
    this.shape = [...shape];
  }
  toString(): string {
    return `ShapeDtypeStruct(shape=[${this.shape.join(", ")}], dtype=${this.dtype})`;
  }
}

type Fn = (...args: never[]) => unknown;

/** The avals of the arguments' array leaves (arrays and ShapeDtypeStructs), and a function that
 *  rebuilds the arguments with tracers in their places. */
function abstractArgs(fn: string, args: readonly unknown[]): { avals: Aval[]; rebuild: (ts: Tracer[]) => unknown[] } {
  const avals: Aval[] = [];
  const walk = (x: unknown, path: string): ((next: () => Tracer) => unknown) => {
    if (x instanceof Tracer || x instanceof ShapeDtypeStruct) {
      avals.push({ shape: [...x.shape], dtype: x.dtype });
      return (next) => next();
    }
    if (x === null || x === undefined || typeof x === "number" || typeof x === "boolean" || typeof x === "string")
      return () => x;
    if (Array.isArray(x)) {
      const parts = x.map((c, i) => walk(c, `${path}[${i}]`));
      return (next) => parts.map((p) => p(next));
    }
    if (typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) {
      const keys = Object.keys(x);
      const parts = keys.map((k) => walk((x as Record<string, unknown>)[k], `${path}.${k}`));
      return (next) => Object.fromEntries(keys.map((k, i) => [k, parts[i]!(next)]));
    }
    throw new JitScopeError(
      "value",
      `${fn}: ${path} is ${typeof x}; arguments must be arrays, ShapeDtypeStructs, numbers, or nested lists/objects of them`,
    );
  };
  const builders = args.map((a, i) => walk(a, `argument ${i}`));
  return {
    avals,
    rebuild: (ts) => {
      let k = 0;
      return builders.map((b) => b(() => ts[k++]!));
    },
  };
}

function traced(fn: string, f: Fn, args: readonly unknown[]): { program: Program; outTree: TreeDef } {
  if (typeof f !== "function") throw new JitScopeError("value", `${fn}: the first argument must be a function`);
  const { avals, rebuild } = abstractArgs(fn, args);
  let outTree: TreeDef = { kind: "none", value: undefined };
  const { program } = traceToProgram(f.name || "f", avals, (tracers) => {
    // Traced for shapes only: a debug.print in it prints nothing, as under JAX's eval_shape.
    const out = withoutPrints(() => (f as (...a: unknown[]) => unknown)(...rebuild(tracers)));
    let flat;
    try {
      flat = flatten(out, "the result");
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      throw new JitScopeError("trace", `${fn}: ${e.message.replace(/^jit: /, "")}`);
    }
    outTree = flat.treedef;
    return flat.leaves;
  });
  return { program, outTree };
}

/** The shapes and dtypes of `f(...args)`, as ShapeDtypeStructs in the result's structure. */
export function eval_shape(f: Fn, ...args: unknown[]): unknown {
  const { program, outTree } = traced("eval_shape", f, args);
  return unflatten(
    outTree,
    program.outputs.map((o) => new ShapeDtypeStruct(o.aval.shape, o.aval.dtype)),
  );
}

/** A traced program, printed as the IR view shows it before any pass (`console.log` prints it). */
export class Jaxpr {
  constructor(readonly program: Program) {}
  toString(): string {
    return printProgram(this.program, { locations: false });
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** `make_jaxpr(f)(...args)`: `f` traced on the arguments' shapes and dtypes. */
export function make_jaxpr(f: Fn): (...args: unknown[]) => Jaxpr {
  return (...args) => new Jaxpr(traced("make_jaxpr", f, args).program);
}
