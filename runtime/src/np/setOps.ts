// Set operations as jax.numpy has them: isin, and setdiff1d / union1d / intersect1d on flattened
// inputs. Their output length depends on the values, so, as np.unique here, they take it as
// { size } (JAX asks the same under jit) and pad past the last value with fill_value (JAX's
// default pads: 0 for setdiff1d, the smallest value for union1d and intersect1d). Membership is
// an all-pairs comparison, as JAX's default method: it runs under jit and vmap.

import { checkOptions } from "../apiOptions.js";
import type { Tracer } from "../trace/core.js";
import { arange, full, zeros } from "./creation.js";
import * as ew from "./elementwise.js";
import { isnan, logical_and } from "./mathSurface.js";
import { asTracer, cast, commonDType, type ArrayLike } from "./promote.js";
import { all, any, sort } from "./reduceSurface.js";
import { sum } from "./reductions.js";
import { concatenate, reshape } from "./shape.js";
import { slice, take } from "./indexing.js";
import { flatnonzero, requiredSize, unique } from "./searching.js";

/** Whether each element of `element` occurs in `test_elements` (element's shape; bool). NaN is
 *  in nothing. With { invert: true }, whether it does not. */
export function isin(element: ArrayLike, test_elements: ArrayLike, options: { invert?: boolean } = {}): Tracer {
  checkOptions("isin", options, ["invert"]);
  const [e, t] = [asTracer("isin", element), asTracer("isin", test_elements)];
  const dtype = commonDType([e, t]);
  const [flatE, flatT] = [reshape(cast(e, dtype), [-1, 1]), reshape(cast(t, dtype), [1, -1])];
  const invert = options.invert === true;
  if (flatE.shape[0] === 0 || flatT.shape[1] === 0) return full(e.shape, invert, { dtype: "bool" });
  const found = invert ? all(ew.not_equal(flatE, flatT), 1) : any(ew.equal(flatE, flatT), 1);
  return reshape(found, e.shape);
}

export interface SetOptions {
  /** How many values to return: required, as np.unique's (the result's size must be known when
   *  tracing; JAX asks the same under jit). */
  size?: number;
  /** The value past the last one in the result. */
  fill_value?: number;
}

const setSize = (op: string, options: SetOptions): number => requiredSize(op, options, "values");

function flatPair(op: string, a: ArrayLike, b: ArrayLike): [Tracer, Tracer] {
  const [x, y] = [asTracer(op, a), asTracer(op, b)];
  const dtype = commonDType([x, y]);
  return [reshape(cast(x, dtype), [-1]), reshape(cast(y, dtype), [-1])];
}

/** The sorted distinct values of flat `x` padded with its smallest value to x's length, and how
 *  many there are (NaNs count as one, as jnp.unique's default). */
function distinct(x: Tracer): [Tracer, Tracer] {
  const n = x.shape[0]!;
  const s = sort(x, 0);
  let fresh = ew.not_equal(slice(s, [1], [n]), slice(s, [0], [n - 1]));
  if (s.dtype === "float32")
    fresh = logical_and(fresh, ew.logical_not(logical_and(isnan(slice(s, [1], [n])), isnan(slice(s, [0], [n - 1])))));
  const starts = concatenate([full([1], true), fresh]);
  return [take(s, flatnonzero(starts, { size: n }), 0), sum(cast(starts, "int32"))];
}

/** The first `size` entries of `values` where `keep` holds, in order, then `fill` (a scalar). */
function compacted(values: Tracer, keep: Tracer, size: number, fill: Tracer | number): Tracer {
  const picked = take(values, flatnonzero(keep, { size }), 0);
  return ew.where(ew.less(arange(size), sum(cast(keep, "int32"))), picked, fill);
}

/** The sorted distinct values of `ar1` that are not in `ar2`, `size` of them, then fill_value
 *  (default 0). */
export function setdiff1d(ar1: ArrayLike, ar2: ArrayLike, options: SetOptions = {}): Tracer {
  const size = setSize("setdiff1d", options);
  const [x, y] = flatPair("setdiff1d", ar1, ar2);
  const fill = full([], options.fill_value ?? 0, { dtype: x.dtype });
  if (x.shape[0] === 0) return full([size], options.fill_value ?? 0, { dtype: x.dtype });
  const [values, count] = distinct(x);
  const keep = logical_and(isin(values, y, { invert: true }), ew.less(arange(values.shape[0]!), count));
  return compacted(values, keep, size, fill);
}

/** The sorted distinct values of both arrays together, `size` of them, then fill_value (default:
 *  the smallest value, as jnp.unique pads). */
export function union1d(ar1: ArrayLike, ar2: ArrayLike, options: SetOptions = {}): Tracer {
  const size = setSize("union1d", options);
  const [x, y] = flatPair("union1d", ar1, ar2);
  return unique(concatenate([x, y]), { size, fill_value: options.fill_value });
}

/** The sorted values in both arrays, `size` of them, then fill_value (default: the smallest
 *  value of the intersection, 0 when it is empty, as JAX's). */
export function intersect1d(ar1: ArrayLike, ar2: ArrayLike, options: SetOptions = {}): Tracer {
  const size = setSize("intersect1d", options);
  const [x, y] = flatPair("intersect1d", ar1, ar2);
  if (x.shape[0] === 0 || y.shape[0] === 0) return full([size], options.fill_value ?? 0, { dtype: x.dtype });
  const [values, count] = distinct(x);
  const keep = logical_and(isin(values, y), ew.less(arange(values.shape[0]!), count));
  const anyFound = ew.greater(sum(cast(keep, "int32")), 0);
  const smallest = ew.where(anyFound, take(values, flatnonzero(keep, { size: 1 }), 0), zeros([1], { dtype: x.dtype }));
  const fill = options.fill_value ?? reshape(smallest, []);
  return compacted(values, keep, size, fill);
}
