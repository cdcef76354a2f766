// np.linalg.qr (here, beside the loops it runs in: np's files cannot import lax) by Householder
// reflections, as LAPACK's geqrf then orgqr. Column j's reflection H_j = I - τ_j v_j v_jᵀ zeroes
// it below the diagonal and makes R's diagonal entry -sign(a_jj)·‖a_j:‖; a column already zero
// below the diagonal is left as it is (τ = 0). So Q and R have LAPACK's signs and match JAX's.
// One fori_loop reduces A to R, keeping each v_j and τ_j; a second builds Q = H_0 ⋯ H_{k-1}·I
// from the last reflection back, on Q's k (or m) columns only. Each step is a rank-1 update over
// the last two axes, so leading batch axes come along, and grad, vmap and jit go through the
// loops. Called eagerly, the loops run as one compiled call (jit), not step by step.

import { JitScopeError } from "../ir/errors.js";
import { isStaging, type Tracer } from "../trace/core.js";
import { libraryJit } from "../trace/jit.js";
import { fori_loop } from "./control.js";
import { arange, eye, zeros } from "../np/creation.js";
import * as ew from "../np/elementwise.js";
import { matmul } from "../np/linalg.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { sum } from "../np/reductions.js";
import { triu } from "../np/shapeSurface.js";
import { broadcast_to, expand_dims, swapaxes } from "../np/shape.js";
import { slice } from "../np/indexing.js";
import { avalText } from "../np/validate.js";
import { diagonal } from "../np/matrixSurface.js";

export type QrMode = "reduced" | "complete" | "r";

/** Entry j of the last axis (j traced), the axis removed. */
const pick = (x: Tracer, j: Tracer): Tracer => sum(ew.where(ew.equal(arange(x.shape[x.ndim - 1]!), j), x, 0), -1);

/** R (upper triangular, [..., m, n]), the reflection vectors V [..., m, k] and τ [..., k]. */
function reduceToR(x: Tracer, k: number): [Tracer, Tracer, Tracer] {
  const m = x.shape[x.ndim - 2]!;
  const batch = x.shape.slice(0, -2);
  const rows = arange(m);
  const init: [Tracer, Tracer, Tracer] = [x, zeros([...batch, m, k]), zeros([...batch, k])];
  return fori_loop(
    0,
    k,
    (j: Tracer, [a, vs, taus]: [Tracer, Tracer, Tracer]): [Tracer, Tracer, Tracer] => {
      const col = pick(a, j); // [..., m]
      const alpha = sum(ew.where(ew.equal(rows, j), col, 0), -1, { keepdims: true });
      const tail = ew.where(ew.greater(rows, j), col, 0);
      const tailSq = sum(ew.square(tail), -1, { keepdims: true });
      const norm = ew.sqrt(ew.add(ew.square(alpha), tailSq));
      const s = ew.where(ew.greater_equal(alpha, 0), 1, -1);
      const v = ew.add(tail, ew.where(ew.equal(rows, j), ew.add(alpha, ew.multiply(s, norm)), 0));
      const reflect = ew.greater(tailSq, 0);
      const tau = ew.where(reflect, ew.divide(2, ew.where(reflect, sum(ew.square(v), -1, { keepdims: true }), 1)), 0);
      const vCol = expand_dims(v, -1); // [..., m, 1]
      const vtA = matmul(swapaxes(ew.multiply(vCol, expand_dims(tau, -1)), -1, -2), a); // τ vᵀA: [..., 1, n]
      const atJ = ew.equal(arange(k), j);
      return [ew.subtract(a, matmul(vCol, vtA)), ew.where(atJ, vCol, vs), ew.where(atJ, tau, taus)];
    },
    init,
  );
}

/** Q's first `cols` columns: H_0 ⋯ H_{k-1} applied to I[:, :cols], the last reflection first. */
function buildQ(vs: Tracer, taus: Tracer, cols: number): Tracer {
  const m = vs.shape[vs.ndim - 2]!;
  const k = vs.shape[vs.ndim - 1]!;
  const q0 = broadcast_to(eye(m, cols), [...vs.shape.slice(0, -2), m, cols]);
  return fori_loop(
    0,
    k,
    (i: Tracer, q: Tracer): Tracer => {
      const j = ew.subtract(k - 1, i);
      const vCol = expand_dims(pick(vs, j), -1); // [..., m, 1]
      const tau = expand_dims(expand_dims(pick(taus, j), -1), -1);
      const vtQ = matmul(swapaxes(vCol, -1, -2), q); // [..., 1, cols]
      return ew.subtract(q, matmul(ew.multiply(vCol, tau), vtQ));
    },
    q0,
  );
}

function householderQr(x: Tracer, mode: QrMode): Tracer[] {
  const m = x.shape[x.ndim - 2]!;
  const n = x.shape[x.ndim - 1]!;
  const k = Math.min(m, n);
  const batch = x.shape.slice(0, -2);
  const [a, vs, taus] = reduceToR(x, k);
  const r = triu(a); // exact zeros below the diagonal
  const top = (t: Tracer, rowsTo: number) =>
    slice(t, [...batch.map(() => null), 0, 0], [...batch.map(() => null), rowsTo, n]);
  if (mode === "r") return [top(r, k)];
  if (mode === "complete") return [buildQ(vs, taus, m), r];
  return [buildQ(vs, taus, k), top(r, k)];
}

// Named so a profile of an eager qr reads "qr_reduced", not an anonymous function; made at the
// first eager call, so its "defined at" is the user's line that first asked for a QR.
const bodies = {
  reduced: (x: Tracer) => householderQr(x, "reduced"),
  complete: (x: Tracer) => householderQr(x, "complete"),
  r: (x: Tracer) => householderQr(x, "r"),
};
const compiled = new Map<QrMode, (x: Tracer) => unknown>();
function compiledQr(mode: QrMode): (x: Tracer) => unknown {
  let f = compiled.get(mode);
  if (!f) compiled.set(mode, (f = libraryJit(bodies[mode], `qr_${mode}`) as (x: Tracer) => unknown));
  return f;
}

/** `qr(a, mode)`: a [..., m, n] = Q·R. "reduced" (default): Q [..., m, k], R [..., k, n] with
 *  k = min(m, n); "complete": Q [..., m, m], R [..., m, n]; "r": R [..., k, n] alone. */
export function qr(a: ArrayLike, mode?: "reduced" | "complete"): [Tracer, Tracer];
export function qr(a: ArrayLike, mode: "r"): Tracer;
export function qr(a: ArrayLike, mode: QrMode = "reduced"): [Tracer, Tracer] | Tracer {
  if (mode !== "reduced" && mode !== "complete" && mode !== "r")
    throw new JitScopeError("value", `qr: mode must be "reduced", "complete" or "r", got ${String(mode)}`);
  const x = asTracer("qr", a);
  if (x.dtype !== "float32")
    throw new JitScopeError(
      "dtype",
      `qr: a has dtype ${x.dtype} (${avalText(x.aval)}); linear algebra here is float32`,
    );
  if (x.ndim < 2)
    throw new JitScopeError("shape", `qr: a must be a matrix or a batch of them [..., m, n], got ${avalText(x.aval)}`);
  const out = isStaging() ? householderQr(x, mode) : (compiledQr(mode)(x) as Tracer[]);
  return mode === "r" ? out[0]! : [out[0]!, out[1]!];
}

/** Q of a's reduced QR with each column's sign set so that R's diagonal is positive: the unique
 *  QR, and for a normal `a` a Haar-distributed Q (random.orthogonal, initializers.orthogonal). */
export function qrPositiveDiagonal(a: Tracer): Tracer {
  const [q, r] = qr(a);
  return ew.multiply(q, expand_dims(ew.sign(diagonal(r, 0, -2, -1)), -2));
}
