// np.linalg.eig and eigvals of general (non-symmetric) real square matrices [..., n, n], as
// jnp.linalg.eig: complex64 eigenvalues [..., n] and right eigenvectors [..., n, n] as columns,
// each of unit 2-norm with its largest component made real (LAPACK's geev convention; JAX's up to
// that component's sign). The Schur form comes from lax/schurQr.ts; the eigenvectors of T by back
// substitution (one fori_loop over the rows, as LAPACK's trevc), then V = Q·Y. Everything is
// elementwise ops and matmuls in loops, so it runs on every backend and under jit; JAX runs geev
// on CPU only. Eigenvalues come in the order the QR iteration leaves them on T's diagonal, which
// need not be JAX's (LAPACK's order is not specified either). Gradients are refused by name.

import { JitScopeError } from "../ir/errors.js";
import { Complex } from "../trace/complexValue.js";
import { isStaging, type Tracer } from "../trace/core.js";
import { libraryJit } from "../trace/jit.js";
import { fori_loop } from "./control.js";
import { arange, eye, zeros } from "../np/creation.js";
import * as ew from "../np/elementwise.js";
import { take_along_axis } from "../np/indexing.js";
import { squareOperand } from "../np/linalgOperands.js";
import { diagonal } from "../np/matrixSurface.js";
import { asTracer, cast, type ArrayLike } from "../np/promote.js";
import { argmax, max, sum } from "../np/reductions.js";
import { broadcast_to, expand_dims, reshape } from "../np/shape.js";
import { cabs, cabs1, cdiv, cmatmul, cmul, conj, csub, cwhere, pair, type Pair } from "./complexPairs.js";
import { complexSchur } from "./schurQr.js";
import { custom_jvp } from "../trace/custom.js";

const ULP = 2 ** -23;

/** a as a float32 square matrix (ints and bools promoted, as JAX's eig promotes to inexact). */
export function generalOperand(op: string, a: ArrayLike): Tracer {
  const x = asTracer(op, a);
  if (x.ndim < 2)
    throw new JitScopeError("shape", `${op}: a must have rank at least 2 ([..., n, n]), got shape [${x.shape}]`);
  return squareOperand(op, x.dtype === "float32" ? x : cast(x, "float32"));
}

/** Y upper triangular with T·Y = Y·diag(T): column k is the eigenvector of T for T[k, k]. */
function triangularEigenvectors(t: Pair): Pair {
  const n = t.re.shape[t.re.ndim - 1]!;
  const lead = t.re.shape.slice(0, -2);
  const r = arange(n, { dtype: "int32" });
  const [row, col] = [reshape(r, [n, 1]), reshape(r, [1, n])];
  const lam = pair(expand_dims(diagonal(t.re, 0, -2, -1), -2), expand_dims(diagonal(t.im, 0, -2, -1), -2)); // [..., 1, n]
  // LAPACK's trevc: a divisor smaller than ulp·|λ_k| is raised to it, so a repeated eigenvalue
  // gives a (nearly parallel) vector rather than inf.
  const smin = ew.maximum(ew.multiply(ULP, cabs1(lam)), 1e-30);
  const init: [Tracer, Tracer] = [broadcast_to(eye(n), [...lead, n, n]), zeros([...lead, n, n])];
  const [yr, yi] = fori_loop(
    0,
    n - 1,
    (i: Tracer, [yr0, yi0]: [Tracer, Tracer]): [Tracer, Tracer] => {
      const j = ew.subtract(n - 2, i);
      const at = broadcast_to(j, [...lead, 1, n]);
      const tj = pair(take_along_axis(t.re, at, -2), take_along_axis(t.im, at, -2)); // row j [..., 1, n]
      const y = pair(yr0, yi0);
      const num = cmatmul(tj, y); // [..., 1, n]
      const tjj = pair(take_along_axis(tj.re, at, -1), take_along_axis(tj.im, at, -1));
      let den = csub(tjj, lam);
      const tooSmall = ew.less(cabs1(den), smin);
      den = cwhere(tooSmall, pair(smin, ew.multiply(smin, 0)), den);
      const v = cdiv(num, den);
      const set = ew.logical_not(ew.less_equal(col, j)); // columns k > j
      const onRow = ew.equal(row, j);
      const m = ew.multiply(ew.astype(ew.where(onRow, 1, 0), "float32"), ew.astype(set, "float32"));
      const next = pair(
        ew.where(ew.greater(m, 0), ew.negative(v.re), y.re),
        ew.where(ew.greater(m, 0), ew.negative(v.im), y.im),
      );
      // Scaling a column leaves its direction: keep every column's largest entry at 1 so a long
      // chain of small divisors cannot overflow.
      const big = ew.maximum(max(cabs1(next), -2, { keepdims: true }), 1);
      return [ew.divide(next.re, big), ew.divide(next.im, big)];
    },
    init,
  );
  return pair(yr, yi);
}

/** Columns of v at unit 2-norm, each multiplied by a phase that makes its largest entry real
 *  and positive. */
function normalizeColumns(v: Pair): Pair {
  const norm = ew.sqrt(sum(ew.add(ew.square(v.re), ew.square(v.im)), -2, { keepdims: true }));
  const u = pair(ew.divide(v.re, norm), ew.divide(v.im, norm));
  const top = expand_dims(argmax(ew.add(ew.square(u.re), ew.square(u.im)), -2), -2); // [..., 1, n]
  const p = pair(take_along_axis(u.re, top, -2), take_along_axis(u.im, top, -2));
  const mag = cabs(p);
  const phase = conj(pair(ew.divide(p.re, mag), ew.divide(p.im, mag)));
  return cmul(u, phase);
}

function eigenParts(a: Tracer, vectors: boolean): Tracer[] {
  const { t, q } = complexSchur(a, vectors);
  const w = [diagonal(t.re, 0, -2, -1), diagonal(t.im, 0, -2, -1)];
  if (!vectors) return w;
  const v = normalizeColumns(cmatmul(q!, triangularEigenvectors(t)));
  return [...w, v.re, v.im];
}

// Eager calls run as one compiled call (named so the profile reads "eig" / "eigvals").
const compiled = new Map<boolean, (x: Tracer) => unknown>();
function run(a: Tracer, vectors: boolean): Tracer[] {
  const body = (x: Tracer) => eigenParts(x, vectors);
  if (isStaging()) return body(a);
  let f = compiled.get(vectors);
  if (!f) compiled.set(vectors, (f = libraryJit(body, vectors ? "eig" : "eigvals") as (x: Tracer) => unknown));
  return f(a) as Tracer[];
}

/** The eigenvalues [..., n] (and eigenvectors) of a float32 square x, n ≥ 0. */
export function eigDecompose(op: string, x: Tracer, vectors: boolean): Tracer[] {
  const n = x.shape[x.ndim - 1]!;
  const lead = x.shape.slice(0, -2);
  if (n === 0) {
    const w = zeros([...lead, 0]);
    return vectors ? [w, w, zeros(x.shape), zeros(x.shape)] : [w, w];
  }
  const y = x;
  if (n === 1) {
    const w = reshape(y, [...lead, 1]);
    return vectors ? [w, zeros(w.shape), ew.add(zeros(y.shape), 1), zeros(y.shape)] : [w, zeros(w.shape)];
  }
  return (vectors ? refuseGrad.eig : refuseGrad.eigvals)(y) as Tracer[];
}

// JAX differentiates eig; this does not yet. A custom_jvp whose rule refuses keeps grad from
// differentiating the QR loop (a wrong answer for repeated eigenvalues, and slow).
const refuseGrad = {
  eig: custom_jvp(function eig(x: Tracer) {
    return run(x, true);
  }),
  eigvals: custom_jvp(function eigvals(x: Tracer) {
    return run(x, false);
  }),
};
for (const [name, f] of Object.entries(refuseGrad))
  f.defjvp((): never => {
    throw new JitScopeError("value", `${name}: gradients (jvp, grad, vjp) of ${name} are not supported yet`);
  });

/** `eig(a)`: [eigenvalues [..., n], eigenvectors [..., n, n] as columns], both complex64. */
export function eig(a: ArrayLike): [Complex, Complex] {
  const x = generalOperand("eig", a);
  const [wr, wi, vr, vi] = eigDecompose("eig", x, true);
  return [new Complex(wr!, wi!), new Complex(vr!, vi!)];
}

/** `eigvals(a)`: the eigenvalues [..., n] of a, complex64. */
export function eigvals(a: ArrayLike): Complex {
  const x = generalOperand("eigvals", a);
  const [wr, wi] = eigDecompose("eigvals", x, false);
  return new Complex(wr!, wi!);
}
