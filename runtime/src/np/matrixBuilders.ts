// Matrices and index grids built from vectors, as jax.numpy has them: vander, diagflat,
// diag_indices, fill_diagonal (JAX's functional form), vecdot, indices and ix_. All are
// broadcasts, products, reductions and selects over existing primitives, so grad and vmap follow.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import type { Tracer } from "../trace/core.js";
import { arange, ones_like, zeros, type DTypeOption } from "./creation.js";
import * as ew from "./elementwise.js";
import { logical_and } from "./mathSurface.js";
import { diag } from "./matrixSurface.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { sum } from "./reductions.js";
import { broadcast_to, ravel, reshape, stack } from "./shape.js";
import { pad } from "./pad.js";
import { sliceAxis, tile } from "./shapeSurface.js";
import { moveaxis } from "./stacking.js";
import { avalText, checkShape, normalizeAxis } from "./validate.js";

/** The Vandermonde matrix of 1-D x: column j is x ** (N − 1 − j), or x ** j when increasing. */
export function vander(x: ArrayLike, N?: number | null, increasing = false): Tracer {
  const v = asTracer("vander", x);
  if (v.ndim !== 1) throw new JitScopeError("shape", `vander: x must be 1-D, got ${avalText(v.aval)}`);
  const n = N ?? v.shape[0]!;
  if (!Number.isInteger(n) || n < 0)
    throw new JitScopeError("value", `vander: N must be an integer ≥ 0, got ${String(N)}`);
  // Powers by repeated products rather than pow: a negative base stays exact (pow of a
  // negative float is NaN on some backends) and each column's gradient is the product rule's.
  const powers: Tracer[] = [];
  let p = ones_like(v);
  for (let j = 0; j < n; j++) {
    powers.push(p);
    p = ew.multiply(p, v);
  }
  if (!increasing) powers.reverse();
  return n === 0 ? zeros([v.shape[0]!, 0], { dtype: v.dtype }) : stack(powers, 1);
}

/** The flattened input on diagonal k of a square matrix. */
export function diagflat(v: ArrayLike, k = 0): Tracer {
  return diag(ravel(asTracer("diagflat", v)), k);
}

/** `ndim` copies of arange(n): the indices of the main diagonal of an n×…×n array. */
export function diag_indices(n: number, ndim = 2): Tracer[] {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(ndim) || ndim < 0)
    throw new JitScopeError("value", `diag_indices: n and ndim must be integers ≥ 0, got n=${n}, ndim=${ndim}`);
  return Array.from({ length: ndim }, () => arange(n));
}

export interface FillDiagonalOptions {
  /** Must be false: JAX arrays are immutable, so the filled copy is returned (JAX asks the same). */
  inplace?: boolean;
}

/** A copy of `a` with its main diagonal set to `val` (a scalar, or values repeated to cover the
 *  diagonal), as jnp.fill_diagonal(a, val, inplace=False). */
export function fill_diagonal(a: ArrayLike, val: ArrayLike, wrap = false, options: FillDiagonalOptions = {}): Tracer {
  checkOptions("fill_diagonal", options, ["inplace"]);
  if (options.inplace !== false)
    throw new JitScopeError(
      "value",
      "fill_diagonal: arrays are immutable; pass { inplace: false } and use the returned array (as JAX asks)",
    );
  if (wrap) throw new JitScopeError("value", "fill_diagonal: wrap=true is not supported (nor in JAX)");
  const x = asTracer("fill_diagonal", a);
  if (x.ndim < 2) throw new JitScopeError("shape", `fill_diagonal: needs at least 2 axes, got ${avalText(x.aval)}`);
  if (x.ndim > 2 && x.shape.some((d) => d !== x.shape[0]))
    throw new JitScopeError("shape", `fill_diagonal: every axis must have the same length, got ${avalText(x.aval)}`);
  const n = Math.min(...x.shape);
  let onDiagonal: Tracer = ew.less(arange(x.shape[0]!), n);
  onDiagonal = reshape(onDiagonal, [x.shape[0]!, ...x.shape.slice(1).map(() => 1)]);
  for (let ax = 1; ax < x.ndim; ax++) {
    const along = reshape(
      arange(x.shape[ax]!),
      x.shape.map((d, i) => (i === ax ? d : 1)),
    );
    const first = reshape(
      arange(x.shape[0]!),
      x.shape.map((d, i) => (i === 0 ? d : 1)),
    );
    onDiagonal = logical_and(onDiagonal, ew.equal(along, first));
  }
  const v = cast(asTracer("fill_diagonal", val), x.dtype);
  let values: Tracer = v;
  if (v.ndim > 0) {
    const flat = ravel(v);
    const len = flat.shape[0]!;
    if (len === 0 && n > 0) throw new JitScopeError("shape", "fill_diagonal: val is empty");
    // Row i of the diagonal takes val.ravel()[i % len], as JAX's tiling; rows past n are unused.
    const covering = len >= n ? sliceAxis(flat, 0, 0, n) : sliceAxis(tile(flat, Math.ceil(n / len)), 0, 0, n);
    const rows = pad(covering, [0, x.shape[0]! - n]);
    values = reshape(rows, [x.shape[0]!, ...x.shape.slice(1).map(() => 1)]);
  }
  return ew.where(broadcast_to(onDiagonal, x.shape), values, x);
}

/** Σ x1 · x2 along `axis` (broadcast over the other axes): the dot product of each pair of
 *  vectors, as jnp.vecdot (real arrays: no conjugation). */
export function vecdot(x1: ArrayLike, x2: ArrayLike, options: { axis?: number } = {}): Tracer {
  checkOptions("vecdot", options, ["axis"]);
  const [a, b] = [asTracer("vecdot", x1), asTracer("vecdot", x2)];
  const axis = options.axis ?? -1;
  const [ia, ib] = [normalizeAxis("vecdot", axis, a.ndim, a.shape), normalizeAxis("vecdot", axis, b.ndim, b.shape)];
  if (a.shape[ia] !== b.shape[ib])
    throw new JitScopeError(
      "shape",
      `vecdot: the vectors along axis ${axis} differ in length: ${avalText(a.aval)} and ${avalText(b.aval)}`,
    );
  return sum(ew.multiply(moveaxis(a, ia, -1), moveaxis(b, ib, -1)), -1);
}

export interface IndicesOptions extends DTypeOption {
  /** One array per axis with unit axes elsewhere, instead of one stacked dense grid. */
  sparse?: boolean;
}

/** The index grid of an array of shape `dimensions`: [len, ...dimensions] with entry [k, …] the
 *  index along axis k (int32), or with { sparse: true } one broadcastable array per axis. */
export function indices(dimensions: readonly number[], options: IndicesOptions & { sparse: true }): Tracer[];
export function indices(dimensions: readonly number[], options?: IndicesOptions): Tracer | Tracer[];
export function indices(dimensions: readonly number[], options: IndicesOptions = {}): Tracer | Tracer[] {
  checkOptions("indices", options, ["dtype", "sparse"]);
  const dims = checkShape("indices", dimensions);
  const dtype: DType = options.dtype ?? "int32";
  const along = dims.map((d, k) =>
    reshape(
      arange(d, { dtype }),
      dims.map((e, i) => (i === k ? e : 1)),
    ),
  );
  if (options.sparse === true) return along;
  if (dims.length === 0) return reshape(arange(0, { dtype }), [0]);
  return stack(
    along.map((t) => broadcast_to(t, dims)),
    0,
  );
}

/** Each 1-D argument reshaped to lie along its own axis, so that together they index an outer
 *  product (an open mesh). */
export function ix_(...args: ArrayLike[]): Tracer[] {
  return args.map((arg, k) => {
    const t = asTracer("ix_", arg);
    if (t.ndim !== 1) throw new JitScopeError("shape", `ix_: argument ${k} must be 1-D, got ${avalText(t.aval)}`);
    if (t.dtype === "bool")
      throw new JitScopeError("value", `ix_: argument ${k} is boolean; pass integer indices (np.flatnonzero)`);
    return reshape(
      t,
      args.map((_, i) => (i === k ? t.shape[0]! : 1)),
    );
  });
}
