// NumPy's axis-named splits and the index helpers around them: hsplit, vsplit, dsplit (np.split
// along axis 1, 0 and 2; hsplit of a 1-D array along 0, as NumPy's), append (a concatenate,
// flattened first when no axis is given) and unravel_index (flat indices → one index array per
// axis, row-major, as jnp's; negative flat indices count from the end, out-of-range ones clip).

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { array } from "./creation.js";
import * as ew from "./elementwise.js";
import { clip, floor_divide, remainder } from "./mathSurface.js";
import { asTracer, type ArrayLike } from "./promote.js";
import { concatenate, ravel } from "./shape.js";
import { split } from "./shapeSurface.js";

function splitAlong(op: string, axis: number, minRank: number, a: ArrayLike, sections: number | readonly number[]) {
  const x = asTracer(op, a);
  if (x.ndim < minRank)
    throw new JitScopeError(
      "shape",
      `${op} needs an array of at least ${minRank} axes, got ${x.dtype}[${x.shape.join(",")}]`,
    );
  return split(x, sections, axis);
}

/** np.split along axis 1 (along 0 for a 1-D array). */
export function hsplit(a: ArrayLike, indices_or_sections: number | readonly number[]): Tracer[] {
  const x = asTracer("hsplit", a);
  return splitAlong("hsplit", x.ndim === 1 ? 0 : 1, 1, x, indices_or_sections);
}

/** np.split along axis 0, of an array of at least 2 axes. */
export const vsplit = (a: ArrayLike, indices_or_sections: number | readonly number[]): Tracer[] =>
  splitAlong("vsplit", 0, 2, a, indices_or_sections);

/** np.split along axis 2, of an array of at least 3 axes. */
export const dsplit = (a: ArrayLike, indices_or_sections: number | readonly number[]): Tracer[] =>
  splitAlong("dsplit", 2, 3, a, indices_or_sections);

/** `values` after `arr` along `axis`; both flattened first when axis is null or omitted. */
export function append(arr: ArrayLike, values: ArrayLike, axis: number | null = null): Tracer {
  const [x, v] = [asTracer("append", arr), asTracer("append", values)];
  return axis === null ? concatenate([ravel(x), ravel(v)], 0) : concatenate([x, v], axis);
}

/** The multi-index of each flat index into an array of `shape`: one int32 array per axis. */
export function unravel_index(indices: ArrayLike, shape: readonly number[]): Tracer[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new JitScopeError(
      "value",
      `unravel_index: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  const i =
    typeof indices === "number" && Number.isInteger(indices)
      ? array(indices, { dtype: "int32" })
      : asTracer("unravel_index", indices);
  if (i.dtype !== "int32")
    throw new JitScopeError(
      "value",
      `unravel_index: indices must be int32, got ${i.dtype}[${i.shape.join(",")}]; give { dtype: "int32" } where they are made`,
    );
  const size = shape.reduce((a, b) => a * b, 1);
  // As jnp: a negative index counts from the end; then every index is clipped into range.
  let flat = clip(ew.where(ew.less(i, 0), ew.add(i, size), i), 0, Math.max(size - 1, 0));
  const out: Tracer[] = new Array<Tracer>(shape.length);
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    out[ax] = remainder(flat, shape[ax]!);
    flat = floor_divide(flat, shape[ax]!);
  }
  return out;
}
