// np.linalg.eig / eigvals, np.roots and np.poly of a matrix against JAX
// (scripts/jax/run_jax_eig.py wrote test/fixtures/jax/eig.json). Eigenvalue order is not
// specified (ours is the QR iteration's, JAX's LAPACK's), so eigenvalues are matched as a
// multiset: each of JAX's is paired with our nearest, and each of ours must lie near one of JAX's
// (distance 0). Eigenvectors are compared up to a phase: each column has unit norm, A v = λ v
// (residual 0), and |v_jaxᴴ v| = 1 for the matched column. Each on the CPU reference, on WebGPU
// and under jit on WebGPU (harness.ts opCases). Then bad input.
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { opCases, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";
import { matched } from "./eigMatch.js";

const { jaxOpCase } = fixtureCases("eig");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
/** [‖A v − λ v‖ per column, ‖v‖ per column, |v_jaxᴴ v| for the column matched by eigenvalue]. */
function vectorChecks(a: Tracer, wre: Tracer, wim: Tracer, vre: Tracer, vim: Tracer): Tracer {
  const [w, v] = np.linalg.eig(a);
  const av = [np.matmul(a, v.re), np.matmul(a, v.im)];
  const lv = [
    np.subtract(np.multiply(v.re, np.expand_dims(w.re, -2)), np.multiply(v.im, np.expand_dims(w.im, -2))),
    np.add(np.multiply(v.re, np.expand_dims(w.im, -2)), np.multiply(v.im, np.expand_dims(w.re, -2))),
  ];
  const colNorm = (re: Tracer, im: Tracer) => np.sqrt(np.sum(np.add(np.square(re), np.square(im)), -2));
  const residual = colNorm(np.subtract(av[0]!, lv[0]!), np.subtract(av[1]!, lv[1]!));
  const dist = np.add(
    np.square(np.subtract(np.expand_dims(wre, -1), np.expand_dims(w.re, -2))),
    np.square(np.subtract(np.expand_dims(wim, -1), np.expand_dims(w.im, -2))),
  );
  const idx = np.expand_dims(np.argmin(dist, -1), -2); // [..., 1, jax column] → our column
  const [ur, ui] = [
    np.take_along_axis(v.re, np.broadcast_to(idx, v.re.shape), -1),
    np.take_along_axis(v.im, np.broadcast_to(idx, v.im.shape), -1),
  ];
  // v_jaxᴴ u = Σ (vr − i vi)(ur + i ui)
  const ipRe = np.sum(np.add(np.multiply(vre, ur), np.multiply(vim, ui)), -2);
  const ipIm = np.sum(np.subtract(np.multiply(vre, ui), np.multiply(vim, ur)), -2);
  return np.stack([residual, colNorm(v.re, v.im), np.sqrt(np.add(np.square(ipRe), np.square(ipIm)))], 0);
}

// float32 eigenvalues are accurate to about ulp·‖A‖·cond(λ): 1e-5 for these well-separated ones.
const tol = { rtol: 1e-4, atol: 3e-5 };
// "close" has eigenvalues 2 and 2.01 joined by a 1 above the diagonal: their condition number is
// about 100, so 100× looser; its eigenvectors are that much less determined.
const closeTol = { rtol: 1e-3, atol: 3e-3 };
const matrices = ["rotation", "random8", "companion", "triangular", "close", "batch", "symmetric", "one"];

const cases: OpCase[] = [
  ...matrices.map((m) =>
    jaxOpCase(`eigvals_${m}`, (a, re, im) => matched(np.linalg.eigvals(f(a)), f(re), f(im)), {
      title: `eigvals ${m}: JAX's eigenvalues as a multiset`,
      ...(m === "close" ? closeTol : tol),
    }),
  ),
  ...matrices.map((m) =>
    jaxOpCase(`eig_${m}`, (a, wr, wi, vr, vi) => vectorChecks(f(a), f(wr), f(wi), f(vr), f(vi)), {
      title: `eig ${m}: A v = λ v, unit columns, JAX's eigenvectors up to phase`,
      ...(m === "close" ? closeTol : tol),
    }),
  ),
];
opCases("np.linalg.eig", cases);
// roots, poly, int input and bad input: test/unit/ops/eigRoots.test.ts (one process running every
// case of both crashed lavapipe after ~50 compiled QR loops).
