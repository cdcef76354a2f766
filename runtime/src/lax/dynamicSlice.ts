// lax.dynamic_slice / dynamic_update_slice and their *_in_dim forms: a box whose start may be a
// traced int32 scalar (a fori_loop counter, a jit argument), with JAX's index rules: a negative
// start counts from the end once, then the start is clamped so the whole box lies inside.
//
// No primitive of their own: a JS-number start is a static `slice`; a traced start becomes a
// `gather` of start + iota(size) along that axis (gather's rules give jvp, vjp and vmap over the
// start), and the update is gathered into x's shape and chosen by a mask. Clamping keeps every
// gathered index in range, so gather's "outside reads 0" never applies.

import { JitScopeError } from "../ir/errors.js";
import { bind1, Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { logical_and } from "../np/mathSurface.js";
import { asTracer } from "../np/promote.js";
import { expand_dims } from "../np/shape.js";
import { avalText, normalizeAxis } from "../np/validate.js";

/** A start index: a JS integer or a 0-d int32 Array (traced or concrete). */
export type StartIndex = number | Tracer;

/** x[s0:s0+n0, s1:s1+n1, …] with each start wrapped once if negative, then clamped to
 *  [0, dim - size], as jax.lax.dynamic_slice. */
export function dynamic_slice(
  operand: Tracer,
  startIndices: readonly StartIndex[],
  sliceSizes: readonly number[],
): Tracer {
  const op = "dynamic_slice";
  const x = asTracer(op, operand);
  const sizes = checkSizes(op, x, sliceSizes, "slice_sizes");
  const starts = checkStarts(op, x, startIndices);
  let out = x;
  starts.forEach((s, axis) => {
    const d = x.shape[axis]!;
    const size = sizes[axis]!;
    if (typeof s === "number") {
      const c = clampStatic(s, d, size);
      if (c === 0 && size === d) return;
      const shape = out.shape;
      out = bind1(
        "slice",
        {
          starts: shape.map((_, i) => (i === axis ? c : 0)),
          limits: shape.map((n, i) => (i === axis ? c + size : n)),
          strides: shape.map(() => 1),
        },
        [out],
      );
    } else {
      out = bind1("gather", { axis }, [out, ew.add(iota(size), clampTraced(s, d, size))]);
    }
  });
  return out;
}

/** x with `update` written over the box at `startIndices` (wrapped and clamped as dynamic_slice's),
 *  as jax.lax.dynamic_update_slice. `update` has x's rank and dtype. */
export function dynamic_update_slice(operand: Tracer, update: Tracer, startIndices: readonly StartIndex[]): Tracer {
  const op = "dynamic_update_slice";
  const x = asTracer(op, operand);
  const u = asTracer(op, update);
  if (u.dtype !== x.dtype)
    throw new JitScopeError(
      "dtype",
      `${op}: update ${avalText(u.aval)} must have the operand's dtype (${avalText(x.aval)}); cast it with astype`,
    );
  const sizes = checkSizes(op, x, u.shape, "update shape");
  const starts = checkStarts(op, x, startIndices);
  // The update spread over x's shape (position p reads update[p - start], clamped into range)
  // and the mask of the box; the update shows where the mask is true.
  let spread = u;
  let mask: Tracer | null = null as Tracer | null;
  starts.forEach((s, axis) => {
    const d = x.shape[axis]!;
    const size = sizes[axis]!;
    const start = typeof s === "number" ? clampStatic(s, d, size) : clampTraced(s, d, size);
    const rel = ew.subtract(iota(d), start); // position - start, along this axis
    spread = bind1("gather", { axis }, [spread, ew.minimum(ew.maximum(rel, 0), Math.max(size - 1, 0))]);
    const inAxis = alongAxis(logical_and(ew.greater_equal(rel, 0), ew.less(rel, size)), axis, x.ndim);
    mask = mask === null ? inAxis : logical_and(mask, inAxis);
  });
  if (mask === null) return u; // 0-d: the update replaces the operand
  return ew.where(mask, spread, x);
}

/** The `size` entries of x from `start` along `axis` (clamped as dynamic_slice). */
export function dynamic_slice_in_dim(operand: Tracer, startIndex: StartIndex, sliceSize: number, axis = 0): Tracer {
  const x = asTracer("dynamic_slice_in_dim", operand);
  const ax = normalizeAxis("dynamic_slice_in_dim", axis, x.ndim, x.shape);
  const starts = x.shape.map((_, i) => (i === ax ? startIndex : 0));
  return dynamic_slice(
    x,
    starts,
    x.shape.map((d, i) => (i === ax ? sliceSize : d)),
  );
}

/** Entry `index` along `axis`; the axis stays with length 1 unless `keepdims` is false (JAX's
 *  default keeps it). */
export function dynamic_index_in_dim(operand: Tracer, index: StartIndex, axis = 0, keepdims = true): Tracer {
  const x = asTracer("dynamic_index_in_dim", operand);
  const ax = normalizeAxis("dynamic_index_in_dim", axis, x.ndim, x.shape);
  const out = dynamic_slice_in_dim(x, index, 1, ax);
  return keepdims ? out : bind1("reshape", { shape: x.shape.filter((_, i) => i !== ax) }, [out]);
}

/** `update` written at `startIndex` along `axis` (the other axes start at 0). */
export function dynamic_update_slice_in_dim(
  operand: Tracer,
  update: Tracer,
  startIndex: StartIndex,
  axis: number,
): Tracer {
  const x = asTracer("dynamic_update_slice_in_dim", operand);
  const ax = normalizeAxis("dynamic_update_slice_in_dim", axis, x.ndim, x.shape);
  return dynamic_update_slice(
    x,
    update,
    x.shape.map((_, i) => (i === ax ? startIndex : 0)),
  );
}

/** `update` (with the axis, length 1, or without it) written at `index` along `axis`. */
export function dynamic_update_index_in_dim(operand: Tracer, update: Tracer, index: StartIndex, axis: number): Tracer {
  const x = asTracer("dynamic_update_index_in_dim", operand);
  const ax = normalizeAxis("dynamic_update_index_in_dim", axis, x.ndim, x.shape);
  const u = asTracer("dynamic_update_index_in_dim", update);
  return dynamic_update_slice_in_dim(x, u.ndim === x.ndim - 1 ? expand_dims(u, ax) : u, index, ax);
}

const iota = (n: number): Tracer => bind1("iota", { shape: [n], axis: 0, dtype: "int32" }, []);

/** A traced start: wrapped once if negative, clamped to [0, d - size]. */
function clampTraced(s: Tracer, d: number, size: number): Tracer {
  const wrapped = ew.where(ew.less(s, 0), ew.add(s, d), s);
  return ew.minimum(ew.maximum(wrapped, 0), d - size);
}

function clampStatic(s: number, d: number, size: number): number {
  const wrapped = s < 0 ? s + d : s;
  return Math.min(Math.max(wrapped, 0), d - size);
}

/** `v` (int32 or bool, shape [n]) laid along `axis` of a rank-`rank` array, broadcastable. */
function alongAxis(v: Tracer, axis: number, rank: number): Tracer {
  return bind1("reshape", { shape: Array.from({ length: rank }, (_, i) => (i === axis ? v.shape[0]! : 1)) }, [v]);
}

function checkSizes(op: string, x: Tracer, sizes: readonly number[], what: string): readonly number[] {
  if (!Array.isArray(sizes) || sizes.length !== x.ndim)
    throw new JitScopeError(
      "shape",
      `${op}: ${what} must list one size per axis of ${avalText(x.aval)} (${x.ndim}), got ${JSON.stringify(sizes)}`,
    );
  sizes.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 0 || n > x.shape[i]!)
      throw new JitScopeError(
        "shape",
        `${op}: ${what}[${i}] = ${String(n)} must be an integer in [0, ${x.shape[i]}] for ${avalText(x.aval)}`,
      );
  });
  return sizes;
}

function checkStarts(op: string, x: Tracer, starts: readonly StartIndex[]): StartIndex[] {
  if (!Array.isArray(starts) || starts.length !== x.ndim)
    throw new JitScopeError(
      "shape",
      `${op}: start_indices must list one index per axis of ${avalText(x.aval)} (${x.ndim}), got ${starts.length ?? "not a list"}`,
    );
  return starts.map((s, i) => {
    if (typeof s === "number") {
      if (!Number.isInteger(s))
        throw new JitScopeError("value", `${op}: start_indices[${i}] = ${s} must be an integer`);
      return s;
    }
    if (!(s instanceof Tracer))
      throw new JitScopeError("value", `${op}: start_indices[${i}] must be an integer or a 0-d int32 Array`);
    if (s.ndim !== 0 || s.dtype !== "int32")
      throw new JitScopeError(
        "dtype",
        `${op}: start_indices[${i}] must be a 0-d int32 Array (or a JS integer), got ${avalText(s.aval)}`,
      );
    return s;
  });
}
