// Searching and counting as jax.numpy has them: searchsorted, digitize, interp, bincount,
// histogram, select, and nonzero / argwhere / flatnonzero. Output shapes must be known when a
// function is traced, so the counting functions take their output size (`length`, `size`) as
// JAX does under jit. Each is written with comparisons, a stable argsort and gathers: it runs
// under jit and vmap, and interp differentiates in x and fp.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "../trace/core.js";
import { arange, full } from "./creation.js";
import * as ew from "./elementwise.js";
import { floor_divide, isnan, logical_and, logical_or } from "./mathSurface.js";
import { asTracer, cast, commonDType, type ArrayLike } from "./promote.js";
import { argsort, sort } from "./reduceSurface.js";
import { max, min, sum } from "./reductions.js";
import { concatenate, expand_dims, reshape, stack } from "./shape.js";
import { slice, take } from "./indexing.js";
import { flip } from "./shapeSurface.js";
import { sizeFromValuesNote } from "./validate.js";

export type Side = "left" | "right";

/** a < b in the order sort uses: NaN after every number. */
function sortLess(a: Tracer, b: Tracer): Tracer {
  if (a.dtype !== "float32") return ew.less(a, b);
  return logical_or(ew.less(a, b), logical_and(isnan(b), ew.logical_not(isnan(a))));
}

function sorted1d(op: string, a: ArrayLike): Tracer {
  const x = asTracer(op, a);
  if (x.ndim !== 1) throw new JitScopeError("shape", `${op}: the sorted array must be 1-D, got shape [${x.shape}]`);
  return x;
}

/**
 * Where `v`'s values would go in the sorted 1-D `a` to keep it sorted: for side "left" (the
 * default) the first such index, for "right" the last. int32, v's shape. NaN sorts last.
 */
export function searchsorted(a: ArrayLike, v: ArrayLike, options: { side?: Side } = {}): Tracer {
  checkOptions("searchsorted", options, ["side"]);
  const side = options.side ?? "left";
  if (side !== "left" && side !== "right")
    throw new JitScopeError("value", `searchsorted: side must be "left" or "right", got ${String(side)}`);
  const s = sorted1d("searchsorted", a);
  const q = asTracer("searchsorted", v);
  const dtype = commonDType([s, q]);
  const sa = cast(s, dtype);
  const vv = expand_dims(cast(q, dtype), -1); // [...v, 1] against [n]
  const before = side === "left" ? sortLess(sa, vv) : ew.logical_not(sortLess(vv, sa));
  return sum(cast(before, "int32"), -1);
}

/** The index of the bin of `bins` (increasing or decreasing) each x falls in, as np.digitize:
 *  bins[i-1] <= x < bins[i] for increasing bins (bins[i-1] < x <= bins[i] with right). */
export function digitize(x: ArrayLike, bins: ArrayLike, right = false): Tracer {
  const b = sorted1d("digitize", bins);
  const t = asTracer("digitize", x);
  const n = b.shape[0]!;
  if (n === 0) return cast(ew.multiply(t, 0), "int32");
  const side: Side = right ? "left" : "right";
  const increasing = ew.greater_equal(take(b, n - 1), take(b, 0));
  const up = searchsorted(b, t, { side });
  const down = ew.subtract(n, searchsorted(flip(b), t, { side }));
  return ew.where(increasing, up, down);
}

export interface InterpOptions {
  /** The value below xp[0] (default fp[0]). */
  left?: ArrayLike;
  /** The value above xp[-1] (default fp[-1]). */
  right?: ArrayLike;
}

/** Piecewise-linear interpolation of (xp, fp) at x, xp increasing, as np.interp. */
export function interp(x: ArrayLike, xp: ArrayLike, fp: ArrayLike, options: InterpOptions = {}): Tracer {
  checkOptions("interp", options, ["left", "right"]);
  const xs = cast(asTracer("interp", x), "float32");
  const xk = cast(sorted1d("interp", xp), "float32");
  const fk = cast(sorted1d("interp", fp), "float32");
  const n = xk.shape[0]!;
  if (n === 0 || fk.shape[0] !== n)
    throw new JitScopeError(
      "shape",
      `interp: xp and fp must be 1-D of one non-zero length, got [${xk.shape}] and [${fk.shape}]`,
    );
  if (n === 1) return ew.add(ew.multiply(xs, 0), take(fk, 0));
  const i = ew.minimum(ew.maximum(searchsorted(xk, xs, { side: "right" }), 1), n - 1);
  const im1 = ew.subtract(i, 1);
  const f0 = take(fk, im1);
  const df = ew.subtract(take(fk, i), f0);
  const dx = ew.subtract(take(xk, i), take(xk, im1));
  const delta = ew.subtract(xs, take(xk, im1));
  // A repeated xp would divide by 0; its segment takes fp's left value, and no NaN gradient.
  const flat = ew.less_equal(ew.abs(dx), 1.401298464324817e-45);
  let f = ew.where(flat, f0, ew.add(f0, ew.multiply(ew.divide(delta, ew.where(flat, 1, dx)), df)));
  f = ew.where(ew.less(xs, take(xk, 0)), options.left ?? take(fk, 0), f);
  return ew.where(ew.greater(xs, take(xk, n - 1)), options.right ?? take(fk, n - 1), f);
}

export interface BincountOptions {
  /** A weight per value (default 1 each). */
  weights?: ArrayLike;
  /** The number of bins: required, as under JAX's jit (values from it up are dropped). */
  length?: number;
}

/** How many times each value 0..length-1 occurs in the 1-D int array x (or the sum of its
 *  weights); negative values count as 0, as JAX clips them. */
export function bincount(x: ArrayLike, options: BincountOptions = {}): Tracer {
  checkOptions("bincount", options, ["weights", "length"]);
  const t = asTracer("bincount", x);
  if (t.ndim !== 1 || t.dtype === "float32")
    throw new JitScopeError("value", `bincount: x must be a 1-D int array, got ${t.dtype}[${t.shape}]`);
  const length = options.length;
  if (typeof length !== "number" || !Number.isInteger(length) || length < 0)
    throw new JitScopeError("value", `bincount: pass { length }, the number of bins: ${sizeFromValuesNote()}`);
  const hit = ew.equal(expand_dims(ew.maximum(cast(t, "int32"), 0), -1), arange(length)); // [n, length]
  if (options.weights === undefined) return sum(cast(hit, "int32"), 0);
  const w = asTracer("bincount", options.weights);
  if (w.ndim !== 1 || w.shape[0] !== t.shape[0])
    throw new JitScopeError("shape", `bincount: weights must have x's shape [${t.shape}], got [${w.shape}]`);
  return sum(ew.where(hit, expand_dims(w, -1), 0), 0);
}

export interface HistogramOptions {
  /** [low, high] (default the data's min and max; equal ends widen by 0.5 each way). */
  range?: readonly [number, number];
  weights?: ArrayLike;
  /** Divide by the total and by the bins' widths, so the histogram integrates to 1. */
  density?: boolean;
}

/** The edges of `bins` equal bins over `range` (default x's min and max; equal ends widen by 0.5
 *  each way), or the given increasing edges, as jnp.histogram_bin_edges. */
export function binEdges(
  op: string,
  x: Tracer,
  bins: number | ArrayLike,
  range?: readonly [number, number] | null,
): Tracer {
  if (typeof bins !== "number") {
    const edges = cast(sorted1d(op, bins), "float32");
    if (edges.shape[0]! < 2) throw new JitScopeError("shape", `${op}: needs at least two bin edges`);
    return edges;
  }
  if (!Number.isInteger(bins) || bins < 1)
    throw new JitScopeError("value", `${op}: bins must be a positive integer or an array of edges, got ${bins}`);
  let [lo, hi]: [ArrayLike, ArrayLike] = range ? [range[0], range[1]] : [min(x), max(x)];
  const same = ew.equal(lo, hi);
  lo = ew.where(same, ew.subtract(lo, 0.5), lo);
  hi = ew.where(same, ew.add(hi, 0.5), hi);
  // JAX's linspace, rounding for rounding: lo·(1 − t) + hi·t for t = i / bins, then hi itself.
  const t = ew.divide(arange(bins, { dtype: "float32" }), bins);
  const inner = ew.add(ew.multiply(lo, ew.subtract(1, t)), ew.multiply(hi, t));
  return concatenate([inner, reshape(cast(asTracer(op, hi), "float32"), [1])]);
}

/** [counts, edges] of `a` (flattened) over `bins` equal bins or the given increasing edges; the
 *  last bin includes its right edge, values outside the edges are not counted (as np.histogram). */
export function histogram(
  a: ArrayLike,
  bins: number | ArrayLike = 10,
  options: HistogramOptions = {},
): [Tracer, Tracer] {
  checkOptions("histogram", options, ["range", "weights", "density"]);
  const x = reshape(cast(asTracer("histogram", a), "float32"), [-1]);
  const edges = binEdges("histogram", x, bins, options.range);
  const nEdges = edges.shape[0]!;
  let idx = searchsorted(edges, x, { side: "right" });
  idx = ew.where(ew.equal(x, take(edges, nEdges - 1)), nEdges - 1, idx);
  const w =
    options.weights === undefined ? undefined : reshape(cast(asTracer("histogram", options.weights), "float32"), [-1]);
  if (w && w.shape[0] !== x.shape[0])
    throw new JitScopeError("shape", `histogram: weights must have a's size ${x.shape[0]}, got ${w.shape[0]}`);
  const hit = ew.equal(expand_dims(idx, -1), arange(1, nEdges)); // bins 1..nEdges-1
  let counts = sum(w ? ew.where(hit, expand_dims(w, -1), 0) : cast(hit, "float32"), 0);
  if (options.density) {
    const widths = ew.subtract(slice(edges, [1]), slice(edges, [0], [nEdges - 1]));
    counts = ew.divide(ew.divide(counts, widths), sum(counts));
  }
  return [counts, edges];
}

/** The choice of the first true condition, element by element (`fallback` where none is). */
export function select(
  condlist: readonly ArrayLike[],
  choicelist: readonly ArrayLike[],
  fallback: ArrayLike = 0,
): Tracer {
  if (!Array.isArray(condlist) || !Array.isArray(choicelist) || condlist.length !== choicelist.length)
    throw new JitScopeError("value", "select: condlist and choicelist must be lists of the same length");
  let out = asTracer("select", fallback);
  for (let k = condlist.length - 1; k >= 0; k--) {
    const c = asTracer("select", condlist[k]);
    if (c.dtype !== "bool") throw new JitScopeError("value", `select: condition ${k} must be bool, got ${c.dtype}`);
    out = ew.where(c, choicelist[k]!, out);
  }
  return out;
}

export interface NonzeroOptions {
  /** How many indices to return: required (the result's size must be known when tracing; JAX
   *  asks the same under jit). Past the last nonzero element, fill_value is returned. */
  size?: number;
  /** The index returned past the last nonzero element (default 0, as JAX's). */
  fill_value?: number;
}

/** options.size, which a function whose output length depends on the values must be given (its
 *  result's size must be known when tracing); `what` names what it counts in the error. */
export function requiredSize(op: string, options: { size?: number; fill_value?: number }, what = "indices"): number {
  checkOptions(op, options, ["size", "fill_value"]);
  const size = options.size;
  if (typeof size !== "number" || !Number.isInteger(size) || size < 0)
    throw new JitScopeError("value", `${op}: pass { size }, how many ${what} to return: ${sizeFromValuesNote()}`);
  return size;
}

/** The flat indices of a's nonzero elements, in order, padded with fill_value to `size`. */
export function flatnonzero(a: ArrayLike, options: NonzeroOptions = {}): Tracer {
  const size = requiredSize("flatnonzero", options);
  const flat = reshape(asTracer("flatnonzero", a), [-1]);
  const n = flat.shape[0]!;
  const nz = ew.not_equal(flat, 0);
  // A stable argsort of "is zero" lists the nonzero positions first, in order.
  let order = n === 0 ? arange(0) : argsort(cast(ew.logical_not(nz), "int32"));
  if (size <= n) order = slice(order, [0], [size]);
  else order = concatenate([order, arange(size - n)]);
  const count = sum(cast(nz, "int32"));
  return ew.where(ew.less(arange(size), count), order, options.fill_value ?? 0);
}

/** One int32 array per axis of a: the indices of its nonzero elements, in row-major order. */
export function nonzero(a: ArrayLike, options: NonzeroOptions = {}): Tracer[] {
  const x = asTracer("nonzero", a);
  if (x.ndim === 0)
    throw new JitScopeError(
      "shape",
      "nonzero: a 0-d array has no axes to index; use np.atleast_1d(x) first (as JAX asks)",
    );
  const flat = flatnonzero(x, { size: requiredSize("nonzero", options) });
  const valid = ew.less(arange(flat.shape[0]!), sum(cast(ew.not_equal(x, 0), "int32")));
  const out: Tracer[] = [];
  let rest = flat;
  for (let d = x.ndim - 1; d >= 0; d--) {
    const dim = x.shape[d]!;
    out.unshift(ew.where(valid, ew.subtract(rest, ew.multiply(floor_divide(rest, dim), dim)), options.fill_value ?? 0));
    rest = floor_divide(rest, dim);
  }
  return out;
}

/** [size, a.ndim]: the index of each nonzero element, one per row (nonzero's arrays stacked). */
export function argwhere(a: ArrayLike, options: NonzeroOptions = {}): Tracer {
  const x = asTracer("argwhere", a);
  return stack(nonzero(x, { ...options, size: requiredSize("argwhere", options) }), 1);
}

export interface UniqueOptions {
  /** How many values to return: required, as nonzero's (JAX asks the same under jit). */
  size?: number;
  /** The value past the last distinct one (default: the smallest value, as jnp.unique pads). */
  fill_value?: number;
  /** NaNs count as one value (default true, as JAX's). */
  equal_nan?: boolean;
}

/** The sorted distinct values of a, flattened: `size` of them, padded past the last. */
export function unique(a: ArrayLike, options: UniqueOptions = {}): Tracer {
  checkOptions("unique", options, ["size", "fill_value", "equal_nan"]);
  const size = requiredSize("unique", { size: options.size });
  const flat = reshape(asTracer("unique", a), [-1]);
  const n = flat.shape[0]!;
  if (n === 0) {
    if (options.fill_value === undefined && size > 0)
      throw new JitScopeError("value", "unique: an empty array with a nonzero size needs { fill_value } (as JAX's)");
    return full([size], options.fill_value ?? 0, { dtype: flat.dtype });
  }
  const s = sort(flat, 0);
  // A value starts a run where it differs from the one before it (NaN differs from everything,
  // itself included, unless equal_nan).
  let fresh = ew.not_equal(slice(s, [1], [n]), slice(s, [0], [n - 1]));
  if (options.equal_nan !== false && s.dtype === "float32")
    fresh = logical_and(fresh, ew.logical_not(logical_and(isnan(slice(s, [1], [n])), isnan(slice(s, [0], [n - 1])))));
  const starts = concatenate([full([1], true), fresh]);
  const picked = take(s, flatnonzero(starts, { size }), 0);
  if (options.fill_value === undefined) return picked;
  const fill = full([], options.fill_value, { dtype: s.dtype });
  return ew.where(ew.less(arange(size), sum(cast(starts, "int32"))), picked, fill);
}
