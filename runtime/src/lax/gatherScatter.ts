// lax.gather and lax.scatter with XLA's dimension numbers, the form JAX's own indexing lowers
// to and what ported low-level code calls directly (embedding lookups, batched point gathers,
// windowed updates). The index vector is the last axis of the indices, as in jax.lax.
//
// No primitive of their own: the dimension numbers are resolved at trace time into one flat
// int32 index per result (or update) element, computed elementwise from the indices and iotas
// (lax/gatherIndex.ts), and the operand, viewed flat, is read by the `gather` primitive or
// written by the `scatter` primitive along its one axis. Their jvp, vjp and batching rules then
// give grad and vmap, and the index arithmetic fuses into the gather's or scatter's kernel.
//
// Out-of-range starts, as JAX: gather's default (promise_in_bounds) and "clip" clamp each start
// so the whole slice lies inside; "fill" (or "drop") returns fill_value for every element of a
// slice whose window does not fit. Scatter's "clip" clamps; every other mode skips the whole
// update window when it does not fit.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { ScatterMode } from "../ir/types.js";
import { bind1, lit, Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { asTracer, cast } from "../np/promote.js";
import { avalText } from "../np/validate.js";
import {
  checkMode,
  fillValue,
  READ_OPTIONS,
  WRITE_OPTIONS,
  type OutOfBoundsMode,
  type ReadOptions,
  type WriteOptions,
} from "../np/outOfBounds.js";
import { flatIndex, type IndexLayout } from "./gatherIndex.js";

/** jax.lax.GatherDimensionNumbers. */
export interface GatherDimensionNumbers {
  /** Result axes that hold the slice's axes (those of the operand not collapsed or batched). */
  readonly offset_dims: readonly number[];
  /** Operand axes sliced with size 1 and dropped from the result. */
  readonly collapsed_slice_dims: readonly number[];
  /** start_index_map[k]: the operand axis that entry k of an index vector starts. */
  readonly start_index_map: readonly number[];
  readonly operand_batching_dims?: readonly number[];
  readonly start_indices_batching_dims?: readonly number[];
}

/** jax.lax.ScatterDimensionNumbers. */
export interface ScatterDimensionNumbers {
  /** Update axes that hold the window's axes (those of the operand not inserted or batched). */
  readonly update_window_dims: readonly number[];
  /** Operand axes the window covers with size 1 and that the updates do not have. */
  readonly inserted_window_dims: readonly number[];
  /** scatter_dims_to_operand_dims[k]: the operand axis that entry k of an index vector starts. */
  readonly scatter_dims_to_operand_dims: readonly number[];
  readonly operand_batching_dims?: readonly number[];
  readonly scatter_indices_batching_dims?: readonly number[];
}

/** Builds dimension numbers as JAX's named tuple does: `lax.GatherDimensionNumbers({ … })`. */
export function GatherDimensionNumbers(d: GatherDimensionNumbers): GatherDimensionNumbers {
  checkOptions("GatherDimensionNumbers", d, [
    "offset_dims",
    "collapsed_slice_dims",
    "start_index_map",
    "operand_batching_dims",
    "start_indices_batching_dims",
  ]);
  return d;
}

export function ScatterDimensionNumbers(d: ScatterDimensionNumbers): ScatterDimensionNumbers {
  checkOptions("ScatterDimensionNumbers", d, [
    "update_window_dims",
    "inserted_window_dims",
    "scatter_dims_to_operand_dims",
    "operand_batching_dims",
    "scatter_indices_batching_dims",
  ]);
  return d;
}

/** jax.lax.GatherScatterMode, by its members or by the strings JAX also takes. */
export const GatherScatterMode = {
  CLIP: "clip",
  FILL_OR_DROP: "fill",
  PROMISE_IN_BOUNDS: "promise_in_bounds",
} as const;
export type GatherScatterMode = Exclude<OutOfBoundsMode, "wrap">;

/** JAX's keywords of lax.gather and lax.scatter (np/outOfBounds.ts). */
export type GatherOptions = ReadOptions;
export type ScatterOptions = WriteOptions;

/** The slices of `operand` of size `slice_sizes` starting at each index vector, as jax.lax.gather. */
export function gather(
  operand: Tracer,
  start_indices: Tracer,
  dimension_numbers: GatherDimensionNumbers,
  slice_sizes: readonly number[],
  options: GatherOptions = {},
): Tracer {
  const op = "lax.gather";
  checkOptions(op, options, READ_OPTIONS);
  const x = asTracer(op, operand);
  const idx = indicesOf(op, start_indices);
  const mode = modeOf(op, options.mode);
  const d = dimension_numbers;
  const layout = layoutOf(op, x, idx, {
    windowDims: listOf(op, "offset_dims", d.offset_dims),
    droppedDims: listOf(op, "collapsed_slice_dims", d.collapsed_slice_dims),
    startMap: listOf(op, "start_index_map", d.start_index_map),
    operandBatching: listOf(op, "operand_batching_dims", d.operand_batching_dims ?? []),
    indicesBatching: listOf(op, "start_indices_batching_dims", d.start_indices_batching_dims ?? []),
    names: GATHER_NAMES,
  });
  if (!Array.isArray(slice_sizes) || slice_sizes.length !== x.ndim)
    throw new JitScopeError(
      "shape",
      `${op}: slice_sizes must list one size per axis of the operand ${avalText(x.aval)}, got ${JSON.stringify(slice_sizes)}`,
    );
  slice_sizes.forEach((n, a) => {
    if (!Number.isInteger(n) || n < 0 || n > x.shape[a]!)
      throw new JitScopeError(
        "shape",
        `${op}: slice_sizes[${a}] = ${String(n)} must be an integer in [0, ${x.shape[a]}] for the operand ${avalText(x.aval)}`,
      );
    if ((layout.droppedDims.includes(a) || layout.operandBatching.includes(a)) && n !== 1)
      throw new JitScopeError(
        "shape",
        `${op}: slice_sizes[${a}] must be 1 for ${layout.droppedDims.includes(a) ? "collapsed_slice_dims" : "operand_batching_dims"} axis ${a}, got ${n}`,
      );
  });
  const windowShape = layout.windowOperandDims.map((a) => slice_sizes[a]!);
  const { flat, inRange } = flatIndex(
    x.shape,
    slice_sizes,
    idx,
    layout,
    windowShape,
    mode === "fill" ? "mask" : "clamp",
  );
  const read = bind1("gather", { axis: 0 }, [bind1("reshape", { shape: [x.size] }, [x]), flat]);
  if (inRange === null) return read;
  const fill = fillValue(op, x.dtype, options.fill_value);
  return bind1("where", {}, [inRange, read, lit(fill, x.dtype)]);
}

type ScatterFn = (
  operand: Tracer,
  scatter_indices: Tracer,
  updates: Tracer,
  dimension_numbers: ScatterDimensionNumbers,
  options?: ScatterOptions,
) => Tracer;

const scatterWith =
  (name: string, combine: ScatterMode): ScatterFn =>
  (operand, scatter_indices, updates, dimension_numbers, options = {}) =>
    scatterBy(`lax.${name}`, combine, operand, scatter_indices, updates, dimension_numbers, options);

/** `operand` with each update window written at its index vector, as jax.lax.scatter; duplicate
 *  windows: the last in row-major order of the indices wins (JAX leaves the order unspecified). */
export const scatter = scatterWith("scatter", "set");
/** As lax.scatter, adding each update (duplicates all add); mul, min and max combine likewise. */
export const scatter_add = scatterWith("scatter_add", "add");
export const scatter_mul = scatterWith("scatter_mul", "mul");
export const scatter_min = scatterWith("scatter_min", "min");
export const scatter_max = scatterWith("scatter_max", "max");

/** As lax.scatter_add of the negated updates. */
export const scatter_sub: ScatterFn = (operand, scatter_indices, updates, dimension_numbers, options = {}) => {
  const u = asTracer("lax.scatter_sub", updates);
  if (u.dtype === "bool") throw new JitScopeError("dtype", `lax.scatter_sub: not defined for bool updates`);
  return scatterBy("lax.scatter_sub", "add", operand, scatter_indices, ew.negative(u), dimension_numbers, options);
};

function scatterBy(
  op: string,
  combine: ScatterMode,
  operand: Tracer,
  scatterIndices: Tracer,
  updates: Tracer,
  d: ScatterDimensionNumbers,
  options: ScatterOptions,
): Tracer {
  checkOptions(op, options, WRITE_OPTIONS);
  const x = asTracer(op, operand);
  const idx = indicesOf(op, scatterIndices);
  const mode = modeOf(op, options.mode);
  const raw = asTracer(op, updates);
  if (raw.dtype !== x.dtype && !(raw.dtype !== "bool" && x.dtype !== "bool"))
    throw new JitScopeError(
      "dtype",
      `${op}: updates ${avalText(raw.aval)} must have the operand's dtype (${avalText(x.aval)})`,
    );
  if (combine !== "set" && x.dtype === "bool")
    throw new JitScopeError("dtype", `${op}: not defined for bool operands (${avalText(x.aval)}); cast first`);
  const u = cast(raw, x.dtype);
  const layout = layoutOf(op, x, idx, {
    windowDims: listOf(op, "update_window_dims", d.update_window_dims),
    droppedDims: listOf(op, "inserted_window_dims", d.inserted_window_dims),
    startMap: listOf(op, "scatter_dims_to_operand_dims", d.scatter_dims_to_operand_dims),
    operandBatching: listOf(op, "operand_batching_dims", d.operand_batching_dims ?? []),
    indicesBatching: listOf(op, "scatter_indices_batching_dims", d.scatter_indices_batching_dims ?? []),
    names: SCATTER_NAMES,
  });
  // The updates' shape is the result shape a gather of the same windows would have.
  const windowShape = layout.windowDims.map((a) => u.shape[a] ?? -1);
  const expected = layout.outShape(windowShape);
  const windowSizes = x.shape.map((_, a) => {
    const j = layout.windowOperandDims.indexOf(a);
    return j < 0 ? 1 : windowShape[j]!;
  });
  const fits =
    u.ndim === expected.length &&
    u.shape.every((n, k) => n === expected[k]) &&
    windowSizes.every((n, a) => n <= x.shape[a]!);
  if (!fits)
    throw new JitScopeError(
      "shape",
      `${op}: updates ${avalText(u.aval)} do not match the indices ${avalText(idx.aval)} and dimension numbers: ` +
        `expected the batch axes [${idx.shape.slice(0, -1).join(",")}] and ${layout.windowDims.length} window axes at ` +
        `update_window_dims [${layout.windowDims.join(",")}], each no longer than its operand axis of ${avalText(x.aval)}`,
    );
  const { flat, inRange } = flatIndex(
    x.shape,
    windowSizes,
    idx,
    layout,
    windowShape,
    mode === "clip" ? "clamp" : "mask",
  );
  const target = inRange === null ? flat : bind1("where", {}, [inRange, flat, lit(-1, "int32")]);
  const out = bind1("scatter", { axis: 0, mode: combine }, [bind1("reshape", { shape: [x.size] }, [x]), target, u]);
  return bind1("reshape", { shape: x.shape }, [out]);
}

interface Dims {
  readonly windowDims: readonly number[];
  readonly droppedDims: readonly number[];
  readonly startMap: readonly number[];
  readonly operandBatching: readonly number[];
  readonly indicesBatching: readonly number[];
  readonly names: Names;
}
interface Names {
  readonly window: string;
  readonly dropped: string;
  readonly startMap: string;
  readonly indicesBatching: string;
}
const GATHER_NAMES: Names = {
  window: "offset_dims",
  dropped: "collapsed_slice_dims",
  startMap: "start_index_map",
  indicesBatching: "start_indices_batching_dims",
};
const SCATTER_NAMES: Names = {
  window: "update_window_dims",
  dropped: "inserted_window_dims",
  startMap: "scatter_dims_to_operand_dims",
  indicesBatching: "scatter_indices_batching_dims",
};

/** The dimension numbers checked against the operand and indices, as XLA checks them. */
function layoutOf(op: string, x: Tracer, idx: Tracer, d: Dims): IndexLayout {
  const r = x.ndim;
  const n = d.names;
  const batchRank = idx.ndim - 1;
  const outRank = batchRank + d.windowDims.length;
  const bad = (msg: string): never => {
    throw new JitScopeError("shape", `${op}: ${msg} (operand ${avalText(x.aval)}, indices ${avalText(idx.aval)})`);
  };
  const axesIn = (name: string, v: readonly number[], rank: number, sorted: boolean): void => {
    v.forEach((a, k) => {
      if (a < 0 || a >= rank) bad(`${name} [${v.join(",")}] must hold axes in [0, ${rank})`);
      if (v.indexOf(a) !== k) bad(`${name} [${v.join(",")}] repeats axis ${a}`);
      if (sorted && k > 0 && v[k - 1]! > a) bad(`${name} [${v.join(",")}] must be sorted`);
    });
  };
  axesIn(n.window, d.windowDims, outRank, true);
  axesIn(n.dropped, d.droppedDims, r, true);
  axesIn(n.startMap, d.startMap, r, false);
  axesIn("operand_batching_dims", d.operandBatching, r, true);
  axesIn(n.indicesBatching, d.indicesBatching, batchRank, false);
  if (idx.shape[batchRank] !== d.startMap.length)
    bad(
      `the indices' last axis (${idx.shape[batchRank]}) must have one entry per ${n.startMap} axis (${d.startMap.length})`,
    );
  for (const a of d.droppedDims)
    if (d.operandBatching.includes(a)) bad(`axis ${a} is in both ${n.dropped} and operand_batching_dims`);
  for (const a of d.startMap)
    if (d.operandBatching.includes(a)) bad(`axis ${a} is in both ${n.startMap} and operand_batching_dims`);
  if (d.operandBatching.length !== d.indicesBatching.length)
    bad(`operand_batching_dims and ${n.indicesBatching} must have the same length`);
  d.operandBatching.forEach((a, i) => {
    if (x.shape[a] !== idx.shape[d.indicesBatching[i]!])
      bad(
        `operand_batching_dims axis ${a} (${x.shape[a]}) and ${n.indicesBatching} axis ${d.indicesBatching[i]} differ in size`,
      );
  });
  const windowOperandDims = x.shape
    .map((_, a) => a)
    .filter((a) => !d.droppedDims.includes(a) && !d.operandBatching.includes(a));
  if (windowOperandDims.length !== d.windowDims.length)
    bad(
      `${n.window} [${d.windowDims.join(",")}] must have one axis per operand axis not in ${n.dropped} or operand_batching_dims (${windowOperandDims.length})`,
    );
  const batchPositions = Array.from({ length: outRank }, (_, k) => k).filter((k) => !d.windowDims.includes(k));
  return {
    windowDims: d.windowDims,
    droppedDims: d.droppedDims,
    startMap: d.startMap,
    operandBatching: d.operandBatching,
    indicesBatching: d.indicesBatching,
    windowOperandDims,
    batchPositions,
    outShape: (windowShape) => {
      const out: number[] = [];
      for (let k = 0, b = 0, w = 0; k < outRank; k++)
        out.push(d.windowDims.includes(k) ? windowShape[w++]! : idx.shape[b++]!);
      return out;
    },
  };
}

function indicesOf(op: string, v: Tracer): Tracer {
  const idx = asTracer(op, v);
  if (idx.dtype !== "int32" || idx.ndim === 0)
    throw new JitScopeError(
      "dtype",
      `${op}: indices must be an int32 array whose last axis is the index vector, got ${avalText(idx.aval)}`,
    );
  return idx;
}

function listOf(op: string, name: string, v: unknown): readonly number[] {
  if (!Array.isArray(v) || !v.every((a) => Number.isInteger(a)))
    throw new JitScopeError("value", `${op}: ${name} must be a list of axis numbers, got ${JSON.stringify(v)}`);
  return v as number[];
}

/** The mode, "drop" read as "fill" (the same mode in JAX). */
function modeOf(op: string, mode: OutOfBoundsMode | null | undefined): "clip" | "fill" | "promise_in_bounds" {
  const m = checkMode(op, mode, ["clip", "fill", "drop", "promise_in_bounds"], "promise_in_bounds");
  return m === "drop" || m === "fill" ? "fill" : m === "clip" ? "clip" : "promise_in_bounds";
}
