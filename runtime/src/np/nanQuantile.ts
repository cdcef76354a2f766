// nanquantile / nanpercentile / nanmedian as jax.numpy computes them: NaNs sort last, so each
// slice's quantile position is q · (count of non-NaN - 1) into its sorted values, interpolated by
// the same methods as np.quantile (np/statistics.ts). An all-NaN slice gives NaN. The position
// differs per slice, so the two ranks are read with take_along_axis rather than take.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { ceil, floor, isnan } from "./mathSurface.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { sort } from "./reduceSurface.js";
import { sum } from "./reductions.js";
import { reshape, transpose } from "./shape.js";
import { moveaxis } from "./stacking.js";
import { take_along_axis } from "./indexing.js";
import { between, type QuantileOptions } from "./statistics.js";
import { normalizeAxis } from "./validate.js";

const METHODS = ["linear", "lower", "higher", "nearest", "midpoint"] as const;

/** The q-th quantile (q in [0, 1], a number or a 1-D array) along `axis`, NaNs ignored; for q an
 *  array, the result's leading axis is q's. */
export function nanquantile(a: ArrayLike, q: ArrayLike, options: QuantileOptions = {}): Tracer {
  checkOptions("nanquantile", options, ["axis", "method", "keepdims"]);
  return nanQuantileOf("nanquantile", a, cast(asTracer("nanquantile", q), "float32"), options);
}

/** nanquantile at q / 100. */
export function nanpercentile(a: ArrayLike, q: ArrayLike, options: QuantileOptions = {}): Tracer {
  checkOptions("nanpercentile", options, ["axis", "method", "keepdims"]);
  return nanQuantileOf("nanpercentile", a, ew.divide(asTracer("nanpercentile", q, "float32"), 100), options);
}

/** The median of the non-NaN values (the mean of the two middle ones for an even count). */
export function nanmedian(a: ArrayLike, axis: number | null = null, options: { keepdims?: boolean } = {}): Tracer {
  checkOptions("nanmedian", options, ["keepdims"]);
  const q = asTracer("nanmedian", 0.5, "float32");
  return nanQuantileOf("nanmedian", a, q, { axis, keepdims: options.keepdims ?? false, method: "midpoint" });
}

function nanQuantileOf(op: string, a: ArrayLike, qs: Tracer, options: QuantileOptions): Tracer {
  const method = options.method ?? "linear";
  if (!METHODS.includes(method))
    throw new JitScopeError("value", `${op}: method must be linear, lower, higher, nearest or midpoint, got ${method}`);
  if (qs.ndim > 1)
    throw new JitScopeError("shape", `${op}: q must be a number or a 1-D array, got shape [${qs.shape}]`);
  let x = cast(asTracer(op, a), "float32");
  const keptShape = x.shape;
  const flat = options.axis === undefined || options.axis === null;
  if (flat) x = reshape(x, [-1]);
  const ax = flat ? 0 : normalizeAxis(op, options.axis as number, x.ndim, x.shape);
  const n = x.shape[ax]!;
  if (n === 0) throw new JitScopeError("shape", `${op}: cannot take a quantile of an empty axis`);
  // Work along the last axis: the rows are [...lead, n], the positions [...lead, Q].
  const rows = sort(moveaxis(x, ax, -1), -1);
  const lead = rows.shape.slice(0, -1);
  const count = sum(cast(ew.logical_not(isnan(rows)), "float32"), -1, { keepdims: true });
  const qRow = reshape(qs, [...lead.map(() => 1), qs.ndim === 1 ? qs.shape[0]! : 1]);
  const pos = ew.multiply(qRow, ew.subtract(count, 1));
  const [low, high] = [floor(pos), ceil(pos)];
  const highWeight = ew.subtract(pos, low);
  const clampRank = (r: Tracer) => cast(ew.maximum(ew.minimum(r, ew.subtract(count, 1)), 0), "int32");
  const lo = take_along_axis(rows, clampRank(low), -1);
  const hi = take_along_axis(rows, clampRank(high), -1);
  let result = between(method, lo, hi, highWeight);
  // [...lead, Q] → [Q, ...lead] (q's axis first, as JAX), or the Q of 1 dropped for a scalar q.
  result = qs.ndim === 1 ? transpose(result, [lead.length, ...lead.map((_, i) => i)]) : reshape(result, lead);
  if (options.keepdims) {
    const kept = flat ? keptShape.map(() => 1) : keptShape.map((d, i) => (i === ax ? 1 : d));
    result = reshape(result, [...qs.shape, ...kept]);
  }
  return result;
}
