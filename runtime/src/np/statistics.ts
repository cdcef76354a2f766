// Order statistics and weighted means as jax.numpy computes them: quantile / percentile / median
// (the sorted values, linearly interpolated between the two nearest ranks; NaN anywhere in a
// slice makes its result NaN), average (with weights), ptp, nansum / nanmean, count_nonzero.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { ceil, floor, isnan } from "./mathSurface.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { any, sort } from "./reduceSurface.js";
import { max, min, sum, type AxisArg, type ReduceOptions } from "./reductions.js";
import { broadcast_to, expand_dims, reshape, transpose } from "./shape.js";
import { take } from "./indexing.js";
import { normalizeAxes, normalizeAxis } from "./validate.js";

export interface QuantileOptions {
  /** The axis to reduce (default null: the flattened array). */
  axis?: number | null;
  keepdims?: boolean;
  /** "linear" (the default), "lower", "higher", "nearest" or "midpoint", as JAX's. */
  method?: "linear" | "lower" | "higher" | "nearest" | "midpoint";
}

/**
 * The q-th quantile (q in [0, 1], a number or an array of them) along `axis`: for q an array, the
 * result's leading axes are q's. Gradients flow to the values at the two ranks.
 */
export function quantile(a: ArrayLike, q: ArrayLike, options: QuantileOptions = {}): Tracer {
  checkOptions("quantile", options, ["axis", "method", "keepdims"]);
  return quantileOf("quantile", a, q, options);
}

/** quantile at q / 100. */
export function percentile(a: ArrayLike, q: ArrayLike, options: QuantileOptions = {}): Tracer {
  checkOptions("percentile", options, ["axis", "method", "keepdims"]);
  return quantileOf("percentile", a, ew.divide(asTracer("percentile", q, "float32"), 100), options);
}

/** The 0.5 quantile (the mean of the two middle values for an even count). */
export function median(a: ArrayLike, axis: number | null = null, options: { keepdims?: boolean } = {}): Tracer {
  checkOptions("median", options, ["keepdims"]);
  return quantileOf("median", a, 0.5, { axis, keepdims: options.keepdims ?? false, method: "midpoint" });
}

function quantileOf(op: string, a: ArrayLike, q: ArrayLike, options: QuantileOptions): Tracer {
  const method = options.method ?? "linear";
  if (!["linear", "lower", "higher", "nearest", "midpoint"].includes(method))
    throw new JitScopeError("value", `${op}: method must be linear, lower, higher, nearest or midpoint, got ${method}`);
  let x = cast(asTracer(op, a), "float32");
  const qs = cast(asTracer(op, q), "float32");
  if (qs.ndim > 1)
    throw new JitScopeError("shape", `${op}: q must be a number or a 1-D array, got shape [${qs.shape}]`);
  const flat = options.axis === undefined || options.axis === null;
  const keptShape = x.shape;
  if (flat) x = reshape(x, [-1]);
  const ax = flat ? 0 : normalizeAxis(op, options.axis as number, x.ndim, x.shape);
  const n = x.shape[ax]!;
  if (n === 0) throw new JitScopeError("shape", `${op}: cannot take a quantile of an empty axis`);
  const sorted = sort(x, ax);
  const pos = ew.multiply(qs, n - 1);
  const lowIdx = ew.minimum(ew.maximum(floor(pos), 0), n - 1);
  const highIdx = ew.minimum(ceil(pos), n - 1);
  // take puts q's axis where `ax` was: moved to the front, as JAX's result has it, so that the
  // per-q weights below broadcast against it.
  const front = (t: Tracer) =>
    qs.ndim === 1 && ax !== 0 ? transpose(t, [ax, ...t.shape.map((_, i) => i).filter((i) => i !== ax)]) : t;
  const perQ = (t: Tracer) => (qs.ndim === 1 ? reshape(t, [qs.shape[0]!, ...Array(x.ndim - 1).fill(1)]) : t);
  const at = (i: Tracer) => front(take(sorted, cast(i, "int32"), ax));
  const lo = at(lowIdx);
  const hi = at(highIdx);
  const highWeight = perQ(ew.subtract(pos, lowIdx));
  let result = between(method, lo, hi, highWeight);
  // A slice holding a NaN gives NaN, as JAX's quantile does.
  const nanAnywhere = any(isnan(x), ax, { keepdims: false });
  result = ew.where(qs.ndim === 1 ? expand_dims(nanAnywhere, 0) : nanAnywhere, NaN, result);
  if (options.keepdims) {
    const kept = flat ? keptShape.map(() => 1) : keptShape.map((d, i) => (i === ax ? 1 : d));
    result = reshape(result, [...qs.shape, ...kept]);
  }
  return result;
}

export interface AverageOptions {
  weights?: ArrayLike | null;
  keepdims?: boolean;
}

/** Σ a·w / Σ w over `axis` (the mean without weights). Weights are a's shape, or 1-D along a
 *  single axis. */
/** The quantile between the ranks below (lo) and above (hi) a position `highWeight` of the way
 *  from lo to hi, by `method`. JAX's nearest: the lower rank unless more than halfway up. */
export function between(
  method: NonNullable<QuantileOptions["method"]>,
  lo: Tracer,
  hi: Tracer,
  highWeight: Tracer,
): Tracer {
  if (method === "lower") return lo;
  if (method === "higher") return hi;
  if (method === "nearest") return ew.where(ew.less_equal(highWeight, 0.5), lo, hi);
  if (method === "midpoint") return ew.multiply(ew.add(lo, hi), 0.5);
  return ew.add(ew.multiply(lo, ew.subtract(1, highWeight)), ew.multiply(hi, highWeight));
}

export function average(a: ArrayLike, axis?: AxisArg, options: AverageOptions = {}): Tracer {
  checkOptions("average", options, ["weights", "keepdims"]);
  const x = cast(asTracer("average", a), "float32");
  const keepdims = options.keepdims ?? false;
  if (options.weights === undefined || options.weights === null) {
    const axes = normalizeAxes("average", axis, x.ndim, x.shape);
    const count = axes.reduce((p, i) => p * x.shape[i]!, 1);
    return ew.divide(sum(x, axes, { keepdims }), count);
  }
  let w = cast(asTracer("average", options.weights), "float32");
  if (w.ndim !== x.ndim) {
    if (typeof axis !== "number" || w.ndim !== 1)
      throw new JitScopeError(
        "shape",
        `average: weights of shape [${w.shape}] must have a's shape [${x.shape}], or be 1-D with one axis given`,
      );
    const ax = normalizeAxis("average", axis, x.ndim, x.shape);
    if (w.shape[0] !== x.shape[ax])
      throw new JitScopeError(
        "shape",
        `average: 1-D weights of length ${w.shape[0]} do not match axis ${axis} of [${x.shape}]`,
      );
    w = reshape(
      w,
      x.shape.map((d, i) => (i === ax ? d : 1)),
    );
  }
  const axes = normalizeAxes("average", axis, x.ndim, x.shape);
  const wFull = broadcast_to(w, x.shape);
  return ew.divide(sum(ew.multiply(x, wFull), axes, { keepdims }), sum(wFull, axes, { keepdims }));
}

/** max − min over `axis` ("peak to peak"). */
export function ptp(a: ArrayLike, axis?: AxisArg, options: ReduceOptions = {}): Tracer {
  checkOptions("ptp", options, ["keepdims"]);
  const x = asTracer("ptp", a);
  return ew.subtract(max(x, axis, options), min(x, axis, options));
}

/** The sum with NaN counted as 0. */
export function nansum(a: ArrayLike, axis?: AxisArg, options: ReduceOptions = {}): Tracer {
  checkOptions("nansum", options, ["keepdims"]);
  const x = asTracer("nansum", a);
  return sum(x.dtype === "float32" ? ew.where(isnan(x), 0, x) : x, axis, options);
}

/** The mean of the values that are not NaN (NaN where there are none). */
export function nanmean(a: ArrayLike, axis?: AxisArg, options: ReduceOptions = {}): Tracer {
  checkOptions("nanmean", options, ["keepdims"]);
  const x = cast(asTracer("nanmean", a), "float32");
  const ok = ew.logical_not(isnan(x));
  return ew.divide(sum(ew.where(ok, x, 0), axis, options), sum(cast(ok, "float32"), axis, options));
}

/** How many elements are not zero (false), int32. */
export function count_nonzero(a: ArrayLike, axis?: AxisArg, options: ReduceOptions = {}): Tracer {
  checkOptions("count_nonzero", options, ["keepdims"]);
  const x = asTracer("count_nonzero", a);
  return sum(cast(ew.not_equal(x, 0), "int32"), axis, options);
}
