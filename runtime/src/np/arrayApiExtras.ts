// jax.numpy names from the array API and NumPy 2 that ported code calls, each built on what np
// already has: matvec and vecmat, the *_indices_from helpers, ediff1d,
// fromfunction (the function mapped over every index by vmap, as JAX's), apply_over_axes, modf,
// put_along_axis (a scatter that returns the new array; nothing is modified in place),
// array_equiv and unstack.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { vmap } from "../trace/vmap.js";
import { AtIndex } from "./at.js";
import { broadcast_shapes } from "./broadcasting.js";
import { arange, array } from "./creation.js";
import { tril_indices, triu_indices } from "./creationExtras.js";
import * as ew from "./elementwise.js";
import { matmul } from "./linalg.js";
import { ceil, floor } from "./mathSurface.js";
import { diag_indices } from "./matrixBuilders.js";
import { checkMode, type WriteOptions } from "./outOfBounds.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { all } from "./reduceSurface.js";
import { diff } from "./series.js";
import { take } from "./indexing.js";
import { broadcast_to, concatenate, expand_dims, reshape, squeeze } from "./shape.js";
import { avalText, normalizeAxis } from "./validate.js";
import type { DType } from "../ir/types.js";

/** Matrix times vector over the last axes, batch axes broadcast: [..., m, n] · [..., n] → [..., m]. */
export function matvec(x1: ArrayLike, x2: ArrayLike): Tracer {
  const [a, v] = [asTracer("matvec", x1), asTracer("matvec", x2)];
  if (a.ndim < 2 || v.ndim < 1)
    throw new JitScopeError(
      "shape",
      `matvec: needs a matrix and a vector, got ${avalText(a.aval)} and ${avalText(v.aval)}`,
    );
  return squeeze(matmul(a, expand_dims(v, -1)), -1);
}

/** Vector times matrix over the last axes, batch axes broadcast: [..., n] · [..., n, m] → [..., m]. */
export function vecmat(x1: ArrayLike, x2: ArrayLike): Tracer {
  const [v, a] = [asTracer("vecmat", x1), asTracer("vecmat", x2)];
  if (v.ndim < 1 || a.ndim < 2)
    throw new JitScopeError(
      "shape",
      `vecmat: needs a vector and a matrix, got ${avalText(v.aval)} and ${avalText(a.aval)}`,
    );
  return squeeze(matmul(expand_dims(v, -2), a), -2);
}

/** The indices of the main diagonal of `arr`, whose axes must all be equal (at least 2). */
export function diag_indices_from(arr: ArrayLike): Tracer[] {
  const x = asTracer("diag_indices_from", arr);
  if (x.ndim < 2 || x.shape.some((d) => d !== x.shape[0]))
    throw new JitScopeError(
      "shape",
      `diag_indices_from: needs at least 2 axes, all of the same length; got ${avalText(x.aval)}`,
    );
  return diag_indices(x.shape[0]!, x.ndim);
}

function matrixShape(name: string, arr: ArrayLike): [number, number] {
  const x = asTracer(name, arr);
  if (x.ndim !== 2) throw new JitScopeError("shape", `${name}: needs a 2-D array, got ${avalText(x.aval)}`);
  return [x.shape[0]!, x.shape[1]!];
}

/** tril_indices for `arr`'s shape. */
export function tril_indices_from(arr: ArrayLike, k = 0): [Tracer, Tracer] {
  const [n, m] = matrixShape("tril_indices_from", arr);
  return tril_indices(n, k, m);
}

/** triu_indices for `arr`'s shape. */
export function triu_indices_from(arr: ArrayLike, k = 0): [Tracer, Tracer] {
  const [n, m] = matrixShape("triu_indices_from", arr);
  return triu_indices(n, k, m);
}

export interface Ediff1dOptions {
  to_begin?: ArrayLike;
  to_end?: ArrayLike;
}

/** The differences of the flattened array, with `to_begin` before and `to_end` after (flattened,
 *  in its dtype). */
export function ediff1d(ary: ArrayLike, options: Ediff1dOptions = {}): Tracer {
  checkOptions("ediff1d", options, ["to_begin", "to_end"]);
  const x = asTracer("ediff1d", ary);
  const flat = (v: ArrayLike) => reshape(cast(asTracer("ediff1d", v), x.dtype), [-1]);
  const parts = [diff(reshape(x, [-1]))];
  if (options.to_begin !== undefined) parts.unshift(flat(options.to_begin));
  if (options.to_end !== undefined) parts.push(flat(options.to_end));
  return parts.length === 1 ? parts[0]! : concatenate(parts);
}

/** fn called at every index of `shape` (one argument per axis, in `dtype`), as JAX's: fn mapped
 *  over each axis by vmap, so it sees scalars. */
export function fromfunction(
  fn: (...indices: Tracer[]) => ArrayLike,
  shape: readonly number[],
  options: { dtype?: DType } = {},
): Tracer {
  checkOptions("fromfunction", options, ["dtype"]);
  if (typeof fn !== "function") throw new JitScopeError("value", "fromfunction: expected a function of the indices");
  let mapped = (...xs: Tracer[]): Tracer => asTracer("fromfunction", fn(...xs));
  // The innermost vmap maps the last axis; the outermost, the first.
  for (let i = shape.length - 1; i >= 0; i--) {
    const axes = shape.map((_, j) => (j === i ? 0 : null));
    mapped = vmap(mapped, axes) as (...xs: Tracer[]) => Tracer;
  }
  const dtype = options.dtype ?? "float32";
  return mapped(...shape.map((n) => arange(n, { dtype })));
}

/** func(a, axis) applied for each axis in turn, each result given back its axis when func
 *  removed it (as numpy's apply_over_axes). */
export function apply_over_axes(
  func: (a: Tracer, axis: number) => ArrayLike,
  a: ArrayLike,
  axes: number | readonly number[],
): Tracer {
  let x = asTracer("apply_over_axes", a);
  for (const axis of typeof axes === "number" ? [axes] : axes) {
    const ax = normalizeAxis("apply_over_axes", axis, x.ndim, x.aval.shape);
    const b = asTracer("apply_over_axes", func(x, ax));
    if (b.ndim === x.ndim) x = b;
    else if (b.ndim === x.ndim - 1) x = expand_dims(b, ax);
    else
      throw new JitScopeError(
        "shape",
        `apply_over_axes: func must keep the number of axes or remove one; from ${avalText(x.aval)} it returned ${avalText(b.aval)}`,
      );
  }
  return x;
}

/** [fractional part, integral part], both with x's sign (float32), as JAX's: the integral part
 *  rounds toward 0, and inf's fractional part is NaN. */
export function modf(x: ArrayLike): [Tracer, Tracer] {
  const t = cast(asTracer("modf", x), "float32");
  const whole = ew.where(ew.greater_equal(t, 0), floor(t), ceil(t));
  return [ew.subtract(t, whole), whole];
}

/** `values` written into a copy of `arr` at `indices` along `axis` (numpy's put_along_axis; JAX
 *  cannot write in place, so the new array is returned). `indices` has arr's number of axes;
 *  its other axes broadcast against arr's. An index outside the axis is dropped, or clamped with
 *  { mode: "clip" }. */
export function put_along_axis(
  arr: ArrayLike,
  indices: ArrayLike,
  values: ArrayLike,
  axis: number,
  options: WriteOptions & { inplace?: boolean } = {},
): Tracer {
  checkOptions("put_along_axis", options, ["mode", "inplace"]);
  if (options.inplace === true)
    throw new JitScopeError(
      "value",
      "put_along_axis: arrays cannot be modified in place; it returns the new array (inplace: false)",
    );
  const x = asTracer("put_along_axis", arr);
  const idx = asTracer("put_along_axis", indices);
  if (idx.dtype !== "int32")
    throw new JitScopeError("dtype", `put_along_axis: indices must be int32, got ${avalText(idx.aval)}`);
  if (idx.ndim !== x.ndim)
    throw new JitScopeError(
      "shape",
      `put_along_axis: indices must have arr's ${x.ndim} axes, got ${avalText(idx.aval)} for arr ${avalText(x.aval)}`,
    );
  const ax = normalizeAxis("put_along_axis", axis, x.ndim, x.aval.shape);
  checkMode("put_along_axis", options.mode, ["clip", "drop", "fill", "promise_in_bounds"], "drop");
  const other = x.shape.map((d, i) => (i === ax ? idx.shape[i]! : d));
  const shape = broadcast_shapes(other, idx.shape);
  const grids = x.shape.map((d, i) =>
    i === ax
      ? broadcast_to(idx, shape)
      : broadcast_to(
          reshape(
            arange(d, { dtype: "int32" }),
            x.shape.map((_, j) => (j === i ? d : 1)),
          ),
          shape,
        ),
  );
  const v = broadcast_to(cast(asTracer("put_along_axis", values), x.dtype), shape);
  return new AtIndex(x, grids).set(v, options.mode === undefined ? {} : { mode: options.mode });
}

/** Whether the arrays are equal everywhere once broadcast together (false where their shapes
 *  do not broadcast). */
export function array_equiv(a1: ArrayLike, a2: ArrayLike): Tracer {
  const [x, y] = [asTracer("array_equiv", a1), asTracer("array_equiv", a2)];
  try {
    broadcast_shapes(x.shape, y.shape);
  } catch {
    return array(false);
  }
  return all(ew.equal(x, y));
}

/** The array split along `axis` (default 0) into its slices, that axis removed (NumPy 2's
 *  unstack; `{ axis }` as the array API spells it, or the axis itself). */
export function unstack(x: ArrayLike, options: { axis?: number } | number = {}): Tracer[] {
  if (typeof options !== "number") checkOptions("unstack", options, ["axis"]);
  const t = asTracer("unstack", x);
  if (t.ndim === 0) throw new JitScopeError("shape", "unstack: needs an array of at least 1 axis, got a 0-d array");
  const axis = normalizeAxis(
    "unstack",
    typeof options === "number" ? options : (options.axis ?? 0),
    t.ndim,
    t.aval.shape,
  );
  return Array.from({ length: t.shape[axis]! }, (_, i) => take(t, i, axis));
}
