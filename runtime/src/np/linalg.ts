// Linear algebra: matmul (NumPy semantics: 1-D operands promoted and the added axis removed,
// batch dims broadcast) and dot (NumPy's dot: inner product, matrix product, or contraction of
// a's last axis with b's second-to-last). The `matmul` primitive wants equal batch dims, so
// they are broadcast here first. Bool operands compute in int32.

import { JitScopeError } from "../ir/errors.js";
import { bind1, Tracer } from "../trace/core.js";
import { multiply } from "./elementwise.js";
import { asTracer, broadcastShapes, broadcastTo, cast, commonDType, type ArrayLike } from "./promote.js";
import { sum } from "./reductions.js";
import { reshape, transpose } from "./shape.js";
import { avalText } from "./validate.js";

export function matmul(a: ArrayLike, b: ArrayLike): Tracer {
  return matmulImpl("matmul", asTracer("matmul", a), asTracer("matmul", b));
}

function matmulImpl(op: string, x0: Tracer, y0: Tracer): Tracer {
  if (x0.ndim === 0 || y0.ndim === 0) {
    throw new JitScopeError(
      "shape",
      `${op}: operands must have at least 1 dimension, got ${avalText(x0.aval)} @ ${avalText(y0.aval)}; use np.multiply for scalars`,
    );
  }
  const dtype = promoteNoBool(x0, y0);
  let x = cast(x0, dtype);
  let y = cast(y0, dtype);
  const vecA = x.ndim === 1;
  const vecB = y.ndim === 1;
  // The inner product of two vectors is a multiply and a sum: one reduction kernel that fuses
  // with what computes its operands (a CG step's p·Kp), where a [1, k] @ [k, 1] product is a
  // kernel of its own that reads them from memory. JAX's value, summed in our reduction order.
  if (vecA && vecB) {
    if (x.size !== y.size) {
      throw new JitScopeError(
        "shape",
        `${op}: shapes ${avalText(x0.aval)} and ${avalText(y0.aval)} do not align: contracting dimension ${x.size} (last axis of the first) != ${y.size} (only axis of the second)`,
      );
    }
    return sum(multiply(x, y));
  }
  if (vecA) x = reshape(x, [1, x.size]);
  if (vecB) y = reshape(y, [y.size, 1]);
  const [m, k1] = x.shape.slice(-2) as [number, number];
  const [k2, n] = y.shape.slice(-2) as [number, number];
  if (k1 !== k2) {
    throw new JitScopeError(
      "shape",
      `${op}: shapes ${avalText(x0.aval)} and ${avalText(y0.aval)} do not align: contracting dimension ${k1} (last axis of the first) != ${k2} (${vecB ? "only" : "second-to-last"} axis of the second)`,
    );
  }
  // [..., m, k] @ [k, n] is one matrix product of all the rows, [(...·m), k] @ [k, n], as JAX's
  // dot_general has it: broadcasting y over the batch would write a copy of it per batch entry,
  // and its gradient would be a batched product summed over the batch instead of one product.
  if (y.ndim === 2 && x.ndim > 2) {
    const rows = reshape(x, [-1, k1]);
    const out = bind1("matmul", {}, [rows, y]);
    // x has more than two dims, so it was never a promoted vector: its m axis stays.
    return reshape(out, [...x.shape.slice(0, -2), m, ...(vecB ? [] : [n])]);
  }
  const batch = broadcastShapes(op, [x.shape.slice(0, -2), y.shape.slice(0, -2)], () => [
    avalText(x0.aval),
    avalText(y0.aval),
  ]);
  x = broadcastTo(x, [...batch, m, k1]);
  y = broadcastTo(y, [...batch, k2, n]);
  let out = bind1("matmul", {}, [x, y]);
  if (vecA || vecB) {
    const shape = [...batch, ...(vecA ? [] : [m]), ...(vecB ? [] : [n])];
    out = reshape(out, shape);
  }
  return out;
}

function promoteNoBool(x: Tracer, y: Tracer): "float32" | "int32" {
  const d = commonDType([x, y]);
  return d === "float32" ? "float32" : "int32";
}

/**
 * NumPy's dot: scalars multiply; 1-D·1-D is the inner product; 2-D is the matrix product;
 * N-D·1-D sums over the last axis; N-D·M-D contracts a's last axis with b's second-to-last:
 * dot(a, b)[i, j, k, m] = sum(a[i, j, :] * b[k, :, m]).
 */
export function dot(a: ArrayLike, b: ArrayLike): Tracer {
  const x = asTracer("dot", a);
  const y = asTracer("dot", b);
  if (x.ndim === 0 || y.ndim === 0) return multiply(x, y);
  if (y.ndim <= 2) return matmulImpl("dot", x, y);
  // y: [B..., k, n] → [k, B...·n]; x: [A..., k] → [A, k]; result reshaped to [A..., B..., n].
  const k = y.shape[y.ndim - 2]!;
  if (x.shape[x.ndim - 1] !== k) {
    throw new JitScopeError(
      "shape",
      `dot: shapes ${avalText(x.aval)} and ${avalText(y.aval)} do not align: ${x.shape[x.ndim - 1]} (last axis of the first) != ${k} (second-to-last axis of the second)`,
    );
  }
  const ybatch = y.shape.slice(0, -2);
  const n = y.shape[y.ndim - 1]!;
  const perm = [y.ndim - 2, ...ybatch.map((_, i) => i), y.ndim - 1];
  const y2 = reshape(transpose(y, perm), [k, -1]);
  const x2 = reshape(x, [-1, k]);
  const out = matmulImpl("dot", x2, y2);
  return reshape(out, [...x.shape.slice(0, -1), ...ybatch, n]);
}
