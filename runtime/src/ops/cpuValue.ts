// The CPU reference's view of an array: a row-major typed array with its shape and dtype.
// float32 → Float32Array, int32 → Int32Array, bool → Uint8Array holding 0/1.

import { sizeOf, type Aval, type DType, type HostArray, type Lit } from "../ir/types.js";

export interface HostValue {
  readonly data: HostArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export function allocate(aval: Aval): HostArray {
  return allocateDtype(aval.dtype, sizeOf(aval.shape));
}

export function allocateDtype(dtype: DType, n: number): HostArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(n);
    case "int32":
      return new Int32Array(n);
    case "bool":
      return new Uint8Array(n);
    default:
      return dtype satisfies never;
  }
}

/** A JS number as stored in `dtype` (float32 rounding, int32 truncation and wrap, bool 0/1). */
export function toDtype(v: number, dtype: DType): number {
  switch (dtype) {
    case "float32":
      return Math.fround(v);
    case "int32":
      return castFloatToInt32(v);
    case "bool":
      return v !== 0 ? 1 : 0; // NaN is truthy, as in NumPy
    default:
      return dtype satisfies never;
  }
}

/** float → int32 as WGSL's conversion does it: truncate toward zero, saturate, NaN → 0. */
export function castFloatToInt32(v: number): number {
  if (Number.isNaN(v)) return 0;
  if (v >= 2147483647) return 2147483647;
  if (v <= -2147483648) return -2147483648;
  return Math.trunc(v) | 0;
}

export function litValue(l: Lit): HostValue {
  const data = allocateDtype(l.aval.dtype, 1);
  data[0] = toDtype(l.value, l.aval.dtype);
  return { data, shape: [], dtype: l.aval.dtype };
}

// Row-major strides live with the IR's other shape helpers; re-exported for the CPU kernels.
export { stridesOf } from "../ir/types.js";

/** Calls `fn(outIndex, multiIndex)` for every element of `shape` in row-major order. The index
 *  array is reused between calls: copy it if you keep it. */
export function forEachIndex(shape: readonly number[], fn: (flat: number, idx: number[]) => void): void {
  const n = sizeOf(shape);
  if (n === 0) return;
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < n; flat++) {
    fn(flat, idx);
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}
