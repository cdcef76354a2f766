// `scipy.interpolate.RegularGridInterpolator`, as jax.scipy.interpolate's: values on a rectilinear
// grid (one increasing 1-D array of coordinates per grid axis; values may carry trailing axes
// beyond the grid's), sampled at points xi [..., ndim] by "linear" (the 2^ndim corners of the
// cell weighted) or "nearest" interpolation. Outside the grid a point gets `fill_value` (NaN by
// default), or with fill_value null the edge cell extrapolated; bounds_error true is refused, as
// JAX refuses it (a check of values cannot stop a jitted program).
//
// As in Python the instance is callable: `new RegularGridInterpolator(points, values)` and a plain
// call both return a function object `interp(xi, method?)` whose prototype is the class's (the
// pattern of tree_util.Partial, trace/partial.ts), so it carries grid, values, method, fill_value
// and bounds_error and is a registered pytree node, as JAX's: it passes through jit and grad with
// its arrays as children. Each corner is one gather from the flattened values, so evaluation is
// elementwise work that fuses; it differentiates in values, xi and the grid.

import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "../trace/core.js";
import { isPlainObject } from "../trace/pytree.js";
import { register_pytree_node } from "../trace/pytreeNodes.js";
import { libraryScope } from "../trace/scopeCalls.js";
import { checkOptions } from "../apiOptions.js";
import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { asTracer, cast } from "../np/promote.js";
import { avalText } from "../np/validate.js";

export type InterpolationMethod = "linear" | "nearest";
export interface RegularGridInterpolatorOptions {
  method?: InterpolationMethod;
  /** Only false, as JAX's. */
  bounds_error?: boolean;
  /** The value outside the grid (default NaN); null extrapolates from the edge cells. */
  fill_value?: ArrayLike | null;
}
/** Sample points: one array [..., ndim], or one coordinate array per grid axis (broadcast). */
export type SamplePoints = ArrayLike | readonly Tracer[];

export interface RegularGridInterpolator {
  (xi: SamplePoints, method?: InterpolationMethod | null): Tracer;
  readonly grid: readonly Tracer[];
  readonly values: Tracer;
  readonly method: InterpolationMethod;
  readonly fill_value: ArrayLike | null;
  readonly bounds_error: boolean;
}

const NAME = "scipy.interpolate.RegularGridInterpolator";

function checkMethod(method: unknown): InterpolationMethod {
  if (method !== "linear" && method !== "nearest")
    throw new JitScopeError(
      "value",
      `${NAME}: method ${JSON.stringify(method)} is not defined (it takes "linear" or "nearest")`,
    );
  return method;
}

/** The interpolator over `points` (one 1-D array per leading axis of `values`). */
export const RegularGridInterpolator = function RegularGridInterpolator(
  points: readonly ArrayLike[],
  values: ArrayLike,
  method: InterpolationMethod | RegularGridInterpolatorOptions = "linear",
  bounds_error = false,
  fill_value: ArrayLike | null = NaN,
): RegularGridInterpolator {
  let o: Required<RegularGridInterpolatorOptions> = { method: method as InterpolationMethod, bounds_error, fill_value };
  if (isPlainObject(method)) {
    checkOptions(NAME, method as RegularGridInterpolatorOptions, ["method", "bounds_error", "fill_value"]);
    const given = method as RegularGridInterpolatorOptions;
    o = {
      method: given.method ?? "linear",
      bounds_error: given.bounds_error ?? false,
      fill_value: given.fill_value === undefined ? NaN : given.fill_value,
    };
  }
  const m = checkMethod(o.method);
  if (o.bounds_error)
    throw new JitScopeError(
      "value",
      `${NAME}: bounds_error true is not supported (as JAX's: it takes no effect under jit)`,
    );
  const v = cast(asTracer(NAME, values), "float32");
  if (!Array.isArray(points))
    throw new JitScopeError(
      "value",
      `${NAME}: points must be a list of 1-D arrays, one per grid axis, got ${typeof points}`,
    );
  if (points.length === 0 || points.length > v.ndim)
    throw new JitScopeError(
      "shape",
      `${NAME}: there are ${points.length} point arrays, but values has ${v.ndim} dimensions (${avalText(v.aval)})`,
    );
  const grid = points.map((p, d) => {
    const g = cast(asTracer(NAME, p), "float32");
    if (g.ndim !== 1 || g.shape[0] !== v.shape[d] || g.shape[0]! < 2)
      throw new JitScopeError(
        "shape",
        `${NAME}: points[${d}] must be 1-D with values.shape[${d}] = ${v.shape[d]} ≥ 2 entries, got ${avalText(g.aval)}`,
      );
    return g;
  });
  const fill =
    o.fill_value === null ? null : typeof o.fill_value === "number" ? o.fill_value : asTracer(NAME, o.fill_value);
  const state = { grid, values: v, method: m, fill_value: fill, bounds_error: false };
  const interp = ((xi: SamplePoints, how?: InterpolationMethod | null) =>
    libraryScope(NAME, () => evaluate(state, xi, checkMethod(how ?? m)))) as RegularGridInterpolator;
  Object.setPrototypeOf(interp, RegularGridInterpolator.prototype);
  for (const [k, value] of Object.entries(state)) Object.defineProperty(interp, k, { value, enumerable: true });
  return interp;
} as unknown as {
  new (
    points: readonly ArrayLike[],
    values: ArrayLike,
    method?: InterpolationMethod | RegularGridInterpolatorOptions,
    bounds_error?: boolean,
    fill_value?: ArrayLike | null,
  ): RegularGridInterpolator;
  (
    points: readonly ArrayLike[],
    values: ArrayLike,
    method?: InterpolationMethod | RegularGridInterpolatorOptions,
    bounds_error?: boolean,
    fill_value?: ArrayLike | null,
  ): RegularGridInterpolator;
};

// Callable like any function (call, apply, bind), and an instance of the class.
Object.setPrototypeOf(RegularGridInterpolator.prototype, Function.prototype);

register_pytree_node(
  RegularGridInterpolator as unknown as abstract new () => RegularGridInterpolator,
  (r) => [
    [r.grid, r.values, r.fill_value],
    [r.method, r.bounds_error],
  ],
  (aux: [InterpolationMethod, boolean], children) => {
    const [grid, values, fill] = children as [Tracer[], Tracer, ArrayLike | null];
    return RegularGridInterpolator(grid, values, aux[0], aux[1], fill);
  },
);

interface State {
  grid: readonly Tracer[];
  values: Tracer;
  fill_value: ArrayLike | null;
}

/** xi as [M, ndim] and the leading shape of the result, as JAX's _ndim_coords_from_arrays. */
function samplePoints(xi: SamplePoints, ndim: number): { flat: Tracer; lead: number[] } {
  let list: readonly ArrayLike[] | null = Array.isArray(xi) ? (xi as readonly Tracer[]) : null;
  if (list && list.length === 1) list = null; // a one-element tuple stands for its element
  let pts: Tracer;
  if (list) {
    if (!list.every((p) => p instanceof Tracer || typeof p === "number"))
      throw new JitScopeError("value", `${NAME}: xi given as a list must hold one array per grid axis`);
    const coords = list.map((p) => cast(asTracer(NAME, p), "float32"));
    const shape = np.broadcast_shapes(...coords.map((c) => c.shape));
    pts = np.stack(
      coords.map((c) => np.broadcast_to(c, shape)),
      -1,
    );
  } else {
    pts = cast(asTracer(NAME, Array.isArray(xi) ? (xi as Tracer[])[0]! : (xi as ArrayLike)), "float32");
    if (pts.ndim <= 1) {
      if (pts.size % ndim !== 0)
        throw new JitScopeError(
          "shape",
          `${NAME}: ${pts.size} coordinates cannot be split into points of dimension ${ndim}`,
        );
      pts = np.reshape(pts, [-1, ndim]);
    }
  }
  const d = pts.shape[pts.ndim - 1];
  if (d !== ndim)
    throw new JitScopeError(
      "shape",
      `${NAME}: the requested sample points xi have dimension ${d}, but this RegularGridInterpolator has dimension ${ndim}`,
    );
  const lead = pts.shape.slice(0, -1);
  return { flat: np.reshape(pts, [-1, ndim]), lead };
}

function evaluate(s: State, xi: SamplePoints, method: InterpolationMethod): Tracer {
  const ndim = s.grid.length;
  const { flat, lead } = samplePoints(xi, ndim);
  const trailing = s.values.shape.slice(ndim);
  const cells = s.values.shape.slice(0, ndim);
  const table = np.reshape(s.values, [-1, ...trailing]); // [Π grid sizes, ...trailing]
  const strides = cells.map((_, d) => cells.slice(d + 1).reduce((a, b) => a * b, 1));
  // Per axis: the cell's lower index i (clipped to the edge cells, so outside points extrapolate),
  // the distance past it in cell widths, and whether the point is outside.
  let outside: Tracer | null = null;
  const axes = s.grid.map((g, d) => {
    const x = np.squeeze(np.slice(flat, [0, d], [flat.shape[0]!, d + 1]), 1);
    const size = g.shape[0]!;
    const i = np.clip(np.subtract(np.searchsorted(g, x), 1), 0, size - 2);
    const lo = np.take(g, i);
    const t = np.divide(np.subtract(x, lo), np.subtract(np.take(g, np.add(i, 1)), lo));
    const out = np.logical_or(np.less(x, np.take(g, 0)), np.greater(x, np.take(g, size - 1)));
    outside = outside ? np.logical_or(outside, out) : out;
    return { i, t };
  });
  const column = (w: Tracer) => np.reshape(w, [w.shape[0]!, ...trailing.map(() => 1)]);
  let result: Tracer;
  if (method === "nearest") {
    // The upper node when strictly past the middle of the cell, as JAX's (t ≤ 0.5 keeps i).
    const index = axes
      .map(({ i, t }, d) => np.multiply(np.where(np.less_equal(t, 0.5), i, np.add(i, 1)), strides[d]!))
      .reduce((a, b) => np.add(a, b));
    result = np.take(table, index, 0);
  } else {
    let total: Tracer | null = null;
    for (let corner = 0; corner < 1 << ndim; corner++) {
      let index: Tracer | null = null;
      let weight: Tracer | null = null;
      for (let d = 0; d < ndim; d++) {
        const { i, t } = axes[d]!;
        const upper = (corner >> (ndim - 1 - d)) & 1;
        const at = np.multiply(upper ? np.add(i, 1) : i, strides[d]!);
        const w = upper ? t : np.subtract(1, t);
        index = index ? np.add(index, at) : at;
        weight = weight ? np.multiply(weight, w) : w;
      }
      const term = np.multiply(np.take(table, index!, 0), column(weight!));
      total = total ? np.add(total, term) : term;
    }
    result = total!;
  }
  if (s.fill_value !== null) result = np.where(column(outside!), s.fill_value, result);
  return np.reshape(result, [...lead, ...trailing]);
}
