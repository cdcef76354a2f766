// More of lax's structural operations, by lax's argument orders: split (at sizes, not NumPy's
// indices), tile, stack / unstack, broadcast_to_rank, broadcast_like, reduce_xor (a tree of
// xors over the reduced entries), optimization_barrier (the identity here: nothing reorders
// across it that would change a result) and empty (zeros, as JAX's).

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import type { Tracer } from "../trace/core.js";
import { bitwise_xor } from "../np/bitwise.js";
import { zeros } from "../np/creation.js";
import { asTracer, cast, type ArrayLike } from "../np/promote.js";
import { broadcast_to, reshape, stack as npStack, transpose } from "../np/shape.js";
import { pad } from "../np/pad.js";
import { sliceAxis, tile as npTile } from "../np/shapeSurface.js";
import { avalText, normalizeAxis } from "../np/validate.js";

/** `lax.split(operand, sizes, axis = 0)`: consecutive pieces of the given sizes along `axis`,
 *  which must add up to its length. */
export function split(operand: ArrayLike, sizes: readonly number[], axis = 0): Tracer[] {
  const x = asTracer("lax.split", operand);
  const ax = normalizeAxis("lax.split", axis, x.ndim, x.shape);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (!sizes.every((s) => Number.isInteger(s) && s >= 0) || total !== x.shape[ax])
    throw new JitScopeError(
      "shape",
      `lax.split: sizes [${sizes.join(",")}] must be non-negative integers adding up to axis ${ax}'s length ${x.shape[ax]} of ${avalText(x.aval)}`,
    );
  let start = 0;
  return sizes.map((s) => {
    const piece = sliceAxis(x, ax, start, start + s);
    start += s;
    return piece;
  });
}

/** `lax.tile(operand, reps)`: np.tile with one repetition count per axis. */
export function tile(operand: ArrayLike, reps: readonly number[]): Tracer {
  return npTile(operand, reps);
}

/** `lax.stack(operands, axis = 0)`: np.stack. */
export function stack(operands: readonly ArrayLike[], axis = 0): Tracer {
  return npStack(operands, axis);
}

/** `lax.unstack(x, axis = 0)`: the slices along `axis`, the axis removed. */
export function unstack(x: ArrayLike, axis = 0): Tracer[] {
  const t = asTracer("lax.unstack", x);
  const ax = normalizeAxis("lax.unstack", axis, t.ndim, t.shape);
  const rest = t.shape.filter((_, k) => k !== ax);
  return Array.from({ length: t.shape[ax]! }, (_, i) => reshape(sliceAxis(t, ax, i, i + 1), rest));
}

/** `lax.broadcast_to_rank(x, rank)`: x with leading axes of length 1 up to `rank`. */
export function broadcast_to_rank(x: ArrayLike, rank: number): Tracer {
  const t = asTracer("lax.broadcast_to_rank", x);
  if (!Number.isInteger(rank) || rank < 0)
    throw new JitScopeError("value", `lax.broadcast_to_rank: rank must be a non-negative integer, got ${String(rank)}`);
  return t.ndim >= rank ? t : reshape(t, [...Array<number>(rank - t.ndim).fill(1), ...t.shape]);
}

/** `lax.broadcast_like(arr, like_arr)`: arr broadcast to like_arr's shape. */
export function broadcast_like(arr: ArrayLike, like_arr: ArrayLike): Tracer {
  return broadcast_to(asTracer("lax.broadcast_like", arr), asTracer("lax.broadcast_like", like_arr).shape);
}

/** `lax.reduce_xor(operand, axes)`: the xor of the entries over `axes` (int32 bits, or bool
 *  parity). The reduced axes move last and merge; pairs of halves are xored until one is left. */
export function reduce_xor(operand: ArrayLike, axes: readonly number[]): Tracer {
  const x = asTracer("lax.reduce_xor", operand);
  if (x.dtype === "float32")
    throw new JitScopeError("dtype", `lax.reduce_xor: needs int32 or bool, got ${avalText(x.aval)}`);
  const reduced = [...new Set(axes.map((a) => normalizeAxis("lax.reduce_xor", a, x.ndim, x.shape)))];
  const kept = x.shape.map((_, k) => k).filter((k) => !reduced.includes(k));
  const n = reduced.reduce((p, a) => p * x.shape[a]!, 1);
  let v = reshape(transpose(cast(x, "int32"), [...kept, ...reduced]), [...kept.map((k) => x.shape[k]!), n]);
  const last = kept.length;
  let len = n;
  if (len === 0) v = zeros([...kept.map((k) => x.shape[k]!), 1], { dtype: "int32" });
  for (; len > 1; len = Math.ceil(len / 2)) {
    if (len % 2 === 1) v = pad(v, v.shape.map((_, k) => (k === last ? [0, 1] : [0, 0])) as [number, number][]);
    const half = v.shape[last]! / 2;
    v = bitwise_xor(sliceAxis(v, last, 0, half), sliceAxis(v, last, half, 2 * half));
  }
  const out = reshape(
    v,
    kept.map((k) => x.shape[k]!),
  );
  return x.dtype === "bool" ? cast(out, "bool") : out;
}

/** `lax.optimization_barrier(operand)`: its argument (any pytree), unchanged. */
export function optimization_barrier<T>(operand: T): T {
  return operand;
}

/** `lax.empty(shape, dtype)`: zeros (JAX's empty is zeros too). */
export function empty(shape: readonly number[], dtype: DType = "float32"): Tracer {
  return zeros(shape, { dtype });
}

/** jax.lax.with_sharding_constraint(x, shardings): on one device there is nothing to shard, so
 *  the value itself (any pytree), as under JAX with a single device. */
export function with_sharding_constraint<T>(x: T, _shardings?: unknown): T {
  return x;
}
