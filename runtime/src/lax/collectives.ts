// lax's collectives over vmap's named axes, as JAX's: psum / pmean / pmax / pmin of every array
// in a pytree over the batch elements of the vmap named `axis_name` (or over several named
// axes at once), and axis_index, each element's position along the axis. Inside
// `vmap(f, { axis_name: "batch" })` they let one element see the others: a batch norm's
// statistics, gradients averaged across examples, code written for pmap run on one device.
// The vmap turns each into a reduction over its batch axis (trace/vmap.ts).

import { JitScopeError } from "../ir/errors.js";
import { bind1, Tracer } from "../trace/core.js";
import { flatten, unflatten } from "../trace/pytree.js";
import { namedAxisSize, type Collective } from "../trace/namedAxes.js";
import { asTracer } from "../np/promote.js";
import * as ew from "../np/elementwise.js";
import { take } from "../np/indexing.js";
import { arange } from "../np/creation.js";
import { checkOptions } from "../apiOptions.js";

/** One axis name, or several (reduced over all of them, as JAX's tuple of names). */
export type AxisName = string | readonly string[];

/** The names in `axisName`, each checked to be a running vmap's. */
function namesOf(op: string, axisName: AxisName): string[] {
  const names = typeof axisName === "string" ? [axisName] : Array.isArray(axisName) ? [...axisName] : null;
  if (!names || names.length === 0 || names.some((n) => typeof n !== "string" || n === ""))
    throw new JitScopeError(
      "value",
      `lax.${op}: axis_name must be the name of a vmap's axis or a list of names, got ${JSON.stringify(axisName) ?? String(axisName)}`,
    );
  for (const n of names) namedAxisSize(n, `lax.${op}`);
  return names;
}

function reduceTree<T>(op: Exclude<Collective, "axis_index">, x: T, axisName: AxisName, what: string): T {
  const names = namesOf(what, axisName);
  const { leaves, treedef } = flatten(x, `lax.${what}'s argument`);
  const out = leaves.map((leaf) => {
    let v = asTracer(`lax.${what}`, leaf);
    for (const n of names) v = bind1(op, { axisName: n }, [v]);
    return v;
  });
  return unflatten<T>(treedef, out);
}

/** `lax.psum(x, axis_name)`: every array of `x` summed over the vmap axis (the same for each
 *  batch element). `lax.psum(1, name)` is the axis size. */
export function psum<T>(x: T, axis_name: AxisName): T {
  return reduceTree("psum", x, axis_name, "psum");
}

/** `lax.pmean(x, axis_name)`: psum over the axis size (integers give float32, as a division). */
export function pmean<T>(x: T, axis_name: AxisName): T {
  const size = namesOf("pmean", axis_name).reduce((n, name) => n * namedAxisSize(name, "lax.pmean"), 1);
  const sums = flatten(reduceTree("psum", x, axis_name, "pmean"), "lax.pmean's argument");
  return unflatten<T>(
    sums.treedef,
    sums.leaves.map((s) => ew.divide(s, size)),
  );
}

/** `lax.pmax(x, axis_name)`: the largest over the vmap axis, elementwise. */
export function pmax<T>(x: T, axis_name: AxisName): T {
  return reduceTree("pmax", x, axis_name, "pmax");
}

/** `lax.pmin(x, axis_name)`: the smallest over the vmap axis, elementwise. */
export function pmin<T>(x: T, axis_name: AxisName): T {
  return reduceTree("pmin", x, axis_name, "pmin");
}

/** `lax.axis_index(axis_name)`: this batch element's index along the named vmap axis (int32);
 *  over several names, the index in their row-major product, the first name outermost. */
export function axis_index(axis_name: AxisName): Tracer {
  const names = namesOf("axis_index", axis_name);
  let index: Tracer | null = null;
  for (const n of names) {
    const i = bind1("axis_index", { axisName: n }, []);
    index = index === null ? i : ew.add(ew.multiply(index, namedAxisSize(n, "lax.axis_index")), i);
  }
  return index!;
}

/** `lax.axis_size(axis_name)`: the length of the named vmap's axis, a JS number as JAX's is an
 *  int (the product of the lengths for a list of names). */
export function axis_size(axis_name: AxisName): number {
  return namesOf("axis_size", axis_name).reduce((p, n) => p * namedAxisSize(n, "lax.axis_size"), 1);
}

/** `lax.all_gather(x, axis_name, { axis = 0, tiled = false })`: every batch element's arrays of
 *  `x`, stacked along a new axis `axis` (or, tiled, concatenated along `axis`), the same for
 *  each element. */
export function all_gather<T>(x: T, axis_name: string, options: { axis?: number; tiled?: boolean } = {}): T {
  checkOptions("lax.all_gather", options, ["axis", "tiled"], {});
  if (Array.isArray(axis_name))
    throw new JitScopeError("value", "lax.all_gather: gathers over one axis name; nest calls for several");
  const [name] = namesOf("all_gather", axis_name);
  const size = namedAxisSize(name!, "lax.all_gather");
  const tiled = options.tiled ?? false;
  const { leaves, treedef } = flatten(x, "lax.all_gather's argument");
  const out = leaves.map((leaf) => {
    const v = asTracer("lax.all_gather", leaf);
    const rank = v.ndim + (tiled ? 0 : 1);
    if (tiled && v.ndim === 0)
      throw new JitScopeError("shape", "lax.all_gather: tiled needs an array of rank ≥ 1, got a scalar");
    const given = options.axis ?? 0;
    if (!Number.isInteger(given) || given < -rank || given >= rank)
      throw new JitScopeError(
        "axis",
        `lax.all_gather: axis ${String(given)} is out of range for gathering ${v.dtype}[${v.shape}] ${tiled ? "tiled" : "into a new axis"}: valid axes are ${-rank}..${rank - 1}`,
      );
    const axis = given < 0 ? given + rank : given;
    return bind1("all_gather", { axisName: name!, axis, tiled, size }, [v]);
  });
  return unflatten<T>(treedef, out);
}

/** `lax.ppermute(x, axis_name, perm)`: for each `[src, dst]` of `perm`, batch element dst gets
 *  element src's arrays of `x`. As JAX's under vmap, `perm` must be a permutation of the axis. */
export function ppermute<T>(x: T, axis_name: string, perm: readonly (readonly [number, number])[]): T {
  if (Array.isArray(axis_name))
    throw new JitScopeError("value", "lax.ppermute: permutes over one axis name; nest calls for several");
  const [name] = namesOf("ppermute", axis_name);
  const size = namedAxisSize(name!, "lax.ppermute");
  const pairs = Array.isArray(perm) ? perm : [];
  const sources = new Set<number>();
  const targets = new Set<number>();
  for (const pair of pairs) {
    const ok = Array.isArray(pair) && pair.length === 2 && pair.every((i) => Number.isInteger(i) && i >= 0 && i < size);
    if (!ok) throw permError(size, `${JSON.stringify(pair)} is not a pair of indices in 0..${size - 1}`);
    sources.add(pair[0]!);
    targets.add(pair[1]!);
  }
  if (sources.size !== size || targets.size !== size || pairs.length !== size)
    throw permError(size, `got ${JSON.stringify(perm)}`);
  const { leaves, treedef } = flatten(x, "lax.ppermute's argument");
  const out = leaves.map((leaf) =>
    bind1("ppermute", { axisName: name!, perm: pairs.map(([s, d]) => [s, d] as const) }, [
      asTracer("lax.ppermute", leaf),
    ]),
  );
  return unflatten<T>(treedef, out);
}

const permError = (size: number, detail: string): JitScopeError =>
  new JitScopeError(
    "value",
    `lax.ppermute: perm must pair every index 0..${size - 1} of the axis once as a source and once as a destination ([src, dst] pairs, a permutation, as JAX's vmap requires); ${detail}`,
  );

/** `lax.psum_scatter(x, axis_name, { scatter_dimension = 0, tiled = false })`: the psum of x, of
 *  which batch element i keeps block i along `scatter_dimension` (that axis must have the axis
 *  size, or with `tiled` a multiple of it, each element keeping its share). */
export function psum_scatter(
  x: Tracer,
  axis_name: string,
  options: { scatter_dimension?: number; tiled?: boolean } = {},
): Tracer {
  checkOptions("lax.psum_scatter", options, ["scatter_dimension", "tiled"], {});
  if (Array.isArray(axis_name))
    throw new JitScopeError("value", "lax.psum_scatter: scatters over one axis name; nest calls for several");
  const [name] = namesOf("psum_scatter", axis_name);
  const size = namedAxisSize(name!, "lax.psum_scatter");
  const v = asTracer("lax.psum_scatter", x);
  const d = options.scatter_dimension ?? 0;
  if (!Number.isInteger(d) || d < -v.ndim || d >= v.ndim)
    throw new JitScopeError(
      "axis",
      `lax.psum_scatter: scatter_dimension ${String(d)} is out of range for ${v.dtype}[${v.shape}]`,
    );
  const axis = d < 0 ? d + v.ndim : d;
  const n = v.shape[axis]!;
  const tiled = options.tiled ?? false;
  if (tiled ? n % size !== 0 : n !== size)
    throw new JitScopeError(
      "shape",
      `lax.psum_scatter: axis ${axis} of ${v.dtype}[${v.shape}] has ${n} entries; it needs ${tiled ? "a multiple of" : "exactly"} the axis size ${size}`,
    );
  const summed = bind1("psum", { axisName: name! }, [v]);
  const at = bind1("axis_index", { axisName: name! }, []);
  if (!tiled) return take(summed, at, axis);
  const chunk = n / size;
  return take(summed, ew.add(ew.multiply(at, chunk), arange(chunk)), axis);
}
