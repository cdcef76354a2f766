// insert and delete as jax.numpy has them, for static positions (an integer, a list of integers,
// or a slice { start, stop, step }): the output's length depends on them, so they must be known
// when tracing. Both are computed on the host as one gather of the kept and inserted entries, so
// the result differentiates in the array and in the inserted values, and runs under jit and vmap.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import type { SliceSpec } from "./at.js";
import { take } from "./indexing.js";
import { asTracer, broadcastShapes, cast, type ArrayLike } from "./promote.js";
import { broadcast_to, concatenate, ravel, reshape } from "./shape.js";
import { sliceAxis } from "./shapeSurface.js";
import { moveaxis } from "./stacking.js";
import { avalText, normalizeAxis } from "./validate.js";

/** Static positions: one integer, a list of integers, or a slice (Python's, over the axis). */
export type StaticIndices = number | readonly number[] | SliceSpec;

function isSlice(obj: StaticIndices): obj is SliceSpec {
  return typeof obj === "object" && obj !== null && !Array.isArray(obj);
}

/** The indices Python's slice(start, stop, step).indices(n) walks, in order. */
function sliceIndices(op: string, s: SliceSpec, n: number): number[] {
  const step = s.step ?? 1;
  if (!Number.isInteger(step) || step === 0)
    throw new JitScopeError("value", `${op}: a slice step must be a nonzero integer, got ${String(s.step)}`);
  const bound = (v: number | null | undefined, fallback: number, lo: number, hi: number) => {
    if (v === null || v === undefined) return fallback;
    if (!Number.isInteger(v)) throw new JitScopeError("value", `${op}: slice bounds must be integers, got ${v}`);
    return Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  };
  const out: number[] = [];
  if (step > 0) {
    const [start, stop] = [bound(s.start, 0, 0, n), bound(s.stop, n, 0, n)];
    for (let i = start; i < stop; i += step) out.push(i);
  } else {
    const [start, stop] = [bound(s.start, n - 1, -1, n - 1), bound(s.stop, -1, -1, n - 1)];
    for (let i = start; i > stop; i += step) out.push(i);
  }
  return out;
}

function integerList(op: string, obj: StaticIndices): number[] {
  const list = typeof obj === "number" ? [obj] : (obj as readonly number[]);
  if (!Array.isArray(list) || list.some((i) => typeof i !== "number" || !Number.isInteger(i)))
    throw new JitScopeError(
      "value",
      `${op}: obj must be an integer, a list of integers or a slice { start, stop, step } known when tracing, got ${JSON.stringify(obj)}`,
    );
  return [...list];
}

/** x's entries at the static positions `at` along `ax` (none: an empty axis). */
function gather(x: Tracer, at: readonly number[], ax: number): Tracer {
  return at.length === 0 ? sliceAxis(x, ax, 0, 0) : take(x, at, ax);
}

function flattenedUnlessAxis(op: string, arr: ArrayLike, axis: number | null): [Tracer, number] {
  const x = asTracer(op, arr);
  return axis === null ? [ravel(x), 0] : [x, normalizeAxis(op, axis, x.ndim, x.shape)];
}

/** `values` inserted before the given positions along `axis` (the flattened array when axis is
 *  null): positions count from the end when negative and clip into [0, n], as JAX's. A single
 *  integer position inserts all of `values` there; a list inserts one entry before each. */
export function insert(arr: ArrayLike, obj: StaticIndices, values: ArrayLike, axis: number | null = null): Tracer {
  const [x, ax] = flattenedUnlessAxis("insert", arr, axis);
  const n = x.shape[ax]!;
  const scalarIndex = typeof obj === "number";
  let positions = isSlice(obj) ? sliceIndices("insert", obj, n) : integerList("insert", obj);
  let v = cast(asTracer("insert", values), x.dtype);
  if (v.ndim > x.ndim)
    throw new JitScopeError(
      "shape",
      `insert: values ${avalText(v.aval)} have more axes than the array ${avalText(x.aval)}`,
    );
  v = reshape(v, [...Array<number>(x.ndim - v.ndim).fill(1), ...v.shape]);
  if (positions.length === 1) {
    // One position takes every value: a bare integer puts values' leading axis along `axis`.
    if (scalarIndex) v = moveaxis(v, 0, ax);
    positions = Array<number>(v.shape[ax]!).fill(positions[0]!);
  }
  const count = broadcastShapes("insert", [[positions.length], [v.shape[ax]!]])[0]!;
  if (positions.length === 1 && count !== 1) positions = Array<number>(count).fill(positions[0]!);
  const target = x.shape.map((d, i) => (i === ax ? count : d));
  let inserted: Tracer;
  try {
    inserted = broadcast_to(v, target);
  } catch {
    throw new JitScopeError(
      "shape",
      `insert: values ${avalText(v.aval)} do not broadcast to the inserted block [${target.join(",")}]`,
    );
  }
  const clipped = positions.map((p) => Math.min(Math.max(p < 0 ? p + n : p, 0), n));
  // Where each inserted entry lands: its position plus how many inserted entries sort before it
  // (a stable order, as JAX's argsort); the array's entries fill the remaining slots in order.
  const order = clipped.map((_, j) => j).sort((i, j) => clipped[i]! - clipped[j]! || i - j);
  const landing = new Array<number>(count);
  order.forEach((j, rank) => (landing[j] = clipped[j]! + rank));
  const source = new Array<number>(n + count).fill(-1);
  landing.forEach((slot, j) => (source[slot] = n + j));
  let next = 0;
  for (let slot = 0; slot < source.length; slot++) if (source[slot] === -1) source[slot] = next++;
  return gather(concatenate([x, inserted], ax), source, ax);
}

/** The array without the entries at the given positions along `axis` (the flattened array when
 *  axis is null). Positions count from the end when negative; repeats are removed once. */
export function delete_(arr: ArrayLike, obj: StaticIndices, axis: number | null = null): Tracer {
  const [x, ax] = flattenedUnlessAxis("delete", arr, axis);
  const n = x.shape[ax]!;
  const gone = new Set<number>();
  for (const p of isSlice(obj) ? sliceIndices("delete", obj, n) : integerList("delete", obj)) {
    if (p < -n || p >= n)
      throw new JitScopeError("value", `delete: index ${p} is out of bounds for axis ${ax} of size ${n}`);
    gone.add(p < 0 ? p + n : p);
  }
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (!gone.has(i)) kept.push(i);
  return gather(x, kept, ax);
}
export { delete_ as delete };
