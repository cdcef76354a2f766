// CPU reference of matmul: a[...batch, m, k] @ b[...batch, k, n]. float32 accumulates in
// float64 and rounds once; int32 wraps.

import type { Aval } from "../ir/types.js";
import { allocate, type HostValue } from "./cpuValue.js";

export function cpuMatmul(a: HostValue, b: HostValue, out: Aval): HostValue {
  const r = a.shape.length;
  const m = a.shape[r - 2]!,
    k = a.shape[r - 1]!,
    n = b.shape[r - 1]!;
  let batch = 1;
  for (let d = 0; d < r - 2; d++) batch *= a.shape[d]!;
  const res = allocate(out);
  const A = a.data,
    B = b.data;
  const int = a.dtype === "int32";
  const row = new Float64Array(n);
  for (let bi = 0; bi < batch; bi++) {
    const aOff = bi * m * k,
      bOff = bi * k * n,
      oOff = bi * m * n;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const av = A[aOff + i * k + p]!;
        const bRow = bOff + p * n;
        if (int) for (let j = 0; j < n; j++) row[j] = (row[j]! + Math.imul(av, B[bRow + j]!)) | 0;
        else for (let j = 0; j < n; j++) row[j] = row[j]! + av * B[bRow + j]!;
      }
      for (let j = 0; j < n; j++) res[oOff + i * n + j] = row[j]!;
    }
  }
  return { data: res, shape: out.shape, dtype: out.dtype };
}
