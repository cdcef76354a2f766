// Histograms of points in several dimensions, as jnp.histogramdd and histogram2d: each dimension's
// edges as np.histogram makes them, each point's bin per dimension by a search in its edges (a
// value on the last edge counts in the last bin), the bins' flat index, and one bincount. Points
// outside the edges fall in the border bins that the counting keeps and the result drops.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { slice, take } from "./indexing.js";
import { ix_ } from "./matrixBuilders.js";
import { ravel_multi_index } from "./multiIndex.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { sum } from "./reductions.js";
import { binEdges, bincount, searchsorted } from "./searching.js";
import { reshape, stack } from "./shape.js";
import { diff } from "./series.js";
import { avalText } from "./validate.js";

export interface HistogramddOptions {
  /** One [low, high] per dimension, or null for that dimension's min and max. */
  range?: readonly (readonly [number, number] | null)[] | null;
  /** A weight per point (default 1 each). */
  weights?: ArrayLike | null;
  /** Divide by the total and by each bin's volume, so the histogram integrates to 1. */
  density?: boolean | null;
}

type Bins = number | ArrayLike;

/** [hist, edges per dimension] of `sample` [N, D] over `bins` (one for all dimensions, or one per
 *  dimension: a count or increasing edges). */
export function histogramdd(
  sample: ArrayLike,
  bins: Bins | readonly Bins[] = 10,
  options: HistogramddOptions = {},
): [Tracer, Tracer[]] {
  const op = "histogramdd";
  checkOptions(op, options, ["range", "weights", "density"]);
  const pts = cast(asTracer(op, sample), "float32");
  if (pts.ndim !== 2) throw new JitScopeError("shape", `${op}: sample must be [N, D], got ${avalText(pts.aval)}`);
  const [n, d] = pts.shape as [number, number];
  // A list gives each dimension its own bins; a count or an array of edges serves them all.
  const perDim: Bins[] = Array.isArray(bins)
    ? [...(bins as readonly Bins[])]
    : Array.from({ length: d }, () => bins as Bins);
  if (perDim.length !== d)
    throw new JitScopeError(
      "value",
      `${op}: bins as a list needs one entry per dimension (${d}), got ${perDim.length}`,
    );
  if (options.range && options.range.length !== d)
    throw new JitScopeError(
      "value",
      `${op}: range needs one [low, high] or null per dimension (${d}), got ${options.range.length}`,
    );
  const w =
    options.weights === undefined || options.weights === null
      ? undefined
      : cast(asTracer(op, options.weights), "float32");
  if (w && (w.ndim !== 1 || w.shape[0] !== n))
    throw new JitScopeError("shape", `${op}: weights must be one per point [${n}], got ${avalText(w.aval)}`);
  const edges: Tracer[] = [];
  const index: Tracer[] = [];
  for (let k = 0; k < d; k++) {
    const col = reshape(slice(pts, [0, k], [n, k + 1]), [n]);
    const e = binEdges(op, col, perDim[k]!, options.range?.[k] ?? null);
    const last = take(e, e.shape[0]! - 1);
    const at = searchsorted(e, col, { side: "right" });
    index.push(ew.where(ew.equal(col, last), ew.subtract(at, 1), at));
    edges.push(e);
  }
  const nbins = edges.map((e) => e.shape[0]! + 1);
  const flat = ravel_multi_index(index, nbins, "clip");
  const total = nbins.reduce((a, b) => a * b, 1);
  let hist = reshape(bincount(flat, { length: total, ...(w ? { weights: w } : {}) }), nbins);
  hist = slice(
    hist,
    nbins.map(() => 1),
    nbins.map((b) => b - 1),
  );
  hist = cast(hist, "float32");
  if (options.density) {
    hist = ew.divide(hist, sum(hist));
    for (const width of ix_(...edges.map((e) => diff(e)))) hist = ew.divide(hist, width);
  }
  return [hist, edges];
}

/** [hist, xedges, yedges] of the points (x[i], y[i]), as jnp.histogram2d. */
export function histogram2d(
  x: ArrayLike,
  y: ArrayLike,
  bins: Bins | readonly Bins[] = 10,
  options: HistogramddOptions = {},
): [Tracer, Tracer, Tracer] {
  checkOptions("histogram2d", options, ["range", "weights", "density"]);
  const xs = reshape(asTracer("histogram2d", x), [-1]);
  const ys = reshape(asTracer("histogram2d", y), [-1]);
  if (xs.shape[0] !== ys.shape[0])
    throw new JitScopeError(
      "shape",
      `histogram2d: x and y must have as many points, got ${xs.shape[0]} and ${ys.shape[0]}`,
    );
  // A list of two is a bins value per dimension; any other list is one set of edges for both.
  const perDim: Bins[] =
    Array.isArray(bins) && bins.length === 2 ? [...(bins as readonly Bins[])] : [bins as Bins, bins as Bins];
  const [hist, [ex, ey]] = histogramdd(stack([xs, ys], 1), perDim, options);
  return [hist, ex!, ey!];
}
