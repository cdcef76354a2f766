// CPU reference of the data-movement primitives: reshape, transpose, broadcast, slice, pad,
// concatenate. Each maps output indices to input indices in row-major order.

import type { Aval } from "../ir/types.js";
import { allocate, forEachIndex, stridesOf, toDtype, type HostValue } from "./cpuValue.js";

export function cpuReshape(x: HostValue, out: Aval): HostValue {
  return { data: x.data.slice(), shape: out.shape, dtype: out.dtype };
}

/** out[idx] = x[Σ idx[d] × s[d]]: a strided view of `x` (transpose, broadcast) made contiguous. */
function gatherStrided(x: HostValue, s: readonly number[], out: Aval): HostValue {
  const res = allocate(out);
  const src = x.data;
  forEachIndex(out.shape, (flat, idx) => {
    let off = 0;
    for (let d = 0; d < idx.length; d++) off += idx[d]! * s[d]!;
    res[flat] = src[off]!;
  });
  return { data: res, shape: out.shape, dtype: out.dtype };
}

export function cpuTranspose(x: HostValue, perm: readonly number[], out: Aval): HostValue {
  const inStrides = stridesOf(x.shape);
  const s = perm.map((p) => inStrides[p]!); // input stride of each output axis
  return gatherStrided(x, s, out);
}

export function cpuBroadcast(x: HostValue, dims: readonly number[], out: Aval): HostValue {
  const inStrides = stridesOf(x.shape);
  // Input stride for each output axis: 0 where the axis is new or the input has size 1.
  const s = new Array<number>(out.shape.length).fill(0);
  dims.forEach((d, i) => {
    if (x.shape[i] !== 1) s[d] = inStrides[i]!;
  });
  return gatherStrided(x, s, out);
}

export function cpuSlice(x: HostValue, starts: readonly number[], strides: readonly number[], out: Aval): HostValue {
  const inStrides = stridesOf(x.shape);
  const res = allocate(out);
  const src = x.data;
  forEachIndex(out.shape, (flat, idx) => {
    let off = 0;
    for (let d = 0; d < idx.length; d++) off += (starts[d]! + idx[d]! * strides[d]!) * inStrides[d]!;
    res[flat] = src[off]!;
  });
  return { data: res, shape: out.shape, dtype: out.dtype };
}

export function cpuPad(x: HostValue, low: readonly number[], value: number, out: Aval): HostValue {
  const res = allocate(out);
  res.fill(toDtype(value, out.dtype));
  const outStrides = stridesOf(out.shape);
  const src = x.data;
  forEachIndex(x.shape, (flat, idx) => {
    let off = 0;
    for (let d = 0; d < idx.length; d++) off += (idx[d]! + low[d]!) * outStrides[d]!;
    res[off] = src[flat]!;
  });
  return { data: res, shape: out.shape, dtype: out.dtype };
}

export function cpuConcatenate(xs: readonly HostValue[], axis: number, out: Aval): HostValue {
  const res = allocate(out);
  // Row-major: the output is `outer` blocks, each the concatenation of every input's block.
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= out.shape[d]!;
  const blocks = xs.map((x) => (outer === 0 ? 0 : x.data.length / outer));
  let pos = 0;
  for (let o = 0; o < outer; o++) {
    xs.forEach((x, k) => {
      const n = blocks[k]!;
      res.set(x.data.subarray(o * n, (o + 1) * n), pos);
      pos += n;
    });
  }
  return { data: res, shape: out.shape, dtype: out.dtype };
}
