// Restarted GMRES for scipy.sparse.linalg.gmres (sparseLinalg.ts), as jax.scipy.sparse.linalg's:
// an outer lax.while_loop of restarts, each building a `restart`-dimensional Krylov basis by
// Arnoldi with one classical Gram–Schmidt pass (JAX's "twice is enough" loop stops after the
// first pass at its default of two iterations), then either solving the small least-squares
// problem at the end ("batched") or keeping its QR up to date with Givens rotations
// ("incremental"). JAX's inner loops are while_loops; here they are fori_loops over the static
// `restart` whose steps after JAX's stopping test (breakdown, or the residual estimate under
// ptol) leave the carry unchanged: the same values, and a while_loop never nests in another
// loop's body (WebGPU cannot run that: backend/webgpuWhile.ts).

import type { Tracer } from "../trace/core.js";
import * as np from "../np.js";
import { fori_loop, while_loop } from "../lax/control.js";
import { dynamic_index_in_dim, dynamic_update_index_in_dim } from "../lax/dynamicSlice.js";
import { slice_in_dim } from "../lax/structural.js";
import { rsqrt } from "../np/mathSurface.js";
import { solve_triangular } from "../linalg.js";
import { solve as scipySolve } from "./linalg.js";
import { add, sub, vdot, type LeafOp, type Leaves, type SolveParts } from "./sparseKrylov.js";

export type GmresMethod = "batched" | "incremental";
export interface GmresSettings {
  readonly restart: number;
  readonly maxiter: number;
  readonly method: GmresMethod;
}

const EPS = 1.1920928955078125e-7; // float32's machine epsilon, JAX's default threshold
const int = (v: number): Tracer => np.array(v, { dtype: "int32" });
const last = (X: Tracer): number => X.ndim - 1;

/** [x / ‖x‖, ‖x‖], or zeros and 0 where ‖x‖ ≤ thresh (JAX's _safe_normalize). */
function safeNormalize(x: Leaves, thresh: Tracer | number = EPS): [Leaves, Tracer] {
  const norm = np.sqrt(vdot(x, x));
  const use = np.greater(norm, thresh);
  return [x.map((xi) => np.where(use, np.divide(xi, norm), 0)), np.where(use, norm, 0)];
}

/** Column k of each basis leaf (the basis is stored along a new last axis). */
const column = (V: Leaves, k: Tracer): Leaves => V.map((X) => dynamic_index_in_dim(X, k, last(X), false));

/** Σ over leaves of Xᵀ y: the overlaps of y with every basis vector. */
const overlaps = (V: Leaves, y: Leaves): Tracer =>
  V.map((X, i) => np.tensordot(y[i]!, X, y[i]!.ndim)).reduce((s, t) => np.add(s, t));

/** The basis times coefficients h (one per column), leaf by leaf. */
const combine = (V: Leaves, h: Tracer): Leaves => V.map((X) => np.tensordot(X, h, 1));

/** Step k of Arnoldi: V[:, k+1] ← the normalised part of M(A(V[:, k])) orthogonal to the basis,
 *  H[k, :] ← its overlaps and norm; breakdown when that norm is 0 (an invariant subspace). */
function arnoldiStep(k: Tracer, A: LeafOp, M: LeafOp, V: Leaves, H: Tracer): [Leaves, Tracer, Tracer] {
  const v = M(A(column(V, k)));
  const [, vNorm0] = safeNormalize(v);
  const h0 = overlaps(V, v);
  const q = sub(v, combine(V, h0));
  const [unit, vNorm1] = safeNormalize(q, np.multiply(EPS, vNorm0));
  const k1 = np.add(k, 1);
  const V2 = V.map((X, i) => dynamic_update_index_in_dim(X, unit[i]!, k1, last(X)));
  const h = dynamic_update_index_in_dim(h0, np.reshape(vNorm1, [1]), k1, 0);
  return [V2, dynamic_update_index_in_dim(H, h, k, 0), np.equal(vNorm1, 0)];
}

/** Entries i and i+1 of v rotated by (cs, sn). */
function rotate(v: Tracer, i: Tracer, cs: Tracer, sn: Tracer): Tracer {
  const x1 = dynamic_index_in_dim(v, i, 0, false);
  const i1 = np.add(i, 1);
  const y1 = dynamic_index_in_dim(v, i1, 0, false);
  const x2 = np.subtract(np.multiply(cs, x1), np.multiply(sn, y1));
  const y2 = np.add(np.multiply(sn, x1), np.multiply(cs, y1));
  const v2 = dynamic_update_index_in_dim(v, np.reshape(x2, [1]), i, 0);
  return dynamic_update_index_in_dim(v2, np.reshape(y2, [1]), i1, 0);
}

/** The rotation (cs, sn) that zeroes b against a (JAX's _givens_rotation). */
function givensRotation(a: Tracer, b: Tracer): [Tracer, Tracer] {
  const bZero = np.equal(np.abs(b), 0);
  const aLtB = np.less(np.abs(a), np.abs(b));
  const t = np.negative(np.divide(np.where(aLtB, a, b), np.where(aLtB, b, a)));
  const r = rsqrt(np.add(1, np.square(t)));
  const cs = np.where(bZero, 1, np.where(aLtB, np.multiply(r, t), r));
  const sn = np.where(bZero, 0, np.where(aLtB, r, np.multiply(r, t)));
  return [cs, sn];
}

/** Applies the first k stored rotations to a row of H, then a new one zeroing its entry k+1. */
function applyGivens(row: Tracer, givens: Tracer, k: Tracer, restart: number): [Tracer, Tracer] {
  const rotated = fori_loop(
    0,
    restart,
    (i: Tracer, r: Tracer) => {
      const g = dynamic_index_in_dim(givens, i, 0, false);
      const next = rotate(r, i, np.take(g, 0), np.take(g, 1));
      return np.where(np.less(i, k), next, r);
    },
    row,
  );
  const [cs, sn] = givensRotation(
    dynamic_index_in_dim(rotated, k, 0, false),
    dynamic_index_in_dim(rotated, np.add(k, 1), 0, false),
  );
  const givens2 = dynamic_update_index_in_dim(givens, np.stack([cs, sn]), k, 0);
  return [rotate(rotated, k, cs, sn), givens2];
}

/** The first basis: the unit residual with `restart` zero columns after it. */
const firstBasis = (unit: Leaves, restart: number): Leaves =>
  unit.map((u) => np.concatenate([np.expand_dims(u, -1), np.zeros([...u.shape, restart])], -1));

const e0 = (restart: number, norm: Tracer): Tracer => np.concatenate([np.reshape(norm, [1]), np.zeros([restart])], 0);

/** The restart's end: x + V[:, :-1] y, and its preconditioned residual normalised. */
function finish(parts: SolveParts, b: Leaves, x: Leaves, V: Leaves, y: Tracer): [Leaves, Leaves, Tracer] {
  const M = parts.M ?? ((v: Leaves) => v);
  const basis = V.map((X) => slice_in_dim(X, 0, X.shape[last(X)]! - 1, 1, last(X)));
  const x2 = add(x, combine(basis, y));
  const [unit, norm] = safeNormalize(M(sub(b, parts.A(x2))));
  return [x2, unit, norm];
}

type Restart = (
  parts: SolveParts,
  b: Leaves,
  x: Leaves,
  unit: Leaves,
  norm: Tracer,
  ptol: Tracer,
  restart: number,
) => [Leaves, Leaves, Tracer];

/** One restart solving min ‖Hᵀy − βe₀‖ from its normal equations at the end (JAX's _lstsq). */
const batchedRestart: Restart = (parts, b, x, unit, norm, _ptol, restart) => {
  const M = parts.M ?? ((v: Leaves) => v);
  const n = unit.length;
  const out = fori_loop(
    0,
    restart,
    (k: Tracer, c: Tracer[]) => {
      const [V, H, done] = [c.slice(0, n), c[n]!, c[n + 1]!];
      const [V2, H2, broke] = arnoldiStep(k, parts.A, M, V, H);
      const keep = (a: Tracer, b2: Tracer) => np.where(done, a, b2);
      return [...V.map((X, i) => keep(X, V2[i]!)), keep(H, H2), np.logical_or(done, broke)];
    },
    [...firstBasis(unit, restart), np.eye(restart, restart + 1), np.array(false)],
  );
  const [V, H] = [out.slice(0, n), out[n]!];
  const y = scipySolve(np.matmul(H, np.transpose(H)), np.matmul(H, e0(restart, norm)), { assume_a: "pos" });
  return finish(parts, b, x, V, y);
};

/** One restart keeping the QR of the Hessenberg matrix by Givens rotations, stopping early once
 *  the residual estimate |β[k+1]| is at most ptol. */
const incrementalRestart: Restart = (parts, b, x, unit, norm, ptol, restart) => {
  const M = parts.M ?? ((v: Leaves) => v);
  const n = unit.length;
  const out = fori_loop(
    0,
    restart,
    (k: Tracer, c: Tracer[]) => {
      const [err, V, R, beta, givens] = [c[0]!, c.slice(1, n + 1), c[n + 1]!, c[n + 2]!, c[n + 3]!];
      const [V2, H] = arnoldiStep(k, parts.A, M, V, R);
      const [row, givens2] = applyGivens(dynamic_index_in_dim(H, k, 0, false), givens, k, restart);
      const R2 = dynamic_update_index_in_dim(R, row, k, 0);
      const g = dynamic_index_in_dim(givens2, k, 0, false);
      const beta2 = rotate(beta, k, np.take(g, 0), np.take(g, 1));
      const err2 = np.abs(dynamic_index_in_dim(beta2, np.add(k, 1), 0, false));
      const active = np.greater(err, ptol);
      const keep = (a: Tracer, b2: Tracer) => np.where(active, b2, a);
      return [
        keep(err, err2),
        ...V.map((X, i) => keep(X, V2[i]!)),
        keep(R, R2),
        keep(beta, beta2),
        keep(givens, givens2),
      ];
    },
    [norm, ...firstBasis(unit, restart), np.eye(restart, restart + 1), e0(restart, norm), np.zeros([restart, 2])],
  );
  const [V, R, beta] = [out.slice(1, n + 1), out[n + 1]!, out[n + 2]!];
  const Rsq = slice_in_dim(R, 0, restart, 1, 1);
  const y = solve_triangular(np.transpose(Rsq), np.slice(beta, [0], [restart]), { lower: false });
  return finish(parts, b, x, V, y);
};

/** GMRES with restarts until the preconditioned residual norm is at most atol or maxiter restarts
 *  ran; `parts.extras` holds [atol, ptol], fixed from the primal b as JAX's. */
export function gmresSolve(parts: SolveParts, b: Leaves, s: GmresSettings): Leaves {
  const [atol, ptol] = parts.extras as [Tracer, Tracer];
  const M = parts.M ?? ((v: Leaves) => v);
  const n = b.length;
  const step = s.method === "incremental" ? incrementalRestart : batchedRestart;
  const [unit0, norm0] = safeNormalize(M(sub(b, parts.A(parts.x0))));
  const out = while_loop(
    (c: Tracer[]) => np.logical_and(np.less(c[2 * n]!, s.maxiter), np.greater(c[2 * n + 1]!, atol)),
    (c: Tracer[]) => {
      const [x, unit, norm] = [c.slice(0, n), c.slice(n, 2 * n), c[2 * n + 1]!];
      const [x2, unit2, norm2] = step(parts, b, x, unit, norm, ptol, s.restart);
      return [...x2, ...unit2, np.add(c[2 * n]!, 1), norm2];
    },
    [...parts.x0, ...unit0, int(0), norm0],
  );
  return out.slice(0, n);
}

/** [atol, ptol] of JAX's gmres: max(tol‖b‖, atol), and ‖M b‖·min(1, atol/‖b‖). */
export function gmresTolerances(b: Leaves, M: LeafOp | null, tol: number, atol: number): Leaves {
  const bNorm = np.sqrt(vdot(b, b));
  const at = np.maximum(np.multiply(tol, bNorm), atol);
  const Mb = M ? M(b) : b;
  const ptol = np.multiply(np.sqrt(vdot(Mb, Mb)), np.minimum(1, np.divide(at, bNorm)));
  return [at, ptol];
}
