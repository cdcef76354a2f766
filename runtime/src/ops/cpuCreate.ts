// CPU reference of the creation primitives: threefry random numbers (ops/threefry.ts, element i
// uses counter (i, 0), word 0, on every backend; with a batch of B keys, row b uses key b and
// counts from 0) and iota.

import { sizeOf, type Aval } from "../ir/types.js";
import { bitsToUniform, threefry2x32 } from "./threefry.js";
import { allocate, forEachIndex, type HostValue } from "./cpuValue.js";

export function cpuRandom(prim: "random_uniform" | "random_bits", key: HostValue, out: Aval): HostValue {
  const n = sizeOf(out.shape);
  const per = key.shape.length === 2 ? n / key.shape[0]! : n; // elements drawn with each key
  const res = allocate(out);
  for (let i = 0; i < n; i++) {
    const b = per === 0 ? 0 : Math.floor(i / per);
    const bits = threefry2x32(key.data[2 * b]!, key.data[2 * b + 1]!, i - b * per, 0)[0];
    res[i] = prim === "random_uniform" ? bitsToUniform(bits) : bits | 0;
  }
  return { data: res, shape: out.shape, dtype: out.dtype };
}

/** fold_in: both words of threefry2x32(key, counter = (0, data)), for each key of a batch. */
export function cpuFoldIn(key: HostValue, data: HostValue, out: Aval): HostValue {
  const res = allocate(out);
  for (let b = 0; b < sizeOf(out.shape) / 2; b++) {
    const [w0, w1] = threefry2x32(key.data[2 * b]!, key.data[2 * b + 1]!, 0, data.data[b]!);
    res[2 * b] = w0 | 0;
    res[2 * b + 1] = w1 | 0;
  }
  return { data: res, shape: out.shape, dtype: out.dtype };
}

export function cpuIota(axis: number, out: Aval): HostValue {
  const res = allocate(out);
  forEachIndex(out.shape, (flat, idx) => (res[flat] = idx[axis]!));
  return { data: res, shape: out.shape, dtype: out.dtype };
}
