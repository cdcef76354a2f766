// NumPy's stacking and axis helpers over concatenate / reshape / transpose: hstack, vstack,
// dstack, column_stack, atleast_1d/2d/3d, moveaxis. Each follows jax.numpy's rules for how a
// lower-rank input is lifted first (a 1-D array is a row for vstack, a column for column_stack).

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { asTracer, type ArrayLike } from "./promote.js";
import { concatenate, reshape, transpose } from "./shape.js";
import { normalizeAxis } from "./validate.js";

function listOf(op: string, arrays: readonly ArrayLike[]): Tracer[] {
  if (!Array.isArray(arrays) || arrays.length === 0)
    throw new JitScopeError("value", `${op}: needs a non-empty list of arrays`);
  return arrays.map((a) => asTracer(op, a));
}

/** The array with at least one axis: a scalar becomes [1]. */
export function atleast_1d(a: ArrayLike): Tracer {
  const x = asTracer("atleast_1d", a);
  return x.ndim >= 1 ? x : reshape(x, [1]);
}

/** At least two axes: a scalar becomes [1, 1], a vector [1, n]. */
export function atleast_2d(a: ArrayLike): Tracer {
  const x = asTracer("atleast_2d", a);
  if (x.ndim >= 2) return x;
  return reshape(x, x.ndim === 0 ? [1, 1] : [1, x.shape[0]!]);
}

/** At least three axes: a scalar becomes [1, 1, 1], a vector [1, n, 1], a matrix [m, n, 1]. */
export function atleast_3d(a: ArrayLike): Tracer {
  const x = asTracer("atleast_3d", a);
  if (x.ndim >= 3) return x;
  if (x.ndim === 0) return reshape(x, [1, 1, 1]);
  if (x.ndim === 1) return reshape(x, [1, x.shape[0]!, 1]);
  return reshape(x, [...x.shape, 1]);
}

/** Joined along axis 1, or along axis 0 when the inputs are 1-D. */
export function hstack(arrays: readonly ArrayLike[]): Tracer {
  const xs = listOf("hstack", arrays).map(atleast_1d);
  return concatenate(xs, xs[0]!.ndim === 1 ? 0 : 1);
}

/** Joined along axis 0, a 1-D input taken as one row. */
export function vstack(arrays: readonly ArrayLike[]): Tracer {
  return concatenate(listOf("vstack", arrays).map(atleast_2d), 0);
}
export { vstack as row_stack };

/** Joined along axis 2, inputs lifted by atleast_3d. */
export function dstack(arrays: readonly ArrayLike[]): Tracer {
  return concatenate(listOf("dstack", arrays).map(atleast_3d), 2);
}

/** 1-D inputs as columns, joined along axis 1. */
export function column_stack(arrays: readonly ArrayLike[]): Tracer {
  const xs = listOf("column_stack", arrays).map((x) =>
    x.ndim === 0 ? reshape(x, [1, 1]) : x.ndim === 1 ? reshape(x, [x.shape[0]!, 1]) : x,
  );
  return concatenate(xs, 1);
}

/** The axes `source` moved to positions `destination`, the others kept in order. */
export function moveaxis(
  a: ArrayLike,
  source: number | readonly number[],
  destination: number | readonly number[],
): Tracer {
  const x = asTracer("moveaxis", a);
  const src = (typeof source === "number" ? [source] : [...source]).map((s) =>
    normalizeAxis("moveaxis", s, x.ndim, x.aval.shape),
  );
  const dst = (typeof destination === "number" ? [destination] : [...destination]).map((d) =>
    normalizeAxis("moveaxis", d, x.ndim, x.aval.shape),
  );
  if (src.length !== dst.length)
    throw new JitScopeError(
      "axis",
      `moveaxis: source and destination must name as many axes, got [${src}] and [${dst}]`,
    );
  if (new Set(src).size !== src.length || new Set(dst).size !== dst.length)
    throw new JitScopeError("axis", `moveaxis: repeated axis in source [${src}] or destination [${dst}]`);
  const rest = x.shape.map((_, i) => i).filter((i) => !src.includes(i));
  const perm: number[] = new Array<number>(x.ndim);
  src.forEach((s, k) => (perm[dst[k]!] = s));
  let r = 0;
  for (let i = 0; i < x.ndim; i++) if (perm[i] === undefined) perm[i] = rest[r++]!;
  return perm.every((p, i) => p === i) ? x : transpose(x, perm);
}
