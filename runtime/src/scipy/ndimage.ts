// `scipy.ndimage.map_coordinates`, as jax.scipy.ndimage's: the input sampled at fractional
// coordinates (one array per input axis, all of the output's shape), by nearest-neighbour
// (order 0, rounding half away from zero) or linear interpolation (order 1: the 2^d corners
// weighted), with JAX's boundary modes: "constant" (cval outside), "nearest" (the edge repeated),
// "wrap", "mirror" (about the edge pixels) and "reflect" (about the edges). Each corner is one
// gather from the flattened input, so the whole interpolation is elementwise work that fuses;
// it differentiates in the input and, for order 1, in the coordinates.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { asTracer, cast } from "../np/promote.js";
import { round } from "../lax/elementwise.js";
import { avalText } from "../np/validate.js";

export type NdimageMode = "constant" | "nearest" | "wrap" | "mirror" | "reflect";

/** |((i + s) mod 2s) − s| with s = size − 1: the index folded back at the edge pixels. */
function mirror(i: Tracer, size: number): Tracer {
  if (size === 1) return np.zeros_like(i);
  const s = size - 1;
  return np.abs(np.subtract(np.remainder(np.add(i, s), 2 * s), s));
}

function fixIndex(i: Tracer, size: number, mode: NdimageMode): Tracer {
  switch (mode) {
    case "constant":
    case "nearest":
      return np.clip(i, 0, size - 1);
    case "wrap":
      return np.remainder(i, size);
    case "mirror":
      return mirror(i, size);
    case "reflect":
      return np.floor_divide(np.subtract(mirror(np.add(np.multiply(i, 2), 1), 2 * size + 1), 1), 2);
  }
}

/** The input at each point given by `coordinates` (coordinates[d] indexes axis d). */
export function map_coordinates(
  input: ArrayLike,
  coordinates: readonly ArrayLike[],
  order: 0 | 1,
  mode: NdimageMode = "constant",
  cval = 0,
): Tracer {
  const x = asTracer("scipy.ndimage.map_coordinates", input);
  if (x.ndim === 0) throw new JitScopeError("shape", "scipy.ndimage.map_coordinates: the input needs at least 1 axis");
  if (!Array.isArray(coordinates) || coordinates.length !== x.ndim)
    throw new JitScopeError(
      "shape",
      `scipy.ndimage.map_coordinates: coordinates must be a list of ${x.ndim} arrays, one per axis of the input ${avalText(x.aval)}, got ${Array.isArray(coordinates) ? coordinates.length : typeof coordinates}`,
    );
  if (order !== 0 && order !== 1)
    throw new JitScopeError(
      "value",
      `scipy.ndimage.map_coordinates: order must be 0 or 1 (as JAX's), got ${String(order)}`,
    );
  if (!["constant", "nearest", "wrap", "mirror", "reflect"].includes(mode))
    throw new JitScopeError(
      "value",
      `scipy.ndimage.map_coordinates: mode must be "constant", "nearest", "wrap", "mirror" or "reflect", got ${JSON.stringify(mode)}`,
    );
  const coords = coordinates.map((c) => cast(asTracer("scipy.ndimage.map_coordinates", c), "float32"));
  const shape = np.broadcast_shapes(...coords.map((c) => c.shape));
  const data = np.reshape(cast(x, "float32"), [-1]);
  const strides = x.shape.map((_, d) => x.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  // Per axis: the corners read (index, weight), as JAX's.
  const nodes = coords.map((c) => {
    const b = np.broadcast_to(c, shape);
    if (order === 0) return [{ index: np.astype(round(b), "int32"), weight: null as Tracer | null }];
    const lower = np.floor(b);
    const upper = np.subtract(b, lower);
    const i = np.astype(lower, "int32");
    return [
      { index: i, weight: np.subtract(1, upper) },
      { index: np.add(i, 1), weight: upper },
    ];
  });
  let total: Tracer | null = null;
  const corner = (axis: number, flat: Tracer | null, valid: Tracer | null, weight: Tracer | null): void => {
    if (axis === x.ndim) {
      let v: Tracer = np.take(data, flat!, 0, { mode: "clip" });
      if (valid) v = np.where(valid, v, cval);
      const term = weight ? np.multiply(weight, v) : v;
      total = total ? np.add(total, term) : term;
      return;
    }
    const size = x.shape[axis]!;
    for (const { index, weight: w } of nodes[axis]!) {
      const fixed = fixIndex(index, size, mode);
      const offset = np.multiply(fixed, strides[axis]!);
      const inside = mode === "constant" ? np.logical_and(np.greater_equal(index, 0), np.less(index, size)) : null;
      corner(
        axis + 1,
        flat ? np.add(flat, offset) : offset,
        inside ? (valid ? np.logical_and(valid, inside) : inside) : valid,
        w ? (weight ? np.multiply(weight, w) : w) : weight,
      );
    }
  };
  corner(0, null, null, null);
  const result = total as unknown as Tracer;
  return x.dtype === "float32" ? result : np.astype(round(result), x.dtype);
}
