// Reductions: sum mean max min argmax argmin, each `(a, axis?, { keepdims? })` with `axis` a
// number, a negative number, a list, or undefined (all axes). keepdims reshapes after reducing.
// sum of bool gives int32; mean of int/bool gives float32; max/min of bool stay bool.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { bind1, lit, Tracer } from "../trace/core.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import * as ew from "./elementwise.js";
import { checkExtremumWhere, maskOf, masked, type InitialOptions, type WhereOptions } from "./reduceWhere.js";
import { normalizeAxes, normalizeAxis, product } from "./validate.js";

export interface ReduceOptions {
  keepdims?: boolean;
}
/** sum, prod, max and min's options: keepdims, a `where` mask and an `initial` value (reduceWhere.ts). */
export interface ReduceWhereOptions extends ReduceOptions, WhereOptions, InitialOptions {}
export type AxisArg = number | readonly number[] | null | undefined;

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function finish(
  out: Tracer,
  inShape: readonly number[],
  axes: readonly number[],
  keepdims: boolean | undefined,
): Tracer {
  return keepdims ? bind1("reshape", { shape: keptShape(inShape, axes) }, [out]) : out;
}

function reduce(
  op: string,
  prim: "reduce_sum" | "reduce_max" | "reduce_min",
  x: Tracer,
  axis: AxisArg,
  options: ReduceOptions,
): Tracer {
  const axes = normalizeAxes(op, axis, x.ndim, x.aval.shape);
  if (axes.length === 0) return x;
  return finish(bind1(prim, { axes }, [x]), x.aval.shape, axes, options.keepdims);
}

export function sum(a: ArrayLike, axis?: AxisArg, options: ReduceWhereOptions = {}): Tracer {
  checkOptions("sum", options, ["keepdims", "where", "initial"]);
  let x = asTracer("sum", a);
  if (x.dtype === "bool") x = cast(x, "int32");
  const r = reduce("sum", "reduce_sum", masked(x, maskOf("sum", x, options.where), 0), axis, options);
  return options.initial === undefined ? r : ew.add(r, options.initial);
}

/** sum × (1/n); int and bool inputs give float32. With `where`, n counts the elements kept. */
export function mean(a: ArrayLike, axis?: AxisArg, options: ReduceOptions & WhereOptions = {}): Tracer {
  checkOptions("mean", options, ["keepdims", "where"]);
  const x = cast(asTracer("mean", a), "float32");
  const axes = normalizeAxes("mean", axis, x.ndim, x.aval.shape);
  const mask = maskOf("mean", x, options.where);
  if (mask) {
    const kept = reduce("mean", "reduce_sum", cast(mask, "float32"), axes, options);
    return ew.divide(reduce("mean", "reduce_sum", masked(x, mask, 0), axes, options), kept);
  }
  const n = product(axes.map((i) => x.aval.shape[i]!));
  const s = reduce("mean", "reduce_sum", x, axes, options);
  return bind1("mul", {}, [s, lit(n === 0 ? NaN : 1 / n, "float32")]);
}

function extremum(
  op: "max" | "min",
  prim: "reduce_max" | "reduce_min",
  a: ArrayLike,
  axis: AxisArg,
  options: ReduceWhereOptions,
): Tracer {
  checkOptions(op, options, ["keepdims", "where", "initial"]);
  const x0 = asTracer(op, a);
  const axes = normalizeAxes(op, axis, x0.ndim, x0.aval.shape);
  const mask = maskOf(op, x0, options.where);
  checkExtremumWhere(op, mask, options.initial);
  if (options.initial !== undefined) {
    // Left-out elements take the initial value, which the result is then held against.
    const x = masked(x0.dtype === "bool" ? cast(x0, "int32") : x0, mask, options.initial);
    const r = reduce(op, prim, x, axes, options);
    const held = (op === "max" ? ew.maximum : ew.minimum)(r, options.initial);
    return x0.dtype === "bool" ? cast(held, "bool") : held;
  }
  const x = x0;
  for (const i of axes) {
    if (x.aval.shape[i] === 0)
      throw new JitScopeError(
        "shape",
        `${op}: zero-size axis ${i} of shape [${x.shape.join(",")}] has no ${op === "max" ? "maximum" : "minimum"}`,
      );
  }
  // Bools reduce as int32 and come back as bool (max = any, min = all).
  const r = reduce(op, prim, x.dtype === "bool" ? cast(x, "int32") : x, axes, options);
  return x.dtype === "bool" ? cast(r, "bool") : r;
}

export const max = (a: ArrayLike, axis?: AxisArg, options: ReduceWhereOptions = {}): Tracer =>
  extremum("max", "reduce_max", a, axis, options);
export const min = (a: ArrayLike, axis?: AxisArg, options: ReduceWhereOptions = {}): Tracer =>
  extremum("min", "reduce_min", a, axis, options);

function argExtremum(
  op: string,
  prim: "argmax" | "argmin",
  a: ArrayLike,
  axis: number | null | undefined,
  options: ReduceOptions,
): Tracer {
  checkOptions(op, options, ["keepdims"]);
  let x = asTracer(op, a);
  if (Array.isArray(axis))
    throw new JitScopeError("axis", `${op}: axis must be a single number, got ${JSON.stringify(axis)}`);
  if (x.dtype === "bool") x = cast(x, "int32");
  if (axis === undefined || axis === null) {
    if (x.size === 0)
      throw new JitScopeError("shape", `${op}: attempt to get ${op} of an empty array (shape [${x.shape.join(",")}])`);
    const flat = x.ndim === 1 ? x : bind1("reshape", { shape: [x.size] }, [x]);
    const r = bind1(prim, { axis: 0 }, [flat]);
    return options.keepdims ? bind1("reshape", { shape: x.shape.map(() => 1) }, [r]) : r;
  }
  const ax = normalizeAxis(op, axis, x.ndim, x.aval.shape);
  if (x.aval.shape[ax] === 0)
    throw new JitScopeError("shape", `${op}: zero-size axis ${ax} of shape [${x.shape.join(",")}]`);
  return finish(bind1(prim, { axis: ax }, [x]), x.aval.shape, [ax], options.keepdims);
}

/** Index of the first maximum along `axis` (of the flattened array when axis is undefined). */
export const argmax = (a: ArrayLike, axis?: number | null, options: ReduceOptions = {}): Tracer =>
  argExtremum("argmax", "argmax", a, axis, options);
export const argmin = (a: ArrayLike, axis?: number | null, options: ReduceOptions = {}): Tracer =>
  argExtremum("argmin", "argmin", a, axis, options);
