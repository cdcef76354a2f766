// Orders and flat positions from several keys or coordinates, as jax.numpy: lexsort (sort by the
// last key, ties broken by the ones before it) and ravel_multi_index (coordinates to flat
// indices, the inverse of unravel_index). Out-of-range coordinates wrap or clip; NumPy's "raise"
// needs the values on the host, so it is refused as JAX refuses it under jit.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { broadcast_arrays } from "./broadcasting.js";
import * as ew from "./elementwise.js";
import { take, take_along_axis } from "./indexing.js";
import { clip, remainder } from "./mathSurface.js";
import { asTracer, type ArrayLike } from "./promote.js";
import { argsort } from "./reduceSurface.js";
import { boundMode, type IndexMode } from "./selection.js";
import { avalText, normalizeAxis } from "./validate.js";

/** Indices that sort along `axis` by keys[last], then keys[last - 1], …: a stable argsort per key,
 *  from the least significant (keys[0]) to the most. */
export function lexsort(keys: readonly ArrayLike[] | Tracer, axis = -1): Tracer {
  const list = Array.isArray(keys)
    ? keys.map((k) => asTracer("lexsort", k))
    : Array.from({ length: asTracer("lexsort", keys as Tracer).shape[0] ?? 0 }, (_, k) => take(keys as Tracer, k, 0));
  if (list.length === 0) throw new JitScopeError("value", "lexsort: needs at least one key");
  const ks = broadcast_arrays(...list);
  const ax = normalizeAxis("lexsort", axis, ks[0]!.ndim, ks[0]!.shape);
  let order = argsort(ks[0]!, ax);
  for (const k of ks.slice(1)) {
    const byKey = argsort(take_along_axis(k, order, ax), ax);
    order = take_along_axis(order, byKey, ax);
  }
  return order;
}

/** Σ coordinate_k · stride_k over `dims` (row-major, or column-major with order "F"). */
export function ravel_multi_index(
  multi_index: readonly ArrayLike[],
  dims: readonly number[],
  mode: IndexMode = "raise",
  order: "C" | "F" = "C",
): Tracer {
  const op = "ravel_multi_index";
  if (!Array.isArray(dims) || dims.some((d) => !Number.isInteger(d) || d < 0))
    throw new JitScopeError(
      "value",
      `${op}: dims must be a list of non-negative integers, got ${JSON.stringify(dims)}`,
    );
  if (!Array.isArray(multi_index) || multi_index.length !== dims.length)
    throw new JitScopeError(
      "value",
      `${op}: needs one coordinate array per dimension of [${dims}], got ${Array.isArray(multi_index) ? multi_index.length : typeof multi_index}`,
    );
  const bound = boundMode(op, mode, "raise");
  if (order !== "C" && order !== "F")
    throw new JitScopeError("value", `${op}: order must be "C" or "F", got ${JSON.stringify(order)}`);
  const coords = broadcast_arrays(...multi_index.map((c) => asTracer(op, c)));
  coords.forEach((c, k) => {
    if (c.dtype === "float32")
      throw new JitScopeError("dtype", `${op}: coordinate ${k} must be int32, got ${avalText(c.aval)}`);
  });
  const axes = dims.map((_, k) => k);
  if (order === "F") axes.reverse();
  let flat: Tracer | null = null;
  for (const k of axes) {
    const d = dims[k]!;
    const c = bound === "wrap" ? remainder(coords[k]!, d) : clip(coords[k]!, 0, d - 1);
    flat = flat === null ? c : ew.add(ew.multiply(flat, d), c);
  }
  return flat!;
}
