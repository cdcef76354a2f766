// Selecting and placing elements by index or mask, as jax.numpy: choose (one of several arrays per
// element), compress / extract (the elements a mask keeps, padded to a static size), and the
// functional forms of NumPy's in-place put / place (JAX's: `inplace: false` required, the updated
// copy returned). Indices are checked where JAX checks them: a mode that must raise on a bad
// index needs the values on the host, which a traced (lazy) array does not have, so it is refused
// as JAX refuses it under jit.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { broadcast_arrays } from "./broadcasting.js";
import { atUpdate } from "./at.js";
import { arange } from "./creation.js";
import * as ew from "./elementwise.js";
import { take } from "./indexing.js";
import { clip, remainder } from "./mathSurface.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { argsort, cumsum } from "./reduceSurface.js";
import { sum } from "./reductions.js";
import { reshape } from "./shape.js";
import { sliceAxis } from "./shapeSurface.js";
import { avalText, normalizeAxis, sizeFromValuesNote } from "./validate.js";

export type IndexMode = "wrap" | "clip" | "raise";

/** "wrap" or "clip" from a mode argument; "raise" is refused with the fix (see the header). */
export function boundMode(
  op: string,
  mode: IndexMode | null | undefined,
  fallback: "wrap" | "clip" | "raise",
): "wrap" | "clip" {
  const m = mode ?? fallback;
  if (m === "raise")
    throw new JitScopeError(
      "value",
      `${op}: mode "raise" needs the index values on the host, which a traced array does not have; pass mode "wrap" or "clip" (JAX asks the same under jit)`,
    );
  if (m !== "wrap" && m !== "clip")
    throw new JitScopeError("value", `${op}: mode must be "wrap" or "clip", got ${JSON.stringify(m)}`);
  return m;
}

/** choices[a[i]][i], everything broadcast together; a out of range wraps or clips by `mode`. */
export function choose(
  a: ArrayLike,
  choices: readonly ArrayLike[] | Tracer,
  options: { mode?: IndexMode } = {},
): Tracer {
  checkOptions("choose", options, ["mode"]);
  const idx = asTracer("choose", a);
  if (idx.dtype === "float32") throw new JitScopeError("dtype", `choose: a must be int32, got ${avalText(idx.aval)}`);
  const list: ArrayLike[] = Array.isArray(choices)
    ? [...choices]
    : Array.from({ length: asTracer("choose", choices as Tracer).shape[0] ?? 0 }, (_, k) =>
        take(choices as Tracer, k, 0),
      );
  const n = list.length;
  if (n === 0) throw new JitScopeError("value", "choose: choices must not be empty");
  const mode = boundMode("choose", options.mode, "raise");
  const k = mode === "wrap" ? remainder(idx, n) : clip(idx, 0, n - 1);
  const [kb, ...cs] = broadcast_arrays(k, ...list);
  let out = cs[n - 1]!;
  for (let j = n - 2; j >= 0; j--) out = ew.where(ew.equal(kb!, j), cs[j]!, out);
  return out;
}

export interface CompressOptions {
  /** How many elements to return (required: the result's size must be known when tracing). */
  size?: number;
  /** The value past the last kept element (default 0). */
  fill_value?: number;
}

/** The slices of a along `axis` (all of a, flattened, when null) where `condition` is true, in
 *  order, padded with fill_value to `size`. A condition longer than the axis is cut to it. */
export function compress(
  condition: ArrayLike,
  a: ArrayLike,
  axis: number | null = null,
  options: CompressOptions = {},
): Tracer {
  checkOptions("compress", options, ["size", "fill_value"]);
  let x = asTracer("compress", a);
  let c = asTracer("compress", condition);
  if (c.ndim !== 1) throw new JitScopeError("shape", `compress: condition must be 1-D, got ${avalText(c.aval)}`);
  if (axis === null) {
    x = reshape(x, [-1]);
    axis = 0;
  }
  const ax = normalizeAxis("compress", axis, x.ndim, x.shape);
  const n = Math.min(c.shape[0]!, x.shape[ax]!);
  c = cast(sliceAxis(c, 0, 0, n), "bool");
  x = sliceAxis(x, ax, 0, n);
  const size = options.size;
  if (typeof size !== "number" || !Number.isInteger(size) || size < 0 || size > n)
    throw new JitScopeError(
      "value",
      `compress: pass { size } from 0 to ${n} (the kept length along the axis), how many elements to return: ${sizeFromValuesNote()}`,
    );
  // A stable argsort of "not kept" lists the kept positions first, in order.
  const order = sliceAxis(argsort(cast(ew.logical_not(c), "int32")), 0, 0, size);
  const kept = take(x, order, ax);
  const count = sum(cast(c, "int32"));
  const inRange = reshape(
    ew.less(arange(size), count),
    x.shape.map((d, i) => (i === ax ? size : 1)),
  );
  return ew.where(inRange, kept, cast(asTracer("compress", options.fill_value ?? 0), x.dtype));
}

/** The elements of arr where condition is true (both flattened), padded to `size`. */
export function extract(condition: ArrayLike, arr: ArrayLike, options: CompressOptions = {}): Tracer {
  checkOptions("extract", options, ["size", "fill_value"]);
  return compress(reshape(asTracer("extract", condition), [-1]), reshape(asTracer("extract", arr), [-1]), 0, options);
}

/** v's values repeated end to end and cut to `n` (NumPy's repeating of short values). */
function tiled(v: Tracer, n: number): Tracer {
  const flat = reshape(v, [-1]);
  return take(flat, remainder(arange(n), flat.shape[0]!), 0);
}

function requireCopy(op: string, options: { inplace?: boolean }): void {
  if (options.inplace !== false)
    throw new JitScopeError(
      "value",
      `${op}: arrays cannot change in place; pass { inplace: false } to get the updated copy (as JAX asks)`,
    );
}

/** A copy of a with its flattened entries at `ind` set to v (repeated to ind's length). Indices:
 *  by default a negative one counts from the end once, then all are clipped, as JAX; "wrap"
 *  takes them modulo a's size. A later duplicate wins. */
export function put(
  a: ArrayLike,
  ind: ArrayLike,
  v: ArrayLike,
  mode: "wrap" | "clip" | null = null,
  options: { inplace?: boolean } = {},
): Tracer {
  checkOptions("put", options, ["inplace"]);
  requireCopy("put", options);
  const x = asTracer("put", a);
  const i = reshape(asTracer("put", ind), [-1]);
  const vals = asTracer("put", v);
  if (i.dtype === "float32") throw new JitScopeError("dtype", `put: ind must be int32, got ${avalText(i.aval)}`);
  if (mode !== null && mode !== "wrap" && mode !== "clip")
    throw new JitScopeError("value", `put: mode must be "wrap", "clip" or null, got ${JSON.stringify(mode)}`);
  const size = x.shape.reduce((p, d) => p * d, 1);
  if (size === 0 || i.shape[0] === 0 || vals.shape.reduce((p, d) => p * d, 1) === 0) return x;
  const flatIdx = mode === "wrap" ? remainder(i, size) : clip(ew.where(ew.less(i, 0), ew.add(i, size), i), 0, size - 1);
  const updated = atUpdate(reshape(x, [-1]), [flatIdx], tiled(vals, i.shape[0]!), "set");
  return reshape(updated, x.shape);
}

/** A copy of arr with the entries where mask is true (row-major) set to vals, repeated as needed. */
export function place(arr: ArrayLike, mask: ArrayLike, vals: ArrayLike, options: { inplace?: boolean } = {}): Tracer {
  checkOptions("place", options, ["inplace"]);
  requireCopy("place", options);
  const x = asTracer("place", arr);
  const m = cast(reshape(asTracer("place", mask), [-1]), "bool");
  const v = reshape(asTracer("place", vals), [-1]);
  const size = x.shape.reduce((p, d) => p * d, 1);
  if (m.shape[0] !== size)
    throw new JitScopeError(
      "shape",
      `place: arr ${avalText(x.aval)} and mask must have the same size, got ${m.shape[0]}`,
    );
  if (v.shape[0] === 0) throw new JitScopeError("value", "place: vals must not be empty");
  if (size === 0) return x;
  // The k-th true position takes vals[k mod len(vals)]: k is the running count of trues before it.
  const rank = ew.subtract(cumsum(cast(m, "int32")), 1);
  const fill = take(v, remainder(ew.maximum(rank, 0), v.shape[0]!), 0);
  return reshape(ew.where(m, fill, reshape(x, [-1])), x.shape);
}
