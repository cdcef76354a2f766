// np.linalg's array-API names, as jnp.linalg spells them: functions np already has under other
// names or axes (trace and diagonal over the LAST two axes, outer of 1-D vectors, cross along an
// axis), the norms split by kind (vector_norm over any axes, matrix_norm over the last two), and
// the products built from matmul: multi_dot (the cheapest parenthesisation, as NumPy chooses it)
// and matrix_power (repeated squaring; a negative power inverts first). tensorsolve / tensorinv
// reshape to one solve / inv.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { eye } from "./creation.js";
import { matmul } from "./linalg.js";
import { cross as crossLast, diagonal as diagonalOf, trace as traceOf } from "./matrixSurface.js";
import { norm, type NormOrd } from "./norm.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { broadcast_to, expand_dims, reshape, transpose } from "./shape.js";
import { outer as outerOf } from "./shapeSurface.js";
import { inv, solve } from "./solve.js";
import { moveaxis } from "./stacking.js";
import { avalText, normalizeAxes, normalizeAxis } from "./validate.js";

export { matmul };

/** Sum of diagonal `offset` of each matrix over the last two axes. */
export function trace(x: ArrayLike, options: { offset?: number } = {}): Tracer {
  checkOptions("linalg.trace", options, ["offset"]);
  const a = matrices("linalg.trace", x);
  return traceOf(a, options.offset ?? 0, -2, -1);
}

/** Diagonal `offset` of each matrix over the last two axes. */
export function diagonal(x: ArrayLike, options: { offset?: number } = {}): Tracer {
  checkOptions("linalg.diagonal", options, ["offset"]);
  return diagonalOf(matrices("linalg.diagonal", x), options.offset ?? 0, -2, -1);
}

/** Outer product of two 1-D vectors. */
export function outer(x1: ArrayLike, x2: ArrayLike): Tracer {
  const a = asTracer("linalg.outer", x1);
  const b = asTracer("linalg.outer", x2);
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new JitScopeError(
      "shape",
      `linalg.outer: both inputs must be 1-D, got ${avalText(a.aval)} and ${avalText(b.aval)}`,
    );
  return outerOf(a, b);
}

/** Cross product of 3-vectors along `axis` (default -1), the other axes broadcast. */
export function cross(x1: ArrayLike, x2: ArrayLike, options: { axis?: number } = {}): Tracer {
  checkOptions("linalg.cross", options, ["axis"]);
  const a = asTracer("linalg.cross", x1);
  const b = asTracer("linalg.cross", x2);
  const axis = options.axis ?? -1;
  const ia = normalizeAxis("linalg.cross", axis, a.ndim, a.shape);
  const ib = normalizeAxis("linalg.cross", axis, b.ndim, b.shape);
  if (a.shape[ia] !== 3 || b.shape[ib] !== 3)
    throw new JitScopeError(
      "shape",
      `linalg.cross: axis ${axis} must have length 3 in both inputs, got ${avalText(a.aval)} and ${avalText(b.aval)}`,
    );
  const c = crossLast(moveaxis(a, ia, -1), moveaxis(b, ib, -1));
  return moveaxis(c, -1, axis);
}

export interface VectorNormOptions {
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
  ord?: number;
}

/** The vector norm of the elements over `axis` (all of them by default, as one flat vector). */
export function vector_norm(x: ArrayLike, options: VectorNormOptions = {}): Tracer {
  checkOptions("linalg.vector_norm", options, ["axis", "keepdims", "ord"]);
  const a = cast(asTracer("linalg.vector_norm", x), "float32");
  const ord = options.ord ?? 2;
  const axes = normalizeAxes("linalg.vector_norm", options.axis ?? null, a.ndim, a.shape);
  const rest = a.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  // The reduced axes last, merged into one: a vector norm over several axes is over their elements.
  const flat = reshape(transpose(a, [...rest, ...axes]), [
    ...rest.map((i) => a.shape[i]!),
    axes.reduce((n, i) => n * a.shape[i]!, 1),
  ]);
  const out = norm(flat, ord, -1);
  return options.keepdims ? expand_dims(out, axes) : out;
}

export type MatrixNormOrd = Exclude<NormOrd, null | undefined>;

/** The matrix norm of each matrix over the last two axes: "fro" (default), 1, -1, ±Infinity. */
export function matrix_norm(x: ArrayLike, options: { keepdims?: boolean; ord?: MatrixNormOrd } = {}): Tracer {
  checkOptions("linalg.matrix_norm", options, ["keepdims", "ord"]);
  const a = matrices("linalg.matrix_norm", x);
  return norm(a, options.ord ?? "fro", [a.ndim - 2, a.ndim - 1], { keepdims: options.keepdims ?? false });
}

/** a₀ · a₁ ⋯ aₖ in the order of fewest multiplications; the first may be 1-D (a row), the last 1-D
 *  (a column), and those axes are dropped from the result, as jnp.linalg.multi_dot. */
export function multi_dot(arrays: readonly ArrayLike[]): Tracer {
  const op = "linalg.multi_dot";
  if (!Array.isArray(arrays) || arrays.length < 2)
    throw new JitScopeError(
      "value",
      `${op}: needs a list of at least 2 arrays, got ${Array.isArray(arrays) ? arrays.length : typeof arrays}`,
    );
  const ms = arrays.map((x) => asTracer(op, x));
  const last = ms.length - 1;
  const rowIn = ms[0]!.ndim === 1;
  const colIn = ms[last]!.ndim === 1;
  const mats = ms.map((m, i) =>
    i === 0 && rowIn ? reshape(m, [1, m.shape[0]!]) : i === last && colIn ? reshape(m, [m.shape[0]!, 1]) : m,
  );
  mats.forEach((m, i) => {
    if (m.ndim !== 2)
      throw new JitScopeError(
        "shape",
        `${op}: array ${i} must be 2-D (the first and last may be 1-D), got ${avalText(ms[i]!.aval)}`,
      );
    if (i > 0 && mats[i - 1]!.shape[1] !== m.shape[0])
      throw new JitScopeError(
        "shape",
        `${op}: array ${i - 1} ${avalText(ms[i - 1]!.aval)} cannot multiply array ${i} ${avalText(ms[i]!.aval)}`,
      );
  });
  const out = chainProduct(mats, cheapestSplits(mats.map((m) => m.shape[0]!).concat([mats[last]!.shape[1]!])));
  const keep = [...(rowIn ? [] : [out.shape[0]!]), ...(colIn ? [] : [out.shape[1]!])];
  return reshape(out, keep);
}

/** The matrix-chain split table: split[i][j] is where the cheapest product of mats i..j divides. */
function cheapestSplits(dims: readonly number[]): number[][] {
  const n = dims.length - 1;
  const cost = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const split = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let len = 1; len < n; len++) {
    for (let i = 0; i + len < n; i++) {
      const j = i + len;
      cost[i]![j] = Infinity;
      for (let k = i; k < j; k++) {
        const c = cost[i]![k]! + cost[k + 1]![j]! + dims[i]! * dims[k + 1]! * dims[j + 1]!;
        if (c < cost[i]![j]!) [cost[i]![j], split[i]![j]] = [c, k];
      }
    }
  }
  return split;
}

function chainProduct(mats: readonly Tracer[], split: number[][], i = 0, j = mats.length - 1): Tracer {
  if (i === j) return mats[i]!;
  const k = split[i]![j]!;
  return matmul(chainProduct(mats, split, i, k), chainProduct(mats, split, k + 1, j));
}

/** Each matrix of a [..., n, n] to the integer power n (0 gives I; negative powers invert first). */
export function matrix_power(a: ArrayLike, n: number): Tracer {
  const op = "linalg.matrix_power";
  const x = matrices(op, a);
  if (x.shape[x.ndim - 1] !== x.shape[x.ndim - 2])
    throw new JitScopeError("shape", `${op}: needs square matrices, got ${avalText(x.aval)}`);
  if (!Number.isInteger(n)) throw new JitScopeError("value", `${op}: n must be an integer, got ${n}`);
  if (n === 0) return broadcast_to(eye(x.shape[x.ndim - 1]!, undefined, 0, { dtype: x.dtype }), x.shape);
  let base = n < 0 ? inv(x) : x;
  let result: Tracer | null = null;
  for (let k = Math.abs(n); k > 0; k >>= 1) {
    if (k & 1) result = result === null ? base : matmul(result, base);
    if (k > 1) base = matmul(base, base);
  }
  return result!;
}

/** x with tensordot(a, x, x.ndim) = b: a reshaped to one square solve. */
export function tensorsolve(a: ArrayLike, b: ArrayLike, axes?: readonly number[] | null): Tracer {
  const op = "linalg.tensorsolve";
  let x = asTracer(op, a);
  const y = asTracer(op, b);
  if (axes) {
    const moved = normalizeAxes(op, axes, x.ndim, x.shape);
    const rest = x.shape.map((_, i) => i).filter((i) => !moved.includes(i));
    x = transpose(x, [...rest, ...moved]);
  }
  const unknown = x.shape.slice(y.ndim);
  const rows = y.shape.reduce((p, d) => p * d, 1);
  const cols = unknown.reduce((p, d) => p * d, 1);
  if (x.shape.slice(0, y.ndim).some((d, i) => d !== y.shape[i]) || rows !== cols)
    throw new JitScopeError(
      "shape",
      `${op}: a ${avalText(x.aval)} must start with b's shape ${avalText(y.aval)} and its remaining axes hold as many elements`,
    );
  return reshape(solve(reshape(x, [rows, cols]), reshape(y, [rows])), unknown);
}

/** The inverse of a with respect to tensordot over `ind` axes: reshaped to one square inv. */
export function tensorinv(a: ArrayLike, ind = 2): Tracer {
  const op = "linalg.tensorinv";
  const x = asTracer(op, a);
  if (!Number.isInteger(ind) || ind < 1 || ind >= x.ndim)
    throw new JitScopeError("value", `${op}: ind must be an integer in 1..${x.ndim - 1}, got ${ind}`);
  const lead = x.shape.slice(0, ind);
  const tail = x.shape.slice(ind);
  const rows = lead.reduce((p, d) => p * d, 1);
  if (rows !== tail.reduce((p, d) => p * d, 1))
    throw new JitScopeError(
      "shape",
      `${op}: the first ${ind} axes of ${avalText(x.aval)} must hold as many elements as the rest`,
    );
  return reshape(inv(reshape(x, [rows, rows])), [...tail, ...lead]);
}

function matrices(op: string, x: ArrayLike): Tracer {
  const a = asTracer(op, x);
  if (a.ndim < 2) throw new JitScopeError("shape", `${op}: needs at least 2 axes (matrices), got ${avalText(a.aval)}`);
  return a;
}
