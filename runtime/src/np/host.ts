// Arrays made on the host (np.array, zeros, arange, …) and placed on the current backend.
// Inside jit these are constants of the traced program (the jit trace lifts them), except the
// fills, ranges and triangles stagedCreation.ts makes as ops there.

import { ConcreteArray } from "../array.js";
import type { HostArray } from "../backend/backend.js";
import { currentBackend } from "../backend/select.js";
import type { DType } from "../ir/types.js";
import type { Tracer } from "../trace/core.js";

export function hostArray(data: HostArray, shape: readonly number[], dtype: DType): Tracer {
  const backend = currentBackend();
  return new ConcreteArray(backend.fromHost(data, { shape: [...shape], dtype }), backend);
}

export function scalarArray(value: number, dtype: DType): Tracer {
  return hostArray(hostBuffer(dtype, 1, value), [], dtype);
}

/** A typed array of `n` elements for `dtype`, optionally filled with `fill` (cast to the dtype). */
export function hostBuffer(dtype: DType, n: number, fill = 0): HostArray {
  const buf = dtype === "float32" ? new Float32Array(n) : dtype === "int32" ? new Int32Array(n) : new Uint8Array(n);
  if (fill !== 0) buf.fill(dtype === "bool" ? (fill !== 0 ? 1 : 0) : fill);
  return buf;
}
