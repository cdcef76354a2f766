// CPU reference of the surface primitives (trace/rules/surfaceRules.ts): floor, ceil, round (half
// to even), is_nan, cumulative (cumsum/cumprod accumulated in float32, element by element, as the
// WebGPU kernel does) and sort (stable, NaN after every number, as NumPy).

import type { Aval, PrimParams } from "../ir/types.js";
import { allocate, forEachIndex, stridesOf, toDtype, type HostValue } from "./cpuValue.js";

type ElementwisePrim = "floor" | "ceil" | "round" | "is_nan" | "log1p" | "expm1";
const UNARY: Record<ElementwisePrim, (x: number) => number> = {
  floor: Math.floor,
  ceil: Math.ceil,
  round: (x) => roundHalfEven(x),
  is_nan: (x) => (Number.isNaN(x) ? 1 : 0),
  log1p: Math.log1p,
  expm1: Math.expm1,
};

/** Round half to even (NumPy's and WGSL's round). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
}

export function cpuSurfaceUnary(prim: ElementwisePrim, x: HostValue, out: Aval): HostValue {
  const f = UNARY[prim];
  const res = allocate(out);
  for (let i = 0; i < res.length; i++) res[i] = f(x.data[i]!);
  return { data: res, shape: out.shape, dtype: out.dtype };
}

/** Sizes around `axis`: outer blocks, the axis, the contiguous inner block. */
function split(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1,
    inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[axis]!, inner];
}

export function cpuCumulative(x: HostValue, params: PrimParams["cumulative"], out: Aval): HostValue {
  const { op, axis, reverse } = params;
  const [outer, n, inner] = split(x.shape, axis);
  const res = allocate(out);
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < inner; r++) {
      let acc = op === "sum" ? 0 : 1;
      for (let s = 0; s < n; s++) {
        const k = reverse ? n - 1 - s : s;
        const at = (o * n + k) * inner + r;
        const v = x.data[at]!;
        // int32 wraps around, as WGSL's i32 arithmetic does.
        if (out.dtype === "int32") acc = op === "sum" ? (acc + v) | 0 : Math.imul(acc, v);
        else acc = toDtype(op === "sum" ? acc + v : acc * v, out.dtype);
        res[at] = acc;
      }
    }
  }
  return { data: res, shape: out.shape, dtype: out.dtype };
}

/** Strict "a sorts before b" on keys: NaN after every number. */
const keyLess = (a: number, b: number): boolean => (Number.isNaN(a) ? false : Number.isNaN(b) ? true : a < b);

export function cpuSort(keys: HostValue, payload: HostValue, params: PrimParams["sort"], out: Aval): HostValue {
  const [outer, n, inner] = split(keys.shape, params.axis);
  const res = allocate(out);
  const order = new Array<number>(n);
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < inner; r++) {
      const at = (k: number) => (o * n + k) * inner + r;
      for (let k = 0; k < n; k++) order[k] = k;
      // Array.prototype.sort is stable.
      order.sort((p, q) => {
        const a = keys.data[at(p)]!,
          b = keys.data[at(q)]!;
        return keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0;
      });
      for (let k = 0; k < n; k++) res[at(k)] = payload.data[at(order[k]!)]!;
    }
  }
  return { data: res, shape: out.shape, dtype: out.dtype };
}

export function cpuRev(x: HostValue, axes: readonly number[], out: Aval): HostValue {
  const res = allocate(out);
  const shape = x.shape;
  const strides = stridesOf(shape);
  forEachIndex(shape, (flat, idx) => {
    let src = 0;
    for (let d = 0; d < shape.length; d++) src += (axes.includes(d) ? shape[d]! - 1 - idx[d]! : idx[d]!) * strides[d]!;
    res[flat] = x.data[src]!;
  });
  return { data: res, shape: out.shape, dtype: out.dtype };
}
