// lax.mulhi, lax.index_take, lax.scatter_apply and lax.rng_uniform, as JAX's.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { libraryScope } from "../trace/scopeCalls.js";
import { vmap } from "../trace/vmap.js";
import * as ew from "../np/elementwise.js";
import { bitwise_and, right_shift } from "../np/bitwise.js";
import { full, zeros } from "../np/creation.js";
import { mod } from "../np/mathSurface.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { max as reduceMax } from "../np/reductions.js";
import { reshape, stack } from "../np/shape.js";
import { avalText } from "../np/validate.js";
import { while_loop } from "./control.js";
import { gather, scatter_add, type ScatterDimensionNumbers, type ScatterOptions } from "./gatherScatter.js";

/**
 * lax.mulhi(x, y): the high 32 bits of the 64-bit product of two int32s (signed), e.g. for
 * fixed-point scaling or division by a constant. Computed from 16-bit halves so that no
 * intermediate leaves int32 (Hacker's Delight's mulhs): the same bits on every backend.
 */
export function mulhi(x: ArrayLike, y: ArrayLike): Tracer {
  const op = "lax.mulhi";
  const [a, b] = [asTracer(op, x), asTracer(op, y)];
  [a, b].forEach((t, i) => {
    if (t.dtype !== "int32")
      throw new JitScopeError("dtype", `${op}: operand ${i} must be an integer array (int32), got ${avalText(t.aval)}`);
  });
  return libraryScope(op, () => {
    const low = (t: Tracer) => bitwise_and(t, 0xffff); // in [0, 2^16)
    const [a0, a1, b0, b1] = [low(a), right_shift(a, 16), low(b), right_shift(b, 16)];
    // a0·b0 < 2^32 wraps to a negative int32: its high half read as unsigned is (w >> 16) & 0xffff.
    const w0 = ew.multiply(a0, b0);
    const t = ew.add(ew.multiply(a1, b0), low(right_shift(w0, 16)));
    const w1 = ew.add(ew.multiply(a0, b1), low(t));
    return ew.add(ew.add(ew.multiply(a1, b1), right_shift(t, 16)), right_shift(w1, 16));
  });
}

/**
 * lax.index_take(src, idxs, axes): src at the index tuples (idxs[0][i], idxs[1][i], …) along
 * `axes`, giving [n, ...the other axes of src]. Indices wrap modulo their axis' size, as JAX's.
 */
export function index_take(src: ArrayLike, idxs: readonly ArrayLike[], axes: readonly number[]): Tracer {
  const op = "lax.index_take";
  const x = asTracer(op, src);
  if (!Array.isArray(idxs) || !Array.isArray(axes) || idxs.length !== axes.length || axes.length === 0)
    throw new JitScopeError(
      "value",
      `${op}: needs one index array per axis (idxs and axes of one non-zero length), got ${Array.isArray(idxs) ? idxs.length : typeof idxs} index arrays for axes ${JSON.stringify(axes)}`,
    );
  axes.forEach((a) => {
    if (!Number.isInteger(a) || a < 0 || a >= x.ndim)
      throw new JitScopeError("value", `${op}: axis ${String(a)} is out of range for src ${avalText(x.aval)}`);
  });
  if (new Set(axes).size !== axes.length)
    throw new JitScopeError("value", `${op}: axes ${JSON.stringify(axes)} repeat an axis`);
  const ids = idxs.map((i) => asTracer(op, i));
  const n = ids[0]!.shape[0];
  ids.forEach((t, k) => {
    if (t.dtype !== "int32" || t.ndim !== 1 || t.shape[0] !== n)
      throw new JitScopeError(
        "shape",
        `${op}: idxs must be 1-D integer arrays of one length, got idxs[${k}] ${avalText(t.aval)} (idxs[0] ${avalText(ids[0]!.aval)})`,
      );
  });
  return libraryScope(op, () => {
    const wrapped = ids.map((t, k) => mod(t, x.shape[axes[k]!]!));
    const sizes = x.shape.map((d, a) => (axes.includes(a) ? 1 : d));
    return gather(
      x,
      stack(wrapped, 1),
      {
        offset_dims: Array.from({ length: x.ndim - axes.length }, (_, i) => i + 1),
        collapsed_slice_dims: [...axes],
        start_index_map: [...axes],
      },
      sizes,
    );
  });
}

export interface ScatterApplyOptions extends ScatterOptions {
  /** The shape the updates of the same scatter would have (default [], one index vector). */
  update_shape?: readonly number[];
}

/**
 * lax.scatter_apply(operand, scatter_indices, func, dimension_numbers, options): operand with
 * func applied to each element the scatter reaches, once per time it is reached (duplicate
 * indices apply it again), as JAX's. func is applied to one element at a time (through vmap).
 * As in JAX it is not meant for differentiation.
 */
export function scatter_apply(
  operand: ArrayLike,
  scatter_indices: ArrayLike,
  func: (x: Tracer) => Tracer,
  dimension_numbers: ScatterDimensionNumbers,
  options: ScatterApplyOptions = {},
): Tracer {
  const op = "lax.scatter_apply";
  checkOptions(op, options, ["update_shape", "mode", "unique_indices", "indices_are_sorted"]);
  if (typeof func !== "function")
    throw new JitScopeError("value", `${op}: func must be a function of one element, got ${typeof func}`);
  const x = asTracer(op, operand);
  const { update_shape = [], ...scatterOptions } = options;
  return libraryScope(op, () => {
    // How many times each element is reached: the scatter itself, adding ones.
    const hits = scatter_add(
      zeros(x.shape, { dtype: "int32" }),
      asTracer(op, scatter_indices),
      full(update_shape, 1, { dtype: "int32" }),
      dimension_numbers,
      scatterOptions,
    );
    const perElement = (v: Tracer): Tracer => {
      const flat = reshape(v, [-1]);
      const out = asTracer(op, vmap(func)(flat));
      if (out.dtype !== x.dtype || out.ndim !== 1 || out.shape[0] !== flat.shape[0])
        throw new JitScopeError(
          "value",
          `${op}: func must map one ${x.dtype} element to one ${x.dtype} element, got ${avalText(out.aval)} for ${avalText(flat.aval)}`,
        );
      return reshape(out, x.shape);
    };
    if (x.size === 0) return x;
    const [, result] = while_loop(
      ([k]: [Tracer, Tracer]) => ew.less(k, reduceMax(hits)),
      ([k, v]: [Tracer, Tracer]): [Tracer, Tracer] => [ew.add(k, 1), ew.where(ew.greater(hits, k), perElement(v), v)],
      [asTracer(op, 0), x] as [Tracer, Tracer],
    );
    return result;
  });
}

/**
 * lax.rng_uniform: refused. JAX's draws from a hidden, backend-specific generator state (XLA's
 * RngUniform), so the same call gives different numbers on different backends and under jit;
 * ours has no hidden state. random.uniform(key, shape, { minval, maxval }) is the reproducible
 * equivalent.
 */
export function rng_uniform(a: ArrayLike, b: ArrayLike, shape: readonly number[]): never {
  void a;
  void b;
  void shape;
  throw new JitScopeError(
    "value",
    "lax.rng_uniform: not supported (JAX's draws from a hidden backend-specific generator state); use random.uniform(key, shape, { minval: a, maxval: b }) with an explicit key",
  );
}
