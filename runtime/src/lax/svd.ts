// np.linalg.svd and svdvals by one-sided (Hestenes) Jacobi: the parallel round-robin rotations of
// lax/jacobiRotations.ts applied to a's columns until they are mutually orthogonal (B = A·V), so
// σ_j = ‖b_j‖. It works on A itself, never on AᵀA, whose condition number is A's squared: small
// singular values keep float32's accuracy relative to ‖A‖ instead of losing it to the square.
// U is then Q of B's Householder QR with R's diagonal made positive: for orthogonal b_j that is
// b_j/σ_j, and it also gives orthonormal columns where σ_j is (nearly) zero and the rest of U for
// full_matrices. A wide a is done as its transpose. The derivative is JAX's svd rule (custom_jvp).

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { isStaging, type Tracer } from "../trace/core.js";
import { custom_jvp } from "../trace/custom.js";
import { libraryJit } from "../trace/jit.js";
import { fori_loop } from "./control.js";
import { qr } from "./qr.js";
import { eye, ones, zeros } from "../np/creation.js";
import * as ew from "../np/elementwise.js";
import { slice, take, take_along_axis } from "../np/indexing.js";
import { matmul } from "../np/linalg.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { argsort } from "../np/reduceSurface.js";
import { sum } from "../np/reductions.js";
import { broadcast_to, concatenate, expand_dims, swapaxes } from "../np/shape.js";
import { diagonal } from "../np/matrixSurface.js";
import { avalText } from "../np/validate.js";
import { jacobiSweeps } from "./eigh.js";
import {
  evenSize,
  indexGrid,
  nextRound,
  rotateRows,
  roundPairs,
  rowCoefficients,
  symSchur2,
} from "./jacobiRotations.js";

export interface SvdOptions {
  /** U [..., m, m] and Vh [..., n, n] (default true), else U [..., m, k] and Vh [..., k, n]. */
  full_matrices?: boolean;
  /** Return [U, S, Vh] (default true), else S alone. */
  compute_uv?: boolean;
}

const mT = (x: Tracer): Tracer => swapaxes(x, -1, -2);
const sub = (x: Tracer, rows: number, cols: number): Tracer => {
  const all = x.shape.slice(0, -2).map(() => null);
  return slice(x, [...all, 0, 0], [...all, rows, cols]);
};

/** For a tall a [..., m, n] (m ≥ n): columns B = A·V as rows [..., n, m] and Vᵀ [..., n, n]. */
function orthogonalizeColumns(a: Tracer): [Tracer, Tracer] {
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  const size = evenSize(n);
  const lead = a.shape.slice(0, -2);
  let bt = mT(a);
  if (size > n) bt = concatenate([bt, zeros([...lead, 1, m])], -2); // a zero column is never rotated
  // One sweep more than eigh: the Gram matrix is only reached through its columns' dot products.
  const [b, w] = fori_loop(
    0,
    (jacobiSweeps(n) + 1) * (size - 1),
    (_i: Tracer, [x, v, r]: [Tracer, Tracer, Tracer]): [Tracer, Tracer, Tracer] => {
      const rows = indexGrid([size]);
      const { partner, p, q, first } = roundPairs(size, r, rows);
      // Row i's and its partner's dot product come out equal: the same products summed in the
      // same order, so both rows of a pair compute the same rotation.
      const norms = sum(ew.square(x), -1);
      const cross = sum(ew.multiply(x, take(x, partner, -2)), -1);
      const [c, s] = symSchur2(take(norms, p, -1), take(norms, q, -1), cross);
      const [alpha, beta] = rowCoefficients(c, s, first);
      return [rotateRows(x, alpha, beta, partner), rotateRows(v, alpha, beta, partner), nextRound(r, size)];
    },
    [bt, broadcast_to(eye(size), [...lead, size, size]), zeros([], { dtype: "int32" })],
  );
  return [sub(b, n, m), sub(w, n, n)];
}

/** [s [..., k] descending, U, Vh] of a tall a (m ≥ n, k = n). */
function tallSvd(a: Tracer, full: boolean): [Tracer, Tracer, Tracer] {
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  const [bRows, vRows] = orthogonalizeColumns(a);
  const norms = ew.sqrt(sum(ew.square(bRows), -1));
  const order = argsort(ew.negative(norms), -1);
  const s = take_along_axis(norms, order, -1);
  const rowsBy = (x: Tracer) => take_along_axis(x, broadcast_to(expand_dims(order, -1), x.shape), -2);
  const [q, r] = qr(mT(rowsBy(bRows)), full ? "complete" : "reduced");
  const positive = ew.where(ew.greater_equal(diagonal(r, 0, -2, -1), 0), 1, -1);
  const lead = a.shape.slice(0, -2);
  const signs = full && m > n ? concatenate([positive, ones([...lead, m - n])], -1) : positive;
  return [s, ew.multiply(q, expand_dims(signs, -2)), rowsBy(vRows)];
}

function anySvd(a: Tracer, full: boolean): Tracer[] {
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  if (m >= n) return tallSvd(a, full);
  const [s, v, uh] = tallSvd(mT(a), full); // Aᵀ = V S Uᵀ
  return [s, mT(uh), mT(v)];
}

const compiled = new Map<boolean, (x: Tracer) => unknown>();
function decompose(x: Tracer, full: boolean): [Tracer, Tracer, Tracer] {
  const body = (t: Tracer) => anySvd(t, full);
  let out: Tracer[];
  if (isStaging()) out = body(x);
  else {
    let f = compiled.get(full);
    if (!f) compiled.set(full, (f = libraryJit(body, full ? "svd_full" : "svd_reduced") as (x: Tracer) => unknown));
    out = f(x) as Tracer[];
  }
  return [out[0]!, out[1]!, out[2]!];
}

/** JAX's svd jvp (reduced U and Vh): dS = Uᵀ dA V gives ds = diag(dS); dU and dV from the
 *  off-diagonal of dS over the gaps s_j² − s_i², plus the parts of dA outside U's / V's span. */
function svdTangents([s, u, vh]: Tracer[], da: Tracer): Tracer[] {
  const k = s!.shape[s!.ndim - 1]!;
  const m = u!.shape[u!.ndim - 2]!;
  const n = vh!.shape[vh!.ndim - 1]!;
  const v = mT(vh!);
  const ut = mT(u!);
  const ds = matmul(matmul(ut, da), v);
  const row = expand_dims(s!, -2);
  const col = expand_dims(s!, -1);
  const id = eye(k);
  const f = ew.subtract(ew.divide(1, ew.add(ew.multiply(ew.add(row, col), ew.subtract(row, col)), id)), id);
  const dss = ew.multiply(row, ds);
  const sds = ew.multiply(col, ds);
  const zero = ew.astype(ew.equal(s!, 0), "float32");
  const sInv = ew.multiply(id, expand_dims(ew.subtract(ew.divide(1, ew.add(s!, zero)), zero), -2));
  const antisym = ew.multiply(ew.multiply(0.5, ew.subtract(ds, mT(ds))), sInv);
  let du = matmul(u!, ew.add(ew.multiply(f, ew.add(dss, mT(dss))), antisym));
  let dv = matmul(v, ew.multiply(f, ew.add(sds, mT(sds))));
  if (m > n) {
    const dav = matmul(da, v);
    du = ew.add(du, ew.divide(ew.subtract(dav, matmul(u!, matmul(ut, dav))), row));
  }
  if (n > m) {
    const dau = matmul(mT(da), u!);
    dv = ew.add(dv, ew.divide(ew.subtract(dau, matmul(v, matmul(vh!, dau))), row));
  }
  return [diagonal(ds, 0, -2, -1), du, mT(dv)];
}

const reducedSvd = custom_jvp(function svd_reduced(x: Tracer) {
  return decompose(x, false);
});
reducedSvd.defjvp(([x]: Tracer[], [dx]: Tracer[]) => {
  const out = decompose(x, false);
  return [out, svdTangents(out, dx)];
});

const fullSvd = custom_jvp(function svd_full(x: Tracer) {
  return decompose(x, true);
});
fullSvd.defjvp(() => {
  throw new JitScopeError(
    "value",
    "svd: the derivative with full_matrices=true is not defined (as in JAX); pass { full_matrices: false } or use svdvals",
  );
});

const singularValues = custom_jvp(function svdvals(x: Tracer) {
  return decompose(x, false)[0];
});
singularValues.defjvp(([x]: Tracer[], [dx]: Tracer[]) => {
  const [s, u, vh] = decompose(x, false);
  return [s, diagonal(matmul(matmul(mT(u), dx), mT(vh)), 0, -2, -1)];
});

function matrixOperand(op: string, a: ArrayLike): Tracer {
  const x = asTracer(op, a);
  if (x.dtype !== "float32")
    throw new JitScopeError(
      "dtype",
      `${op}: a has dtype ${x.dtype} (${avalText(x.aval)}); linear algebra here is float32`,
    );
  if (x.ndim < 2)
    throw new JitScopeError(
      "shape",
      `${op}: a must be a matrix or a batch of them [..., m, n], got ${avalText(x.aval)}`,
    );
  if (x.shape[x.ndim - 1] === 0 || x.shape[x.ndim - 2] === 0)
    throw new JitScopeError("shape", `${op}: a has no rows or no columns (${avalText(x.aval)})`);
  return x;
}

/** `svd(a)`: [U, S, Vh] with a = U·diag(S)·Vh and S [..., min(m, n)] descending, as
 *  jnp.linalg.svd; `{ compute_uv: false }` gives S alone. Singular vectors' signs are arbitrary. */
export function svd(a: ArrayLike, options?: SvdOptions & { compute_uv?: true }): [Tracer, Tracer, Tracer];
export function svd(a: ArrayLike, options: SvdOptions & { compute_uv: false }): Tracer;
export function svd(a: ArrayLike, options: SvdOptions = {}): [Tracer, Tracer, Tracer] | Tracer {
  checkOptions("svd", options, ["full_matrices", "compute_uv"]);
  const x = matrixOperand("svd", a);
  if (options.compute_uv === false) return singularValues(x) as Tracer;
  const [s, u, vh] = ((options.full_matrices ?? true) ? fullSvd : reducedSvd)(x) as Tracer[];
  return [u!, s!, vh!];
}

/** `svdvals(a)`: the singular values [..., min(m, n)], descending. */
export function svdvals(a: ArrayLike): Tracer {
  return singularValues(matrixOperand("svdvals", a)) as Tracer;
}
