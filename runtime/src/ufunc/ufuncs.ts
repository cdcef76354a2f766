// JAX's jnp.ufunc: np.add, np.multiply, np.maximum, … are still the functions they were, with
// JAX's ufunc methods and attributes attached: outer, reduce, accumulate, at (inplace: false
// only, as JAX), reduceat, nin, nout, identity, __name__. A ufunc with a faster path uses it
// (add.reduce is sum, maximum.accumulate is lax.cummax, add.at is x.at(i).add); the rest go
// through ufunc/generic.ts, as JAX's ufunc_api.py does. np.frompyfunc builds one from a
// JS function of scalars (run through np.vectorize, as JAX does).

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import type { Tracer } from "../trace/core.js";
import type { Complex } from "../trace/complexValue.js";
import type { ComplexLike } from "../complex/complexMath.js";
import * as dispatch from "../complex/npDispatch.js";
import { cummax, cummin } from "../lax/reductions.js";
import type { IndexEntry } from "../np/at.js";
import * as bits from "../np/bitwise.js";
import * as ew from "../np/elementwise.js";
import { logaddexp2 as logaddexp2Fn } from "../np/elementwiseExtras.js";
import {
  logaddexp as logaddexpFn,
  logical_and as andFn,
  logical_or as orFn,
  logical_xor as xorFn,
} from "../np/mathSurface.js";
import { full } from "../np/creation.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { max, min, sum, type ReduceWhereOptions } from "../np/reductions.js";
import { all, any, cumprod, cumsum, prod } from "../np/reduceSurface.js";
import { reshape } from "../np/shape.js";
import {
  accumulateGeneric,
  atGeneric,
  indexEntries,
  reduceatGeneric,
  reduceGeneric,
  type Call,
  type Scalar,
  type UfuncIndex,
} from "./generic.js";
import { vectorize } from "../np/vectorize.js";

/** ufunc.reduce's keywords (JAX's; `out` has no meaning here). */
export interface UfuncReduceOptions {
  dtype?: DType;
  keepdims?: boolean;
  initial?: Scalar;
  where?: ArrayLike;
}
export interface UfuncDtypeOptions {
  dtype?: DType;
}
/** ufunc.at's keyword: JAX refuses the default, inplace: true (its arrays are immutable). */
export interface UfuncAtOptions {
  inplace?: boolean;
}

/** The methods and attributes JAX's ufuncs carry. */
export interface UfuncMethods {
  readonly nin: number;
  readonly nout: number;
  /** The value `x` with f(identity, x) = x, or null where there is none (maximum, subtract). */
  readonly identity: Scalar | null;
  readonly __name__: string;
  /** f of every element of `a` with every element of `b`: shape a.shape + b.shape. */
  outer(a: ArrayLike, b: ArrayLike): Tracer;
  /** f folded along `axis` (default 0; null: all axes). */
  reduce(a: ArrayLike, axis?: number | null, options?: UfuncReduceOptions): Tracer;
  /** The running fold along `axis` (default 0). */
  accumulate(a: ArrayLike, axis?: number, options?: UfuncDtypeOptions): Tracer;
  /** A copy of `a` with a[indices] = f(a[indices], b), repeated indices applied in turn; JAX
   *  requires `{ inplace: false }`. `indices` is one index, or a tuple as `[rows, cols]` (an array
   *  of plain numbers is one integer-array index, as a Python list is in JAX). */
  at(a: ArrayLike, indices: UfuncIndex, b: ArrayLike | boolean, options?: UfuncAtOptions): Tracer;
  /** f folded over the segments [indices[k], indices[k+1]) along `axis` (the last to the end). */
  reduceat(a: ArrayLike, indices: ArrayLike, axis?: number, options?: UfuncDtypeOptions): Tracer;
}

/** A ufunc: the function (called as before) with the methods of JAX's ufuncs. Interfaces, not
 *  intersections: an intersection merges equal overloads, and a function passed as a value
 *  (`lax.associative_scan(np.add, x)`) must keep the real signature last. */
export interface Ufunc extends UfuncMethods {
  (x: ArrayLike, y: ArrayLike): Tracer;
}
/** np.add, np.multiply, np.subtract: they also take complex operands (complex/npDispatch.ts). */
export interface ComplexUfunc extends UfuncMethods {
  (x: ArrayLike, y: ArrayLike): Tracer;
  (x: Complex, y: ComplexLike): Complex;
  (x: ComplexLike, y: Complex): Complex;
  /** Again last: a function passed as a value takes its last signature. */
  (x: ArrayLike, y: ArrayLike): Tracer;
}
/** What np.frompyfunc gives: a function of `nin` arrays. */
export interface PyUfunc extends UfuncMethods {
  (...args: ArrayLike[]): Tracer;
}

interface Fast {
  reduce?: (a: Tracer, axis: number | null, options: ReduceWhereOptions) => Tracer;
  accumulate?: (a: Tracer, axis: number) => Tracer;
  at?: (a: Tracer, indices: IndexEntry[], b: ArrayLike) => Tracer;
}

interface Spec {
  name: string;
  nin: number;
  nout: number;
  identity: Scalar | null;
  fast?: Fast;
}

const fail = (message: string): JitScopeError => new JitScopeError("value", message);

function methods(call: Call, spec: Spec): UfuncMethods {
  const { name, fast = {} } = spec;
  const binaryOnly = (method: string): void => {
    if (spec.nin !== 2)
      throw fail(`${name}.${method}: ${method} only supported for binary ufuncs (nin=2), got nin=${spec.nin}`);
    if (spec.nout !== 1)
      throw fail(
        `${name}.${method}: ${method} only supported for functions returning a single value, got nout=${spec.nout}`,
      );
  };
  const cast = (x: Tracer, dtype: DType | undefined): Tracer => (dtype ? ew.astype(x, dtype) : x);
  return {
    nin: spec.nin,
    nout: spec.nout,
    identity: spec.identity,
    __name__: name,
    outer(a, b) {
      binaryOnly("outer");
      const x = asTracer(`${name}.outer`, a);
      const y = asTracer(`${name}.outer`, b);
      return call(reshape(x, [...x.shape, ...y.shape.map(() => 1)]), y);
    },
    reduce(a, axis = 0, options = {}) {
      binaryOnly("reduce");
      checkOptions(`${name}.reduce`, options, ["dtype", "keepdims", "initial", "where"]);
      const { dtype, keepdims = false, initial, where } = options;
      if (where !== undefined) {
        if (spec.identity === null && initial === undefined)
          throw fail(
            `${name}.reduce: reduction operation '${name}' does not have an identity, so to use a where mask one has to specify 'initial'`,
          );
        const w = asTracer(`${name}.reduce`, where);
        if (w.dtype !== "bool") throw fail(`${name}.reduce: where argument must have dtype=bool; got dtype=${w.dtype}`);
      }
      if (Array.isArray(axis))
        throw fail(`${name}.reduce: a tuple of axes is not supported (JAX: NotImplementedError)`);
      if (fast.reduce) {
        const x = cast(asTracer(`${name}.reduce`, a), dtype);
        const opts: ReduceWhereOptions = { keepdims };
        if (initial !== undefined) opts.initial = initial as number;
        if (where !== undefined) opts.where = where;
        return fast.reduce(x, axis, opts);
      }
      return reduceGeneric(name, call, a, {
        axis,
        dtype,
        keepdims,
        initial: initial ?? spec.identity,
        ...(where === undefined ? {} : { where }),
      });
    },
    accumulate(a, axis = 0, options = {}) {
      binaryOnly("accumulate");
      checkOptions(`${name}.accumulate`, options, ["dtype"]);
      if (typeof axis !== "number") throw fail(`${name}.accumulate: accumulate does not allow multiple axes`);
      if (fast.accumulate) return fast.accumulate(cast(asTracer(`${name}.accumulate`, a), options.dtype), axis);
      return accumulateGeneric(name, call, a, axis, options.dtype);
    },
    at(a, indices, b, options = {}) {
      checkOptions(`${name}.at`, options, ["inplace"]);
      if (options.inplace !== false)
        throw fail(
          `${name}.at: JAX arrays are immutable, so ufunc.at cannot work in place; pass { inplace: false } and use the result: x = np.${name}.at(x, i, v, { inplace: false })`,
        );
      binaryOnly("at");
      const v = typeof b === "boolean" ? full([], b, { dtype: "bool" }) : b;
      if (fast.at) return fast.at(asTracer(`${name}.at`, a), indexEntries(indices), v);
      return atGeneric(name, call, a, indices, v);
    },
    reduceat(a, indices, axis = 0, options = {}) {
      binaryOnly("reduceat");
      checkOptions(`${name}.reduceat`, options, ["dtype"]);
      if (typeof axis !== "number") throw fail(`${name}.reduceat: reduceat requires a single integer axis`);
      return reduceatGeneric(name, call, a, indices, axis, options.dtype);
    },
  };
}

/** `fn` as a ufunc: a new function calling it, with the methods attached. */
function makeUfunc<U extends UfuncMethods>(fn: Call, spec: Spec): U {
  // The methods go on the function itself, not on a wrapper: a wrapper's extra stack frame
  // would deepen every eager call's capture of its source line (ir/eagerCallSite.ts).
  Object.defineProperty(fn, "name", { value: spec.name });
  return Object.assign(fn, methods(fn, spec)) as unknown as U;
}

const binary = <U extends UfuncMethods = Ufunc>(fn: Call, name: string, identity: Scalar | null, fast?: Fast): U =>
  makeUfunc<U>(fn, { name, nin: 2, nout: 1, identity, ...(fast ? { fast } : {}) });

// Where JAX adds a bool array at indices it adds as int32 and casts back (its _add_at).
function boolAt(op: "add" | "multiply") {
  return (a: Tracer, idx: IndexEntry[], b: ArrayLike): Tracer => {
    if (a.dtype !== "bool") return a.at(...idx)[op](b);
    const at = ew.astype(a, "int32").at(...idx);
    return ew.astype(at[op](ew.astype(ew.astype(b, "bool"), "int32")), "bool");
  };
}

export const add = binary<ComplexUfunc>(dispatch.add, "add", 0, {
  reduce: sum,
  accumulate: cumsum,
  at: boolAt("add"),
});
export const multiply = binary<ComplexUfunc>(dispatch.multiply, "multiply", 1, {
  reduce: prod,
  accumulate: cumprod,
  at: boolAt("multiply"),
});
export const subtract = binary<ComplexUfunc>(dispatch.subtract, "subtract", null, {
  at: (a, idx, b) => a.at(...idx).add(ew.negative(b)),
});
export const maximum = binary(ew.maximum, "maximum", null, {
  reduce: max,
  // lax.cummax takes no bool (and np.maximum of bools gives int32 here): scan, keeping bool as JAX.
  accumulate: (a, axis) =>
    a.dtype === "bool" ? accumulateGeneric("maximum", ew.maximum, a, axis, "bool") : cummax(a, axis),
  at: (a, idx, b) => a.at(...idx).max(b),
});
export const minimum = binary(ew.minimum, "minimum", null, {
  reduce: min,
  // Likewise for bool.
  accumulate: (a, axis) =>
    a.dtype === "bool" ? accumulateGeneric("minimum", ew.minimum, a, axis, "bool") : cummin(a, axis),
  at: (a, idx, b) => a.at(...idx).min(b),
});

/** all/any take no `initial`: it is folded in after (JAX's _reduce_logical_and/or do the same fold). */
const logicalReduce =
  (r: typeof all, fold: Call) =>
  (a: Tracer, axis: number | null, o: ReduceWhereOptions): Tracer => {
    const { initial, ...rest } = o;
    const out = r(a, axis, rest);
    return initial === undefined ? out : fold(out, initial);
  };
export const logical_and = binary(andFn, "logical_and", true, { reduce: logicalReduce(all, andFn) });
export const logical_or = binary(orFn, "logical_or", false, { reduce: logicalReduce(any, orFn) });
export const logical_xor = binary(xorFn, "logical_xor", false);
export const bitwise_and = binary(bits.bitwise_and, "bitwise_and", -1);
export const bitwise_or = binary(bits.bitwise_or, "bitwise_or", 0);
export const bitwise_xor = binary(bits.bitwise_xor, "bitwise_xor", 0);
export const logaddexp = binary(logaddexpFn, "logaddexp", -Infinity);
export const logaddexp2 = binary(logaddexp2Fn, "logaddexp2", -Infinity);

export interface FrompyfuncOptions {
  identity?: Scalar | null;
}

/** JAX's jnp.frompyfunc: a ufunc from `fn`, a function of `nin` scalars, run through np.vectorize
 *  (so it may use any np function on its scalar arguments). The methods need nin 2, nout 1. */
export function frompyfunc(
  fn: (...args: Tracer[]) => Tracer,
  nin: number,
  nout: number,
  options: FrompyfuncOptions = {},
): PyUfunc {
  checkOptions("frompyfunc", options, ["identity"]);
  if (typeof fn !== "function") throw fail("frompyfunc: expected a function as its first argument");
  for (const [label, v] of [
    ["nin", nin],
    ["nout", nout],
  ] as const)
    if (!Number.isInteger(v) || v < 0) throw fail(`frompyfunc: ${label} must be a non-negative integer, got ${v}`);
  const vec = vectorize(fn as (...args: never[]) => Tracer) as (...args: ArrayLike[]) => Tracer;
  const name = fn.name || "<lambda>";
  const call = (...args: ArrayLike[]): Tracer => vec(...args);
  Object.defineProperty(call, "name", { value: name });
  const binaryCall: Call = (x, y) => vec(x, y);
  return Object.assign(call, methods(binaryCall, { name, nin, nout, identity: options.identity ?? null }));
}
