// CPU reference of the factorisation primitives, one matrix at a time over the leading batch
// axes. The working copy is a Float32Array, so every stored intermediate is rounded to float32
// as on the GPU, and the steps are the GPU kernel's (codegen/lowerLinalg.ts): right-looking
// Cholesky, column-oriented substitution, Gaussian elimination with first-largest pivots.

import { sizeOf, type Aval, type PrimParams } from "../ir/types.js";
import type { HostValue } from "./cpuValue.js";

const f32 = (v: HostValue): Float32Array =>
  v.data instanceof Float32Array ? v.data : Float32Array.from(v.data as ArrayLike<number>);

function batchOf(a: HostValue): { batch: number; n: number } {
  const n = a.shape[a.shape.length - 1]!;
  return { batch: sizeOf(a.shape.slice(0, -2)), n };
}

/** Lower L with L·Lᵀ = a (a's lower triangle read, upper of L zero); NaN on and below the
 *  diagonal when a pivot is not positive (not positive definite, or NaN in a), as JAX returns. */
export function cpuCholesky(a: HostValue, out: Aval): HostValue {
  const { batch, n } = batchOf(a);
  const src = f32(a);
  const w = new Float32Array(sizeOf(out.shape));
  for (let b = 0; b < batch; b++) {
    const o = b * n * n;
    for (let e = 0; e < n * n; e++) w[o + e] = src[o + e]!;
    let bad = false;
    for (let j = 0; j < n; j++) {
      const d2 = w[o + j * n + j]!;
      if (!(d2 > 0)) bad = true;
      const d = Math.fround(Math.sqrt(d2));
      for (let i = j + 1; i < n; i++) w[o + i * n + j] = w[o + i * n + j]! / d;
      w[o + j * n + j] = d;
      for (let i = j + 1; i < n; i++) {
        const lij = w[o + i * n + j]!;
        for (let k = j + 1; k <= i; k++) w[o + i * n + k] = w[o + i * n + k]! - lij * w[o + k * n + j]!;
      }
    }
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) if (bad || k > i) w[o + i * n + k] = k > i ? 0 : NaN;
  }
  return { data: w, shape: out.shape, dtype: "float32" };
}

/** x with op(a)·x = b, op(a) = aᵀ when transA; only a's `lower` (or upper) triangle is read. */
export function cpuTriangularSolve(
  a: HostValue,
  bv: HostValue,
  params: PrimParams["triangular_solve"],
  out: Aval,
): HostValue {
  const { batch, n } = batchOf(a);
  const k = bv.shape[bv.shape.length - 1]!;
  const src = f32(a);
  const x = Float32Array.from(f32(bv));
  const { transA, unitDiagonal } = params;
  // op(a) is lower triangular when a is lower and not transposed, or upper and transposed.
  const forward = params.lower !== transA;
  for (let b = 0; b < batch; b++) {
    const ao = b * n * n,
      xo = b * n * k;
    const at = (i: number, j: number) => (transA ? src[ao + j * n + i]! : src[ao + i * n + j]!);
    for (let s = 0; s < n; s++) {
      const j = forward ? s : n - 1 - s;
      if (!unitDiagonal) {
        const d = at(j, j);
        for (let c = 0; c < k; c++) x[xo + j * k + c] = x[xo + j * k + c]! / d;
      }
      const [lo, hi] = forward ? [j + 1, n] : [0, j];
      for (let i = lo; i < hi; i++) {
        const aij = at(i, j);
        for (let c = 0; c < k; c++) x[xo + i * k + c] = x[xo + i * k + c]! - aij * x[xo + j * k + c]!;
      }
    }
  }
  return { data: x, shape: out.shape, dtype: "float32" };
}

/** [...batch, n, n + 1]: packed L\U and, in column n, the row permutation (as LAPACK's getrf:
 *  the first row of largest |value| is the pivot; a zero pivot column is left unscaled). */
export function cpuLu(a: HostValue, out: Aval): HostValue {
  const { batch, n } = batchOf(a);
  const src = f32(a);
  const m = n + 1;
  const w = new Float32Array(sizeOf(out.shape));
  for (let b = 0; b < batch; b++) {
    const o = b * n * m;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < n; c++) w[o + i * m + c] = src[b * n * n + i * n + c]!;
      w[o + i * m + n] = i;
    }
    for (let j = 0; j < n; j++) {
      let p = j;
      let best = Math.abs(w[o + j * m + j]!);
      for (let i = j + 1; i < n; i++) {
        const v = Math.abs(w[o + i * m + j]!);
        if (v > best) [best, p] = [v, i];
      }
      if (p !== j)
        for (let c = 0; c < m; c++) {
          const t = w[o + j * m + c]!;
          w[o + j * m + c] = w[o + p * m + c]!;
          w[o + p * m + c] = t;
        }
      const piv = w[o + j * m + j]!;
      if (piv !== 0) for (let i = j + 1; i < n; i++) w[o + i * m + j] = w[o + i * m + j]! / piv;
      for (let i = j + 1; i < n; i++) {
        const lij = w[o + i * m + j]!;
        for (let c = j + 1; c < n; c++) w[o + i * m + c] = w[o + i * m + c]! - lij * w[o + j * m + c]!;
      }
    }
  }
  return { data: w, shape: out.shape, dtype: "float32" };
}
