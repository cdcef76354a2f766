// CPU reference of gather, scatter and conv: loops over row-major typed arrays, written for
// clarity (they are the tests' oracle), not speed.

import { stridesOf, type Aval, type ConvParams, type ScatterMode } from "../ir/types.js";
import { allocate, forEachIndex, toDtype, type HostValue } from "./cpuValue.js";

/** out[pre, j..., post] = x[pre, idx[j...], post]; 0 where the index is out of range. */
export function cpuGather(x: HostValue, idx: HostValue, axis: number, out: Aval): HostValue {
  const res = allocate(out);
  const n = x.shape[axis]!;
  const xs = stridesOf(x.shape);
  const ir = idx.shape.length;
  const is = stridesOf(idx.shape);
  forEachIndex(out.shape, (flat, o) => {
    let k = 0;
    for (let d = 0; d < ir; d++) k += o[axis + d]! * is[d]!;
    const i = idx.data[k]!;
    if (i < 0 || i >= n) return; // stays 0
    let off = i * xs[axis]!;
    for (let d = 0; d < axis; d++) off += o[d]! * xs[d]!;
    for (let d = axis + 1; d < x.shape.length; d++) off += o[d + ir - 1]! * xs[d]!;
    res[flat] = x.data[off]!;
  });
  return { data: res, shape: out.shape, dtype: out.dtype };
}

const COMBINE: Record<ScatterMode, (a: number, b: number) => number> = {
  set: (_a, b) => b,
  add: (a, b) => a + b,
  mul: (a, b) => a * b,
  min: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  max: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
};

/** x with each update combined into x[pre, idx[j...], post], in row-major order of the updates
 *  (so for `set` the last duplicate wins); out-of-range indices are dropped. */
export function cpuScatter(
  x: HostValue,
  idx: HostValue,
  upd: HostValue,
  axis: number,
  mode: ScatterMode,
  out: Aval,
): HostValue {
  const res = allocate(out);
  res.set(x.data);
  const n = x.shape[axis]!;
  const xs = stridesOf(x.shape);
  const ir = idx.shape.length;
  const is = stridesOf(idx.shape);
  const f = COMBINE[mode];
  forEachIndex(upd.shape, (flat, u) => {
    let k = 0;
    for (let d = 0; d < ir; d++) k += u[axis + d]! * is[d]!;
    const i = idx.data[k]!;
    if (i < 0 || i >= n) return;
    let off = i * xs[axis]!;
    for (let d = 0; d < axis; d++) off += u[d]! * xs[d]!;
    for (let d = axis + 1; d < x.shape.length; d++) off += u[d + ir - 1]! * xs[d]!;
    res[off] = toDtype(f(res[off]!, upd.data[flat]!), out.dtype);
  });
  return { data: res, shape: out.shape, dtype: out.dtype };
}

/** scatter's value computed another way: the updates taken in `order` (the stable argsort of
 *  idx's flat positions), so each output element still combines its updates in index order. */
export function cpuScatterSorted(
  x: HostValue,
  idx: HostValue,
  order: HostValue,
  upd: HostValue,
  axis: number,
  mode: ScatterMode,
  out: Aval,
): HostValue {
  const res = allocate(out);
  res.set(x.data);
  const n = x.shape[axis]!;
  const m = order.data.length;
  const pre = x.shape.slice(0, axis).reduce((a, d) => a * d, 1);
  const post = x.shape.slice(axis + 1).reduce((a, d) => a * d, 1);
  const f = COMBINE[mode];
  for (let k = 0; k < m; k++) {
    const j = order.data[k]!;
    const i = idx.data[j]!;
    if (i < 0 || i >= n) continue;
    for (let p = 0; p < pre; p++) {
      for (let q = 0; q < post; q++) {
        const off = (p * n + i) * post + q;
        res[off] = toDtype(f(res[off]!, upd.data[(p * m + j) * post + q]!), out.dtype);
      }
    }
  }
  return { data: res, shape: out.shape, dtype: out.dtype };
}

/** Direct convolution, NC.../OI... layout, as lax.conv_general_dilated defines it. */
export function cpuConv(lhs: HostValue, rhs: HostValue, p: ConvParams, out: Aval): HostValue {
  const res = allocate(out);
  const ns = lhs.shape.length - 2;
  const C = lhs.shape[1]!,
    O = out.shape[1]!;
  const cg = C / p.groups,
    og = O / p.groups;
  const ls = stridesOf(lhs.shape),
    rs = stridesOf(rhs.shape);
  const kShape = rhs.shape.slice(2);
  const inSp = lhs.shape.slice(2);
  forEachIndex(out.shape, (flat, o) => {
    const [b, oc] = [o[0]!, o[1]!];
    const g = Math.floor(oc / og);
    let acc = 0;
    for (let ci = 0; ci < cg; ci++) {
      const c = g * cg + ci;
      forEachIndex(kShape, (_kf, k) => {
        let lo = b * ls[0]! + c * ls[1]!;
        for (let d = 0; d < ns; d++) {
          const pos = o[2 + d]! * p.strides[d]! + k[d]! * p.rhsDilation[d]! - p.padLow[d]!;
          const ld = p.lhsDilation[d]!;
          if (pos < 0 || pos % ld !== 0) return;
          const x = pos / ld;
          if (x >= inSp[d]!) return;
          lo += x * ls[2 + d]!;
        }
        let ro = oc * rs[0]! + ci * rs[1]!;
        for (let d = 0; d < ns; d++) ro += k[d]! * rs[2 + d]!;
        acc += lhs.data[lo]! * rhs.data[ro]!;
      });
    }
    res[flat] = acc;
  });
  return { data: res, shape: out.shape, dtype: out.dtype };
}
