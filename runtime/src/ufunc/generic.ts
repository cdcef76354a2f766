// The generic methods of a binary ufunc (ufunc/ufuncs.ts), as JAX's ufunc_api.py does them when a
// ufunc has no faster path: reduce as a fori_loop over the axis, accumulate as a scan, at as a
// loop over the (flattened, broadcast) indices, reduceat as a loop over the axis masked by
// segment. Each takes the ufunc's call and name; options are checked by the caller.

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import type { Tracer } from "../trace/core.js";
import { fori_loop, scan } from "../lax/control.js";
import { dynamic_index_in_dim } from "../lax/dynamicSlice.js";
import type { IndexEntry } from "../np/at.js";
import { full } from "../np/creation.js";
import * as ew from "../np/elementwise.js";
import { isIndexTuple } from "../np/indexExpression.js";
import { broadcast_shapes } from "../np/broadcasting.js";
import { logical_and } from "../np/mathSurface.js";
import { take } from "../np/indexing.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { broadcast_to, concatenate, expand_dims, reshape } from "../np/shape.js";
import { moveaxis } from "../np/stacking.js";

export type Call = (x: ArrayLike, y: ArrayLike) => Tracer;
export type Scalar = number | boolean;

const fail = (message: string): JitScopeError => new JitScopeError("value", message);

/** The dtype `call` gives on two operands of `dtype` (JAX evaluates the function's shape). */
export function resultDtype(call: Call, dtype: DType): DType {
  const one = full([], 1, { dtype });
  return call(one, one).dtype;
}

export function normAxis(name: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim)
    throw new JitScopeError("axis", `${name}: axis ${axis} is out of bounds for an array of ${ndim} dimensions`);
  return axis < 0 ? axis + ndim : axis;
}

const row = (x: Tracer, i: Tracer | number): Tracer => dynamic_index_in_dim(x, i, 0, false);

export interface GenericReduce {
  axis: number | null;
  dtype?: DType;
  keepdims: boolean;
  initial: Scalar | null;
  where?: ArrayLike;
}

export function reduceGeneric(name: string, call: Call, a: ArrayLike, o: GenericReduce): Tracer {
  let arr = asTracer(`${name}.reduce`, a);
  const dtype = o.dtype ?? resultDtype(call, arr.dtype);
  let where = o.where === undefined ? null : broadcast_to(o.where, arr.shape);
  let axis: number;
  let finalShape: number[];
  if (o.axis === null) {
    finalShape = o.keepdims ? arr.shape.map(() => 1) : [];
    arr = reshape(arr, [-1]);
    where = where && reshape(where, [-1]);
    axis = 0;
  } else {
    axis = normAxis(`${name}.reduce`, o.axis, arr.ndim);
    finalShape = arr.shape.filter((_, k) => k !== axis);
    if (o.keepdims) finalShape.splice(axis, 0, 1);
  }
  if (axis !== 0) {
    arr = moveaxis(arr, axis, 0);
    where = where && moveaxis(where, axis, 0);
  }
  const n = arr.shape[0]!;
  if (n === 0) {
    if (o.initial === null) throw fail(`zero-size array to reduction operation ${name} which has no identity`);
    return full(finalShape, o.initial, { dtype });
  }
  const start = o.initial === null ? row(arr, 0) : full([], o.initial, { dtype });
  const init = broadcast_to(ew.astype(start, dtype), arr.shape.slice(1));
  const mask = where;
  const result = fori_loop(
    o.initial === null ? 1 : 0,
    n,
    (i, val: Tracer) => {
      const next = call(val, ew.astype(row(arr, i), dtype));
      return mask ? ew.where(row(mask, i), next, val) : next;
    },
    init,
  );
  return o.keepdims ? reshape(result, finalShape) : result;
}

export function accumulateGeneric(name: string, call: Call, a: ArrayLike, axis: number, dtype?: DType): Tracer {
  let arr = asTracer(`${name}.accumulate`, a);
  const dt = dtype ?? resultDtype(call, arr.dtype);
  const ax = normAxis(`${name}.accumulate`, axis, arr.ndim);
  if (arr.size === 0) return full(arr.shape, 0, { dtype: dt });
  arr = ew.astype(moveaxis(arr, ax, 0), dt);
  const first = row(arr, 0);
  const rest = take(
    arr,
    Array.from({ length: arr.shape[0]! - 1 }, (_, k) => k + 1),
    0,
  );
  const [, ys] = scan(
    (carry: Tracer, x: Tracer): [Tracer, Tracer] => {
      const y = ew.astype(call(carry, x), dt);
      return [y, y];
    },
    first,
    rest,
  );
  return moveaxis(concatenate([expand_dims(first, 0), ys], 0), 0, ax);
}

/** ufunc.at's `indices`: one entry, or a tuple of them as JAX's `(rows, cols)`. */
export type UfuncIndex = IndexEntry | readonly IndexEntry[];

const numeric = (e: unknown): boolean => typeof e === "number" || (Array.isArray(e) && e.every(numeric));

/** The entries of `indices`: an np.index_exp tuple, or a JS array holding anything but numbers
 *  (`[rows, cols]` of arrays), is a tuple; an array of numbers is one integer-array index, as
 *  a Python list is in JAX. */
export const indexEntries = (indices: UfuncIndex): IndexEntry[] =>
  isIndexTuple(indices) || (Array.isArray(indices) && !numeric(indices))
    ? [...(indices as readonly IndexEntry[])]
    : [indices as IndexEntry];

const isArrayEntry = (e: IndexEntry): boolean =>
  Array.isArray(e) || (typeof e === "object" && e !== null && "shape" in e && "dtype" in e);

export function atGeneric(name: string, call: Call, a: ArrayLike, indices: UfuncIndex, b: ArrayLike): Tracer {
  const x0 = asTracer(`${name}.at`, a);
  const bv = asTracer(`${name}.at`, b);
  const dtype = resultDtype(call, x0.dtype);
  let x = ew.astype(x0, dtype);
  const vals = ew.astype(bv, dtype);
  const entries = indexEntries(indices);
  const arrays = entries.filter(isArrayEntry).map((e) => asTracer(`${name}.at`, e, "int32"));
  if (arrays.length === 0) return x.at(...entries).set(call(x.at(...entries).get(), vals));
  const shape = broadcast_shapes(...arrays.map((t) => t.shape));
  const count = shape.reduce((p, d) => p * d, 1);
  const rest = vals.shape.slice(shape.length);
  const flatVals = reshape(broadcast_to(vals, [...shape, ...rest]), [count, ...rest]);
  const flat = entries.map((e) =>
    isArrayEntry(e) ? reshape(broadcast_to(asTracer(`${name}.at`, e, "int32"), shape), [-1]) : e,
  );
  x = fori_loop(
    0,
    count,
    (i, acc: Tracer) => {
      const idx = flat.map((e) => (typeof e === "object" && e !== null && "shape" in e ? row(e as Tracer, i) : e));
      return acc.at(...idx).set(call(acc.at(...idx).get(), row(flatVals, i)));
    },
    x,
  );
  return x;
}

export function reduceatGeneric(
  name: string,
  call: Call,
  a: ArrayLike,
  indices: ArrayLike,
  axis: number,
  dtype?: DType,
): Tracer {
  const arr = asTracer(`${name}.reduceat`, a);
  const ind = asTracer(`${name}.reduceat`, indices, "int32");
  if (arr.ndim === 0) throw fail(`${name}.reduceat: a must have 1 or more dimension, got a.shape=[]`);
  if (ind.ndim !== 1)
    throw fail(`${name}.reduceat: indices must be one-dimensional, got indices.shape=[${ind.shape.join(", ")}]`);
  const ax = normAxis(`${name}.reduceat`, axis, arr.ndim);
  const src = dtype ? ew.astype(arr, dtype) : arr;
  const out0 = take(src, ind, ax);
  // Segment k runs over (indices[k], indices[k+1]) after its first element, the last to the end.
  const bounds = concatenate([ind, full([1], arr.shape[ax]!, { dtype: "int32" })], 0);
  const others = out0.shape.map((_, k) => k).filter((k) => k !== ax);
  const shaped = (t: Tracer): Tracer => (others.length ? expand_dims(t, others) : t);
  const m = ind.shape[0]!;
  const starts = shaped(
    take(
      bounds,
      Array.from({ length: m }, (_, k) => k),
      0,
    ),
  );
  const ends = shaped(
    take(
      bounds,
      Array.from({ length: m }, (_, k) => k + 1),
      0,
    ),
  );
  return fori_loop(
    0,
    arr.shape[ax]!,
    (i, out: Tracer) =>
      ew.where(
        logical_and(ew.greater(i, starts), ew.less(i, ends)),
        call(out, dynamic_index_in_dim(src, i, ax, true)),
        out,
      ),
    out0,
  );
}
