// CPU reference of the creation primitives: threefry random numbers (ops/threefry.ts, element i
// uses counter (i, 0), word 0, on every backend) and iota.

import { sizeOf, type Aval } from "../ir/types.js";
import { bitsToUniform, threefry2x32 } from "./threefry.js";
import { allocate, forEachIndex, type HostValue } from "./cpuValue.js";

export function cpuRandom(prim: "random_uniform" | "random_bits", key: HostValue, out: Aval): HostValue {
  const k0 = key.data[0]!,
    k1 = key.data[1]!;
  const n = sizeOf(out.shape);
  const res = allocate(out);
  for (let i = 0; i < n; i++) {
    const bits = threefry2x32(k0, k1, i, 0)[0];
    res[i] = prim === "random_uniform" ? bitsToUniform(bits) : bits | 0;
  }
  return { data: res, shape: out.shape, dtype: out.dtype };
}

export function cpuIota(axis: number, out: Aval): HostValue {
  const res = allocate(out);
  forEachIndex(out.shape, (flat, idx) => (res[flat] = idx[axis]!));
  return { data: res, shape: out.shape, dtype: out.dtype };
}
