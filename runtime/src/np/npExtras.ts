// jax.numpy names real programs use that the other np/ files lacked: trim_zeros, setxor1d,
// histogram_bin_edges, spacing, mask_indices and sort_complex, each as JAX 0.10 has it. Those
// whose result's size depends on the values take it as { size } (setxor1d, mask_indices under
// jit) or need concrete input (trim_zeros, as JAX's: np/concreteValues.ts).

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { Complex } from "../trace/complexValue.js";
import { Tracer } from "../trace/core.js";
import { concreteValues, onCpu, valuesNow } from "./concreteValues.js";
import { arange, array, full, ones, zeros } from "./creation.js";
import * as ew from "./elementwise.js";
import { copysign, nextafter } from "./floatBits.js";
import { take_along_axis } from "./indexing.js";
import { isnan, logical_and, logical_or } from "./mathSurface.js";
import { lexsort } from "./multiIndex.js";
import { asTracer, cast, commonDType, type ArrayLike } from "./promote.js";
import { sort } from "./reduceSurface.js";
import { max, min, sum } from "./reductions.js";
import { binEdges, flatnonzero, nonzero, requiredSize } from "./searching.js";
import { concatenate, reshape } from "./shape.js";
import { normalizeAxis } from "./validate.js";

/** filt without its leading ("f"), trailing ("b") or both ("fb") all-zero slices along `axis`
 *  (default every axis); an all-zero input trims to size 0. Concrete input only, as JAX's. */
export function trim_zeros(filt: ArrayLike, trim = "fb", axis: number | readonly number[] | null = null): Tracer {
  const v = concreteValues("trim_zeros", filt);
  const x = filt instanceof Tracer ? filt : array(filt, { dtype: v.dtype });
  const nd = v.shape.length;
  const axes = new Set(
    (axis === null ? v.shape.map((_, k) => k) : typeof axis === "number" ? [axis] : axis).map((a) =>
      normalizeAxis("trim_zeros", a, nd, v.shape),
    ),
  );
  const [front, back] = [trim.toLowerCase().includes("f"), trim.toLowerCase().includes("b")];
  if (axes.size === 0 || (!front && !back)) return x;
  const strides = v.shape.map((_, k) => v.shape.slice(k + 1).reduce((a, b) => a * b, 1));
  const slices = v.shape.map((n, ax) => {
    if (!axes.has(ax)) return ":";
    // Whether each index along ax has a nonzero anywhere in its slab (NaN counts as nonzero).
    const any = new Array<boolean>(n).fill(false);
    for (let i = 0; i < v.data.length; i++) if (v.data[i] !== 0) any[Math.floor(i / strides[ax]!) % n] = true;
    if (!any.includes(true)) return "0:0";
    const start = front ? any.indexOf(true) : 0;
    const stop = back ? any.lastIndexOf(true) + 1 : n;
    return `${start}:${stop}`;
  });
  return nd === 0 ? x : x.at(...slices).get();
}

export interface SetxorOptions {
  /** Both inputs are taken as already free of duplicates (faster; wrong results otherwise). */
  assume_unique?: boolean;
  /** How many values to return: required, as for the other set functions here. */
  size?: number;
  /** The value past the last one (default: the smallest value of the result, as JAX's). */
  fill_value?: number;
}

/** The sorted values in exactly one of ar1 and ar2 (flattened), `size` of them. As JAX's: each
 *  input's NaNs count as one value, but NaN never equals NaN across the two. */
export function setxor1d(ar1: ArrayLike, ar2: ArrayLike, options: SetxorOptions = {}): Tracer {
  checkOptions("setxor1d", options, ["assume_unique", "size", "fill_value"]);
  const size = requiredSize("setxor1d", { size: options.size, fill_value: options.fill_value }, "values");
  const dtype = commonDType([ar1, ar2]);
  const [x, y] = [ar1, ar2].map((a) => reshape(cast(asTracer("setxor1d", a), dtype), [-1])) as [Tracer, Tracer];
  const total = x.shape[0]! + y.shape[0]!;
  // Nothing in either: all fill (0 by default, as JAX's). Also keeps a size-0 sort out of jit,
  // whose WebGPU kernel would divide by the size.
  if (total === 0) return full([size], options.fill_value ?? 0, { dtype });
  let aux: Tracer, keep: Tracer;
  if (options.assume_unique) {
    aux = sort(concatenate([x, y]));
    // flag[i]: aux[i] differs from its left neighbour (true at both ends); kept where both flags hold.
    const flag = concatenate([
      full([1], total > 0),
      ew.not_equal(aux.at("1:").get(), aux.at(":-1").get()),
      full([1], true),
    ]);
    keep = logical_and(flag.at("1:").get(), flag.at(":-1").get());
  } else {
    const [ux, cx] = distinct(x);
    const [uy, cy] = distinct(y);
    const all = concatenate([ux, uy]);
    const invalid = concatenate([
      ew.greater_equal(arange(ux.shape[0]!), cx),
      ew.greater_equal(arange(uy.shape[0]!), cy),
    ]);
    const count = ew.add(cx, cy);
    // Valid values sorted first, as JAX's sort of [invalid, value].
    aux = take_along_axis(all, lexsort([all, cast(invalid, "int32")]), 0);
    const mask = ew.less(arange(total + 1), ew.add(count, 1));
    const differs = concatenate([
      full([1], total > 0),
      ew.not_equal(aux.at("1:").get(), aux.at(":-1").get()),
      full([1], false),
    ]);
    const flag = logical_and(mask, logical_or(differs, ew.equal(arange(total + 1), count)));
    keep = logical_and(flag.at("1:").get(), flag.at(":-1").get());
  }
  const found = sum(cast(keep, "int32"));
  const inside = ew.less(arange(size), found);
  const vals = aux.at(flatnonzero(keep, { size, fill_value: total })).get({ mode: "fill", fill_value: 0 });
  if (options.fill_value !== undefined)
    return ew.where(inside, vals, cast(asTracer("setxor1d", options.fill_value), dtype));
  const filled = ew.where(inside, vals, max(vals));
  return ew.where(inside, filled, min(filled));
}

/** The sorted distinct values of flat x padded to its length, and how many there are (NaNs one). */
function distinct(x: Tracer): [Tracer, Tracer] {
  const n = x.shape[0]!;
  if (n === 0) return [x, array(0, { dtype: "int32" })];
  const s = sort(x);
  let fresh = ew.not_equal(s.at("1:").get(), s.at(":-1").get());
  if (s.dtype === "float32")
    fresh = logical_and(fresh, ew.logical_not(logical_and(isnan(s.at("1:").get()), isnan(s.at(":-1").get()))));
  const starts = concatenate([full([1], true), fresh]);
  return [s.at(flatnonzero(starts, { size: n })).get(), sum(cast(starts, "int32"))];
}

export interface BinEdgesOptions {
  /** [low, high] (default the data's min and max; equal ends widen by 0.5 each way). */
  range?: readonly [number, number];
  /** Unused, as in JAX (it matters only for string bins, which JAX does not implement). */
  weights?: ArrayLike;
}

/** The edges np.histogram would use: bins + 1 evenly spaced over the range, or the given edges
 *  as float32. String bins ("auto", "fd", …) are refused, as JAX refuses them. */
export function histogram_bin_edges(
  a: ArrayLike,
  bins: number | ArrayLike = 10,
  options: BinEdgesOptions = {},
): Tracer {
  checkOptions("histogram_bin_edges", options, ["range", "weights"]);
  if (typeof bins === "string")
    throw new JitScopeError(
      "value",
      `histogram_bin_edges: string bins (${JSON.stringify(bins)}) are not implemented, as in JAX; pass a number of bins or the edges`,
    );
  const x = reshape(cast(asTracer("histogram_bin_edges", a), "float32"), [-1]);
  if (typeof bins !== "number") {
    const edges = cast(asTracer("histogram_bin_edges", bins), "float32");
    if (edges.ndim !== 1)
      throw new JitScopeError(
        "shape",
        `histogram_bin_edges: bins must be a number or 1-D edges, got shape [${edges.shape}]`,
      );
    return edges;
  }
  if (options.range !== undefined && (!Array.isArray(options.range) || options.range.length !== 2))
    throw new JitScopeError(
      "value",
      `histogram_bin_edges: range must be [low, high], got ${JSON.stringify(options.range)}`,
    );
  return binEdges("histogram_bin_edges", x, bins, options.range ?? null);
}

const SMALLEST_SUBNORMAL = Math.fround(2 ** -149);

/** The distance from x to the next float32 away from zero (the smallest subnormal, signed as x,
 *  where that distance rounds to 0); NaN for ±inf and NaN. */
export function spacing(x: ArrayLike): Tracer {
  const a = cast(asTracer("spacing", x), "float32");
  const step = ew.subtract(nextafter(a, copysign(Infinity, a)), a);
  return ew.where(ew.equal(step, 0), copysign(SMALLEST_SUBNORMAL, a), step);
}

/** [rows, cols] where mask_func(ones([n, n]), k) is nonzero, row by row (np.triu, np.tril or any
 *  function of that form). Without { size } the mask is computed on the host, so under jit (as
 *  in JAX) size is needed. */
export function mask_indices(
  n: number,
  mask_func: (x: Tracer, k: number) => Tracer,
  k = 0,
  options: { size?: number } = {},
): [Tracer, Tracer] {
  checkOptions("mask_indices", options, ["size"]);
  if (!Number.isInteger(n) || n < 0)
    throw new JitScopeError("value", `mask_indices: n must be a whole number ≥ 0, got ${String(n)}`);
  if (typeof mask_func !== "function")
    throw new JitScopeError("value", "mask_indices: mask_func must be a function of (x, k)");
  if (options.size !== undefined) {
    const [i, j] = nonzero(mask_func(ones([n, n]), k), { size: options.size });
    return [i!, j!];
  }
  const mask = valuesNow(onCpu(() => mask_func(ones([n, n]), k)));
  if (!mask)
    throw new JitScopeError(
      "value",
      "mask_indices: under jit the mask is traced; pass { size }, how many indices to return (as JAX asks)",
    );
  const [is, js]: [number[], number[]] = [[], []];
  for (let p = 0; p < mask.data.length; p++)
    if (mask.data[p] !== 0) {
      is.push(Math.floor(p / n));
      js.push(p % n);
    }
  const asInt = (v: number[]) => (v.length ? array(v, { dtype: "int32" }) : zeros([0], { dtype: "int32" }));
  return [asInt(is), asInt(js)];
}

/** a sorted along its last axis by real part, then imaginary part; complex64 always. */
export function sort_complex(a: ArrayLike | Complex): Complex {
  const [re, im] =
    a instanceof Complex ? [a.re, a.im] : ((z) => [z, zeros(z.shape)])(cast(asTracer("sort_complex", a), "float32"));
  if (re.ndim === 0)
    throw new JitScopeError("shape", "sort_complex: a 0-d array has no axis to sort; use np.atleast_1d first");
  if (re.shape[re.ndim - 1]! <= 1) return new Complex(re, im);
  const order = lexsort([im, re], -1);
  return new Complex(take_along_axis(re, order, -1), take_along_axis(im, order, -1));
}
