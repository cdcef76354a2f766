// Small jax.* utilities programs call: named_call, clear_caches, typeof and
// ensure_compile_time_eval (a callback, as named_scope: JS has no `with`).

import { JitScopeError } from "../ir/errors.js";
import type { Aval, DType } from "../ir/types.js";
import { evalMain, Tracer, withDynamic } from "./core.js";
import { ShapeDtypeStruct } from "./abstractEval.js";
import { clearJitCaches } from "./jitCaches.js";
import { named_scope } from "./namedScope.js";
import { fnName } from "./transformUtil.js";

/** `named_call(fun, { name })`: `fun` whose ops are grouped under `name` (fun's own name by
 *  default) when traced, as jax.named_call: a named_scope around each call. */
export function named_call<F extends (...args: never[]) => unknown>(fun: F, options: { name?: string } = {}): F {
  if (typeof fun !== "function")
    throw new JitScopeError("value", `named_call: fun must be a function, got ${typeof fun}`);
  const name = options.name ?? fnName(fun);
  const call = fun as unknown as (...a: unknown[]) => ReturnType<F>;
  // Inside jit a named user function is already a scope of its own name (scopes.ts): a scope of
  // that name around it would read `layer/#1/layer`.
  const g =
    name === fun.name
      ? (...args: Parameters<F>): ReturnType<F> => call(...args)
      : (...args: Parameters<F>): ReturnType<F> => named_scope(name, () => call(...args));
  Object.defineProperty(g, "name", { value: fun.name });
  return g as unknown as F;
}

/** `clear_caches()`: empties every jitted function's compilation cache (each traces and
 *  compiles again on its next call), as jax.clear_caches. */
export function clear_caches(): void {
  clearJitCaches();
}

/** An abstract value, as jax.typeof returns (JAX's ShapedArray): shape, dtype and whether the
 *  type is weak (a JS number, which takes the other operand's dtype). Prints as JAX does,
 *  `float32[3,4]`, `~float32[]` when weak. */
export class ShapedArray extends ShapeDtypeStruct {
  constructor(
    shape: readonly number[],
    dtype: DType,
    readonly weak_type = false,
  ) {
    super(shape, dtype);
  }
  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
  override toString(): string {
    return `${this.weak_type ? "~" : ""}${this.dtype}[${this.shape.join(",")}]`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `ShapedArray(${this.toString()})`;
  }
}

/** `typeof(x)`: the abstract value of an array (concrete or traced) or a JS number. */
export function typeof_(x: unknown): ShapedArray {
  if (x instanceof Tracer) {
    const a: Aval = x.aval;
    return new ShapedArray(a.shape, a.dtype);
  }
  // A JS number is weakly typed: np takes it as float32 alone, or as the other operand's dtype.
  if (typeof x === "number") return new ShapedArray([], "float32", true);
  if (typeof x === "boolean") return new ShapedArray([], "bool");
  throw new JitScopeError(
    "value",
    `typeof: ${x === null ? "null" : typeof x} is not an array or a number (typeof takes one array)`,
  );
}

/** `ensure_compile_time_eval(fn)`: inside jit, ops on concrete values run now, eagerly, and
 *  their results enter the program as constants, as under JAX's context manager of that name;
 *  ops on traced values are traced as usual. Outside jit it only calls `fn`. */
export function ensure_compile_time_eval<R>(fn: () => R): R {
  if (typeof fn !== "function")
    throw new JitScopeError(
      "value",
      `ensure_compile_time_eval(fn): fn must be a function of no arguments, got ${typeof fn}`,
    );
  return withDynamic(evalMain(), fn);
}
