// Reductions that skip NaN, as jax.numpy's: nanmax / nanmin (NaN only where a slice is all NaN),
// nanargmax / nanargmin (-1 there, as JAX returns), nanprod, nanvar / nanstd. nansum and nanmean
// are in statistics.ts. Each replaces NaN by the reduction's identity and reduces as usual, so
// it fuses like its plain form and its gradient is zero at the NaN positions.

import { checkOptions } from "../apiOptions.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { isnan } from "./mathSurface.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { all, prod } from "./reduceSurface.js";
import { argmax, argmin, max, min, sum, type AxisArg, type ReduceOptions } from "./reductions.js";
import type { VarOptions } from "./reduceSurface.js";
import { normalizeAxes } from "./validate.js";

function nanExtremum(op: "nanmax" | "nanmin", a: ArrayLike, axis: AxisArg, options: ReduceOptions): Tracer {
  checkOptions(op, options, ["keepdims"]);
  const x = asTracer(op, a);
  if (x.dtype !== "float32") return op === "nanmax" ? max(x, axis, options) : min(x, axis, options);
  const nan = isnan(x);
  const filled = ew.where(nan, op === "nanmax" ? -Infinity : Infinity, x);
  const r = op === "nanmax" ? max(filled, axis, options) : min(filled, axis, options);
  return ew.where(all(nan, axis, options), NaN, r);
}

/** The largest value that is not NaN (NaN where a slice is all NaN). */
export const nanmax = (a: ArrayLike, axis?: AxisArg, options: ReduceOptions = {}): Tracer =>
  nanExtremum("nanmax", a, axis, options);
/** The smallest value that is not NaN (NaN where a slice is all NaN). */
export const nanmin = (a: ArrayLike, axis?: AxisArg, options: ReduceOptions = {}): Tracer =>
  nanExtremum("nanmin", a, axis, options);

function nanArg(op: "nanargmax" | "nanargmin", a: ArrayLike, axis: number | null, options: ReduceOptions): Tracer {
  checkOptions(op, options, ["keepdims"]);
  const x = asTracer(op, a);
  if (x.dtype !== "float32") return op === "nanargmax" ? argmax(x, axis, options) : argmin(x, axis, options);
  const nan = isnan(x);
  const filled = ew.where(nan, op === "nanargmax" ? -Infinity : Infinity, x);
  const r = op === "nanargmax" ? argmax(filled, axis, options) : argmin(filled, axis, options);
  return ew.where(all(nan, axis, options), -1, r);
}

/** The index of the first largest value that is not NaN; -1 where a slice is all NaN (as JAX). */
export const nanargmax = (a: ArrayLike, axis: number | null = null, options: ReduceOptions = {}): Tracer =>
  nanArg("nanargmax", a, axis, options);
/** The index of the first smallest value that is not NaN; -1 where a slice is all NaN. */
export const nanargmin = (a: ArrayLike, axis: number | null = null, options: ReduceOptions = {}): Tracer =>
  nanArg("nanargmin", a, axis, options);

/** The product with NaN counted as 1. */
export function nanprod(a: ArrayLike, axis?: AxisArg, options: ReduceOptions = {}): Tracer {
  checkOptions("nanprod", options, ["keepdims"]);
  const x = asTracer("nanprod", a);
  return prod(x.dtype === "float32" ? ew.where(isnan(x), 1, x) : x, axis, options);
}

/** The variance of the values that are not NaN, divided by their count less ddof (NaN where
 *  that is not positive). */
export function nanvar(a: ArrayLike, axis?: AxisArg, options: VarOptions = {}): Tracer {
  checkOptions("nanvar", options, ["ddof", "keepdims"]);
  const x = cast(asTracer("nanvar", a), "float32");
  const axes = normalizeAxes("nanvar", axis, x.ndim, x.aval.shape);
  const ok = ew.logical_not(isnan(x));
  const count = sum(cast(ok, "float32"), axes, { keepdims: true });
  const mean = ew.divide(sum(ew.where(ok, x, 0), axes, { keepdims: true }), count);
  const centred = ew.where(ok, ew.subtract(x, mean), 0);
  const keepdims = options.keepdims ?? false;
  const ss = sum(ew.square(centred), axes, { keepdims });
  const divisor = ew.subtract(sum(cast(ok, "float32"), axes, { keepdims }), options.ddof ?? 0);
  return ew.where(ew.greater(divisor, 0), ew.divide(ss, ew.where(ew.greater(divisor, 0), divisor, 1)), NaN);
}

/** The square root of nanvar. */
export const nanstd = (a: ArrayLike, axis?: AxisArg, options: VarOptions = {}): Tracer =>
  ew.sqrt(nanvar(a, axis, options));
