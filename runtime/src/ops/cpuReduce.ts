// CPU reference of the reductions. Sums accumulate in float64 (the reference is the accurate
// side of a comparison), then round to float32; int32 sums wrap. Empty reductions give the
// identity (0, -inf/INT_MIN for max, +inf/INT_MAX for min). max/min propagate NaN.
// argmax/argmin return the first index of the extreme value (a NaN counts as the extreme).

import { sizeOf, type Aval } from "../ir/types.js";
import { allocate, stridesOf, type HostValue } from "./cpuValue.js";

export type ReducePrim = "reduce_sum" | "reduce_max" | "reduce_min";

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Splits the input's axes into kept and reduced; calls `visit(outIndex, inIndex)` for every
 *  input element, grouped by output element (reduced elements in row-major order). */
function forEachReduced(
  shape: readonly number[],
  axes: readonly number[],
  visit: (o: number, i: number) => void,
): void {
  const strides = stridesOf(shape);
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keptShape = kept.map((i) => shape[i]!);
  const redShape = axes.map((i) => shape[i]!);
  const keptStrides = kept.map((i) => strides[i]!);
  const redStrides = axes.map((i) => strides[i]!);
  const nOut = sizeOf(keptShape);
  const nRed = sizeOf(redShape);
  const offsets = flatOffsets(redShape, redStrides, nRed);
  const outBase = flatOffsets(keptShape, keptStrides, nOut);
  for (let o = 0; o < nOut; o++) {
    const base = outBase[o]!;
    for (let r = 0; r < nRed; r++) visit(o, base + offsets[r]!);
  }
}

/** Input offsets of each element of a sub-grid, in row-major order of the sub-grid. */
function flatOffsets(shape: readonly number[], strides: readonly number[], n: number): Float64Array {
  const out = new Float64Array(n);
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let off = 0;
    for (let d = 0; d < shape.length; d++) off += idx[d]! * strides[d]!;
    out[k] = off;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

export function cpuReduce(prim: ReducePrim, x: HostValue, axes: readonly number[], out: Aval): HostValue {
  const res = allocate(out);
  const n = res.length;
  const src = x.data;
  const int = x.dtype === "int32";
  const bool = x.dtype === "bool";
  const acc = new Float64Array(n);
  switch (prim) {
    case "reduce_sum":
      if (int) forEachReduced(x.shape, axes, (o, i) => (acc[o] = (acc[o]! + src[i]!) | 0));
      else forEachReduced(x.shape, axes, (o, i) => (acc[o] = acc[o]! + src[i]!));
      break;
    case "reduce_max":
      acc.fill(bool ? 0 : int ? INT_MIN : -Infinity);
      forEachReduced(x.shape, axes, (o, i) => {
        const v = src[i]!,
          a = acc[o]!;
        if (v > a || v !== v) acc[o] = a !== a ? a : v;
      });
      break;
    case "reduce_min":
      acc.fill(bool ? 1 : int ? INT_MAX : Infinity);
      forEachReduced(x.shape, axes, (o, i) => {
        const v = src[i]!,
          a = acc[o]!;
        if (v < a || v !== v) acc[o] = a !== a ? a : v;
      });
      break;
    default:
      return prim satisfies never;
  }
  for (let o = 0; o < n; o++) res[o] = acc[o]!;
  return { data: res, shape: out.shape, dtype: out.dtype };
}

export function cpuArg(prim: "argmax" | "argmin", x: HostValue, axis: number, out: Aval): HostValue {
  const res = new Int32Array(sizeOf(out.shape));
  const best = new Float64Array(res.length);
  const seen = new Uint8Array(res.length);
  const counter = new Int32Array(res.length); // position along `axis` of the element being visited
  const better = prim === "argmax" ? (v: number, b: number) => v > b : (v: number, b: number) => v < b;
  const src = x.data;
  forEachReduced(x.shape, [axis], (o, i) => {
    const v = src[i]!;
    const k = counter[o]!++;
    if (!seen[o]) {
      seen[o] = 1;
      best[o] = v;
      res[o] = k;
    } else if (best[o] === best[o] && (v !== v || better(v, best[o]!))) {
      best[o] = v;
      res[o] = k;
    }
  });
  return { data: res, shape: out.shape, dtype: "int32" };
}
