// np.linalg.eigh and eigvalsh by the parallel Jacobi eigenvalue method (lax/jacobiRotations.ts):
// each round zeroes the off-diagonal entry of n/2 disjoint pairs at once (A ← JᵀAJ, Vᵀ ← JᵀVᵀ)
// with elementwise ops, inside one fori_loop of a fixed number of sweeps, so it runs on every
// backend and under jit and vmap. Jacobi is chosen over tridiagonal QR because each round is a
// few wide ops rather than a long chain of scalar steps, and it is accurate to a few float32 ulps
// of ‖A‖. The derivative is JAX's eigh rule, as a custom_jvp, not the loop's.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { isStaging, type Tracer } from "../trace/core.js";
import { custom_jvp } from "../trace/custom.js";
import { libraryJit } from "../trace/jit.js";
import { fori_loop } from "./control.js";
import { eye, zeros } from "../np/creation.js";
import * as ew from "../np/elementwise.js";
import { slice, take, take_along_axis } from "../np/indexing.js";
import { matmul } from "../np/linalg.js";
import { squareOperand } from "../np/linalgOperands.js";
import { diagonal } from "../np/matrixSurface.js";
import type { ArrayLike } from "../np/promote.js";
import { argsort } from "../np/reduceSurface.js";
import { broadcast_to, concatenate, expand_dims, reshape, stack, swapaxes } from "../np/shape.js";
import { tril, triu } from "../np/shapeSurface.js";
import {
  evenSize,
  indexGrid,
  partnerOf,
  nextRound,
  rotateRows,
  roundPairs,
  rowCoefficients,
  symSchur2,
} from "./jacobiRotations.js";

export interface EighOptions {
  /** Which triangle to read when the input is not symmetrised: "L" (default) or "U". */
  UPLO?: "L" | "U";
  /** Use (a + aᵀ)/2 (default true, as JAX); false reads only the UPLO triangle. */
  symmetrize_input?: boolean;
}

/** Sweeps of n - 1 rounds each. Measured on float32 random symmetric matrices: the reconstruction
 *  error stops falling after 5 sweeps at n = 16 and 7 at n = 64 (cyclic Jacobi converges
 *  quadratically once the off-diagonal is small, so it grows like log n); this gives 6 and 8. */
export const jacobiSweeps = (n: number): number => Math.max(6, Math.ceil(Math.log2(Math.max(n, 2))) + 2);

const lastTwo = (x: Tracer, rows: number, cols: number): Tracer =>
  slice(x, [...x.shape.slice(0, -2).map(() => null), 0, 0], [...x.shape.slice(0, -2).map(() => null), rows, cols]);

/** a [..., n, n] symmetric padded with a zero row and column to an even size. */
function padEven(a: Tracer): Tracer {
  const n = a.shape[a.ndim - 1]!;
  if (n % 2 === 0) return a;
  const lead = a.shape.slice(0, -2);
  const wide = concatenate([a, zeros([...lead, n, 1])], -1);
  return concatenate([wide, zeros([...lead, 1, n + 1])], -2);
}

/** Unsorted eigenvalues [..., n] and the eigenvectors as rows [..., n, n] of a symmetric a. */
export function jacobiEigenRows(a: Tracer, sweeps = jacobiSweeps(a.shape[a.ndim - 1]!)): [Tracer, Tracer] {
  const n = a.shape[a.ndim - 1]!;
  const size = evenSize(n);
  const lead = a.shape.slice(0, -2);
  const init: [Tracer, Tracer, Tracer] = [
    padEven(a),
    broadcast_to(eye(size), [...lead, size, size]),
    zeros([], { dtype: "int32" }),
  ];
  const [d, vectors] = fori_loop(
    0,
    sweeps * (size - 1),
    (_i: Tracer, [m, w, r]: [Tracer, Tracer, Tracer]): [Tracer, Tracer, Tracer] => {
      const rows = indexGrid([size]);
      // Each entry (i, j) is computed at (lo, hi) = (min, max)(i, j), so the two triangles come
      // out bit for bit equal whatever the device's float contraction: m stays symmetric.
      const [gi, gj] = [indexGrid([size, size], 0), indexGrid([size, size], 1)];
      const [lo, hi] = [ew.minimum(gi, gj), ew.maximum(gi, gj)];
      const flat = reshape(m, [...lead, size * size]);
      const at = (i: Tracer, j: Tracer) => take(flat, ew.add(ew.multiply(i, size), j), -1);
      const { partner, p, q, first } = roundPairs(size, r, rows);
      const [app, aqq, apq] = [at(p, p), at(q, q), at(p, q)];
      const [c, s, t] = symSchur2(app, aqq, apq);
      const [alpha, beta] = rowCoefficients(c, s, first);
      // A pair's rotated block is set to what it is in exact arithmetic (app − t·apq, aqq + t·apq,
      // 0 off the diagonal): recomputed from the rotated rows, a converged diagonal would gather
      // a rounding error every round instead of staying put.
      const tapq = ew.multiply(t, apq);
      const settled = ew.where(first, ew.subtract(app, tapq), ew.add(aqq, tapq));
      // What each row needs, in one array [..., n, 3] (one kernel writes it, the updates read it
      // by gathers): α, β, the settled diagonal.
      const perRowFlat = reshape(stack([alpha, beta, settled], -1), [...lead, size * 3]);
      const field = (k: Tracer, f: number) => take(perRowFlat, ew.add(ew.multiply(k, 3), f), -1);
      // Jᵀ·m·J: entry (i, j) mixes rows i, partner(i) and columns j, partner(j).
      const [pl, ph] = [partnerOf(lo, r, size), partnerOf(hi, r, size)];
      const term = (u: number, v: number, i: Tracer, j: Tracer) =>
        ew.multiply(ew.multiply(field(lo, u), field(hi, v)), at(i, j));
      const rotated = ew.add(
        ew.add(term(0, 0, lo, hi), term(0, 1, lo, ph)),
        ew.add(term(1, 0, pl, hi), term(1, 1, pl, ph)),
      );
      const next = ew.where(ew.equal(lo, hi), field(lo, 2), ew.where(ew.equal(hi, pl), 0, rotated));
      return [next, rotateRows(w, field(rows, 0), field(rows, 1), partner), nextRound(r, size)];
    },
    init,
  );
  const values = lastTwo(expand_dims(diagonal(d, 0, -2, -1), -2), 1, n);
  return [reshape(values, [...lead, n]), lastTwo(vectors, n, n)];
}

/** Eigenvalues ascending and eigenvectors as the matching columns. */
function sortedEigh(a: Tracer): [Tracer, Tracer] {
  const [w, rows] = jacobiEigenRows(a);
  const order = argsort(w, -1);
  const v = swapaxes(rows, -1, -2);
  return [take_along_axis(w, order, -1), take_along_axis(v, broadcast_to(expand_dims(order, -2), v.shape), -1)];
}

/** The full symmetric matrix that the `lower` (or upper) triangle of x stands for. */
function fromTriangle(x: Tracer, lower: boolean): Tracer {
  const strict = lower ? tril(x, -1) : triu(x, 1);
  return ew.add(lower ? tril(x) : triu(x), swapaxes(strict, -1, -2));
}

// Named so an eager eigh's profile reads "eigh_lower"; compiled at the first eager call.
const compiled = new Map<boolean, (x: Tracer) => unknown>();
function decompose(x: Tracer, lower: boolean): [Tracer, Tracer] {
  const body = (t: Tracer) => sortedEigh(fromTriangle(t, lower));
  if (isStaging()) return body(x);
  let f = compiled.get(lower);
  if (!f) compiled.set(lower, (f = libraryJit(body, lower ? "eigh_lower" : "eigh_upper") as (x: Tracer) => unknown));
  const out = f(x) as Tracer[];
  return [out[0]!, out[1]!];
}

/** JAX's eigh jvp: dw = diag(Vᵀ dA V), dV = V (F ∘ Vᵀ dA V) with F_ij = 1/(w_j − w_i), 0 on the
 *  diagonal. It reads the whole tangent, as JAX's does, whichever triangle the value reads. */
function eighJvp(lower: boolean) {
  return ([x]: Tracer[], [dx]: Tracer[]): [Tracer[], Tracer[]] => {
    const [w, v] = decompose(x, lower);
    const n = w.shape[w.ndim - 1]!;
    const inner = matmul(matmul(swapaxes(v, -1, -2), dx), v);
    const gaps = ew.subtract(expand_dims(w, -2), expand_dims(w, -1));
    const id = eye(n);
    const f = ew.subtract(ew.divide(1, ew.add(gaps, id)), id);
    return [
      [w, v],
      [diagonal(inner, 0, -2, -1), matmul(v, ew.multiply(f, inner))],
    ];
  };
}

const symmetricEigh = {
  lower: custom_jvp(function eigh_lower(x: Tracer) {
    return decompose(x, true);
  }),
  upper: custom_jvp(function eigh_upper(x: Tracer) {
    return decompose(x, false);
  }),
};
symmetricEigh.lower.defjvp(eighJvp(true));
symmetricEigh.upper.defjvp(eighJvp(false));

function operand(op: string, a: ArrayLike, options: EighOptions): [Tracer, boolean] {
  checkOptions(op, options, ["UPLO", "symmetrize_input"]);
  const uplo = options.UPLO ?? "L";
  if (uplo !== "L" && uplo !== "U")
    throw new JitScopeError("value", `${op}: UPLO must be "L" or "U", got ${String(uplo)}`);
  let x = squareOperand(op, a);
  if (options.symmetrize_input ?? true) x = ew.multiply(0.5, ew.add(x, swapaxes(x, -1, -2)));
  return [x, uplo === "L"];
}

/** `eigh(a)`: [eigenvalues [..., n] ascending, eigenvectors [..., n, n] as columns] of the
 *  symmetric a [..., n, n], as jnp.linalg.eigh. Each eigenvector's sign is arbitrary. */
export function eigh(a: ArrayLike, options: EighOptions = {}): [Tracer, Tracer] {
  return eighAs("eigh", a, options);
}

function eighAs(op: string, a: ArrayLike, options: EighOptions): [Tracer, Tracer] {
  const [x, lower] = operand(op, a, options);
  if (x.shape[x.ndim - 1] === 0) return [zeros(x.shape.slice(0, -1)), zeros(x.shape)];
  const out = (lower ? symmetricEigh.lower : symmetricEigh.upper)(x) as Tracer[];
  return [out[0]!, out[1]!];
}

/** `eigvalsh(a)`: the eigenvalues of eigh(a) alone, ascending. */
export function eigvalsh(a: ArrayLike, options: EighOptions = {}): Tracer {
  return eighAs("eigvalsh", a, options)[0];
}
