// Structural functions as jax.numpy has them: array_split, rot90, rollaxis, matrix_transpose,
// block and resize. Each is slices, flips, transposes, concatenations and reshapes of existing
// primitives, so they fuse, and grad and vmap come from those primitives' rules.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { zeros } from "./creation.js";
import { asTracer, type ArrayLike } from "./promote.js";
import { concatenate, reshape, transpose } from "./shape.js";
import { flip, sliceAxis, tile } from "./shapeSurface.js";
import { avalText, checkShape, normalizeAxis, product } from "./validate.js";

/** np.split that also takes a section count that does not divide the axis: the first
 *  n % sections parts are one longer, as NumPy's. */
export function array_split(a: ArrayLike, indices_or_sections: number | readonly number[], axis = 0): Tracer[] {
  const x = asTracer("array_split", a);
  const ax = normalizeAxis("array_split", axis, x.ndim, x.shape);
  const n = x.shape[ax]!;
  let bounds: number[];
  if (typeof indices_or_sections === "number") {
    const s = indices_or_sections;
    if (!Number.isInteger(s) || s < 1)
      throw new JitScopeError("value", `array_split: the number of sections must be an integer ≥ 1, got ${s}`);
    const [each, extra] = [Math.floor(n / s), n % s];
    bounds = [0];
    for (let i = 0; i < s; i++) bounds.push(bounds[i]! + each + (i < extra ? 1 : 0));
  } else {
    bounds = Array.isArray(indices_or_sections) ? [0, ...indices_or_sections, n] : [NaN];
    // As JAX's (which sizes the parts by differences): indices rise and stay within the axis;
    // NumPy's negative and out-of-range indices are refused rather than reinterpreted.
    if (bounds.some((b, i) => !Number.isInteger(b) || (i > 0 && b < bounds[i - 1]!)))
      throw new JitScopeError(
        "value",
        `array_split: indices must be non-decreasing integers in [0, ${n}] (axis ${ax}'s size), got ${JSON.stringify(indices_or_sections)}`,
      );
  }
  const parts: Tracer[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) parts.push(sliceAxis(x, ax, bounds[i]!, bounds[i + 1]!));
  return parts;
}

/** The array rotated by 90° k times in the plane of `axes`, from the first axis towards the
 *  second (jnp.rot90). */
export function rot90(m: ArrayLike, k = 1, axes: readonly [number, number] = [0, 1]): Tracer {
  const x = asTracer("rot90", m);
  if (!Number.isInteger(k)) throw new JitScopeError("value", `rot90: k must be an integer, got ${k}`);
  if (x.ndim < 2) throw new JitScopeError("shape", `rot90: needs an array of at least 2 axes, got ${avalText(x.aval)}`);
  if (!Array.isArray(axes) || axes.length !== 2)
    throw new JitScopeError("axis", `rot90: axes must be a pair of axes, got ${JSON.stringify(axes)}`);
  const a1 = normalizeAxis("rot90", axes[0], x.ndim, x.shape);
  const a2 = normalizeAxis("rot90", axes[1], x.ndim, x.shape);
  if (a1 === a2) throw new JitScopeError("axis", `rot90: the two axes must differ, got ${a1} twice`);
  const turns = ((k % 4) + 4) % 4;
  if (turns === 0) return x;
  const perm = x.shape.map((_, i) => (i === a1 ? a2 : i === a2 ? a1 : i));
  if (turns === 2) return flip(flip(x, a1), a2);
  return turns === 1 ? transpose(flip(x, a2), perm) : flip(transpose(x, perm), a2);
}

/** Axis `axis` moved to just before position `start` (NumPy's older moveaxis). */
export function rollaxis(a: ArrayLike, axis: number, start = 0): Tracer {
  const x = asTracer("rollaxis", a);
  const ax = normalizeAxis("rollaxis", axis, x.ndim, x.shape);
  let to = start < 0 ? start + x.ndim : start;
  if (!Number.isInteger(start) || to < 0 || to > x.ndim)
    throw new JitScopeError("axis", `rollaxis: start must be in [-${x.ndim}, ${x.ndim}], got ${start}`);
  if (ax < to) to -= 1;
  if (ax === to) return x;
  const rest = x.shape.map((_, i) => i).filter((i) => i !== ax);
  return transpose(x, [...rest.slice(0, to), ax, ...rest.slice(to)]);
}

/** The last two axes swapped (a stack of matrices, each transposed). */
export function matrix_transpose(x: ArrayLike): Tracer {
  const t = asTracer("matrix_transpose", x);
  if (t.ndim < 2)
    throw new JitScopeError("shape", `matrix_transpose: needs an array of at least 2 axes, got ${avalText(t.aval)}`);
  const perm = t.shape.map((_, i) => i);
  [perm[t.ndim - 2], perm[t.ndim - 1]] = [t.ndim - 1, t.ndim - 2];
  return transpose(t, perm);
}

/** A nested list of arrays. */
export type BlockList = ArrayLike | readonly BlockList[];

function assembleBlock(xs: BlockList): [Tracer, number] {
  if (!Array.isArray(xs)) return [asTracer("block", xs), 1];
  const list = xs as readonly BlockList[];
  if (list.length === 0) throw new JitScopeError("value", "block: a list in the nesting is empty");
  const inner = list.map(assembleBlock);
  const depth = inner[0]![1];
  if (inner.some(([, d]) => d !== depth))
    throw new JitScopeError(
      "shape",
      "block: lists nested to different depths; every leaf must be as deep as the others",
    );
  const rank = Math.max(depth, ...inner.map(([t]) => t.ndim));
  const lifted = inner.map(([t]) =>
    t.ndim < rank ? reshape(t, [...Array<number>(rank - t.ndim).fill(1), ...t.shape]) : t,
  );
  return [concatenate(lifted, rank - depth), depth + 1];
}

/** One array assembled from nested lists of blocks: the innermost lists join along the last axis,
 *  the next along the one before it, and so on (arrays get leading unit axes to match). */
export function block(arrays: BlockList): Tracer {
  if (!Array.isArray(arrays)) return asTracer("block", arrays);
  return assembleBlock(arrays)[0];
}

/** a's elements in row-major order, repeated as often as needed to fill `new_shape`. */
export function resize(a: ArrayLike, new_shape: number | readonly number[]): Tracer {
  const x = asTracer("resize", a);
  const shape = checkShape("resize", new_shape);
  const want = product(shape);
  const have = product(x.shape);
  if (have === 0) return zeros(shape, { dtype: x.dtype });
  const flat = reshape(x, [have]);
  const repeated = want > have ? tile(flat, Math.ceil(want / have)) : flat;
  return reshape(sliceAxis(repeated, 0, 0, want), shape);
}
