// lax's structural operations by their lax names and argument orders: dot_general (as one
// einsum), dot, batch_matmul, broadcast / broadcast_in_dim, reshape (with `dimensions`),
// collapse, transpose, squeeze, expand_dims, slice / slice_in_dim / index_in_dim, pad (low, high and
// interior padding, negative low/high crops), concatenate, rev, iota / broadcasted_iota, full /
// full_like. Each is np's layout primitives underneath, so it fuses, differentiates and batches.

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import type { Tracer } from "../trace/core.js";
import { arange, full as npFull } from "../np/creation.js";
import { stagedIota, stagesCreation } from "../np/stagedCreation.js";
import * as ew from "../np/elementwise.js";
import { einsum } from "../np/einsum.js";
import { slice as npSlice } from "../np/indexing.js";
import { matmul } from "../np/linalg.js";
import { asTracer, cast, type ArrayLike } from "../np/promote.js";
import * as shape from "../np/shape.js";
import { flip, sliceAxis } from "../np/shapeSurface.js";
import { checkDType, normalizeAxis } from "../np/validate.js";
import { checkOptions } from "../apiOptions.js";
import { checkPrecision, type PrecisionLike } from "./precision.js";

/** [[lhs_contracting, rhs_contracting], [lhs_batch, rhs_batch]], as JAX's dimension_numbers. */
export type DotDimensionNumbers = readonly [
  readonly [readonly number[], readonly number[]],
  readonly [readonly number[], readonly number[]],
];

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** JAX's keywords of dot_general and dot: precision (checked; products are float32 either way)
 *  and preferred_element_type (null or the result's own dtype). */
export interface DotOptions {
  readonly precision?: PrecisionLike;
  readonly preferred_element_type?: DType | null;
}

function checkDotOptions(op: string, options: DotOptions, a: Tracer, b: Tracer): void {
  checkOptions(`lax.${op}`, options, ["precision", "preferred_element_type"]);
  checkPrecision(`lax.${op}`, options.precision);
  const want = options.preferred_element_type;
  const own = a.dtype === "float32" || b.dtype === "float32" ? "float32" : a.dtype;
  if (want != null && want !== own)
    throw new JitScopeError(
      "dtype",
      `lax.${op}: preferred_element_type ${String(want)} differs from the operands' ${own}; cast the result instead`,
    );
}

/** The general contraction: result axes are the batch axes, then lhs's free axes, then rhs's. */
export function dot_general(
  lhs: ArrayLike,
  rhs: ArrayLike,
  dimension_numbers: DotDimensionNumbers,
  options: DotOptions = {},
): Tracer {
  const a = asTracer("dot_general", lhs);
  const b = asTracer("dot_general", rhs);
  checkDotOptions("dot_general", options, a, b);
  const bad = (why: string) =>
    new JitScopeError("shape", `lax.dot_general: ${why} (lhs [${a.shape}], rhs [${b.shape}])`);
  const [[lc, rc], [lb, rb]] = dimension_numbers;
  if (lc.length !== rc.length) throw bad("as many contracting dimensions are needed on each side");
  if (lb.length !== rb.length) throw bad("as many batch dimensions are needed on each side");
  const la = [...lc, ...lb].map((d) => normalizeAxis("dot_general", d, a.ndim, a.shape));
  const ra = [...rc, ...rb].map((d) => normalizeAxis("dot_general", d, b.ndim, b.shape));
  if (new Set(la).size !== la.length || new Set(ra).size !== ra.length) throw bad("a dimension is named twice");
  if (a.ndim + b.ndim > LETTERS.length) throw bad("too many dimensions");
  const lhsLetters = a.shape.map((_, i) => LETTERS[i]!);
  const rhsLetters: string[] = b.shape.map((_, i) => LETTERS[a.ndim + i]!);
  la.forEach((l, k) => {
    const r = ra[k]!;
    if (a.shape[l] !== b.shape[r])
      throw bad(`lhs dimension ${l} (${a.shape[l]}) does not match rhs dimension ${r} (${b.shape[r]})`);
    rhsLetters[r] = lhsLetters[l]!;
  });
  const batch = lb.map((d) => lhsLetters[normalizeAxis("dot_general", d, a.ndim, a.shape)]!);
  const lhsFree = lhsLetters.filter((_, i) => !la.includes(i));
  const rhsFree = rhsLetters.filter((_, i) => !ra.includes(i));
  const spec = `${lhsLetters.join("")},${rhsLetters.join("")}->${[...batch, ...lhsFree, ...rhsFree].join("")}`;
  return einsum(spec, a, b);
}

/** lhs's last dimension contracted with rhs's first (vector·vector, matrix·vector, matrix·matrix). */
export function dot(lhs: ArrayLike, rhs: ArrayLike, options: DotOptions = {}): Tracer {
  const a = asTracer("dot", lhs);
  const b = asTracer("dot", rhs);
  checkDotOptions("dot", options, a, b);
  if (a.ndim === 0 || b.ndim === 0) return ew.multiply(a, b);
  return dot_general(a, b, [
    [[a.ndim - 1], [0]],
    [[], []],
  ]);
}

/** [..., m, k] @ [..., k, n] over equal batch dimensions. */
export function batch_matmul(lhs: ArrayLike, rhs: ArrayLike): Tracer {
  const a = asTracer("batch_matmul", lhs);
  const b = asTracer("batch_matmul", rhs);
  if (a.ndim < 2 || a.ndim !== b.ndim || a.shape.slice(0, -2).some((d, i) => d !== b.shape[i]))
    throw new JitScopeError(
      "shape",
      `lax.batch_matmul: operands must have equal batch dimensions and rank ≥ 2, got [${a.shape}] and [${b.shape}]`,
    );
  return matmul(a, b);
}

/** operand with new leading dimensions `sizes`. */
export function broadcast(operand: ArrayLike, sizes: readonly number[]): Tracer {
  const x = asTracer("broadcast", operand);
  return shape.broadcast_to(x, [...sizes, ...x.shape]);
}

/** operand's dimension i becomes dimension broadcast_dimensions[i] of `shape` (increasing); the
 *  others are broadcast. */
export function broadcast_in_dim(
  operand: ArrayLike,
  outShape: readonly number[],
  broadcast_dimensions: readonly number[],
): Tracer {
  const x = asTracer("broadcast_in_dim", operand);
  const ok =
    broadcast_dimensions.length === x.ndim &&
    broadcast_dimensions.every(
      (d, i) =>
        Number.isInteger(d) &&
        d >= 0 &&
        d < outShape.length &&
        (i === 0 || d > broadcast_dimensions[i - 1]!) &&
        (x.shape[i] === 1 || x.shape[i] === outShape[d]),
    );
  if (!ok)
    throw new JitScopeError(
      "shape",
      `lax.broadcast_in_dim: cannot put [${x.shape}] into [${outShape}] at dimensions [${broadcast_dimensions}] (one increasing dimension per operand axis, sizes equal or 1)`,
    );
  const lifted = outShape.map((_, d) => {
    const i = broadcast_dimensions.indexOf(d);
    return i < 0 ? 1 : x.shape[i]!;
  });
  return shape.broadcast_to(shape.reshape(x, lifted), outShape);
}

/** operand (transposed by `dimensions` first, when given) reshaped to new_sizes. */
export function reshape(
  operand: ArrayLike,
  new_sizes: readonly number[],
  dimensions?: readonly number[] | null,
): Tracer {
  const x = asTracer("reshape", operand);
  return shape.reshape(dimensions ? shape.transpose(x, dimensions) : x, new_sizes);
}

/** Axes [start_dimension, stop_dimension) merged into one (to the end when stop is omitted). */
export function collapse(operand: ArrayLike, start_dimension: number, stop_dimension?: number | null): Tracer {
  const x = asTracer("collapse", operand);
  const stop = stop_dimension ?? x.ndim;
  const [lo, hi] = [start_dimension < 0 ? start_dimension + x.ndim : start_dimension, stop < 0 ? stop + x.ndim : stop];
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi > x.ndim || lo > hi)
    throw new JitScopeError(
      "axis",
      `lax.collapse: dimensions [${start_dimension}, ${String(stop_dimension)}) must be a range within the ${x.ndim} axes of [${x.shape}]`,
    );
  const merged = x.shape.slice(lo, hi).reduce((a, b) => a * b, 1);
  return shape.reshape(x, [...x.shape.slice(0, lo), merged, ...x.shape.slice(hi)]);
}

export const transpose = (operand: ArrayLike, permutation: readonly number[]): Tracer =>
  shape.transpose(operand, permutation);
export const squeeze = (array: ArrayLike, dimensions: readonly number[]): Tracer => shape.squeeze(array, dimensions);
export const expand_dims = (array: ArrayLike, dimensions: readonly number[]): Tracer =>
  shape.expand_dims(array, dimensions);
export const concatenate = (operands: readonly ArrayLike[], dimension: number): Tracer =>
  shape.concatenate(operands, dimension);
export const rev = (operand: ArrayLike, dimensions: readonly number[]): Tracer => flip(operand, dimensions);

/** operand[start:limit:stride] on every dimension (start and limit lists have one entry each). */
export function slice(
  operand: ArrayLike,
  start_indices: readonly number[],
  limit_indices: readonly number[],
  strides?: readonly number[] | null,
): Tracer {
  const x = asTracer("slice", operand);
  const ok =
    start_indices.length === x.ndim &&
    limit_indices.length === x.ndim &&
    (!strides || strides.length === x.ndim) &&
    start_indices.every(
      (s, i) => Number.isInteger(s) && s >= 0 && s <= limit_indices[i]! && limit_indices[i]! <= x.shape[i]!,
    );
  if (!ok)
    throw new JitScopeError(
      "shape",
      `lax.slice: need one 0 ≤ start ≤ limit ≤ size per dimension of [${x.shape}], got [${start_indices}] to [${limit_indices}]`,
    );
  return npSlice(x, [...start_indices], [...limit_indices], strides ? [...strides] : undefined);
}

/** operand[start:limit:stride] along `axis`. */
export function slice_in_dim(
  operand: ArrayLike,
  start_index: number | null,
  limit_index: number | null,
  stride = 1,
  axis = 0,
): Tracer {
  const x = asTracer("slice_in_dim", operand);
  const ax = normalizeAxis("slice_in_dim", axis, x.ndim, x.shape);
  const starts = x.shape.map((_, i) => (i === ax ? start_index : null));
  const limits = x.shape.map((_, i) => (i === ax ? limit_index : null));
  const strides = x.shape.map((_, i) => (i === ax ? stride : 1));
  return npSlice(x, starts, limits, strides);
}

/** Entry `index` along `axis`, the axis kept (size 1) unless keepdims is false. */
export function index_in_dim(operand: ArrayLike, index: number, axis = 0, keepdims = true): Tracer {
  const x = asTracer("index_in_dim", operand);
  const ax = normalizeAxis("index_in_dim", axis, x.ndim, x.shape);
  const n = x.shape[ax]!;
  const i = index < 0 ? index + n : index;
  if (!Number.isInteger(i) || i < 0 || i >= n)
    throw new JitScopeError("value", `lax.index_in_dim: index ${index} is outside axis ${ax} of size ${n}`);
  const one = sliceAxis(x, ax, i, i + 1);
  return keepdims ? one : shape.squeeze(one, [ax]);
}

/** [low, high, interior] per dimension: low/high may be negative (cropping). */
export type PaddingConfig = readonly (readonly [number, number, number])[];

/** operand padded with padding_value: `interior` values between neighbours, then low before and
 *  high after (a negative low or high removes that many). */
export function pad(operand: ArrayLike, padding_value: ArrayLike, padding_config: PaddingConfig): Tracer {
  let x = asTracer("pad", operand);
  if (
    padding_config.length !== x.ndim ||
    padding_config.some((c) => c.length !== 3 || c.some((v) => !Number.isInteger(v)) || c[2] < 0)
  )
    throw new JitScopeError(
      "shape",
      `lax.pad: padding_config needs one [low, high, interior ≥ 0] of integers per dimension of [${x.shape}], got ${JSON.stringify(padding_config)}`,
    );
  const value = cast(asTracer("pad", padding_value), x.dtype);
  const block = (s: number[]) => shape.broadcast_to(value, s);
  padding_config.forEach(([low, high, interior], ax) => {
    const n = x.shape[ax]!;
    if (interior > 0 && n > 1) {
      const s = [...x.shape];
      const withGaps = shape.concatenate(
        [shape.expand_dims(x, ax + 1), block([...s.slice(0, ax + 1), interior, ...s.slice(ax + 1)])],
        ax + 1,
      );
      const merged = shape.reshape(withGaps, [...s.slice(0, ax), n * (1 + interior), ...s.slice(ax + 1)]);
      x = sliceAxis(merged, ax, 0, n + (n - 1) * interior);
    }
    const size = x.shape[ax]!;
    if (-low - high > size) throw new JitScopeError("shape", `lax.pad: dimension ${ax} would have a negative size`);
    x = sliceAxis(x, ax, Math.max(0, -low), size - Math.max(0, -high));
    const parts: Tracer[] = [];
    const sized = (k: number) => x.shape.map((d, i) => (i === ax ? k : d));
    if (low > 0) parts.push(block(sized(low)));
    parts.push(x);
    if (high > 0) parts.push(block(sized(high)));
    if (parts.length > 1) x = shape.concatenate(parts, ax);
  });
  return x;
}

/** 0, 1, …, size-1 as `dtype`. */
export function iota(dtype: DType, size: number): Tracer {
  return arange(size, { dtype: checkDType("lax.iota", dtype) });
}

/** An array of `shape` whose values count along `dimension`. */
export function broadcasted_iota(dtype: DType, outShape: readonly number[], dimension: number): Tracer {
  const ax = normalizeAxis("broadcasted_iota", dimension, outShape.length, outShape);
  const staged = stagesCreation(outShape) ? stagedIota(outShape, ax, checkDType("lax.broadcasted_iota", dtype)) : null;
  if (staged) return staged;
  const line = iota(dtype, outShape[ax]!);
  return broadcast_in_dim(line, outShape, [ax]);
}

/** `shape` filled with fill_value (a number or a 0-d array), as `dtype` (default the value's). */
export function full(outShape: readonly number[], fill_value: ArrayLike, dtype?: DType | null): Tracer {
  if (typeof fill_value === "number") return npFull(outShape, fill_value, dtype ? { dtype } : {});
  const v = asTracer("full", fill_value);
  return shape.broadcast_to(dtype ? cast(v, checkDType("lax.full", dtype)) : v, outShape);
}

/** x's shape (or `shape`) filled with fill_value, as x's dtype unless given. */
export function full_like(
  x: ArrayLike,
  fill_value: ArrayLike,
  dtype?: DType | null,
  outShape?: readonly number[] | null,
): Tracer {
  const t = asTracer("full_like", x);
  return full(outShape ?? t.shape, fill_value, dtype ?? t.dtype);
}
