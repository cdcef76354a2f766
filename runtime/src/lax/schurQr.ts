// The complex Schur form T = Qᴴ A Q of a real square A [..., n, n]: Householder reduction to
// upper Hessenberg form, then the single-shift complex QR algorithm (Wilkinson shifts, deflation
// from the bottom, as LAPACK's zlahqr) done as implicit bulge chasing. Each iteration of ONE
// fori_loop applies one Givens rotation: the first of a sweep comes from the shift, the next ones
// chase the bulge down the active block; when a sweep ends, small subdiagonal entries are set to
// zero and the active block is found again. One rotation per iteration keeps every step a few
// elementwise ops on [..., n, n] (no nested loop, which WebGPU refuses), and the per-matrix state
// (block, position, stall count) lets each matrix of a batch go its own way. The loop runs a fixed
// number of rotations (rotationBudget); a converged matrix turns the rest into identity rotations.

import type { Tracer } from "../trace/core.js";
import { fori_loop } from "./control.js";
import { arange, eye, zeros } from "../np/creation.js";
import * as ew from "../np/elementwise.js";
import { take_along_axis } from "../np/indexing.js";
import { matmul } from "../np/linalg.js";
import { max, sum } from "../np/reductions.js";
import { broadcast_to, expand_dims, reshape, swapaxes } from "../np/shape.js";
import { diagonal } from "../np/matrixSurface.js";
import { floor_divide, logical_and } from "../np/mathSurface.js";
import { hypot } from "../np/trig.js";
import {
  cabs,
  cabs1,
  cadd,
  cdiv,
  cmul,
  conj,
  cneg,
  cscale,
  csqrt,
  csub,
  cwhere,
  pair,
  type Pair,
} from "./complexPairs.js";

const ULP = 2 ** -23;
const TINY = 1e-30;

/** Rotations in the QR loop. Measured on float32 random, companion and triangular matrices: the
 *  complex single-shift iteration takes 2 to 3 sweeps per eigenvalue over a block that shrinks by
 *  one each time, about 1.5·n² rotations in all; 4·n² + 20 leaves room for slow cases (close
 *  eigenvalues, exceptional shifts). */
export const rotationBudget = (n: number): number => 4 * n * n + 20;

/** Index grids over the last two axes: row [n, 1] and column [1, n] (int32). */
function grids(n: number): [Tracer, Tracer] {
  const r = arange(n, { dtype: "int32" });
  return [reshape(r, [n, 1]), reshape(r, [1, n])];
}

/** x[..., i, j] with i, j int32 of x's batch shape. */
function entry(x: Tracer, i: Tracer, j: Tracer): Tracer {
  const n = x.shape[x.ndim - 1]!;
  const flat = reshape(x, [...x.shape.slice(0, -2), n * n]);
  const at = expand_dims(ew.add(ew.multiply(i, n), j), -1);
  return reshape(take_along_axis(flat, at, -1), i.shape);
}
const centry = (x: Pair, i: Tracer, j: Tracer): Pair => pair(entry(x.re, i, j), entry(x.im, i, j));

/** Real Householder reduction to upper Hessenberg form: [H, Q] with A = Q H Qᵀ. A column already
 *  zero below the subdiagonal is left as it is, so a Hessenberg input (a companion matrix) comes
 *  through unchanged. */
export function hessenberg(a: Tracer): [Tracer, Tracer] {
  const n = a.shape[a.ndim - 1]!;
  const lead = a.shape.slice(0, -2);
  const q0 = broadcast_to(eye(n), [...lead, n, n]);
  if (n <= 2) return [a, q0];
  const rows = arange(n, { dtype: "int32" });
  const [row, col] = grids(n);
  const [h, q] = fori_loop(
    0,
    n - 2,
    (j: Tracer, [m, w]: [Tracer, Tracer]): [Tracer, Tracer] => {
      const column = sum(ew.where(ew.equal(col, j), m, 0), -1); // [..., n]
      const head = ew.equal(rows, ew.add(j, 1));
      const alpha = sum(ew.where(head, column, 0), -1, { keepdims: true });
      const tail = ew.where(ew.greater(rows, ew.add(j, 1)), column, 0);
      const tailSq = sum(ew.square(tail), -1, { keepdims: true });
      const norm = ew.sqrt(ew.add(ew.square(alpha), tailSq));
      const s = ew.where(ew.greater_equal(alpha, 0), 1, -1);
      const v = ew.add(tail, ew.where(head, ew.add(alpha, ew.multiply(s, norm)), 0));
      const reflect = ew.greater(tailSq, 0);
      const vv = sum(ew.square(v), -1, { keepdims: true });
      const tau = ew.where(reflect, ew.divide(2, ew.where(reflect, vv, 1)), 0);
      const vc = expand_dims(v, -1); // [..., n, 1]
      const vr = swapaxes(vc, -1, -2); // [..., 1, n]
      const tv = ew.multiply(vr, expand_dims(tau, -1)); // τ vᵀ
      const left = ew.subtract(m, matmul(vc, matmul(tv, m))); // (I − τvvᵀ) M
      const both = ew.subtract(left, matmul(matmul(left, vc), tv)); // … (I − τvvᵀ)
      return [both, ew.subtract(w, matmul(matmul(w, vc), tv))];
    },
    [a, q0] as [Tracer, Tracer],
  );
  // The reflections leave rounding-level values below the subdiagonal: make them exact zeros.
  return [ew.where(ew.greater(row, ew.add(col, 1)), 0, h), q];
}

/** One Givens rotation G = [[c, s], [−s̄, c]] (c real) with G·[x; y] = [r; 0]. */
function givens(x: Pair, y: Pair): [Tracer, Pair] {
  const [ax, ay] = [cabs(x), cabs(y)];
  const nrm = hypot(ax, ay);
  const safe = ew.where(ew.greater(nrm, 0), nrm, 1);
  const xZero = ew.equal(ax, 0);
  // x/|x| (1 when x = 0): with c = |x|/‖(x, y)‖, s = (x/|x|)·ȳ/‖(x, y)‖.
  const phase = cwhere(
    xZero,
    pair(ew.add(ax, 1), ew.multiply(ax, 0)),
    cdiv(x, pair(ew.where(xZero, 1, ax), ew.multiply(ax, 0))),
  );
  const c = ew.where(ew.greater(nrm, 0), ew.divide(ax, safe), 1);
  const s = cscale(cmul(phase, conj(y)), ew.divide(1, safe));
  return [c, s];
}

/** Wilkinson's shift: the eigenvalue of [[a, b], [c, d]] nearer d, as d − bc/(t + r) with
 *  t = (a − d)/2, r = ±√(t² + bc) signed so |t + r| is the larger (no cancellation). */
function wilkinson(a: Pair, b: Pair, c: Pair, d: Pair): Pair {
  const t = cscale(csub(a, d), 0.5);
  const bc = cmul(b, c);
  let r = csqrt(cadd(cmul(t, t), bc));
  const same = ew.greater_equal(ew.add(ew.multiply(t.re, r.re), ew.multiply(t.im, r.im)), 0);
  r = cwhere(same, r, cneg(r));
  const den = cadd(t, r);
  const ok = ew.greater(cabs1(den), 0);
  const step = cdiv(bc, cwhere(ok, den, pair(ew.add(den.re, 1), den.im)));
  return cwhere(ok, csub(d, step), d);
}

export interface Schur {
  /** The upper triangular T (its diagonal: the eigenvalues). */
  readonly t: Pair;
  /** The unitary Q with A = Q T Qᴴ, when asked for. */
  readonly q: Pair | null;
}

/** The complex Schur form of a real square a [..., n, n] (n ≥ 2), Q only when withQ. */
export function complexSchur(a: Tracer, withQ: boolean): Schur {
  const n = a.shape[a.ndim - 1]!;
  const lead = a.shape.slice(0, -2);
  const [h0, q0] = hessenberg(a);
  const [row, col] = grids(n);
  const sub = arange(1, n, { dtype: "int32" }); // the rows i of the subdiagonal entries (i, i − 1)
  const int = (v: number) => broadcast_to(ew.astype(v, "int32"), lead);
  const ex = (x: Tracer) => expand_dims(expand_dims(x, -1), -1); // batch scalar → [..., 1, 1]
  type State = [Tracer, Tracer, Tracer, Tracer, Tracer, Tracer, Tracer, Tracer];
  const init: State = [
    h0,
    zeros(h0.shape),
    withQ ? q0 : zeros([...lead, 1, 1]),
    zeros(withQ ? q0.shape : [...lead, 1, 1]),
    int(n), // k, the next rotation's row: at or past hi starts a sweep
    int(0), // lo
    int(n - 1), // hi
    int(0), // sweeps since the last deflation
  ];
  const out = fori_loop(
    0,
    rotationBudget(n),
    (_i: Tracer, [hr, hi, qr, qi, k, lo, top, stall]: State): State => {
      let h = pair(hr, hi);
      const start = ew.greater_equal(k, top);
      // Deflate (at a sweep's start): a subdiagonal entry small beside its diagonal neighbours is zero.
      const d1 = cabs1(pair(diagonal(h.re, 0, -2, -1), diagonal(h.im, 0, -2, -1))); // [..., n]
      const s1 = cabs1(pair(diagonal(h.re, -1, -2, -1), diagonal(h.im, -1, -2, -1))); // [..., n − 1]
      const near = ew.add(
        take_along_axis(d1, broadcast_to(ew.subtract(sub, 1), [...lead, n - 1]), -1),
        take_along_axis(d1, broadcast_to(sub, [...lead, n - 1]), -1),
      );
      const small = ew.less_equal(s1, ew.maximum(ew.multiply(ULP, near), TINY));
      const cut = logical_and(expand_dims(start, -1), small); // [..., n − 1], by row i − 1
      const cutAt = logical_and(ew.equal(row, ew.add(col, 1)), expand_dims(padEnd(cut), -2));
      h = cwhere(cutAt, pair(ew.multiply(h.re, 0), ew.multiply(h.im, 0)), h);
      const alive = ew.logical_not(small);
      const newTop = max(ew.where(alive, sub, 0), -1);
      const newLo = max(ew.where(logical_and(ew.less_equal(sub, expand_dims(newTop, -1)), small), sub, 0), -1);
      const top2 = ew.where(start, newTop, top);
      const lo2 = ew.where(start, newLo, lo);
      const stall2 = ew.where(start, ew.where(ew.equal(newTop, top), ew.add(stall, 1), 0), stall);
      const k2 = ew.where(start, lo2, k);
      const done = ew.equal(top2, 0);
      // The shift, from the active block's trailing 2×2; every 10th stalled sweep an exceptional one.
      const t1 = ew.maximum(ew.subtract(top2, 1), 0);
      const [ea, eb, ec, ed] = [centry(h, t1, t1), centry(h, t1, top2), centry(h, top2, t1), centry(h, top2, top2)];
      const exceptional = logical_and(
        ew.greater(stall2, 0),
        ew.equal(ew.subtract(stall2, ew.multiply(floor_divide(stall2, 10), 10)), 0),
      );
      const mu = cwhere(
        exceptional,
        cadd(ed, pair(ew.multiply(cabs1(ec), 0.75), ew.multiply(ed.im, 0))),
        wilkinson(ea, eb, ec, ed),
      );
      const lo1 = ew.add(lo2, 1);
      const km1 = ew.maximum(ew.subtract(k2, 1), 0);
      const k1 = ew.add(k2, 1);
      const x = cwhere(start, csub(centry(h, lo2, lo2), mu), centry(h, k2, km1));
      const y = cwhere(start, centry(h, lo1, lo2), centry(h, k1, km1));
      let [c, s] = givens(x, y);
      c = ew.where(done, 1, c);
      s = cwhere(done, pair(ew.multiply(s.re, 0), ew.multiply(s.im, 0)), s);
      const [ck, sk] = [ex(c), pair(ex(s.re), ex(s.im))];
      const [kk, kk1] = [ex(k2), ex(k1)];
      // Rows k, k+1 ← G·(rows k, k+1); the bulge entry (k+1, k−1) is then exactly zero.
      const rowOf = (m: Pair, r: Tracer): Pair => {
        const at = broadcast_to(r, [...lead, 1, n]);
        return pair(take_along_axis(m.re, at, -2), take_along_axis(m.im, at, -2));
      };
      const [rk, rk1] = [rowOf(h, kk), rowOf(h, kk1)];
      const newK = cadd(cscale(rk, ck), cmul(sk, rk1));
      const newK1 = csub(cscale(rk1, ck), cmul(conj(sk), rk));
      h = cwhere(ew.equal(row, kk), newK, cwhere(ew.equal(row, kk1), newK1, h));
      const bulge = logical_and(logical_and(ew.equal(row, kk1), ew.equal(col, ex(km1))), ew.logical_not(ex(start)));
      h = cwhere(bulge, pair(ew.multiply(h.re, 0), ew.multiply(h.im, 0)), h);
      // Columns k, k+1 ← (columns k, k+1)·Gᴴ, for H and Q alike.
      const right = (m: Pair): Pair => {
        const colOf = (cc: Tracer): Pair => {
          const at = broadcast_to(swapaxes(cc, -1, -2), [...lead, m.re.shape[m.re.ndim - 2]!, 1]);
          return pair(take_along_axis(m.re, at, -1), take_along_axis(m.im, at, -1));
        };
        const [ak, ak1] = [colOf(kk), colOf(kk1)];
        const nk = cadd(cscale(ak, ck), cmul(conj(sk), ak1));
        const nk1 = csub(cscale(ak1, ck), cmul(sk, ak));
        return cwhere(ew.equal(col, kk), nk, cwhere(ew.equal(col, kk1), nk1, m));
      };
      h = right(h);
      const q = withQ ? right(pair(qr, qi)) : pair(qr, qi);
      return [h.re, h.im, q.re, q.im, k1, lo2, top2, stall2];
    },
    init,
  );
  const upper = ew.less_equal(row, col);
  const t = pair(ew.where(upper, out[0], 0), ew.where(upper, out[1], 0));
  return { t, q: withQ ? pair(out[2], out[3]) : null };
}

/** x [..., m] with one false appended on the last axis. */
function padEnd(x: Tracer): Tracer {
  const m = x.shape[x.ndim - 1]!;
  const idx = ew.minimum(arange(m + 1, { dtype: "int32" }), m - 1);
  const grown = take_along_axis(x, broadcast_to(idx, [...x.shape.slice(0, -1), m + 1]), -1);
  return logical_and(ew.not_equal(arange(m + 1, { dtype: "int32" }), m), grown);
}
