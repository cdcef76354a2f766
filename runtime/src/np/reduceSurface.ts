// Reductions and scans beyond sum/mean/max/min (issue 14): var, std, prod, any, all, cumsum,
// cumprod, sort, argsort. cumsum/cumprod and sort are primitives with kernels of their own
// (codegen/scanExpr.ts, codegen/lowerSort.ts); prod is the last element of a cumprod along the
// flattened reduced axes, so its kernel loops over each row once.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { argsortOf, sortBy } from "../trace/rules/surfaceRules.js";
import { bind1, Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { mean, sum, type AxisArg, type ReduceOptions, type ReduceWhereOptions } from "./reductions.js";
import { maskOf, masked, type WhereOptions } from "./reduceWhere.js";
import { flip } from "./shapeSurface.js";
import { axisTypeError, normalizeAxes, normalizeAxis, product } from "./validate.js";

export interface VarOptions extends ReduceOptions, WhereOptions {
  /** Delta degrees of freedom: the divisor is n - ddof (0: population variance, as NumPy). */
  ddof?: number;
}

/** mean(|x - mean(x)|²) · n / (n - ddof) over `axis`. */
export function variance(a: ArrayLike, axis?: AxisArg, options: VarOptions = {}): Tracer {
  checkOptions("var", options, ["ddof", "keepdims", "where"]);
  const x = cast(asTracer("var", a), "float32");
  const axes = normalizeAxes("var", axis, x.ndim, x.aval.shape);
  const ddof = options.ddof ?? 0;
  const keepdims = options.keepdims ?? false;
  const mask = maskOf("var", x, options.where);
  if (mask) {
    // n counts the elements kept, per result element.
    const centred = ew.subtract(x, mean(x, axes, { keepdims: true, where: mask }));
    const ss = sum(ew.square(centred), axes, { keepdims, where: mask });
    const n = sum(mask, axes, { keepdims });
    return ew.divide(ss, ew.where(ew.greater(n, ddof), ew.subtract(n, ddof), NaN));
  }
  const n = product(axes.map((i) => x.aval.shape[i]!));
  const centred = ew.subtract(x, mean(x, axes, { keepdims: true }));
  const ss = sum(ew.square(centred), axes, { keepdims });
  return ew.multiply(ss, n - ddof > 0 ? 1 / (n - ddof) : NaN);
}
export { variance as var };

export function std(a: ArrayLike, axis?: AxisArg, options: VarOptions = {}): Tracer {
  checkOptions("std", options, ["ddof", "keepdims", "where"]);
  return ew.sqrt(variance(a, axis, options));
}

/** Moves `axes` last and merges them into one axis: [...kept, n]. */
function gatherAxes(x: Tracer, axes: readonly number[]): Tracer {
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const moved = perm.every((p, i) => p === i) ? x : bind1("transpose", { perm }, [x]);
  const keptShape = kept.map((i) => x.shape[i]!);
  return bind1("reshape", { shape: [...keptShape, product(axes.map((i) => x.shape[i]!))] }, [moved]);
}

/** Product over `axis` (all axes when omitted); bool computes in int32. */
export function prod(a: ArrayLike, axis?: AxisArg, options: ReduceWhereOptions = {}): Tracer {
  checkOptions("prod", options, ["keepdims", "where", "initial"]);
  let x = asTracer("prod", a);
  if (x.dtype === "bool") x = cast(x, "int32");
  x = masked(x, maskOf("prod", x, options.where), 1);
  if (options.initial !== undefined)
    return ew.multiply(prod(x, axis, { keepdims: options.keepdims ?? false }), options.initial);
  const axes = normalizeAxes("prod", axis, x.ndim, x.aval.shape);
  const outShape = x.shape.filter((_, i) => !axes.includes(i));
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const n = product(axes.map((i) => x.shape[i]!));
  let r: Tracer;
  if (axes.length === 0) return x;
  if (n === 0) {
    r = bind1("broadcast", { shape: outShape, dims: [] }, [
      { kind: "lit", value: 1, aval: { shape: [], dtype: x.dtype } },
    ]);
  } else {
    const rows = gatherAxes(x, axes);
    const last = rows.ndim - 1;
    const scanned = bind1("cumulative", { op: "prod", axis: last, reverse: false }, [rows]);
    const starts = rows.shape.map((_, i) => (i === last ? n - 1 : 0));
    r = bind1("reshape", { shape: outShape }, [
      bind1("slice", { starts, limits: rows.shape, strides: rows.shape.map(() => 1) }, [scanned]),
    ]);
  }
  return options.keepdims ? bind1("reshape", { shape: keptShape }, [r]) : r;
}

/** True where any element along `axis` is nonzero (false over an empty axis). Counted as a sum,
 *  which, unlike max, is defined over zero elements. */
export function any(a: ArrayLike, axis?: AxisArg, options: ReduceOptions & WhereOptions = {}): Tracer {
  checkOptions("any", options, ["keepdims", "where"]);
  return ew.greater(sum(ew.not_equal(asTracer("any", a), 0), axis, options), 0);
}
/** True where every element along `axis` is nonzero (true over an empty axis). */
export function all(a: ArrayLike, axis?: AxisArg, options: ReduceOptions & WhereOptions = {}): Tracer {
  checkOptions("all", options, ["keepdims", "where"]);
  return ew.equal(sum(ew.equal(asTracer("all", a), 0), axis, options), 0);
}

/** Flattens when axis is null/undefined, as NumPy's scans and sorts do. */
function scanOperand(op: string, a: ArrayLike, axis: number | null | undefined): [Tracer, number] {
  const x = asTracer(op, a);
  if (Array.isArray(axis))
    throw new JitScopeError("axis", `${op}: axis must be a single number, got ${JSON.stringify(axis)}`);
  if (axis !== null && axis !== undefined && typeof axis !== "number") throw axisTypeError(op, axis);
  if (axis === null || axis === undefined) {
    return [x.ndim === 1 ? x : bind1("reshape", { shape: [x.size] }, [x]), 0];
  }
  if (x.ndim === 0) throw new JitScopeError("axis", `${op}: axis ${axis} is out of range for a 0-d array`);
  return [x, normalizeAxis(op, axis, x.ndim, x.aval.shape)];
}

/** Rows longer than this are scanned in two levels (see blockedScan). */
export const SCAN_BLOCK_THRESHOLD = 512;

function scan(op: "cumsum" | "cumprod", a: ArrayLike, axis?: number | null): Tracer {
  const [x0, ax] = scanOperand(op, a, axis);
  const x = x0.dtype === "bool" ? cast(x0, "int32") : x0;
  const n = x.shape[ax]!;
  if (n === 0) return x;
  const kind = op === "cumsum" ? "sum" : "prod";
  if (n > SCAN_BLOCK_THRESHOLD) return blockedScan(x, ax, kind);
  return bind1("cumulative", { op: kind, axis: ax, reverse: false }, [x]);
}

/** A long row as √n blocks of √n: scan within each block, scan the block totals, and combine
 *  each element with the total of the blocks before it. Each scan kernel then loops O(√n) per
 *  element instead of O(n) (a row of 30,000: ~170 steps, not ~15,000). */
function blockedScan(x: Tracer, axis: number, op: "sum" | "prod"): Tracer {
  const last = x.ndim - 1;
  const perm = x.shape
    .map((_, i) => i)
    .filter((i) => i !== axis)
    .concat([axis]);
  const moved = axis === last ? x : bind1("transpose", { perm }, [x]);
  const lead = moved.shape.slice(0, -1);
  const n = moved.shape[last]!;
  const block = Math.ceil(Math.sqrt(n));
  const blocks = Math.ceil(n / block);
  const identity = op === "sum" ? 0 : 1;
  const ones = (k: number) => Array.from({ length: k }, () => 1);
  const zeros = (k: number) => Array.from({ length: k }, () => 0);
  const combine = (p: Tracer, q: Tracer) => bind1(op === "sum" ? "add" : "mul", {}, [p, q]);
  const padded = bind1(
    "pad",
    { low: zeros(lead.length + 1), high: [...zeros(lead.length), blocks * block - n], value: identity },
    [moved],
  );
  const grid = bind1("reshape", { shape: [...lead, blocks, block] }, [padded]);
  const inner = bind1("cumulative", { op, axis: lead.length + 1, reverse: false }, [grid]);
  const totals = bind1("reshape", { shape: [...lead, blocks] }, [
    bind1(
      "slice",
      {
        starts: [...zeros(lead.length), 0, block - 1],
        limits: [...lead, blocks, block],
        strides: ones(lead.length + 2),
      },
      [inner],
    ),
  ]);
  // Exclusive prefix of the totals: scanned, shifted one block right, the identity first.
  const before = bind1("pad", { low: [...zeros(lead.length), 1], high: zeros(lead.length + 1), value: identity }, [
    bind1("slice", { starts: zeros(lead.length + 1), limits: [...lead, blocks - 1], strides: ones(lead.length + 1) }, [
      bind1("cumulative", { op, axis: lead.length, reverse: false }, [totals]),
    ]),
  ]);
  const spread = bind1(
    "broadcast",
    { shape: [...lead, blocks, block], dims: [...lead.map((_, i) => i), lead.length] },
    [before],
  );
  const flat = bind1("reshape", { shape: [...lead, blocks * block] }, [combine(inner, spread)]);
  const out = bind1("slice", { starts: zeros(lead.length + 1), limits: [...lead, n], strides: ones(lead.length + 1) }, [
    flat,
  ]);
  if (axis === last) return out;
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return bind1("transpose", { perm: inverse }, [out]);
}

/** Running sum along `axis` (of the flattened array when axis is omitted). */
export const cumsum = (a: ArrayLike, axis?: number | null): Tracer => scan("cumsum", a, axis);
/** Running product along `axis`. Its gradient needs no division, so zeros in the input are
 *  fine (trace/rules/cumprodRules.ts). */
export const cumprod = (a: ArrayLike, axis?: number | null): Tracer => scan("cumprod", a, axis);

function sortKeys(x: Tracer): Tracer {
  return x.dtype === "bool" ? cast(x, "int32") : x;
}

/** jnp.sort / jnp.argsort's keyword options. */
export interface SortOptions {
  /** Equal values keep their order. Always so here (JAX's default); false is accepted. */
  stable?: boolean;
  /** Largest first; NaN, which sorts last ascending, comes first. Equal values keep their order. */
  descending?: boolean;
}

/** Sorted copy along `axis` (default the last; null flattens). NaN sorts last. */
export function sort(a: ArrayLike, axis: number | null = -1, options: SortOptions = {}): Tracer {
  checkOptions("sort", options, ["stable", "descending"]);
  const [x, ax] = scanOperand("sort", a, axis);
  if (x.shape[ax]! <= 1) return x;
  const sorted = sortBy(sortKeys(x), x, ax) as Tracer;
  return options.descending ? flip(sorted, ax) : sorted;
}

/** Indices that sort `a` along `axis` (stable: equal values keep their order), int32. */
export function argsort(a: ArrayLike, axis: number | null = -1, options: SortOptions = {}): Tracer {
  checkOptions("argsort", options, ["stable", "descending"]);
  const [x, ax] = scanOperand("argsort", a, axis);
  if (!options.descending) return argsortOf(sortKeys(x), ax) as Tracer;
  // Largest first with ties in their order: the ascending order of the reversed array, reversed,
  // counted from the other end (as JAX does).
  const reversed = argsortOf(sortKeys(flip(x, ax)), ax) as Tracer;
  return ew.subtract(x.shape[ax]! - 1, flip(reversed, ax));
}
