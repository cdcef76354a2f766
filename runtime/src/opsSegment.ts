// `ops`: jax.ops' segment reductions, the message passing of graph networks (each edge's message
// summed, or maxed, into its receiving node). segment_ids[i] names the segment data[i] joins;
// ids outside [0, num_segments), negative ones included, are dropped, as JAX's FILL_OR_DROP; an
// empty segment reads the reduction's identity (0, 1, -inf, +inf; int32's extremes), as JAX's. num_segments is
// required: the segment count must be known when tracing (JAX asks the same under jit).

import { checkOptions } from "./apiOptions.js";
import { JitScopeError } from "./ir/errors.js";
import * as np from "./np.js";
import type { Tracer } from "./trace/core.js";
import { libraryScope } from "./trace/scopeCalls.js";

export interface SegmentOptions {
  /** Accepted for JAX's signature; the result does not depend on them. */
  indices_are_sorted?: boolean;
  unique_indices?: boolean;
}

type Mode = "add" | "multiply" | "max" | "min";

function segment(
  name: string,
  mode: Mode,
  identity: number,
  data: np.ArrayLike,
  segment_ids: np.ArrayLike,
  num_segments: number,
  options: SegmentOptions,
): Tracer {
  return libraryScope(`ops.${name}`, () => {
    checkOptions(`ops.${name}`, options, ["indices_are_sorted", "unique_indices"]);
    if (!Number.isInteger(num_segments) || num_segments < 0)
      throw new JitScopeError(
        "value",
        `ops.${name}: num_segments must be a non-negative integer (the segment count must be known when tracing), got ${String(num_segments)}`,
      );
    const x = np.asarray(data as never);
    const ids = np.asarray(segment_ids as never);
    if (ids.dtype !== "int32" || ids.ndim !== 1 || x.ndim === 0 || ids.shape[0] !== x.shape[0])
      throw new JitScopeError(
        "shape",
        `ops.${name}: segment_ids must be int32 with one id per row of data: data ${x.dtype}[${x.shape.join(",")}], segment_ids ${ids.dtype}[${ids.shape.join(",")}]`,
      );
    // x.at(i) counts a negative index from the end; JAX's segment ops drop it: move it past the end.
    const kept = np.where(np.less(ids, 0), num_segments, ids);
    // ±inf has no int32: JAX's identity there is the type's extreme.
    const fill =
      x.dtype === "int32" && !Number.isFinite(identity) ? (identity > 0 ? 2147483647 : -2147483648) : identity;
    const out = np.full([num_segments, ...x.shape.slice(1)], fill, { dtype: x.dtype });
    return out.at(kept)[mode](x);
  });
}

/** Σ of data's rows per segment (0 for an empty one). */
export const segment_sum = (d: np.ArrayLike, ids: np.ArrayLike, num_segments: number, options: SegmentOptions = {}) =>
  segment("segment_sum", "add", 0, d, ids, num_segments, options);
/** Π of data's rows per segment (1 for an empty one). */
export const segment_prod = (d: np.ArrayLike, ids: np.ArrayLike, num_segments: number, options: SegmentOptions = {}) =>
  segment("segment_prod", "multiply", 1, d, ids, num_segments, options);
/** The largest of data's rows per segment (−inf for an empty one). */
export const segment_max = (d: np.ArrayLike, ids: np.ArrayLike, num_segments: number, options: SegmentOptions = {}) =>
  segment("segment_max", "max", -Infinity, d, ids, num_segments, options);
/** The smallest of data's rows per segment (+inf for an empty one). */
export const segment_min = (d: np.ArrayLike, ids: np.ArrayLike, num_segments: number, options: SegmentOptions = {}) =>
  segment("segment_min", "min", Infinity, d, ids, num_segments, options);
